"""Reads for school staff, students in field practice and the companies that host them.

Every selector is scoped by who asks, through `district.access`: school staff see their
own schools, a recruiter their company's field practices, a student their own practice.
`get_<entity>_for_user` answers 404 for what the user may not see, the same as missing.

Schools and departments are also public (`school_list_public`, `department_list_public`,
read by the API). The API's `/students/` reads `student_list_by_role`: officials see their
district's students, school staff their schools', recruiters those who applied to their
company, and a student only themselves; a recruiter sees contact details and the date of
birth only of students who accepted one of their offers.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from district import access
from district.models import Area, Certification, Membership, User
from schools.imports import Vocabulary
from schools.models import (
    CourseUnit,
    Department,
    FieldPractice,
    PracticeDiaryEntry,
    PracticeIncident,
    RosterImport,
    School,
    Student,
    StudentCertification,
    StudentInvitation,
    Teacher,
    TeacherTraining,
    TrainingCompletion,
)
from schools.visibility import hidden_student_fields

STUDENT_ROLE = Membership.Role.STUDENT


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Schools ------------------------------------------------------------------------


def school_list(*, user) -> QuerySet[School]:
    """The schools where the user is active staff."""
    return School.objects.filter(pk__in=access.school_ids(user)).select_related("district").order_by("name")


def get_school_for_user(user, pk) -> School:
    return _get(school_list(user=user), pk)


def school_list_public() -> QuerySet[School]:
    """Every school in the programme, of every district."""
    return School.objects.select_related("area").order_by("name", "pk")


# --- Students -----------------------------------------------------------------------


def student_list(*, user, filters: dict | None = None) -> QuerySet[Student]:
    """The staff member's students, with what the roster table shows.

    Filters: `department` (id), `graduation_year`, `status`, `q` (name or student number).
    """
    filters = filters or {}
    pending = StudentInvitation.objects.filter(
        student=OuterRef("pk"), used_at__isnull=True, expires_at__gt=timezone.now()
    )
    queryset = (
        Student.objects.filter(school_id__in=access.school_ids(user))
        .select_related("school", "department", "commute_area", "user")
        .annotate(has_pending_invitation=Exists(pending))
        .order_by("school__name", "-graduation_year", "student_number")
    )
    if filters.get("department"):
        queryset = queryset.filter(department_id=filters["department"])
    if filters.get("graduation_year"):
        queryset = queryset.filter(graduation_year=filters["graduation_year"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("q"):
        queryset = queryset.filter(
            Q(name__icontains=filters["q"]) | Q(student_number__icontains=filters["q"])
        )
    return queryset


def get_student_for_user(user, pk) -> Student:
    return _get(
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
    from placements.models import Application
    from schools.filters import StudentFilterSet

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
        .annotate(contact_visible=contact_visible)
        .order_by("school__name", "-graduation_year", "student_number", "pk")
    )
    if filters:
        queryset = StudentFilterSet(filters, queryset=queryset, user=user).qs
    return queryset


def roster_for_export(*, school: School) -> QuerySet[Student]:
    """Every student of one school with what the export writes (three queries however many students)."""
    return (
        Student.objects.filter(school=school)
        .select_related("department", "commute_area")
        .prefetch_related(
            Prefetch(
                "held_certifications",
                queryset=StudentCertification.objects.select_related("certification").order_by("acquired_on"),
            )
        )
        .order_by("student_number")
    )


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


def roster_vocabulary(*, school: School) -> Vocabulary:
    """The names a roster file may use for this school (three queries)."""
    areas: dict[str, int] = {}
    for pk, name, code in Area.objects.filter(district_id=school.district_id).values_list(
        "pk", "name", "code"
    ):
        areas[name] = pk
        areas[code.lower()] = pk
    certifications: dict[str, int] = {}
    for pk, name, code in Certification.objects.values_list("pk", "name", "qnet_code"):
        certifications[name] = pk
        if code:
            certifications[code] = pk
    return Vocabulary(
        departments=dict(Department.objects.filter(school=school).values_list("name", "pk")),
        areas=areas,
        certifications=certifications,
    )


def roster_import_list(*, user) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(school_id__in=access.school_ids(user)).select_related(
        "school", "created_by"
    )


def get_roster_import_for_user(user, pk) -> RosterImport:
    return _get(roster_import_list(user=user), pk)


# --- Invitations --------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> StudentInvitation | None:
    """The invitation a link's token belongs to, or None. Only the hash is compared."""
    if not token or len(token) > 100:
        return None
    return (
        StudentInvitation.objects.select_related("student__school", "student__user")
        .filter(token_hash=token_hash(token))
        .first()
    )


# --- Departments and curriculum -------------------------------------------------------


