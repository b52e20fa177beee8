"""Writes for personal data (PIPA): the access log, its purge, and anonymising former students.

- `record_access` writes one access-log row per student shown or exported, in one INSERT.
- `log_lookup` writes one row per search for a student by their details, found or not.
- `purge_access_log` deletes only rows older than PERSONAL_DATA_ACCESS_LOG_DAYS (>= 2 years).
- `personal_data_retention_run` is the nightly task's work: the purge, then the anonymisation.
- `anonymise_graduates` anonymises students STUDENT_RETENTION_YEARS after graduation, one
  student per transaction, unless a placement or a credit-programme enrolment is still active.
  Each app removes its own data through the anonymiser it registered (`privacy.registry`).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy import selectors
from privacy.audit import HIDDEN
from privacy.models import PersonalDataAccess
from privacy.registry import Anonymisation, anonymisers

PURPOSE_MAX_LENGTH = 200


def clean_purpose(purpose: str | None) -> str:
    """The stated purpose of an export, required: PIPA asks why personal data leaves the portal."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError(
            {
                "purpose": _(
                    "State the purpose of this export: it is recorded in the personal-data access log."
                )
            },
            code="required",
        )
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise ValidationError(
            {"purpose": _("Keep the purpose under %(max)d characters.") % {"max": PURPOSE_MAX_LENGTH}},
            code="max_length",
        )
    return purpose


def _client_ip(request) -> str | None:
    from district.exports import client_ip

    return client_ip(request)


