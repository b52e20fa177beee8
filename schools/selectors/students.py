"""Reads of students: the staff's roster, a student's page, the API's `/students/`, and "which
student is this user" (`student_for_user`, the one copy of that rule).

The API's `/students/` reads `student_list_by_role`: officials see their district's
students, school staff their schools', recruiters those who applied to their company, and
a student only themselves; a recruiter sees contact details and the date of birth only of
students who accepted one of their offers. Applications live in placements, above this
app: they are reached through the student's `applications` relation, never imported.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils import timezone

from district import access
from district.cohorts import Cohort
from district.models import Membership
from schools.filters import StudentFilterSet, filter_by_self_introduction
from schools.models import FieldPractice, Student, StudentCertification, StudentInvitation
from schools.selectors.profile import self_introduction_written, students_without_self_introduction
from schools.selectors.schools import get_or_404
from schools.visibility import hidden_student_fields

STUDENT_ROLE = Membership.Role.STUDENT


def _application_model():
    """placements' Application, reached through the student's relation: schools sits below placements."""
    return Student._meta.get_field("applications").related_model


def student_list(*, user, filters: dict | None = None) -> QuerySet[Student]:
    """The staff member's students, with what the roster table shows.

    Filters: `department` (id), `cohort`, `status`, `q` (name or student number),
    `self_introduction` ("missing" or "written").
    """
    filters = filters or {}
    pending = StudentInvitation.objects.filter(
        student=OuterRef("pk"), used_at__isnull=True, expires_at__gt=timezone.now()
    )
    queryset = (
        Student.objects.filter(school_id__in=access.school_ids(user))
        .select_related("school", "department", "commute_area", "user")
        .annotate(has_pending_invitation=Exists(pending), has_self_introduction=self_introduction_written())
        .order_by("school__name", "-cohort", "student_number")
    )
    if filters.get("department"):
        queryset = queryset.filter(department_id=filters["department"])
    if filters.get("cohort"):
        queryset = queryset.filter(cohort=filters["cohort"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("q"):
        queryset = queryset.filter(
            Q(name__icontains=filters["q"]) | Q(student_number__icontains=filters["q"])
        )
    if filters.get("self_introduction"):
        queryset = filter_by_self_introduction(queryset, filters["self_introduction"])
    return queryset


def final_year_without_self_introduction(*, user, today) -> dict:
    """The school home's nudge (issue 15): the enrolled students of the cohort now in its final
    year who have no 자기소개서, counted, with the student list's filters that list them."""
    cohort = Cohort.in_final_year_on(today).school_year
    students = Student.objects.filter(
        school_id__in=access.school_ids(user), cohort=cohort, status=Student.Status.ENROLLED
    )
    return {
        "count": students_without_self_introduction(students).count(),
        "cohort": cohort,
        "filters": {"cohort": cohort, "status": Student.Status.ENROLLED, "self_introduction": "missing"},
    }


def get_held_certification(student: Student, pk) -> StudentCertification:
    """One of the student's certifications (404 for another student's)."""
    return get_or_404(student.held_certifications.select_related("certification", "verified_by"), pk)


def get_student_for_user(user, pk) -> Student:
    return get_or_404(
        Student.objects.filter(school_id__in=access.school_ids(user)).select_related(
            "school", "department", "commute_area", "field_of_interest", "user"
        ),
        pk,
    )


def student_list_by_role(*, user, filters: dict | None = None) -> QuerySet[Student]:
    """Students the user may see, each annotated with `contact_visible` (four queries a page).

    1. Officials, school staff and the student themselves through `access.role_scope`.
    2. Recruiters: students with an application to one of their company's openings,
       as a `pk IN (subquery)` so that several applications do not repeat the row.
    3. `contact_visible` is true for everyone but a user with `hidden_student_fields` (a
       recruiter), who sees them only once the student accepted one of their offers.
    """
    Application = _application_model()
    scope = access.role_scope(user, district="school__district", school="school", student="")
    companies = access.company_ids(user)
    if companies and not user.is_superuser:
        applicants = Application.objects.filter(opening__company_id__in=companies).values("student_id")
        scope |= Q(pk__in=applicants)
    if not hidden_student_fields(user):
        contact_visible = Value(True)
    else:
        contact_visible = Exists(
            Application.objects.filter(
                student=OuterRef("pk"),
                opening__company_id__in=companies,
                status__in=[Application.Status.ACCEPTED, Application.Status.HIRED],
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
        .annotate(contact_visible=contact_visible, has_self_introduction=self_introduction_written())
        .order_by("school__name", "-cohort", "student_number", "pk")
    )
    if filters:
        queryset = StudentFilterSet(filters, queryset=queryset, user=user).qs
    return queryset


def student_profile(*, student: Student) -> dict:
    """What the student's page shows beside the record: certifications, practice, invitations."""
    completed = completed_practice_company_ids(student_ids=[student.pk]).get(student.pk, set())
    return {
        "certifications": student.held_certifications.select_related("certification").order_by("acquired_on"),
        "practices": student.field_practices.select_related("company").order_by("-starts_on"),
        "completed_practice_companies": sorted(
            {p.company.name for p in student.field_practices.all() if p.company_id in completed}
        ),
        "invitations": student.invitations.order_by("-created_at")[:5],
    }


def student_for_user(user) -> Student | None:
    """The signed-in user's own student record, or None.

    The one rule for "which student is this user": an active student membership at the
    record's school. What the student's pages show is joined in.
    """
    schools = access.school_ids(user, role=STUDENT_ROLE)
    if not schools:
        return None
    return (
        Student.objects.filter(user=user, school_id__in=schools)
        .select_related("school__district", "department", "field_of_interest", "commute_area")
        .first()
    )


def completed_practice_company_ids(*, student_ids) -> dict[int, set[int]]:
    """For each student, the companies where they completed field practice, in one query.

    The matching engine raises a student's fit for these companies' openings.
    """
    found: dict[int, set[int]] = defaultdict(set)
    rows = (
        FieldPractice.objects.filter(student_id__in=list(student_ids), status=FieldPractice.Status.COMPLETED)
        .values_list("student_id", "company_id")
        .distinct()
    )
    for student_id, company_id in rows:
        found[student_id].add(company_id)
    return dict(found)
