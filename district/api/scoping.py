"""One way to say "the rows this user may see" for entities reached by several roles.

Selectors describe how their model reaches a district, a school, a company and a
student; `role_scope` turns the user's memberships (read through `district.access`)
into one `Q`. A user with no matching role gets a filter that matches nothing.
"""

from __future__ import annotations

from django.db.models import Q

from district import access
from district.models import Membership

NOTHING = Q(pk__in=[])


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
    account is the caller ("" for the `Student` model itself).
    """
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if getattr(user, "is_superuser", False):
        return Q()
    scope = NOTHING
    if district and (ids := access.official_district_ids(user)):
        scope |= Q(**{f"{district}_id__in": ids})
    if school and (ids := access.school_ids(user, Membership.Role.SCHOOL_STAFF)):
        scope |= Q(**{f"{school}_id__in": ids})
    if company and (ids := access.company_ids(user)):
        scope |= Q(**{f"{company}_id__in": ids})
    if student is not None and user.pk is not None and access.school_ids(user, Membership.Role.STUDENT):
        scope |= Q(**{f"{student}__user_id" if student else "user_id": user.pk})
    return scope
