"""Departments and their timeline, curriculum units, teacher training, and constant query counts on lists."""

import datetime

import pytest
from django.urls import reverse

from schools.models import CourseUnit, Department, TeacherTraining, TrainingCompletion
from schools.selectors.curriculum import curriculum_for_departments
from tests import factories as f

D = datetime.date


# --- Departments ---------------------------------------------------------------------------


def test_a_reorganisation_closes_the_old_department_and_shows_on_the_timeline(school_a_staff, world):
    old = f.DepartmentFactory(school=world.school_a, name="전자기계과", established_year=1998)
    response = school_a_staff.post(
        reverse("schools:department_create"),
        {
            "name": "이차전지 전기설비과",
            "classes": 2,
            "students_per_year": 40,
            "replaced": old.pk,
            "reorganised_year": 2025,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    new = Department.objects.get(name="이차전지 전기설비과")
    old.refresh_from_db()
    assert (new.school, new.replaced, old.is_active) == (world.school_a, old, False)
    page = school_a_staff.get(reverse("schools:department_list"))
    timeline = page.context["timeline"]
    assert [year for year, _events in timeline] == [2025, 1998]
    assert [(e.kind, e.department, e.replaced) for e in timeline[0][1]] == [("reorganised", new, old)]


def test_a_department_of_another_school_cannot_be_named_as_replaced(school_a_staff, world):
    response = school_a_staff.post(
        reverse("schools:department_create"),
        {
            "name": "신설과",
            "classes": 1,
            "students_per_year": 20,
            "replaced": world.department_b.pk,
            "reorganised_year": 2025,
        },
    )
    assert response.status_code == 200 and "replaced" in response.context["form"].errors
    assert world.department_b.is_active


def test_a_reorganisation_without_its_year_is_refused(school_a_staff, world):
    old = f.DepartmentFactory(school=world.school_a)
    response = school_a_staff.post(
        reverse("schools:department_create"),
        {"name": "신설과", "classes": 1, "students_per_year": 20, "replaced": old.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "needs both the department it replaced and the year" in str(response.context["form"].errors)
    assert not Department.objects.filter(name="신설과").exists()


def test_a_cycle_of_replacements_is_refused(world):
    from django.core.exceptions import ValidationError

    from schools.services.curriculum import department_update

    a = f.DepartmentFactory(school=world.school_a, name="A과")
    b = f.DepartmentFactory(school=world.school_a, name="B과", replaced=a, reorganised_year=2024)
    with pytest.raises(ValidationError):
        department_update(department=a, by=None, replaced=b, reorganised_year=2025)


# --- Curriculum ------------------------------------------------------------------------------


def test_a_curriculum_unit_with_co_developers_and_certifications(school_a_staff, world):
    ncs = f.NcsUnitFactory(code="1901020306_13v1", name="리튬이온전지셀 조립")
    cert = f.CertificationFactory(name="전기기능사")
    response = school_a_staff.post(
        reverse("schools:course_unit_create"),
        {
            "department": world.department_a.pk,
            "ncs_unit": ncs.pk,
            "title": "코인셀·파우치셀 조립 실습",
            "hours": 68,
            "grade_year": 2,
            "co_developers": [world.company_a.pk, world.company_b.pk],
            "certifications": [cert.pk],
        },
    )
    assert response.status_code == 302
    unit = CourseUnit.objects.get()
    assert set(unit.co_developers.all()) == {world.company_a, world.company_b}
    assert list(unit.certifications.all()) == [cert]
    # The pathway pages read the units, with what they prepare for, per department.
    found = curriculum_for_departments(department_ids=[world.department_a.pk])
    assert found == {world.department_a.pk: [unit]}


def test_a_unit_cannot_go_into_another_schools_department(school_a_staff, world):
    response = school_a_staff.post(
        reverse("schools:course_unit_create"),
        {
            "department": world.department_b.pk,
            "ncs_unit": f.NcsUnitFactory().pk,
            "title": "x",
            "hours": 1,
            "grade_year": 1,
        },
    )
    assert response.status_code == 200 and "department" in response.context["form"].errors
    assert not CourseUnit.objects.exists()


def test_curriculum_for_departments_runs_three_queries(world, django_assert_num_queries):
    for _ in range(3):
        unit = CourseUnit.objects.create(
            department=world.department_a, ncs_unit=f.NcsUnitFactory(), title="u", hours=2
        )
        unit.co_developers.add(world.company_a)
    # units with their NCS unit, co-developers, certifications
    with django_assert_num_queries(3):
        curriculum_for_departments(department_ids=[world.department_a.pk, world.department_b.pk])


# --- Teacher training -----------------------------------------------------------------------------


def test_training_hours_per_teacher_per_year(school_a_staff, world):
    school_a_staff.post(reverse("schools:teacher_create"), {"name": "정교사", "subject": "전기"})
    school_a_staff.post(
        reverse("schools:training_create"),
        {
            "title": "이차전지 공정 연수",
            "provider": "포스코퓨처엠",
            "hours": 30,
            "starts_on": "2025-07-21",
            "ends_on": "2025-07-25",
        },
    )
    training = TeacherTraining.objects.get()
    assert training.district == world.district
    teacher = world.school_a.teachers.get()
    later = TeacherTraining.objects.create(
        district=world.district,
        title="BMS 심화",
        provider="한국폴리텍",
        hours=20,
        starts_on=D(2026, 1, 5),
        ends_on=D(2026, 1, 8),
    )
    url = reverse("schools:completion_create", args=[training.pk])
    assert (
        school_a_staff.post(
            url, {"teacher": teacher.pk, "completed_on": "2025-07-25", "hours": 28}
        ).status_code
        == 302
    )
    refused = school_a_staff.post(url, {"teacher": teacher.pk, "completed_on": "2025-07-25", "hours": 28})
    assert refused.status_code == 200  # already recorded
    too_many = school_a_staff.post(
        reverse("schools:completion_create", args=[later.pk]),
        {"teacher": teacher.pk, "completed_on": "2026-01-08", "hours": 21},
    )
    assert "hours" in too_many.context["form"].errors
    school_a_staff.post(
        reverse("schools:completion_create", args=[later.pk]),
        {"teacher": teacher.pk, "completed_on": "2026-01-08", "hours": 20},
    )
    page = school_a_staff.get(reverse("schools:training_list"))
    assert page.context["years"] == [2026, 2025]
    assert [(row["teacher"], row["hours"], row["total"]) for row in page.context["hours"]] == [
        (teacher, [20, 28], 48)
    ]


def test_another_schools_teacher_cannot_be_recorded(school_a_staff, world):
    from schools.models import Teacher

    other = Teacher.objects.create(school=world.school_b, name="타교사")
    training = TeacherTraining.objects.create(
        district=world.district,
        title="t",
        provider="p",
        hours=5,
        starts_on=D(2026, 1, 5),
        ends_on=D(2026, 1, 5),
    )
    response = school_a_staff.post(
        reverse("schools:completion_create", args=[training.pk]),
        {"teacher": other.pk, "completed_on": "2026-01-05", "hours": 5},
    )
    assert response.status_code == 200 and not TrainingCompletion.objects.exists()


# --- Query counts ------------------------------------------------------------------------------------


def _populate(world, n):
    from schools.models import FieldPractice, Teacher

    for i in range(n):
        dept = f.DepartmentFactory(school=world.school_a)
        student = f.StudentFactory(department=dept)
        f.StudentCertificationFactory(student=student)
        unit = CourseUnit.objects.create(department=dept, ncs_unit=f.NcsUnitFactory(), title=f"u{i}", hours=2)
        unit.co_developers.add(world.company_a)
        unit.certifications.add(f.CertificationFactory())
        teacher = Teacher.objects.create(school=world.school_a, name=f"t{i}")
        training = TeacherTraining.objects.create(
            district=world.district,
            title=f"t{i}",
            provider="p",
            hours=5,
            starts_on=D(2025, 1, 5),
            ends_on=D(2025, 1, 5),
        )
        training.co_hosts.add(world.company_a)
        TrainingCompletion.objects.create(
            training=training, teacher=teacher, completed_on=D(2025, 1, 5), hours=5
        )
        FieldPractice.objects.create(
            student=student,
            company=world.company_a,
            starts_on=D(2026, 7, 1),
            ends_on=D(2026, 8, 1),
            supervisor_name="s",
        )
        f.PlacementFactory(student=student, company=world.company_a, starts_on=D(2024, 3, 4))


# Every page: session, user, memberships (cached for the request), then its own queries. A page
# that holds the last rows needs no count (district.web.paginate): these lists fit on one page.
LIST_PAGES = [
    # + page of students (with department, area, user and a pending-invitation EXISTS), schools,
    #   departments for the filter, the personal-data access log of the page's students (one INSERT)
    ("schools:student_list", 7),
    # + departments with student counts
    ("schools:department_list", 4),
    # + page of units, co-developers, certifications
    ("schools:course_unit_list", 6),
    # + completion hours, teachers, page of trainings, co-hosts
    ("schools:training_list", 7),
    # + page of practices (with student, company and an open-incident EXISTS),
    #   the personal-data access log of the page's students (one INSERT)
    ("schools:practice_list", 5),
    # + page of placements, their reviews, the personal-data access log (one INSERT)
    ("schools:retention_list", 6),
    # + the roster imports
    ("schools:roster_import", 5),
]


@pytest.mark.parametrize(("name", "queries"), LIST_PAGES)
def test_list_pages_run_the_same_queries_for_few_and_many_rows(
    school_a_staff, world, django_assert_num_queries, name, queries
):
    _populate(world, 2)
    with django_assert_num_queries(queries):
        assert school_a_staff.get(reverse(name)).status_code == 200
    _populate(world, 20)
    with django_assert_num_queries(queries):
        assert school_a_staff.get(reverse(name)).status_code == 200


def test_the_company_practice_list_runs_constant_queries(recruiter_a, world, django_assert_num_queries):
    _populate(world, 2)
    # session, user, memberships, page of practices with unacknowledged counts (one page: no
    # count), the personal-data access log of the page's students (one INSERT)
    with django_assert_num_queries(5):
        recruiter_a.get(reverse("practice:list"))
    _populate(world, 20)
    with django_assert_num_queries(5):
        recruiter_a.get(reverse("practice:list"))


def test_the_roster_export_runs_constant_queries(school_a_staff, world, django_assert_num_queries):
    _populate(world, 2)
    # session, user, memberships, schools, students, their certifications, their attendance
    # (issue 15), the export log, the personal-data access log (one INSERT for every student)
    url = reverse("schools:roster_export") + "?purpose=현장실습 배치"
    with django_assert_num_queries(9):
        assert school_a_staff.get(url).status_code == 200
    _populate(world, 20)
    with django_assert_num_queries(9):
        assert school_a_staff.get(url).status_code == 200


def test_the_student_list_filters(school_a_staff, world):
    other = f.StudentFactory(department=world.department_a, name="박서준", cohort=2027)
    page = school_a_staff.get(reverse("schools:student_list"), {"q": "서준"}).context["page"]
    assert list(page) == [other]
    page = school_a_staff.get(reverse("schools:student_list"), {"cohort": 2026}).context["page"]
    assert list(page) == [world.student]