def record_access(
    *,
    request,
    students: Iterable,
    what: str,
    kind: str = PersonalDataAccess.Kind.VIEW,
    purpose: str = "",
) -> int:
    """Log that `request.user` saw (or exported) the personal data of `students`; returns the rows written.

    `students` are Student instances or ids. A student looking at their own record is not
    logged; nothing is written for an anonymous request or an empty page. An export must
    state its purpose (`clean_purpose`). One INSERT for the whole page.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return log_access(
        user=user, ip_address=_client_ip(request), students=students, what=what, kind=kind, purpose=purpose
    )


def log_access(
    *,
    user,
    ip_address: str | None,
    students: Iterable,
    what: str,
    kind: str = PersonalDataAccess.Kind.VIEW,
    purpose: str = "",
) -> int:
    """`record_access` for a service that has no request, such as an export built by a service."""
    if kind == PersonalDataAccess.Kind.EXPORT:
        purpose = clean_purpose(purpose)
    seen: set[int] = set()
    ids: list[int] = []
    for student in students:
        pk = getattr(student, "pk", student)
        if pk is None or pk in seen or getattr(student, "user_id", None) == user.pk:
            continue
        seen.add(pk)
        ids.append(pk)
    if not ids:
        return 0
    now = timezone.now()
    rows = [
        PersonalDataAccess(
            at=now,
            user_id=user.pk,
            ip_address=ip_address,
            student_id=pk,
            kind=kind,
            what=what[:100],
            purpose=purpose[:PURPOSE_MAX_LENGTH],
        )
        for pk in ids
    ]
    PersonalDataAccess.objects.bulk_create(rows)
    return len(rows)


def log_lookup(*, user, ip_address: str | None, student, what: str) -> PersonalDataAccess:
    """Log one search for a student by their details (the enrolment form's look-up), found or not.

    A search that found somebody names them; one that found nobody has no "whose data" (the
    column allows it, as for an anonymised student). Every attempt is logged, so a run of
    misses, which is what probing for students looks like, shows who searched, when and from where.
    """
    return PersonalDataAccess.objects.create(
        user_id=user.pk,
        ip_address=ip_address,
        student_id=getattr(student, "pk", None),
        kind=PersonalDataAccess.Kind.VIEW,
        what=what[:100],
    )


def purge_access_log(*, now: datetime.datetime | None = None, batch_size: int = 5000) -> int:
    """Delete access-log rows older than PERSONAL_DATA_ACCESS_LOG_DAYS, in batches; returns how many."""
    days = settings.PERSONAL_DATA_ACCESS_LOG_DAYS
    if days < 730:  # the system check refuses this too; never purge early, whatever the settings say
        raise ValidationError(f"PERSONAL_DATA_ACCESS_LOG_DAYS must be at least 730, got {days}")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted = 0
    while True:
        ids = list(PersonalDataAccess.objects.filter(at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        deleted += PersonalDataAccess.objects.filter(pk__in=ids).delete()[0]


def personal_data_retention_run() -> dict[str, int]:
    """The nightly retention work: purge the old access log, then anonymise the graduates who are due."""
    purged = purge_access_log()
    result = anonymise_graduates()
    return {
        "access_rows_purged": purged,
        "students_anonymised": result.anonymised,
        "students_held": result.held,
    }


# --- Anonymising former students ------------------------------------------------------------------


@dataclass(frozen=True)
class AnonymisationResult:
    due: int  # past the retention period and nothing active: anonymised, or would be on a dry run
    held: int  # past the retention period but a placement or an enrolment is still active
    anonymised: int


def anonymise_graduates(
    *, today: datetime.date | None = None, dry_run: bool = False, batch_size: int = 200
) -> AnonymisationResult:
    """Anonymise every student whose retention period has passed. Safe to run again: it does nothing twice.

    Students are read in batches of ids and each one is anonymised in its own transaction,
    after locking its row and checking again, so a placement made in the meantime holds it back.
    """
    today = today or timezone.localdate()
    due = selectors.students_due_for_anonymisation(today=today)
    held = selectors.students_held_from_anonymisation(today=today).count()
    if dry_run:
        return AnonymisationResult(due=due.count(), held=held, anonymised=0)
    done = 0
    tried: set[int] = set()
    while True:
        batch = list(due.exclude(pk__in=tried).values_list("pk", flat=True)[:batch_size])
        if not batch:
            break
        for student_id in batch:
            tried.add(student_id)
            if anonymise_student(student_id=student_id, today=today):
                done += 1
    return AnonymisationResult(due=done, held=held, anonymised=done)


def anonymise_student(*, student_id: int, today: datetime.date | None = None) -> bool:
    """Anonymise one student if they are still due; False when there was nothing to do.

    Kept: the row itself and what the KPIs count (school, department, cohort, status,
    commute area, field of interest, certifications, placements and enrolments). Removed:
    name, student number, birth date, contact details, the user account's identity and
    password, invitations, free text about the student, the names and values in the audit
    trail, and the name in the stated purposes of the access log (who accessed and when stay).

    Steps, in one transaction:
    1. lock the student's row and check again that they are due (a placement made in the
       meantime holds them back);
    2. run every registered anonymiser (`privacy.registry`): each app removes its own data
       (schools the record itself, placements the free text about applications and placements);
    3. close the user account and its memberships;
    4. scrub the audit trail of every row the anonymisers reported;
    5. hide the removed values where a stated purpose in the access log copied them.

    Writes go through `QuerySet.update`, which django-auditlog does not record: a history
    entry of the anonymisation would otherwise copy the very values being removed.
    """
    from auditlog.models import LogEntry

    from district.models import Membership, User

    today = today or timezone.localdate()
    with transaction.atomic():
        student = (
            selectors.students_due_for_anonymisation(today=today)
            .select_for_update(of=("self",))
            .filter(pk=student_id)
            .first()
        )
        if student is None:
            return False
        anonymisation = Anonymisation(student=student)
        for anonymiser in anonymisers():
            if anonymiser.anonymise is not None:
                anonymiser.anonymise(anonymisation)

        user_id = student.user_id
        if user_id:
            User.objects.filter(pk=user_id).update(
                is_active=False,
                username=f"anonymised-{user_id}",
                email="",
                name="",
                first_name="",
                last_name="",
                password=make_password(None),
            )
            Membership.objects.filter(user_id=user_id).update(is_active=False)
            anonymisation.scrub_history(
                Membership, Membership.objects.filter(user_id=user_id).values_list("pk", flat=True)
            )

        # The audit trail: keep who did what to which row and when; drop names and values.
        content_types = ContentType.objects.get_for_models(*anonymisation.history)
        entries = []
        for model, ids in anonymisation.history.items():
            if ids:
                entries += list(
                    LogEntry.objects.select_related("content_type").filter(
                        content_type=content_types[model], object_id__in=ids
                    )
                )
        for entry in entries:
            entry.object_repr = f"{entry.content_type.model} #{entry.object_pk}"
            entry.changes = _scrubbed_changes(entry.changes)
            entry.changes_text = ""
            entry.serialized_data = None
            entry.additional_data = None
        if entries:
            LogEntry.objects.bulk_update(
                entries, ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"]
            )
        if user_id:
            LogEntry.objects.filter(actor_id=user_id).update(actor_email=None)

        # The access log: who accessed and when stay; a name copied into a stated purpose goes.
        accesses = PersonalDataAccess.objects.filter(student_id=student.pk)
        for old in anonymisation.removed:
            accesses.filter(purpose__contains=old).update(
                purpose=Replace("purpose", Value(old), Value(HIDDEN))
            )
    return True


def _scrubbed_changes(changes) -> dict | None:
    """The same fields, every value hidden: the trail still says what changed, never from what to what."""
    if isinstance(changes, str):  # older rows may hold the changes as JSON text
        try:
            changes = json.loads(changes)
        except ValueError:
            return None
    if not isinstance(changes, dict):
        return None
    return {field: [HIDDEN, HIDDEN] for field in changes}
