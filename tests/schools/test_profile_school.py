"""Issue 15 (school): the school reads its students' profiles (and their A4 print), sees who has
no 자기소개서, and reads the host company's evaluation of field practice, which the host writes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from district.cohorts import Cohort
from privacy.models import PersonalDataAccess
from schools.models import FieldPractice, SelfIntroduction
from tests import factories as f

pytestmark = pytest.mark.django_db

FINAL_YEAR = Cohort.in_final_year_on(timezone.localdate()).school_year


def profile_url(student, name="schools:student_profile"):
    return reverse(name, args=[student.pk])


def logged():
    return list(PersonalDataAccess.objects.order_by("pk").values_list("user__username", "student_id", "what"))


# --- The profile, read-only -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("schools:student_profile", "schools/student_profile.html"),
        ("schools:student_profile_print", "schools/profile_print.html"),
    ],
)
def test_staff_read_their_students_profile_and_each_read_is_logged(school_a_staff, world, name, template):
    SelfIntroduction.objects.create(student=world.student, growth="포항에서 자랐습니다.")
    response = school_a_staff.get(profile_url(world.student, name))
    assert response.status_code == 200
    used = [t.name for t in response.templates]
    assert (template in used, "schools/includes/profile_document.html" in used) == (True, True)
    document = response.context["document"]
    assert document["own"]["self_introduction"]["growth"] == "포항에서 자랐습니다."
    assert document["verified"]["school"] == "포항흥해공업고"
    assert "포항에서 자랐습니다." in response.content.decode()
    # Read-only: no form on the page.
    assert "<form" not in response.content.decode().split('id="profile-verified-title"')[1]
    assert logged() == [("staff_a", world.student.pk, name)]


@pytest.mark.parametrize("name", ["schools:student_profile", "schools:student_profile_print"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_b_staff", 404),
        ("recruiter_a", 403),
        ("student_user", 403),
        ("official", 403),
        ("anonymous", 302),
    ],
)
def test_others_cannot_read_the_profile_here(request, world, name, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(profile_url(world.student, name)).status_code == status
    assert logged() == []


def test_the_profile_refuses_post(school_a_staff, world):
    assert school_a_staff.post(profile_url(world.student)).status_code == 405


# --- Who has no 자기소개서 ---------------------------------------------------------------------


@pytest.fixture
def final_year(world):
    """Three students of school A in their final year: one wrote, one left only spaces, one has none."""
    wrote = f.StudentFactory(department=world.department_a, name="가작성", cohort=FINAL_YEAR)
    SelfIntroduction.objects.create(student=wrote, aspiration="현장 전문가가 되겠습니다.")
    blank = f.StudentFactory(department=world.department_a, name="나공백", cohort=FINAL_YEAR)
    SelfIntroduction.objects.create(student=blank, growth="   \n\t ")
    none = f.StudentFactory(department=world.department_a, name="다없음", cohort=FINAL_YEAR)
    # Not counted on the home page: another cohort, a student who left, another school.
    f.StudentFactory(department=world.department_a, name="라후배", cohort=FINAL_YEAR + 1)
    f.StudentFactory(department=world.department_a, name="마중단", cohort=FINAL_YEAR, status="left")
    f.StudentFactory(department=world.department_b, name="바타교", cohort=FINAL_YEAR)
    return wrote, blank, none


def _names(response):
    return sorted(student.name for student in response.context["page"])


def test_the_student_list_filters_on_the_self_introduction(school_a_staff, world, final_year):
    world.student.cohort = FINAL_YEAR
    world.student.save()
    url = reverse("schools:student_list")
    missing = school_a_staff.get(
        url, {"self_introduction": "missing", "cohort": FINAL_YEAR}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert _names(missing) == ["김하늘", "나공백", "다없음", "마중단"]
    written = school_a_staff.get(url, {"self_introduction": "written"})
    assert _names(written) == ["가작성"]
    assert 'data-self-introduction="written"' in written.content.decode()
    field = missing.context["filter_form"].fields["self_introduction"]
    with translation.override("en"):
        assert [str(label) for _, label in field.choices] == ["All", "Not written", "Written"]


def test_the_home_page_counts_the_final_year_with_no_self_introduction(school_a_staff, world, final_year):
    world.student.cohort = FINAL_YEAR + 1
    world.student.save()
    response = school_a_staff.get(reverse("schools:index"))
    nudge = response.context["no_introduction"]
    assert (nudge["count"], nudge["cohort"]) == (2, FINAL_YEAR)
    link = (
        reverse("schools:student_list")
        + f"?cohort={FINAL_YEAR}&amp;status=enrolled&amp;self_introduction=missing"
    )
    assert link in response.content.decode()
    listed = school_a_staff.get(reverse("schools:student_list"), nudge["filters"])
    assert _names(listed) == ["나공백", "다없음"]


def test_school_b_sees_only_its_own_count(school_b_staff, world, final_year):
    assert school_b_staff.get(reverse("schools:index")).context["no_introduction"]["count"] == 1


def test_the_api_filter_works_for_staff_and_is_ignored_for_recruiters(
    school_a_staff, recruiter_a, world, final_year
):
    url = reverse("api:student-list")
    found = school_a_staff.get(url, {"self_introduction": "written"}).json()["results"]
    assert [row["name"] for row in found] == ["가작성"]
    assert school_a_staff.get(url, {"self_introduction": "maybe"}).status_code == 400
    # A recruiter lists its applicants; whether one wrote a 자기소개서 is not theirs to filter on.
    wrote = final_year[0]
    f.ApplicationFactory(student=wrote, opening=f.OpeningFactory(company=world.company_a))
    listed = recruiter_a.get(url, {"self_introduction": "missing"}).json()["results"]
    assert [row["id"] for row in listed] == [wrote.pk]


# --- The host's evaluation of field practice ------------------------------------------------


@pytest.fixture
def practice(world):
    return f.FieldPracticeFactory(
        student=world.student,
        company=world.company_a,
        status="in_progress",
        safety_checked_on=datetime.date(2026, 6, 1),
        safety_checked_by=world.school_a_staff,
    )


def evaluate_url(practice):
    return reverse("practice:evaluate", args=[practice.pk])


def test_the_host_writes_its_evaluation_and_the_school_reads_it(recruiter_a, school_a_staff, world, practice):
    diary = recruiter_a.get(reverse("practice:diary", args=[practice.pk]))
    assert diary.context["can_evaluate"] is True
    response = recruiter_a.post(evaluate_url(practice), {"host_evaluation": "  성실하고 꼼꼼합니다.  "})
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("practice:diary", args=[practice.pk]),
    )
    practice.refresh_from_db()
    assert practice.host_evaluation == "성실하고 꼼꼼합니다."
    detail = school_a_staff.get(reverse("schools:practice_detail", args=[practice.pk])).content.decode()
    assert "성실하고 꼼꼼합니다." in detail
    profile = school_a_staff.get(profile_url(world.student)).context["document"]
    assert [p["evaluation"] for p in profile["verified"]["field_practice"]] == ["성실하고 꼼꼼합니다."]


def test_an_evaluation_over_300_characters_is_refused_and_kept_in_the_form(recruiter_a, practice):
    text = "가" * 301
    response = recruiter_a.post(evaluate_url(practice), {"host_evaluation": text}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["evaluation_form"].errors["host_evaluation"] == [
        "Ensure this value has at most 300 characters (it has 301)."
    ]
    assert response.context["evaluation_form"].data["host_evaluation"] == text
    practice.refresh_from_db()
    assert practice.host_evaluation == ""


@pytest.mark.parametrize("status", ["planned", "cancelled"])
def test_a_practice_not_started_cannot_be_evaluated(recruiter_a, practice, status):
    FieldPractice.objects.filter(pk=practice.pk).update(status=status)
    assert recruiter_a.get(reverse("practice:diary", args=[practice.pk])).context["can_evaluate"] is False
    response = recruiter_a.post(
        evaluate_url(practice), {"host_evaluation": "좋음"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.context["evaluation_form"].non_field_errors() == [
        "A practice can be evaluated once it has started."
    ]
    practice.refresh_from_db()
    assert practice.host_evaluation == ""


@pytest.mark.parametrize(
    ("persona", "status"),
    [("recruiter_b", 404), ("school_a_staff", 403), ("student_user", 403), ("anonymous", 302)],
)
def test_only_the_host_writes_the_evaluation(request, practice, persona, status):
    client = request.getfixturevalue(persona)
    assert client.post(evaluate_url(practice), {"host_evaluation": "남의 평가"}).status_code == status
    practice.refresh_from_db()
    assert practice.host_evaluation == ""