def department_list(*, user) -> QuerySet[Department]:
    return (
        Department.objects.filter(school_id__in=access.school_ids(user))
        .select_related("school", "segment", "replaced")
        .annotate(student_count=Count("students", filter=Q(students__status=Student.Status.ENROLLED)))
        .order_by("school__name", "-is_active", "name")
    )


def get_department_for_user(user, pk) -> Department:
    return _get(Department.objects.filter(school_id__in=access.school_ids(user)), pk)


def department_list_public() -> QuerySet[Department]:
    """Every department of every school in the programme."""
    return Department.objects.select_related("school", "segment").order_by("school__name", "name", "pk")


@dataclass(frozen=True)
class TimelineEvent:
    year: int
    kind: str  # "established" or "reorganised"
    department: Department
    replaced: Department | None = None


def department_timeline(departments) -> list[tuple[int, list[TimelineEvent]]]:
    """Years with what happened in each: departments opened, and which department replaced which."""
    events: dict[int, list[TimelineEvent]] = defaultdict(list)
    for department in departments:
        if department.replaced_id and department.reorganised_year:
            events[department.reorganised_year].append(
                TimelineEvent(department.reorganised_year, "reorganised", department, department.replaced)
            )
        elif department.established_year:
            events[department.established_year].append(
                TimelineEvent(department.established_year, "established", department)
            )
    return sorted(events.items(), reverse=True)


def course_unit_list(*, user, filters: dict | None = None) -> QuerySet[CourseUnit]:
    filters = filters or {}
    queryset = (
        CourseUnit.objects.filter(department__school_id__in=access.school_ids(user))
        .select_related("department__school", "ncs_unit")
        .prefetch_related("co_developers", "certifications")
        .order_by("department__school__name", "department__name", "grade_year", "title")
    )
    if filters.get("department"):
        queryset = queryset.filter(department_id=filters["department"])
    return queryset


def get_course_unit_for_user(user, pk) -> CourseUnit:
    return _get(CourseUnit.objects.filter(department__school_id__in=access.school_ids(user)), pk)


def curriculum_for_departments(*, department_ids) -> dict[int, list[CourseUnit]]:
    """Course units by department, with co-developers and the certifications they prepare for.

    For the public pathway pages (issue 4): three queries however many departments.
    """
    found: dict[int, list[CourseUnit]] = defaultdict(list)
    units = (
        CourseUnit.objects.filter(department_id__in=list(department_ids))
        .select_related("ncs_unit")
        .prefetch_related("co_developers", "certifications")
        .order_by("grade_year", "title")
    )
    for unit in units:
        found[unit.department_id].append(unit)
    return dict(found)


# --- Teachers and training ------------------------------------------------------------


def teacher_list(*, user) -> QuerySet[Teacher]:
    return (
        Teacher.objects.filter(school_id__in=access.school_ids(user))
        .select_related("school")
        .order_by("school__name", "name")
    )


def training_list(*, user) -> QuerySet[TeacherTraining]:
    """The district's trainings, with how many of the staff member's teachers completed each."""
    schools = access.school_ids(user)
    return (
        TeacherTraining.objects.filter(district__in=_district_ids_of(schools))
        .prefetch_related("co_hosts")
        .annotate(own_completions=Count("completions", filter=Q(completions__teacher__school_id__in=schools)))
        .order_by("-starts_on", "title")
    )


def get_training_for_user(user, pk) -> TeacherTraining:
    return _get(TeacherTraining.objects.filter(district__in=_district_ids_of(access.school_ids(user))), pk)


def _district_ids_of(school_ids):
    return School.objects.filter(pk__in=school_ids).values("district_id")


def training_hours_by_teacher(*, user) -> tuple[list[int], list[dict]]:
    """Hours of completed training per teacher per year (of completion), for the staff member's teachers."""
    rows = (
        TrainingCompletion.objects.filter(teacher__school_id__in=access.school_ids(user))
        .annotate(year=ExtractYear("completed_on"))
        .values("teacher_id", "year")
        .annotate(hours=Sum("hours"))
    )
    by_teacher: dict[int, dict[int, int]] = defaultdict(dict)
    years: set[int] = set()
    for row in rows:
        by_teacher[row["teacher_id"]][row["year"]] = row["hours"]
        years.add(row["year"])
    ordered_years = sorted(years, reverse=True)
    table = [
        {
            "teacher": teacher,
            "hours": [by_teacher.get(teacher.pk, {}).get(year, 0) for year in ordered_years],
            "total": sum(by_teacher.get(teacher.pk, {}).values()),
        }
        for teacher in teacher_list(user=user)
    ]
    return ordered_years, table


# --- Field practice ---------------------------------------------------------------------


