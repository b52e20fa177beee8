"""Officials verify or reject a company, and approve or reject an opening, from the object's own
admin page: the buttons run the list's actions on that row (the same services, history and
messages), rejection asks for the reason the recruiters read, and every change is a CSRF-checked POST."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client

from companies.models import Company, Opening
from tests import factories as f
from tests.builders import other_district

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NOT_OFFICIALS = ["school_a_staff", "recruiter_a", "coordinator", "student_user"]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def pending(world):
    company = f.CompanyFactory(
        district=world.district, name="대기배터리", verification="pending", verified_at=None
    )
    recruiter = f.UserFactory(username="new_recruiter", email="hr@daegi.example.kr")
    f.MembershipFactory(user=recruiter, district=world.district, role="company_recruiter", company=company)
    return company


@pytest.fixture
def submitted(world):
    return f.OpeningFactory(company=world.company_a, title="전극 공정 운영", status=Opening.Status.SUBMITTED)


def page(obj) -> str:
    return f"/admin/companies/{obj._meta.model_name}/{obj.pk}/change/"


# --- The company's page ---------------------------------------------------------------------------


def test_a_pending_company_page_has_verify_and_reject_buttons(pending, official):
    response = official.get(page(pending), **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["awaits_decision"] is True
    assert (
        f'<form method="post" action="/admin/companies/company/{pending.pk}/approve/" class="inline-form">'
    ) in html
    assert 'id="decision-approve">Verify</button>' in html
    assert (
        f'<a href="/admin/companies/company/{pending.pk}/reject/" class="button" id="decision-reject">'
        in html
    )
    assert "Use the “Verify” and “Reject” actions on the company list." not in html


def test_a_verified_company_page_has_no_buttons(world, official):
    response = official.get(page(world.company_a), **EN)
    assert response.context["awaits_decision"] is False
    assert 'id="decision-approve"' not in response.content.decode()


def test_verify_on_the_page_verifies_emails_and_comes_back(
    world, pending, official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(f"/admin/companies/company/{pending.pk}/approve/", **EN)
    assert (response.status_code, response["Location"]) == (302, page(pending))
    assert messages_of(response) == ["Verified 1 company."]
    pending.refresh_from_db()
    assert (pending.verification, pending.verified_by) == ("verified", world.official)
    assert [m.to for m in mail.outbox] == [["hr@daegi.example.kr"]]
    assert LogEntry.objects.get(object_id=str(pending.pk)).change_message == "Verified."


def test_reject_on_the_page_asks_for_the_reason_then_rejects(
    world, pending, official, django_capture_on_commit_callbacks
):
    url = f"/admin/companies/company/{pending.pk}/reject/"
    form = official.get(url, **EN)
    assert form.status_code == 200
    assert form.templates[0].name == "admin/reject_with_reason.html"
    assert "You are about to reject this company:" in form.content.decode()
    empty = official.post(url, {"apply": "yes", "reason": "  "}, **EN)
    assert empty.status_code == 200
    assert empty.context["form"].errors == {"reason": ["This field is required."]}
    pending.refresh_from_db()
    assert pending.verification == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        done = official.post(url, {"apply": "yes", "reason": "사업자등록증이 흐립니다."}, **EN)
    assert (done.status_code, done["Location"]) == (302, page(pending))
    assert messages_of(done) == ["Rejected 1 company."]
    pending.refresh_from_db()
    assert (pending.verification, pending.rejection_reason) == ("rejected", "사업자등록증이 흐립니다.")
    assert len(mail.outbox) == 1 and "사업자등록증이 흐립니다." in mail.outbox[0].body


def test_verifying_twice_reports_the_refusal(world, pending, official):
    first = official.post(f"/admin/companies/company/{pending.pk}/approve/", **EN)
    assert messages_of(first) == ["Verified 1 company."]
    official.get(first["Location"])  # the page shows the message, and it is gone
    again = official.post(f"/admin/companies/company/{pending.pk}/approve/", **EN)
    assert messages_of(again) == [
        "“대기배터리” cannot be verified: it is “Verified”, not awaiting verification."
    ]


def test_approving_needs_a_post(pending, official):
    assert official.get(f"/admin/companies/company/{pending.pk}/approve/").status_code == 405
    pending.refresh_from_db()
    assert pending.verification == "pending"


def test_the_buttons_are_csrf_protected(world, pending):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.official)
    assert client.post(f"/admin/companies/company/{pending.pk}/approve/").status_code == 403
    assert (
        client.post(
            f"/admin/companies/company/{pending.pk}/reject/", {"apply": "yes", "reason": "x"}
        ).status_code
        == 403
    )
    pending.refresh_from_db()
    assert pending.verification == "pending"


def test_another_districts_company_is_out_of_reach(world, official):
    foreign = f.CompanyFactory(district=other_district(), verification="pending", verified_at=None)
    assert official.post(f"/admin/companies/company/{foreign.pk}/approve/").status_code == 404
    assert official.get(f"/admin/companies/company/{foreign.pk}/reject/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.verification == "pending"


@pytest.mark.parametrize("persona", [*NOT_OFFICIALS, "anonymous"])
def test_non_officials_are_sent_to_the_login_page(request, pending, submitted, persona):
    client = request.getfixturevalue(persona)
    for url in (
        f"/admin/companies/company/{pending.pk}/approve/",
        f"/admin/companies/company/{pending.pk}/reject/",
        f"/admin/companies/opening/{submitted.pk}/approve/",
        f"/admin/companies/opening/{submitted.pk}/reject/",
    ):
        response = client.post(url, {"apply": "yes", "reason": "x"})
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/admin/login/"), url
    pending.refresh_from_db()
    submitted.refresh_from_db()
    assert (pending.verification, submitted.status) == ("pending", "submitted")


# --- The opening's page ---------------------------------------------------------------------------


def test_a_submitted_opening_page_has_approve_and_reject_buttons(submitted, official):
    html = official.get(page(submitted), **EN).content.decode()
    assert 'id="decision-approve">Approve and publish</button>' in html
    assert (
        f'<a href="/admin/companies/opening/{submitted.pk}/reject/" class="button" id="decision-reject">'
        in html
    )
    assert "This opening awaits review. Approving publishes it on the public site at once" in html


def test_approve_on_the_page_publishes_and_comes_back(
    world, submitted, official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(f"/admin/companies/opening/{submitted.pk}/approve/", **EN)
    assert (response.status_code, response["Location"]) == (302, page(submitted))
    assert messages_of(response) == ["Published 1 opening."]
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by) == ("published", world.official)
    assert [m.to for m in mail.outbox] == [[world.recruiter_a.email]]
    after = official.get(page(submitted), **EN)
    assert after.context["awaits_decision"] is False


def test_reject_on_the_page_sends_the_reason(world, submitted, official, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(
            f"/admin/companies/opening/{submitted.pk}/reject/",
            {"apply": "yes", "reason": "급여를 다시 확인해 주세요."},
            **EN,
        )
    assert (response.status_code, response["Location"]) == (302, page(submitted))
    assert messages_of(response) == ["Rejected 1 opening."]
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason) == ("rejected", "급여를 다시 확인해 주세요.")
    assert "급여를 다시 확인해 주세요." in mail.outbox[0].body


def test_approving_an_opening_of_an_unverified_company_is_refused_with_the_reason(world, official):
    company = f.CompanyFactory(
        district=world.district, name="미인증기업", verification="pending", verified_at=None
    )
    opening = f.OpeningFactory(company=company, title="설비 보전", status=Opening.Status.SUBMITTED)
    response = official.post(f"/admin/companies/opening/{opening.pk}/approve/", **EN)
    assert messages_of(response) == [
        "“설비 보전” cannot be published: its company “미인증기업” is not verified yet."
    ]
    opening.refresh_from_db()
    assert opening.status == "submitted"
    assert Company.objects.get(pk=company.pk).verification == "pending"
