"""Who may do what: the one place that reads `Membership` rows.

Every selector, page, API view and admin class asks these helpers rather than reading
memberships itself, so that access has one definition.
"""

from __future__ import annotations

from django.db.models import Q

from district.models import Membership


def active_memberships(user) -> list[Membership]:
    """The user's active memberships, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, is_active=True))
        user._active_memberships = cached
    return cached


def official_district_ids(user) -> set[int]:
    """Districts in which the user is an official."""
    return {m.district_id for m in active_memberships(user) if m.role == Membership.Role.OFFICIAL}


def is_official(user) -> bool:
    return bool(official_district_ids(user))


def school_ids(user, role: str = Membership.Role.SCHOOL_STAFF) -> set[int]:
    return {m.school_id for m in active_memberships(user) if m.role == role}


def company_ids(user) -> set[int]:
    return {m.company_id for m in active_memberships(user) if m.role == Membership.Role.COMPANY_RECRUITER}


def university_ids(user) -> set[int]:
    return {
        m.university_id for m in active_memberships(user) if m.role == Membership.Role.UNIVERSITY_COORDINATOR
    }


def district_scope(user, district_lookup: str) -> Q:
    """A filter on `district_lookup` for the districts the user is an official of.

    Superusers see everything. Anyone else without an official membership gets a filter
    that matches nothing: the scope fails closed.
    """
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(**{f"{district_lookup}__in": official_district_ids(user)})
