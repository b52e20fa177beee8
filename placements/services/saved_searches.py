"""Writes of saved /openings/ searches and their daily email digest."""

from __future__ import annotations

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from district.models import District, User
from district.outbox import enqueue
from placements.models import Notification, SavedSearch
from placements.selectors.saved_searches import (
    describe_search,
    new_openings_for_search,
    normalised_querystring,
    saved_search_ids_due,
)
from placements.services.notifications import notification_create

logger = logging.getLogger(__name__)

# A student keeps at most this many saved searches.
MAX_SAVED_SEARCHES = 20
# A digest lists at most this many openings and links to the rest.
DIGEST_MAX_OPENINGS = 20


def saved_search_create(*, user: User, district: District, params, name: str = "") -> SavedSearch:
    """Save the openings filters in `params` under `name` (or a name made from the filters).

    The digest counts openings published from now on, so the first email never repeats
    what the student was looking at when they saved the search.
    """
    querystring = normalised_querystring(params, district=district)
    name = (name or "").strip()[:100] or describe_search(querystring, district=district)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        searches = SavedSearch.objects.filter(user=user)
        if searches.filter(querystring=querystring).exists():
            raise ValidationError({"name": _("You have already saved this search.")})
        if searches.count() >= MAX_SAVED_SEARCHES:
            raise ValidationError(
                {
                    "name": _("You can keep up to %(max)d saved searches; delete one first.")
                    % {"max": MAX_SAVED_SEARCHES}
                }
            )
        return SavedSearch.objects.create(
            user=user,
            name=name,
            querystring=querystring,
            last_notified_at=timezone.now(),
            unsubscribe_token=secrets.token_urlsafe(32),
        )


def saved_search_delete(*, saved_search: SavedSearch, by: User) -> None:
    saved_search.delete()


def saved_search_unsubscribe(*, saved_search: SavedSearch) -> SavedSearch:
    """Stop the email digest of a search (idempotent); the search itself stays on the student's page."""
    SavedSearch.objects.filter(pk=saved_search.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    saved_search.refresh_from_db(fields=["unsubscribed_at"])
    return saved_search


def saved_search_resubscribe(*, saved_search: SavedSearch, by: User) -> SavedSearch:
    """Turn the digest back on; openings published while it was off are not sent."""
    SavedSearch.objects.filter(pk=saved_search.pk, unsubscribed_at__isnull=False).update(
        unsubscribed_at=None, last_notified_at=timezone.now()
    )
    saved_search.refresh_from_db(fields=["unsubscribed_at", "last_notified_at"])
    return saved_search


def _student_district(user: User) -> District | None:
    student = getattr(user, "student", None)
    return student.school.district if student is not None else None


def saved_search_digests_enqueue() -> int:
    """Daily (beat): queue one digest task per saved search whose email is on. Returns how many."""
    ids = saved_search_ids_due()
    for saved_search_id in ids:
        enqueue("placements.saved_search_digest_send", saved_search_id)
    logger.info("queued %d saved-search digests", len(ids))
    return len(ids)


def saved_search_digest_send(*, saved_search_id: int, now: datetime.datetime | None = None) -> int:
    """Email the openings a saved search found since its last digest; returns messages sent (0 or 1).

    1. Read the search; skip it when its digest is off or its owner can no longer sign
       in as a student.
    2. Find the openings published in (last_notified_at, now].
    3. Nothing new: move last_notified_at to now and send nothing.
    4. Otherwise, in one transaction: claim the window with a conditional UPDATE (a
       redelivered or concurrent task finds it already moved and stops), add an in-portal
       notification, and send the email. A failed send rolls the claim back, so the
       retry sends the same openings rather than losing them.
    """
    now = now or timezone.now()
    search = (
        SavedSearch.objects.filter(pk=saved_search_id, unsubscribed_at__isnull=True)
        .select_related("user__student__school__district")
        .first()
    )
    if search is None or not search.user.is_active:
        return 0
    district = _student_district(search.user)
    if district is None:
        return 0
    since = search.last_notified_at or search.created_at
    openings = new_openings_for_search(saved_search=search, district=district, since=since, until=now)
    claim = SavedSearch.objects.filter(pk=search.pk, last_notified_at=search.last_notified_at)
    if not openings:
        claim.update(last_notified_at=now)
        return 0
    with transaction.atomic():
        if not claim.update(last_notified_at=now):
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            message = _digest_message(search, openings, district=district)
            notification_create(
                user=search.user,
                kind=Notification.Kind.SAVED_SEARCH,
                text=message.subject,
                url=f"{reverse('companies_public:opening_list')}?{search.querystring}",
            )
        if not search.user.email:
            return 0
        return message.send() or 0


def _digest_message(search: SavedSearch, openings: list, *, district: District) -> EmailMultiAlternatives:
    """The digest, from the student's district and with links to its site."""
    base = district.link("")
    unsubscribe_url = base + reverse("searches:unsubscribe", args=[search.unsubscribe_token])
    context = {
        "search": search,
        "openings": openings[:DIGEST_MAX_OPENINGS],
        "more": max(0, len(openings) - DIGEST_MAX_OPENINGS),
        "base_url": base,
        "search_url": f"{base}{reverse('companies_public:opening_list')}?{search.querystring}",
        "unsubscribe_url": unsubscribe_url,
    }
    subject = ngettext(
        "%(count)d new opening for “%(name)s”",
        "%(count)d new openings for “%(name)s”",
        len(openings),
    ) % {"count": len(openings), "name": search.name}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("placements/email/saved_search_digest.txt", context),
        from_email=district.sender,
        to=[search.user.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("placements/email/saved_search_digest.html", context), "text/html"
    )
    return message
