"""The applicants of an opening: what the recruiter sees, filters, moves, hires, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.models import Application, ApplicationEvent, Placement
from placements.selectors.applications import APPLICANT_FIELDS, applicant_list, applicant_profiles
from schools.models import FieldPractice
from tests import factories as f
from tests.companies.conftest import apply

S = Application.Status


def url(opening):
    return f"/company/openings/{opening.pk}/applicants/"


@pytest.fixture
def contactable_student(world):
    student = world.student
    student.email = "haneul@example.kr"
    student.phone = "010-1234-5678"
    student.birth_date = datetime.date(2008, 5, 1)
    student.save()
    return student


# --- What a recruiter sees ----------------------------------------------------------------------


def test_the_row_has_exactly_the_agreed_fields(world, opening_a, application_a):
    """A snapshot: a new key here shows a recruiter more about a (often minor) student."""
    rows = applicant_profiles(applicant_list(user=world.recruiter_a, opening=opening_a))
    assert list(APPLICANT_FIELDS) == [
        "id",
        "status",
        "source",
        "submitted_at",
        "status_changed_at",
        "student_id",
        "student_name",
        "school_name",
        "department_name",
        "contact_visible",
        "email",
        "phone",
        "birth_date",
    ]
    assert set(rows[0]) == set(APPLICANT_FIELDS) | {"certifications", "field_practice"}


def test_contact_details_stay_hidden_until_an_offer_is_accepted(world, opening_a, contactable_student):
    application = apply(contactable_student, opening_a, status=S.INTERVIEW)
    (row,) = applicant_list(user=world.recruiter_a, opening=opening_a)
    assert row["contact_visible"] is False
    assert (row["email"], row["phone"], row["birth_date"]) == (None, None, None)
    assert row["student_name"] == "김하늘"
    assert row["school_name"] == "포항흥해공업고"
    assert row["department_name"] == "이차전지 시스템제어과"

    Application.objects.filter(pk=application.pk).update(status=S.ACCEPTED)
    (row,) = applicant_list(user=world.recruiter_a, opening=opening_a)
    assert row["contact_visible"] is True
    assert (row["email"], row["phone"], row["birth_date"]) == (
        "haneul@example.kr",
        "010-1234-5678",
        datetime.date(2008, 5, 1),
    )


def test_acceptance_at_another_company_reveals_nothing(world, opening_a, opening_b, contactable_student):
    apply(contactable_student, opening_a)
    apply(contactable_student, opening_b, status=S.HIRED)
    (row,) = applicant_list(user=world.recruiter_a, opening=opening_a)
    assert row["email"] is None and row["contact_visible"] is False


def test_the_page_shows_no_contact_details_before_acceptance(recruiter_a, opening_a, contactable_student):
    apply(contactable_student, opening_a)
    html = recruiter_a.get(url(opening_a)).content.decode()
    assert "김하늘" in html
    for secret in ("haneul@example.kr", "010-1234-5678", "2008-05-01"):
        assert secret not in html


def test_the_page_shows_contact_details_after_a_hire(recruiter_a, opening_a, contactable_student):
    apply(contactable_student, opening_a, status=S.HIRED)
    html = recruiter_a.get(url(opening_a)).content.decode()
    assert "haneul@example.kr" in html and "010-1234-5678" in html and "2008년 5월 1일" in html


def test_certifications_and_field_practice_are_shown(
    recruiter_a, world, opening_a, application_a, certification
):
    f.StudentCertificationFactory(student=world.student, certification=certification)
    f.FieldPracticeFactory(
        student=world.student,
        company=world.company_b,
        status=FieldPractice.Status.COMPLETED,
        safety_checked_on=datetime.date(2026, 6, 20),
    )
    f.FieldPracticeFactory(
        student=world.student, company=world.company_a, status=FieldPractice.Status.PLANNED
    )
    response = recruiter_a.get(url(opening_a))
    (row,) = response.context["page"].object_list
    assert row["certifications"] == ["위험물기능사"]
    assert [p["company"] for p in row["field_practice"]] == ["포스코퓨처엠"]  # planned practice is not shown


# --- Filters ----------------------------------------------------------------------------------


def test_filter_by_status_department_and_certification(recruiter_a, world, opening_a, certification):
    certified = f.StudentFactory(department=world.department_a, name="자격보유")
    f.StudentCertificationFactory(
        student=certified, certification=certification, number="23-001", verified_at=timezone.now()
    )
    other_school = f.StudentFactory(department=world.department_b, name="다른학과")
    # Holds it, but the school has not checked the certificate yet: the filter leaves it out.
    f.StudentCertificationFactory(student=other_school, certification=certification)
    apply(world.student, opening_a, status=S.INTERVIEW)
    apply(certified, opening_a)
    apply(other_school, opening_a)

    def names(query):
        response = recruiter_a.get(url(opening_a) + query)
        return sorted(row["student_name"] for row in response.context["page"].object_list)

    assert names("") == ["김하늘", "다른학과", "자격보유"]
    assert names("?status=interview") == ["김하늘"]
    assert names(f"?department={world.department_b.pk}") == ["다른학과"]
    assert names(f"?certification={certification.pk}") == ["자격보유"]
    assert names(f"?status=submitted&department={world.department_a.pk}") == ["자격보유"]
    # A bad value is ignored rather than failing the page.
    assert names("?status=nonsense") == ["김하늘", "다른학과", "자격보유"]


def test_empty_state(recruiter_a, opening_a):
    response = recruiter_a.get(url(opening_a))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


# --- Moving applicants on the page ---------------------------------------------------------------


def test_move_to_interview_then_offer_then_hired_after_the_students_acceptance(
    recruiter_a, student_user, world, opening_a, application_a
):
    back = url(opening_a)
    response = recruiter_a.post(
        f"/company/applications/{application_a.pk}/move/", {"to_status": S.INTERVIEW, "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    response = recruiter_a.post(f"/company/applications/{application_a.pk}/move/", {"to_status": S.OFFERED})
    assert response["Location"] == reverse("companies:applicant_list", args=[opening_a.pk])
    student_user.post(f"/me/applications/{application_a.pk}/accept/")
    response = recruiter_a.post(f"/company/applications/{application_a.pk}/move/", {"to_status": S.HIRED})
    assert response["Location"] == reverse("companies:applicant_list", args=[opening_a.pk])
    application_a.refresh_from_db()
    assert application_a.status == S.HIRED
    assert Placement.objects.filter(application=application_a, company=world.company_a).count() == 1
    assert list(
        ApplicationEvent.objects.filter(application=application_a)
        .order_by("at", "pk")
        .values_list("to_status", "by")
    ) == [
        (S.SUBMITTED, None),
        (S.INTERVIEW, world.recruiter_a.pk),
        (S.OFFERED, world.recruiter_a.pk),
        (S.ACCEPTED, world.student_user.pk),
        (S.HIRED, world.recruiter_a.pk),
    ]


@pytest.mark.parametrize("status", [S.SUBMITTED, S.REVIEWING, S.INTERVIEW, S.OFFERED])
def test_the_recruiter_cannot_hire_before_the_students_acceptance(recruiter_a, opening_a, world, status):
    """Regression (issue 12): the move form offered "hired" from any stage, which made a placement
    the student never accepted and showed the recruiter the minor's contact details."""
    application = apply(world.student, opening_a, status=status)
    page = recruiter_a.get(f"/company/applications/{application.pk}/")
    assert S.HIRED not in dict(page.context["form"].fields["to_status"].choices)
    listing = recruiter_a.get(url(opening_a))
    assert 'data-move="hired"' not in listing.content.decode()

    response = recruiter_a.post(f"/company/applications/{application.pk}/move/", {"to_status": S.HIRED})

    assert response.status_code == 200
    assert response.context["form"].has_error("to_status")
    application.refresh_from_db()
    assert application.status == status
    assert not Placement.objects.filter(student=world.student).exists()
    assert response.context["applicant"]["contact_visible"] is False


