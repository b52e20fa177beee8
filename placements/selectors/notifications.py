"""Reads of a user's own in-portal notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from placements.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's notifications, newest first (never anyone else's)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()
