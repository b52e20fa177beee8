"""The personal-data access log on the field-practice, retention and company-dashboard pages:
the right persona's page writes one row per student shown, in one INSERT; a persona refused
the page (another school, another company) writes nothing, and a student's own page is not logged."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.models import Application
from privacy.models import PersonalDataAccess
from tests import factories as f


def logged() -> set[tuple[int, int, str]]:
    return set(PersonalDataAccess.objects.values_list("user_id", "student_id", "what"))


def inserts_into_the_log(ctx) -> int:
    return sum('INSERT INTO "privacy_personaldataaccess"' in q["sql"] for q in ctx.captured_queries)


@pytest.fixture
def practices(world):
    """Two practices of school A's students at company A, and one of school B's at company B."""
    other = f.StudentFactory(department=world.department_a)
    return [
        f.FieldPracticeFactory(student=world.student, company=world.company_a),
        f.FieldPracticeFactory(student=other, company=world.company_a),
        f.FieldPracticeFactory(
            student=f.StudentFactory(department=world.department_b), company=world.company_b
        ),
    ]


# --- Field practice: school staff -----------------------------------------------------------------


def test_the_practice_list_logs_its_students_in_one_insert(school_a_staff, world, practices):
    with CaptureQueriesContext(connection) as ctx:
        assert school_a_staff.get(reverse("schools:practice_list")).status_code == 200
    assert inserts_into_the_log(ctx) == 1
    staff = world.school_a_staff.pk
    assert logged() == {
        (staff, practices[0].student_id, "schools:practice_list"),
        (staff, practices[1].student_id, "schools:practice_list"),
    }


def test_the_practice_page_logs_its_student(school_a_staff, world, practices):
    assert school_a_staff.get(reverse("schools:practice_detail", args=[practices[1].pk])).status_code == 200
    assert logged() == {(world.school_a_staff.pk, practices[1].student_id, "schools:practice_detail")}


def test_another_schools_staff_see_and_log_nothing_of_school_a(school_b_staff, world, practices):
    assert school_b_staff.get(reverse("schools:practice_detail", args=[practices[0].pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    assert school_b_staff.get(reverse("schools:practice_list")).status_code == 200
    # Only their own school's student.
    assert logged() == {(world.school_b_staff.pk, practices[2].student_id, "schools:practice_list")}


# --- Field practice: the host company ------------------------------------------------------------------


def test_the_company_practice_list_logs_the_companys_trainees(recruiter_a, world, practices):
    with CaptureQueriesContext(connection) as ctx:
        assert recruiter_a.get(reverse("practice:list")).status_code == 200
    assert inserts_into_the_log(ctx) == 1
    recruiter = world.recruiter_a.pk
    assert logged() == {
        (recruiter, practices[0].student_id, "practice:list"),
        (recruiter, practices[1].student_id, "practice:list"),
    }


def test_the_practice_diary_logs_its_student(recruiter_a, world, practices):
    assert recruiter_a.get(reverse("practice:diary", args=[practices[0].pk])).status_code == 200
    assert logged() == {(world.recruiter_a.pk, practices[0].student_id, "practice:diary")}


def test_another_companys_recruiter_sees_and_logs_nothing(recruiter_b, world, practices):
    assert recruiter_b.get(reverse("practice:diary", args=[practices[0].pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    assert recruiter_b.get(reverse("practice:list")).status_code == 200
    assert logged() == {(world.recruiter_b.pk, practices[2].student_id, "practice:list")}


def test_the_students_own_practice_page_is_not_logged(student_user, world, practices):
    assert student_user.get(reverse("me_practice:index")).status_code == 200
    assert not PersonalDataAccess.objects.exists()


# --- Retention (KEDI) ---------------------------------------------------------------------------------


@pytest.fixture
def placements(world):
    graduate = f.StudentFactory(department=world.department_a, cohort=2024)
    starts_on = datetime.date(2024, 3, 4)
    return [
        f.PlacementFactory(student=graduate, company=world.company_a, starts_on=starts_on),
        f.PlacementFactory(
            student=f.StudentFactory(department=world.department_b, cohort=2024),
            company=world.company_b,
            starts_on=starts_on,
        ),
    ]


def test_the_retention_list_logs_its_graduates(school_a_staff, world, placements):
    with CaptureQueriesContext(connection) as ctx:
        assert school_a_staff.get(reverse("schools:retention_list")).status_code == 200
    assert inserts_into_the_log(ctx) == 1
    assert logged() == {(world.school_a_staff.pk, placements[0].student_id, "schools:retention_list")}


def test_the_retention_review_form_logs_its_graduate(school_a_staff, world, placements):
    url = reverse("schools:retention_review", args=[placements[0].pk, 6])
    assert school_a_staff.get(url).status_code == 200
    assert logged() == {(world.school_a_staff.pk, placements[0].student_id, "schools:retention_review")}


def test_another_schools_staff_log_nothing_of_the_retention_pages(school_b_staff, world, placements):
    url = reverse("schools:retention_review", args=[placements[0].pk, 6])
    assert school_b_staff.get(url).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    assert school_b_staff.get(reverse("schools:retention_list")).status_code == 200
    assert logged() == {(world.school_b_staff.pk, placements[1].student_id, "schools:retention_list")}


# --- The company dashboard ----------------------------------------------------------------------------


def test_the_company_dashboard_logs_the_applicants_it_names(recruiter_a, recruiter_b, world):
    opening = f.OpeningFactory(company=world.company_a, status="published")
    new = f.ApplicationFactory(student=world.student, opening=opening, status=Application.Status.SUBMITTED)
    with CaptureQueriesContext(connection) as ctx:
        assert recruiter_a.get(reverse("companies:dashboard")).status_code == 200
    assert inserts_into_the_log(ctx) == 1
    assert logged() == {(world.recruiter_a.pk, new.student_id, "companies:dashboard")}
    PersonalDataAccess.objects.all().delete()
    # Company B's dashboard does not name company A's applicants.
    assert recruiter_b.get(reverse("companies:dashboard")).status_code == 200
    assert not PersonalDataAccess.objects.exists()