def test_a_foreign_next_url_is_ignored(recruiter_a, opening_a, application_a):
    response = recruiter_a.post(
        f"/company/applications/{application_a.pk}/move/",
        {"to_status": S.REVIEWING, "next": "https://evil.example.com/"},
    )
    assert response["Location"] == url(opening_a)


def test_rejecting_without_feedback_asks_for_it(recruiter_a, opening_a, application_a):
    response = recruiter_a.post(f"/company/applications/{application_a.pk}/move/", {"to_status": S.REJECTED})
    assert response.status_code == 200
    assert response.context["form"].has_error("note", "feedback_required")
    application_a.refresh_from_db()
    assert application_a.status == S.SUBMITTED


def test_rejecting_with_feedback(recruiter_a, opening_a, application_a):
    recruiter_a.post(
        f"/company/applications/{application_a.pk}/move/",
        {"to_status": S.REJECTED, "note": "교대 근무가 가능한 지원자를 찾고 있습니다."},
    )
    application_a.refresh_from_db()
    assert application_a.status == S.REJECTED
    assert application_a.feedback == "교대 근무가 가능한 지원자를 찾고 있습니다."


def test_an_impossible_move_is_refused(recruiter_a, opening_a, world):
    hired = apply(world.student, opening_a, status=S.HIRED)
    response = recruiter_a.post(f"/company/applications/{hired.pk}/move/", {"to_status": S.INTERVIEW})
    assert response.status_code == 200
    assert response.context["form"].has_error("to_status")
    hired.refresh_from_db()
    assert hired.status == S.HIRED


