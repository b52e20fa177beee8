"""The student's home after accepting an offer, the confirmation step of applying, and the
company dashboard's hires (issue 14, §2)."""

import datetime

import pytest
from django.utils import timezone

from placements.models import Application
from placements.services.applications import application_accept_offer, application_move, application_submit
from tests import factories as f
from tests.builders import opening_of

pytestmark = pytest.mark.django_db

S = Application.Status


def _accept(world, opening):
    application = application_submit(student=world.student, opening=opening, by=world.student_user)
    application_move(application=application, to_status=S.OFFERED, by=world.recruiter_a)
    application_accept_offer(application=application, by=world.student_user)
    return application


def _korean_date(day: datetime.date) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일"


# --- /me/ after accepting ------------------------------------------------------------------------


def test_home_after_accepting_a_job_that_starts_later(world, student_user):
    starts_on = timezone.localdate() + datetime.timedelta(days=55)
    opening = f.OpeningFactory(
        company=world.company_a, title="양극재 소성", starts_on=starts_on, monthly_salary_krw=2_600_000
    )
    other = application_submit(
        student=world.student, opening=f.OpeningFactory(company=world.company_b), by=world.student_user
    )
    application = _accept(world, opening)
    other.refresh_from_db()
    assert other.status == S.WITHDRAWN

    response = student_user.get("/me/")
    overview = response.context["overview"]
    assert (overview.open_applications, overview.offers) == (0, 0)
    job = overview.job
    assert (job.company, job.opening, job.starts_on, job.monthly_salary_krw, job.started) == (
        world.company_a.name,
        "양극재 소성",
        starts_on,
        2_600_000,
        False,
    )
    html = response.content.decode()
    assert f"{world.company_a.name}: {_korean_date(starts_on)}부터 근무 예정" in html
    assert "월 2,600,000원" in html
    assert f'href="/me/applications/#application-{application.pk}"' in html
    assert "진행 중인 지원 0건" in html


def test_home_once_the_job_has_started(world, student_user):
    starts_on = timezone.localdate() - datetime.timedelta(days=3)
    opening = f.OpeningFactory(
        company=world.company_a, starts_on=starts_on, apply_by=starts_on - datetime.timedelta(days=20)
    )
    offer = f.ApplicationFactory(
        student=world.student, opening=opening, status=S.OFFERED, offered_at=timezone.now()
    )
    application_accept_offer(application=offer, by=world.student_user)
    html = student_user.get("/me/").content.decode()
    assert f"{world.company_a.name}: {_korean_date(starts_on)}부터 근무 중" in html
    assert "근무 예정" not in html


def test_home_counts_only_open_applications(world, student_user):
    for status in (S.SUBMITTED, S.INTERVIEW, S.REJECTED, S.WITHDRAWN, S.DECLINED):
        f.ApplicationFactory(student=world.student, opening=opening_of(world.company_a), status=status)
    f.ApplicationFactory(
        student=world.student,
        opening=opening_of(world.company_b),
        status=S.OFFERED,
        offered_at=timezone.now(),
    )
    overview = student_user.get("/me/").context["overview"]
    assert (overview.open_applications, overview.offers, overview.job) == (3, 1, None)


# --- Applying: the confirmation step ----------------------------------------------------------


def test_the_confirmation_lists_what_the_student_misses(world, student_user):
    held = f.CertificationFactory(name="전기기능사")
    missing = f.CertificationFactory(name="위험물기능사")
    f.StudentCertificationFactory(student=world.student, certification=held)
    opening = opening_of(world.company_a)
    opening.required_certifications.set([held, missing])
    response = student_user.get(f"/me/openings/{opening.pk}/apply/")
    assert response.status_code == 200
    assert [r.label for r in response.context["fit"].missed] == ["위험물기능사"]
    html = response.content.decode()
    assert "아직 충족하지 못한 요건" in html and "위험물기능사" in html
    assert "아직 보유하지 않은 필수 자격증" in html
    assert not Application.objects.exists()  # GET only asks


def test_the_confirmation_says_when_nothing_is_missing(world, student_user):
    opening = opening_of(world.company_a)
    html = student_user.get(f"/me/openings/{opening.pk}/apply/").content.decode()
    assert "이 채용공고의 요건을 모두 충족합니다." in html


def test_applying_with_a_note_the_recruiter_reads(world, student_user, recruiter_a):
    opening = opening_of(world.company_a)
    response = student_user.post(
        "/me/applications/new/",
        {"opening": opening.pk, "note": "  현장실습에서 소성 설비를 다뤄 봤습니다.  "},
    )
    assert response["Location"] == "/me/applications/"
    application = Application.objects.get(student=world.student, opening=opening)
    assert application.note == "현장실습에서 소성 설비를 다뤄 봤습니다."
    page = recruiter_a.get(f"/company/applications/{application.pk}/").content.decode()
    assert "현장실습에서 소성 설비를 다뤄 봤습니다." in page
    assert "현장실습에서 소성 설비를 다뤄 봤습니다." in student_user.get("/me/applications/").content.decode()


def test_a_note_too_long_is_refused_on_the_confirmation_page(world, student_user):
    opening = opening_of(world.company_a)
    response = student_user.post("/me/applications/new/", {"opening": opening.pk, "note": "가" * 501})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["note"]
    assert not Application.objects.exists()


def test_the_confirmation_after_applying_links_to_the_application(world, student_user):
    opening = opening_of(world.company_a)
    application_submit(student=world.student, opening=opening, by=world.student_user)
    response = student_user.get(f"/me/openings/{opening.pk}/apply/")
    assert response.context["allowed"] is False
    assert "이 채용공고에 지원했습니다." in response.content.decode()


def test_other_roles_cannot_open_the_confirmation(world, recruiter_a, anonymous):
    opening = opening_of(world.company_a)
    assert recruiter_a.get(f"/me/openings/{opening.pk}/apply/").status_code == 403
    assert anonymous.get(f"/me/openings/{opening.pk}/apply/").status_code == 302


# --- The company's dashboard: hires ------------------------------------------------------------


def test_the_dashboard_shows_this_years_hires_against_the_pledge(world, recruiter_a):
    today = timezone.localdate()
    f.AgreementFactory(
        company=world.company_a,
        valid_from=datetime.date(today.year, 1, 1),
        valid_until=datetime.date(today.year, 12, 31),
        pledged_hires_per_year=4,
    )
    started = f.PlacementFactory(
        company=world.company_a, starts_on=datetime.date(today.year, 1, 2), student__name="이민준"
    )
    f.PlacementFactory(company=world.company_a, starts_on=datetime.date(today.year - 1, 3, 2))  # last year
    f.PlacementFactory(company=world.company_b, starts_on=datetime.date(today.year, 3, 2))  # another company
    response = recruiter_a.get("/company/")
    board = response.context["board"]
    assert (board.hires, board.pledged, board.pledge_percent) == (1, 4, 25)
    assert [(row["student__name"], row["started"]) for row in board.hire_rows] == [("이민준", True)]
    html = response.content.decode()
    assert 'data-testid="hires"' in html and "이민준" in html
    assert f"{_korean_date(started.starts_on)}부터 근무 중" in html
    assert "25%" in html
