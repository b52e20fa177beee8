"""Which fields of a student a role sees on some rows only: the one declaration.

A recruiter lists the students who applied to their company, but sees their student
number, date of birth and contact details only once the student accepted one of the
company's offers. Three places read `hidden_student_fields`:

- `schools.selectors.student_list_by_role` annotates `contact_visible` row by row for a
  user who has hidden fields (and `True` for everyone else);
- `schools.api.serializers.StudentSerializer` nulls the hidden fields of the rows where
  `contact_visible` is false;
- `schools.filters.StudentFilterSet` neither searches nor sorts on them for that user,
  since a search or a sort on a field shown on some rows only reveals it on the others
  (prefix searches on the student number rebuilt a hidden number in 42 requests).
"""

from __future__ import annotations

from district import access
from district.models import Membership

# Student fields hidden from a role on the rows it may not fully see, by role.
HIDDEN_STUDENT_FIELDS: dict[str, frozenset[str]] = {
    Membership.Role.COMPANY_RECRUITER: frozenset({"student_number", "birth_date", "email", "phone"}),
}


def hidden_student_fields(user) -> frozenset[str]:
    """The Student fields hidden from `user` on at least one row of the students they may list.

    Officials, school staff and superusers see every field of every student in their reach,
    whatever other role they hold; a student sees only themselves. Anyone else gets the
    fields of HIDDEN_STUDENT_FIELDS for each of their active roles.
    """
    if getattr(user, "is_superuser", False) or access.is_official(user) or access.school_ids(user):
        return frozenset()
    hidden: frozenset[str] = frozenset()
    for membership in access.active_memberships(user):
        hidden |= HIDDEN_STUDENT_FIELDS.get(membership.role, frozenset())
    return hidden
