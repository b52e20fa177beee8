"""Writes of in-portal notifications: the messages a user sees on their own page."""

from __future__ import annotations

from django.utils import timezone

from district.models import User
from placements.models import Notification


def notification_create(*, user: User, kind: str, text: str, url: str = "") -> Notification:
    """Add a notification for `user`.

    The text is stored as written, so callers write it in the district's language
    (`translation.override(settings.LANGUAGE_CODE)`), as they do for emails.
    """
    return Notification.objects.create(user=user, kind=kind, text=text[:500], url=url[:500])


def notifications_mark_read(*, user: User, ids=None) -> int:
    """Mark the user's unread notifications read: all of them, or those in `ids`. Returns how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
