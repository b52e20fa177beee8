"""What the schools pages share: who may open them, and the school a staff member works on."""

from __future__ import annotations

from district import access
from district.models import Membership
from district.web import role_required
from schools.selectors import schools as school_selectors
from schools.selectors.students import student_for_user

school_staff_required = role_required(lambda user: bool(access.school_ids(user)))
recruiter_required = role_required(lambda user: bool(access.company_ids(user)))
student_required = role_required(lambda user: bool(access.school_ids(user, role=Membership.Role.STUDENT)))
# The student's own pages: their record on `request.student` (the same rule as /me/, `student_for_user`).
own_student_required = role_required(student_for_user, attach="student")


def base_url(request) -> str:
    """The site's address as this request reached it, for links in emails."""
    return request.build_absolute_uri("/")


def school_from_query(request):
    """The school a staff member works on: ?school=<id>, else their first school."""
    schools = list(school_selectors.school_list(user=request.user))
    if request.GET.get("school"):
        return school_selectors.get_school_for_user(request.user, request.GET["school"])
    return schools[0]
