"""Company sign-up, the pending and rejected pages, verification emails and colleagues joining."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from companies.models import Company
from companies.services import company_reject, company_verify
from district.models import Membership, User
from tests import factories as f

SIGNUP = "/company/signup/"
JOIN = "/company/join/"
VALID_NUMBER = "123-45-67891"  # a hyphenated number whose check digit is right


@pytest.fixture
def segment(db):
    return f.SegmentFactory(code="cathode", name="양극재")


def signup_data(segment, area=None, **overrides):
    data = {
        "name": "영일만배터리",
        "business_number": VALID_NUMBER,
        "segment": segment.pk,
        "area": area.pk if area else "",
        "recruiter_name": "박채용",
        "email": "Hire@YeongilBattery.example.kr",
        "password1": "battery-cells-2026!",
        "password2": "battery-cells-2026!",
    }
    data.update(overrides)
    return data


def test_the_valid_number_fixture_is_valid():
    from companies.validators import business_number_checksum_ok

    assert business_number_checksum_ok(VALID_NUMBER.replace("-", ""))


def test_signup_page_opens_for_a_visitor(anonymous, world):
    response = anonymous.get(SIGNUP)
    assert response.status_code == 200
    assert "business_number" in response.context["form"].fields


def test_signup_creates_a_pending_company_and_logs_the_recruiter_in(anonymous, world, segment, area):
    response = anonymous.post(SIGNUP, signup_data(segment, area))
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:dashboard")
    company = Company.objects.get(business_number="1234567891")
    assert company.verification == Company.Verification.PENDING
    assert company.district == world.district
    assert company.area == area and company.is_local
    user = User.objects.get(username="hire@yeongilbattery.example.kr")
    assert user.email == "hire@yeongilbattery.example.kr"
    assert user.name == "박채용"
    assert user.check_password("battery-cells-2026!")
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.COMPANY_RECRUITER
    assert membership.company == company and membership.is_active
    # The new recruiter is logged in and sees the pending page, not the dashboard.
    page = anonymous.get(reverse("companies:dashboard"))
    assert page.status_code == 200
    assert page.context["state"] == "pending"
    assert [t.name for t in page.templates][0] == "companies/status.html"


def test_signup_tells_the_officials(anonymous, world, segment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(SIGNUP, signup_data(segment))
    assert [m.to for m in mail.outbox] == [[world.official.email]]
    assert "영일만배터리" in mail.outbox[0].subject


def test_a_company_outside_the_district_is_not_local(anonymous, world, segment):
    anonymous.post(SIGNUP, signup_data(segment))
    assert Company.objects.get(business_number="1234567891").is_local is False


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("123-45-67890", "checksum"),  # wrong check digit
        ("12345", "format"),
        ("123-45-6789a", "format"),
        ("", "required"),
    ],
)
def test_bad_business_numbers_are_refused_on_their_field(anonymous, world, segment, number, code):
    response = anonymous.post(SIGNUP, signup_data(segment, business_number=number))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("business_number", code)
    assert not Company.objects.filter(name="영일만배터리").exists()
    assert not User.objects.filter(email="hire@yeongilbattery.example.kr").exists()


def test_a_registered_business_number_gets_a_clear_message_and_no_duplicate(anonymous, world, segment):
    f.CompanyFactory(district=world.district, business_number="1234567891", name="기존회사")
    with translation.override("en"):
        response = anonymous.post(SIGNUP, signup_data(segment), HTTP_ACCEPT_LANGUAGE="en")
        form = response.context["form"]
        assert "already registered" in str(form.errors["business_number"])
    assert form.has_error("business_number", "duplicate")
    assert Company.objects.filter(business_number="1234567891").count() == 1
    assert not User.objects.filter(email="hire@yeongilbattery.example.kr").exists()
    # What was typed is kept.
    assert response.context["form"]["name"].value() == "영일만배터리"


def test_an_email_that_has_an_account_is_refused(anonymous, world, segment):
    f.UserFactory(username="someone", email="hire@yeongilbattery.example.kr")
    response = anonymous.post(SIGNUP, signup_data(segment))
    assert response.context["form"].has_error("email", "email_taken")
    assert not Company.objects.filter(business_number="1234567891").exists()


def test_passwords_must_match_and_be_strong(anonymous, world, segment):
    response = anonymous.post(SIGNUP, signup_data(segment, password2="something-else-2026"))
    assert response.context["form"].has_error("password2")
    response = anonymous.post(SIGNUP, signup_data(segment, password1="1234", password2="1234"))
    assert response.context["form"].has_error("password1")
    assert not Company.objects.filter(name="영일만배터리").exists()


def test_the_new_recruiter_can_log_in_with_their_email(anonymous, world, segment):
    anonymous.post(SIGNUP, signup_data(segment))
    client = Client()
    response = client.post(
        reverse("login"), {"username": "hire@yeongilbattery.example.kr", "password": "battery-cells-2026!"}
    )
    assert response.status_code == 302
    assert client.get(reverse("after-login"))["Location"] == "/company/"


# --- Pending, verified, rejected ---------------------------------------------------------------


def _recruiter_of(company, username="hr"):
    user = f.UserFactory(username=username)
    f.MembershipFactory(
        user=user, district=company.district, role=Membership.Role.COMPANY_RECRUITER, company=company
    )
    client = Client()
    client.force_login(user)
    return user, client


def test_pending_recruiter_cannot_post(world, pending_company, opening_data):
    _user, client = _recruiter_of(pending_company)
    assert client.get("/company/openings/new/")["Location"] == "/company/"
    response = client.post("/company/openings/new/", opening_data())
    assert response.status_code == 302
    assert not pending_company.openings.exists()


def test_verification_emails_the_recruiter_and_opens_the_dashboard(
    world, pending_company, django_capture_on_commit_callbacks
):
    user, client = _recruiter_of(pending_company)
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=pending_company, by=world.official)
    assert [m.to for m in mail.outbox] == [[user.email]]
    response = client.get("/company/")
    assert response.status_code == 200
    assert "board" in response.context


def test_rejected_company_sees_the_reason_and_cannot_post(
    world, pending_company, opening_data, django_capture_on_commit_callbacks
):
    user, client = _recruiter_of(pending_company)
    with django_capture_on_commit_callbacks(execute=True):
        company_reject(company=pending_company, by=world.official, reason="사업자등록증 사본이 필요합니다.")
    assert "사업자등록증 사본이 필요합니다." in mail.outbox[0].body
    response = client.get("/company/")
    assert response.context["state"] == "rejected"
    assert "사업자등록증 사본이 필요합니다." in response.content.decode()
    client.post("/company/openings/new/", opening_data())
    assert not pending_company.openings.exists()


# --- Joining an existing company ----------------------------------------------------------------


def join_data(company, **overrides):
    data = {
        "business_number": company.business_number_display,
        "recruiter_name": "이동료",
        "email": "colleague@example.kr",
        "password1": "battery-cells-2026!",
        "password2": "battery-cells-2026!",
    }
    data.update(overrides)
    return data


def test_a_colleague_asks_to_join_and_waits(anonymous, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(JOIN, join_data(world.company_a))
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="colleague@example.kr")
    assert membership.company == world.company_a and not membership.is_active
    # The company's first recruiter is asked.
    assert [m.to for m in mail.outbox] == [[world.recruiter_a.email]]
    page = anonymous.get("/company/")
    assert page.context["state"] == "awaiting_approval"
    # Nothing of the company is open to them yet.
    assert anonymous.get("/company/openings/").status_code == 403


def test_joining_an_unknown_company_is_refused(anonymous, world):
    response = anonymous.post(JOIN, join_data(world.company_a, business_number=VALID_NUMBER))
    assert response.context["form"].has_error("business_number", "unknown_company")
    assert not User.objects.filter(email="colleague@example.kr").exists()


def _join_request(world, company=None):
    company = company or world.company_a
    user = f.UserFactory(username="colleague", email="colleague@example.kr")
    return f.MembershipFactory(
        user=user,
        district=world.district,
        role=Membership.Role.COMPANY_RECRUITER,
        company=company,
        is_active=False,
    )


def test_the_first_recruiter_approves_a_colleague(world, recruiter_a, django_capture_on_commit_callbacks):
    request = _join_request(world)
    team = recruiter_a.get("/company/team/")
    assert request in list(team.context["recruiters"]) and team.context["can_approve"]
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_a.post(f"/company/team/{request.pk}/approve/")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.is_active
    assert [m.to for m in mail.outbox] == [["colleague@example.kr"]]
    colleague = Client()
    colleague.force_login(request.user)
    assert colleague.get("/company/").context["company"] == world.company_a


def test_the_first_recruiter_declines_a_colleague(world, recruiter_a, django_capture_on_commit_callbacks):
    request = _join_request(world)
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_a.post(f"/company/team/{request.pk}/decline/")
    assert not Membership.objects.filter(pk=request.pk).exists()
    assert not User.objects.filter(email="colleague@example.kr").exists()
    assert [m.to for m in mail.outbox] == [["colleague@example.kr"]]


def test_a_later_recruiter_cannot_approve(world):
    request = _join_request(world)
    later, client = _recruiter_of(world.company_a, username="later")
    assert client.get("/company/team/").context["can_approve"] is False
    assert client.post(f"/company/team/{request.pk}/approve/").status_code == 404
    request.refresh_from_db()
    assert not request.is_active


def test_another_company_cannot_approve(world, recruiter_b):
    request = _join_request(world)
    assert recruiter_b.post(f"/company/team/{request.pk}/approve/").status_code == 404
    assert recruiter_b.post(f"/company/team/{request.pk}/decline/").status_code == 404
    request.refresh_from_db()
    assert not request.is_active


def test_an_official_may_approve_through_the_service(world):
    from companies.services import recruiter_approve

    request = _join_request(world)
    recruiter_approve(membership=request, by=world.official)
    request.refresh_from_db()
    assert request.is_active
