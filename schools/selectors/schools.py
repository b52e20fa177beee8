"""Reads of schools and of their staff: the schools a staff member works at, and who to email.

`get_or_404` is the one way the schools selectors turn an out-of-scope object into a 404,
the same answer as for a missing one.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from district import access
from district.models import Membership, User
from schools.models import School


def get_or_404(queryset: QuerySet, pk):
    """The object `pk` of `queryset`, or 404 when it is outside it (or `pk` is not a number)."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def school_list(*, user) -> QuerySet[School]:
    """The schools where the user is active staff."""
    return School.objects.filter(pk__in=access.school_ids(user)).select_related("district").order_by("name")


def get_school_for_user(user, pk) -> School:
    return get_or_404(school_list(user=user), pk)


def school_list_public() -> QuerySet[School]:
    """Every school in the programme, of every district."""
    return School.objects.select_related("area").order_by("name", "pk")


def member_emails(**membership) -> set[str]:
    """Addresses of active users with an active membership matching `membership`."""
    # One filter() call, so that role, organisation and is_active hold on the same membership.
    lookups = {f"memberships__{key}": value for key, value in membership.items()}
    users = User.objects.filter(memberships__is_active=True, is_active=True, **lookups).exclude(email="")
    return set(users.values_list("email", flat=True))


def school_staff_emails(*, school_id: int) -> list[str]:
    """Addresses of the school's active staff, sorted (for notices about its students)."""
    return sorted(member_emails(role=Membership.Role.SCHOOL_STAFF, school_id=school_id))
