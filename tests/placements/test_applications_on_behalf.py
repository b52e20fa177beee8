"""School staff answer for their students (/school/applications/…): withdraw, accept or decline
an offer, and record a hire agreed outside the portal, which shows the acceptance step."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from placements.models import Application, ApplicationEvent, Placement
from tests import factories as f

S = Application.Status


@pytest.fixture
def interviewing(world):
    opening = f.OpeningFactory(company=world.company_a, title="배터리 공정")
    return f.ApplicationFactory(student=world.student, opening=opening, status=S.INTERVIEW)


@pytest.fixture
def offered(world):
    now = timezone.now()
    return f.ApplicationFactory(
        student=world.student,
        opening=f.OpeningFactory(company=world.company_a),
        status=S.OFFERED,
        offered_at=now,
        offer_expires_at=now + datetime.timedelta(days=7),
    )


def _events(application):
    return list(application.events.order_by("at", "pk").values_list("from_status", "to_status", "by"))


def test_the_student_page_lists_the_applications_with_what_staff_may_do(
    school_a_staff, world, interviewing, offered
):
    page = school_a_staff.get(f"/school/students/{world.student.pk}/").content.decode()
    assert f'action="/school/applications/{offered.pk}/accept/"' in page
    assert f'action="/school/applications/{offered.pk}/decline/"' in page
    assert f'action="/school/applications/{interviewing.pk}/withdraw/"' in page
    assert f'href="/school/applications/{interviewing.pk}/outside-hire/"' in page
    assert f'action="/school/applications/{interviewing.pk}/accept/"' not in page


def test_staff_accept_an_offer_on_the_students_behalf(school_a_staff, world, offered):
    response = school_a_staff.post(f"/school/applications/{offered.pk}/accept/")
    assert response.status_code == 302
    assert response["Location"] == f"/school/students/{world.student.pk}/"
    offered.refresh_from_db()
    assert offered.status == S.ACCEPTED
    assert _events(offered) == [(S.OFFERED, S.ACCEPTED, world.school_a_staff.pk)]
    assert Placement.objects.get(student=world.student).application == offered


def test_staff_decline_and_withdraw_on_the_students_behalf(school_a_staff, world, offered, interviewing):
    school_a_staff.post(f"/school/applications/{offered.pk}/decline/")
    school_a_staff.post(f"/school/applications/{interviewing.pk}/withdraw/")
    offered.refresh_from_db()
    interviewing.refresh_from_db()
    assert (offered.status, interviewing.status) == (S.DECLINED, S.WITHDRAWN)


def test_a_hire_made_outside_the_portal_is_accepted_then_hired(school_a_staff, world, interviewing):
    response = school_a_staff.post(
        f"/school/applications/{interviewing.pk}/outside-hire/",
        {"starts_on": "2027-03-02", "student_agreed": "on", "note": "학생·보호자 동의서 제출 (3월 1일)"},
    )
    assert response.status_code == 302
    interviewing.refresh_from_db()
    assert interviewing.status == S.HIRED
    assert _events(interviewing) == [
        (S.INTERVIEW, S.ACCEPTED, world.school_a_staff.pk),
        (S.ACCEPTED, S.HIRED, world.school_a_staff.pk),
    ]
    assert "학생·보호자 동의서 제출 (3월 1일)" in interviewing.events.get(to_status=S.HIRED).note
    placement = Placement.objects.get(student=world.student)
    assert (placement.application, placement.starts_on) == (interviewing, datetime.date(2027, 3, 2))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"starts_on": "2027-03-02", "note": "전화로 확인"}, "student_agreed"),
        ({"starts_on": "2027-03-02", "student_agreed": "on", "note": "  "}, "note"),
        ({"student_agreed": "on", "note": "전화로 확인"}, "starts_on"),
    ],
)
def test_an_outside_hire_needs_the_date_the_agreement_and_a_note(
    school_a_staff, world, interviewing, data, field
):
    response = school_a_staff.post(f"/school/applications/{interviewing.pk}/outside-hire/", data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    interviewing.refresh_from_db()
    assert interviewing.status == S.INTERVIEW
    assert not Placement.objects.exists()
    assert not ApplicationEvent.objects.filter(application=interviewing).exists()


def test_other_people_cannot_act_for_the_student(
    school_b_staff, recruiter_a, student_user, official, world, interviewing, offered
):
    outside = f"/school/applications/{interviewing.pk}/outside-hire/"
    form = {"starts_on": "2027-03-02", "student_agreed": "on", "note": "동의"}
    assert school_b_staff.post(outside, form).status_code == 404
    assert school_b_staff.post(f"/school/applications/{offered.pk}/accept/").status_code == 404
    for client in (recruiter_a, student_user, official):
        assert client.post(outside, form).status_code == 403
        assert client.post(f"/school/applications/{offered.pk}/accept/").status_code == 403
    interviewing.refresh_from_db()
    offered.refresh_from_db()
    assert (interviewing.status, offered.status) == (S.INTERVIEW, S.OFFERED)


def test_no_outside_hire_once_the_company_decided(school_a_staff, world):
    rejected = f.ApplicationFactory(
        student=world.student, opening=f.OpeningFactory(company=world.company_a), status=S.REJECTED
    )
    response = school_a_staff.post(
        f"/school/applications/{rejected.pk}/outside-hire/",
        {"starts_on": "2027-03-02", "student_agreed": "on", "note": "동의"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    rejected.refresh_from_db()
    assert rejected.status == S.REJECTED
