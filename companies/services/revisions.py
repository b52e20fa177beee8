"""Changes to a published opening: the recruiter proposes them as a revision, and the opening
stays public as approved until an official approves (or rejects) them."""

from __future__ import annotations

import copy
import datetime
import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import REVIEWED_FIELDS, Opening, OpeningRevision
from companies.selectors.openings import opening_revision_values
from companies.services.common import clean_reason, ensure_official_of, refresh_fields
from companies.services.openings import (
    FK_FIELDS,
    M2M_FIELDS,
    changed_fields,
    check_choices,
    check_fields,
    check_terms,
    ensure_recruiter_of,
    save_fields,
    seats_taken,
    set_plain_fields,
)
from district.models import User
from district.outbox import enqueue

logger = logging.getLogger(__name__)

# --- Openings: changes to a published opening (revisions) ---------------------------------------


def _encode(name: str, value):
    """A form value as OpeningRevision.changes stores it (JSON)."""
    if name in M2M_FIELDS:
        return sorted(row.pk for row in value)
    if name in FK_FIELDS:
        return None if value is None else value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _refuse_revision(revision: OpeningRevision, opening: Opening) -> ValidationError:
    return ValidationError(
        _("The changes to “%(opening)s” cannot be decided: they are “%(status)s”, not awaiting review."),
        code="invalid_transition",
        params={"opening": opening.title, "status": revision.get_status_display()},
    )


@transaction.atomic
def opening_revision_submit(*, opening: Opening, data: dict, by: User) -> OpeningRevision | None:
    """Propose changes to a published opening; it stays public as approved until an official decides.

    1. Lock the opening; refuse one that is not published (the others change directly,
       `opening_update`).
    2. Check the changes as `opening_update` would: the district's choices, the terms and
       the model's own rules. Nothing is written to the opening.
    3. Keep the fields that differ from the approved opening. A pending revision is
       replaced by a new one, so an official who opened the old one cannot approve values
       they did not see; when nothing differs any more, it is withdrawn.
    4. Tell the officials once the transaction commits.

    Returns the pending revision, or None when the data equals the approved opening.
    """
    ensure_recruiter_of(by, opening.company)
    check_fields(data)
    check_choices(opening.company, data)
    stored = Opening.objects.select_for_update().get(pk=opening.pk)
    if stored.status != Opening.Status.PUBLISHED:
        raise ValidationError(
            _("Only a published opening takes changes for review; this one is “%(status)s”."),
            code="not_published",
            params={"status": stored.get_status_display()},
        )
    check_terms(stored, data)
    changed = changed_fields(stored, data)
    set_plain_fields(copy.copy(stored), data)
    changes = {name: _encode(name, data[name]) for name in REVIEWED_FIELDS if name in changed}
    pending = (
        OpeningRevision.objects.select_for_update()
        .filter(opening=stored, status=OpeningRevision.Status.PENDING)
        .first()
    )
    if pending is not None:
        if pending.changes == changes:
            return pending
        pending.status = OpeningRevision.Status.SUPERSEDED if changes else OpeningRevision.Status.WITHDRAWN
        pending.save(update_fields=["status"])
    if not changes:
        return None
    revision = OpeningRevision.objects.create(opening=stored, changes=changes, submitted_by=by)
    transaction.on_commit(partial(enqueue, "companies.opening_revision_submitted_notice_send", revision.pk))
    return revision


@transaction.atomic
def opening_revision_approve(*, revision: OpeningRevision, by: User) -> OpeningRevision:
    """Make a pending revision the opening: its values replace the approved ones, in public at once.

    1. Lock the opening, then the revision. Refuse a revision no longer pending and an
       opening no longer published.
    2. Refuse fewer seats than are already filled, and terms today's rules refuse (a new
       deadline that passed while the changes waited, say).
    3. Save the values on the opening; the revision is approved. Applications, preferences
       and rounds point at the opening and carry on with it.
    4. Tell the recruiters once the transaction commits.
    """
    ensure_official_of(by, revision.opening.company.district_id)
    stored = Opening.objects.select_for_update().select_related("company").get(pk=revision.opening_id)
    locked = OpeningRevision.objects.select_for_update().get(pk=revision.pk)
    if locked.status != OpeningRevision.Status.PENDING:
        raise _refuse_revision(locked, stored)
    if stored.status != Opening.Status.PUBLISHED:
        raise ValidationError(
            _("The changes to “%(opening)s” cannot be approved: the opening is “%(status)s”."),
            code="not_published",
            params={"opening": stored.title, "status": stored.get_status_display()},
        )
    values = opening_revision_values(revision=locked)
    if "seats" in values:
        taken = seats_taken(stored.pk)
        if values["seats"] < taken:
            raise ValidationError(
                _(
                    "The changes to “%(opening)s” cannot be approved: they propose %(seats)d seats, "
                    "but %(taken)d are already filled."
                ),
                code="seats_taken",
                params={"opening": stored.title, "seats": values["seats"], "taken": taken},
            )
    try:
        check_choices(stored.company, values)
        check_terms(stored, values)
    except ValidationError as error:
        raise ValidationError(
            _("The changes to “%(opening)s” cannot be approved: %(errors)s"),
            code="invalid_terms",
            params={"opening": stored.title, "errors": " ".join(error.messages)},
        ) from None
    save_fields(stored, values, changed_fields(stored, values))
    locked.status = OpeningRevision.Status.APPROVED
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    refresh_fields(revision, {"status": locked.status, "reviewed_by": by, "reviewed_at": locked.reviewed_at})
    transaction.on_commit(partial(enqueue, "companies.opening_revision_review_email_send", revision.pk))
    return revision


@transaction.atomic
def opening_revision_reject(*, revision: OpeningRevision, by: User, reason: str) -> OpeningRevision:
    """Refuse a pending revision, with a reason the recruiters read; the opening stays as approved."""
    ensure_official_of(by, revision.opening.company.district_id)
    fields = {
        "status": OpeningRevision.Status.REJECTED,
        "reason": clean_reason(reason),
        "reviewed_by": by,
        "reviewed_at": timezone.now(),
    }
    claimed = OpeningRevision.objects.filter(pk=revision.pk, status=OpeningRevision.Status.PENDING).update(
        **fields
    )
    if not claimed:
        revision.refresh_from_db(fields=["status"])
        raise _refuse_revision(revision, revision.opening)
    refresh_fields(revision, fields)
    transaction.on_commit(partial(enqueue, "companies.opening_revision_review_email_send", revision.pk))
    return revision


@transaction.atomic
def opening_revision_withdraw(*, opening: Opening, by: User) -> OpeningRevision:
    """Take back an opening's changes awaiting review; the approved version stays as it is."""
    ensure_recruiter_of(by, opening.company)
    revision = (
        OpeningRevision.objects.select_for_update()
        .filter(opening=opening, status=OpeningRevision.Status.PENDING)
        .first()
    )
    if revision is None:
        raise ValidationError(_("This opening has no changes awaiting review."), code="nothing_pending")
    revision.status = OpeningRevision.Status.WITHDRAWN
    revision.save(update_fields=["status"])
    return revision
