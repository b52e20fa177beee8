"""Reads of schools, departments and students for the API.

Schools and departments are public. Students are personal data, scoped by role:
officials see their district's, school staff their schools', recruiters those who
applied to their company, and a student only themselves. A recruiter sees contact
details and the date of birth only of students who accepted one of their offers.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value

from district import access
from district.api.scoping import role_scope
from placements.models import Application
from schools.models import Department, School, Student, StudentCertification

CONTACT_STATUSES = [Application.Status.ACCEPTED, Application.Status.HIRED]


def school_list_public() -> QuerySet[School]:
    return School.objects.select_related("area").order_by("name", "pk")


def department_list_public() -> QuerySet[Department]:
    return Department.objects.select_related("school", "segment").order_by("school__name", "name", "pk")


def student_list_by_role(*, user, filters: dict | None = None) -> QuerySet[Student]:
    """Students the user may see, each annotated with `contact_visible` (four queries a page).

    1. Officials, school staff and the student themselves through `role_scope`.
    2. Recruiters: students with an application to one of their company's openings,
       as a `pk IN (subquery)` so that several applications do not repeat the row.
    3. `contact_visible` is true for everyone but a recruiter, who sees contact details
       and the date of birth only once the student accepted one of their offers.
    """
    from schools.filters import StudentFilterSet

    scope = role_scope(user, district="school__district", school="school", student="")
    companies = access.company_ids(user)
    if companies and not user.is_superuser:
        applicants = Application.objects.filter(opening__company_id__in=companies).values("student_id")
        scope |= Q(pk__in=applicants)
    if access.is_official(user) or access.school_ids(user) or user.is_superuser or not companies:
        contact_visible = Value(True)
    else:
        contact_visible = Exists(
            Application.objects.filter(
                student=OuterRef("pk"), opening__company_id__in=companies, status__in=CONTACT_STATUSES
            )
        )
    queryset = (
        Student.objects.filter(scope)
        .select_related("school", "department", "field_of_interest", "commute_area")
        .prefetch_related(
            Prefetch(
                "held_certifications",
                queryset=StudentCertification.objects.select_related("certification").order_by("acquired_on"),
            )
        )
        .annotate(contact_visible=contact_visible)
        .order_by("school__name", "-graduation_year", "student_number", "pk")
    )
    if filters:
        queryset = StudentFilterSet(filters, queryset=queryset).qs
    return queryset
