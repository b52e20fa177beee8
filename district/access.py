"""Who may do what: the one place that reads `Membership` rows.

Every selector, page, API view and admin class asks these helpers rather than reading
memberships itself, so that access has one definition. `role_scope` turns the user's
memberships into one filter for entities reached by several roles (applications,
placements, students, matching runs).
"""

from __future__ import annotations

from django.db.models import Q

from district.models import Membership
from district.sites import site_district_id

# A filter that matches no row: what a scope answers when the user holds no fitting role.
NOTHING = Q(pk__in=[])


def _on_this_site(queryset):
    """Memberships that count on the current request's site: its district's, and the national role.

    Outside a request (tasks, commands, the shell) every membership counts.
    """
    district_id = site_district_id()
    if district_id is None:
        return queryset
    return queryset.filter(Q(district_id=district_id) | Q(district__isnull=True))


def active_memberships(user) -> list[Membership]:
    """The user's active memberships on this site, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(_on_this_site(Membership.objects.filter(user=user, is_active=True)))
        user._active_memberships = cached
    return cached


def inactive_roles(user) -> set[str]:
    """Roles of the user's inactive memberships, which grant nothing.

    An inactive recruiter membership is a request to join a company that awaits approval
    (or a withdrawn role); it only says where to send the user after logging in.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        _on_this_site(Membership.objects.filter(user=user, is_active=False)).values_list("role", flat=True)
    )


def official_district_ids(user) -> set[int]:
    """Districts in which the user is an official."""
    return {m.district_id for m in active_memberships(user) if m.role == Membership.Role.OFFICIAL}


def is_official(user) -> bool:
    return bool(official_district_ids(user))


def is_national_official(user) -> bool:
    """A Ministry of Education official: reads every district's dashboard and pack, changes nothing."""
    return any(m.role == Membership.Role.NATIONAL_OFFICIAL for m in active_memberships(user))


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


def role_scope(
    user,
    *,
    district: str | None = None,
    school: str | None = None,
    company: str | None = None,
    student: str | None = None,
) -> Q:
    """A filter for the rows `user` may see, OR-ed over the roles they hold.

    Each keyword is the lookup from the model to that organisation (for example
    ``district="student__school__district"``); a role whose lookup is not given sees
    nothing of this model. `student` is the lookup to the `Student` row whose user
    account is the caller ("" for the `Student` model itself). Anonymous callers and
    users with no fitting role get `NOTHING`: the scope fails closed.
    """
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if getattr(user, "is_superuser", False):
        return Q()
    scope = NOTHING
    if district and (ids := official_district_ids(user)):
        scope |= Q(**{f"{district}_id__in": ids})
    if school and (ids := school_ids(user, Membership.Role.SCHOOL_STAFF)):
        scope |= Q(**{f"{school}_id__in": ids})
    if company and (ids := company_ids(user)):
        scope |= Q(**{f"{company}_id__in": ids})
    if student is not None and user.pk is not None and (ids := school_ids(user, Membership.Role.STUDENT)):
        # Their own record at a school where they are a student on this site: a person who was a
        # student in two districts sees only this district's record here (issue 16), as
        # `schools.selectors.students.student_for_user` picks it.
        prefix = f"{student}__" if student else ""
        scope |= Q(**{f"{prefix}user_id": user.pk, f"{prefix}school_id__in": ids})
    return scope