def _practice_queryset() -> QuerySet[FieldPractice]:
    open_incidents = PracticeIncident.objects.filter(practice=OuterRef("pk"), reviewed_at__isnull=True)
    return FieldPractice.objects.select_related(
        "student__school", "student__department", "company", "safety_checked_by"
    ).annotate(has_open_incident=Exists(open_incidents))


def field_practice_list(*, user, filters: dict | None = None) -> QuerySet[FieldPractice]:
    """School staff: the field practices of their schools' students."""
    filters = filters or {}
    queryset = _practice_queryset().filter(student__school_id__in=access.school_ids(user))
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    return queryset.order_by("-starts_on", "pk")


def get_field_practice_for_user(user, pk) -> FieldPractice:
    return _get(_practice_queryset().filter(student__school_id__in=access.school_ids(user)), pk)


def company_practice_list(*, user) -> QuerySet[FieldPractice]:
    """A recruiter: the field practices their company hosts."""
    return (
        _practice_queryset()
        .filter(company_id__in=access.company_ids(user))
        .exclude(status=FieldPractice.Status.CANCELLED)
        .annotate(
            unacknowledged=Count("diary_entries", filter=Q(diary_entries__acknowledged_at__isnull=True))
        )
        .order_by("-starts_on", "pk")
    )


def get_company_practice_for_user(user, pk) -> FieldPractice:
    return _get(_practice_queryset().filter(company_id__in=access.company_ids(user)), pk)


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


def student_practice_list(*, user) -> QuerySet[FieldPractice]:
    """A student: their own field practices."""
    student = student_for_user(user)
    if student is None:
        return FieldPractice.objects.none()
    return _practice_queryset().filter(student=student).order_by("-starts_on")


def get_student_practice_for_user(user, pk) -> FieldPractice:
    return _get(student_practice_list(user=user), pk)


def diary_entries(*, practice: FieldPractice) -> QuerySet[PracticeDiaryEntry]:
    return practice.diary_entries.select_related("acknowledged_by").order_by("-week_starting")


def get_diary_entry(practice: FieldPractice, pk) -> PracticeDiaryEntry:
    return _get(practice.diary_entries.all(), pk)


def incidents(*, practice: FieldPractice) -> QuerySet[PracticeIncident]:
    return practice.incidents.select_related("reported_by", "reviewed_by").order_by("-reported_at")


def get_incident_for_user(user, pk) -> PracticeIncident:
    """School staff: an incident in one of their students' practices."""
    return _get(
        PracticeIncident.objects.filter(
            practice__student__school_id__in=access.school_ids(user)
        ).select_related("practice__student__school"),
        pk,
    )


@dataclass(frozen=True)
class IncidentRecipients:
    """Who to tell about an incident, by the page each can open: /school/ or the admin."""

    school_staff: list[str]
    officials: list[str]  # officials of the district who are not also the school's staff


def incident_recipients(*, practice: FieldPractice) -> IncidentRecipients:
    """The email addresses to tell about an incident: the school's staff and the district's officials."""

    school = practice.student.school
    staff = _member_emails(role=Membership.Role.SCHOOL_STAFF, school_id=school.pk)
    officials = _member_emails(role=Membership.Role.OFFICIAL, district_id=school.district_id) - staff
    return IncidentRecipients(school_staff=sorted(staff), officials=sorted(officials))


def _member_emails(**membership) -> set[str]:
    """Addresses of active users with an active membership matching `membership`."""
    # One filter() call, so that role, organisation and is_active hold on the same membership.
    lookups = {f"memberships__{key}": value for key, value in membership.items()}
    users = User.objects.filter(memberships__is_active=True, is_active=True, **lookups).exclude(email="")
    return set(users.values_list("email", flat=True))


def school_staff_emails(*, school_id: int) -> list[str]:
    """Addresses of the school's active staff, sorted (for notices about its students)."""
    return sorted(_member_emails(role=Membership.Role.SCHOOL_STAFF, school_id=school_id))


# --- Retention ----------------------------------------------------------------------------


def retention_list(*, user, filters: dict | None = None):
    """School staff: their graduates' placements with the 6- and 12-month records and reviews."""
    from placements.models import Placement

    filters = filters or {}
    queryset = (
        Placement.objects.filter(student__school_id__in=access.school_ids(user))
        .select_related("student__school", "student__department", "company")
        .prefetch_related("retention_reviews")
        .order_by("-starts_on", "pk")
    )
    if filters.get("graduation_year"):
        queryset = queryset.filter(student__graduation_year=filters["graduation_year"])
    return queryset


def get_placement_for_user(user, pk):
    from placements.models import Placement

    return _get(
        Placement.objects.filter(student__school_id__in=access.school_ids(user)).select_related(
            "student__school", "company"
        ),
        pk,
    )