def test_application_page_shows_the_history(recruiter_a, world, application_a):
    recruiter_a.post(
        f"/company/applications/{application_a.pk}/move/", {"to_status": S.INTERVIEW, "note": "면접 안내"}
    )
    response = recruiter_a.get(f"/company/applications/{application_a.pk}/")
    assert response.status_code == 200
    events = list(response.context["events"])
    assert [e.to_status for e in events] == [S.SUBMITTED, S.INTERVIEW]
    assert events[1].by == world.recruiter_a
    assert "면접 안내" in response.content.decode()


# --- Query counts -------------------------------------------------------------------------------


def _fill(world, opening, count, certification):
    for n in range(count):
        student = f.StudentFactory(department=world.department_a, name=f"지원자{n}")
        f.StudentCertificationFactory(student=student, certification=certification)
        f.FieldPracticeFactory(
            student=student,
            company=world.company_b,
            status=FieldPractice.Status.COMPLETED,
            safety_checked_on=datetime.date(2026, 6, 20),
        )
        apply(student, opening, status=[S.SUBMITTED, S.INTERVIEW, S.HIRED][n % 3] if n < 2 else S.SUBMITTED)


def test_query_count_is_the_same_for_few_and_many_applicants(
    recruiter_a, world, opening_a, certification, django_assert_num_queries
):
    # 1 session, 2 user, 3 memberships, 4 the company, 5 the opening,
    # 6 department choices of the filter, 7 certification choices of the filter, 8 NCS unit
    # choices of the filter (the opening's job role's units),
    # 9 the page's rows, 10 their certifications, 11 their field practice, 12 the personal-data
    # access log of the page's applicants (one INSERT); and the count of all rows once they fill
    # more than a page (a last page's rows give the total: district.web.paginate).
    _fill(world, opening_a, 2, certification)
    with django_assert_num_queries(12):
        recruiter_a.get(url(opening_a))
    _fill(world, opening_a, 30, certification)
    with django_assert_num_queries(13):
        response = recruiter_a.get(url(opening_a))
    assert len(response.context["page"].object_list) == 25
