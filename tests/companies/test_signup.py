"""Company sign-up, the pending and rejected pages, verification emails and colleagues joining."""

import re
from html import unescape

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from companies.forms import CompanySignupForm, OpeningForm, RecruiterJoinForm
from companies.models import Company
from companies.services.verification import company_reject, company_verify
from district.models import Membership, User
from schools.forms import RosterUploadForm
from schools.models import School
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


def test_a_company_outside_the_district_is_not_local(anonymous, world, segment):
    anonymous.post(SIGNUP, signup_data(segment))
    assert Company.objects.get(business_number="1234567891").is_local is False


def test_passwords_must_match_and_be_strong(anonymous, world, segment):
    response = anonymous.post(SIGNUP, signup_data(segment, password2="something-else-2026"))
    assert response.context["form"].has_error("password2")
    response = anonymous.post(SIGNUP, signup_data(segment, password1="1234", password2="1234"))
    assert response.context["form"].has_error("password1")
    assert not Company.objects.filter(name="영일만배터리").exists()


# --- What a valid post answers: the same page, whatever was known -----------------------------
#
# A valid sign-up or join post always shows "check your inbox" and logs nobody in; whether the
# address had an account, or the number a company, is told only to the typed address.

SENT_TEXT = (
    "Check your inbox "
    "We have sent a message to {email}. It says what to do next. "
    "If it has not arrived within a few minutes, look in your spam folder. If it is not there "
    "either, check the address and fill in the form again."
)
NEW_ADDRESS = "hire@yeongilbattery.example.kr"
KNOWN_ADDRESS = "known@yeongilbattery.example.kr"


@pytest.fixture
def english(settings):
    """Pages and emails in English (emails use LANGUAGE_CODE), to compare exact text."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def answer(response) -> tuple[int, list[str], str]:
    """What the visitor gets: the status, the templates and the page's visible message."""
    html = response.content.decode()
    section = re.search(r'<section[^>]*id="check-your-inbox"[^>]*>(.*?)</section>', html, re.S)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", section.group(1))).split()) if section else html
    return response.status_code, [t.name for t in response.templates], text


# The header's links, rendered once and shown in the phone's menu and in the desk's row (templates/base.html).
HEADER_TEMPLATES = ["includes/nav.html", "includes/language_switch.html"]


def sent_to(email: str) -> tuple[int, list[str], str]:
    return (
        200,
        ["companies/signup_sent.html", "base.html", *HEADER_TEMPLATES],
        SENT_TEXT.format(email=email),
    )


def post(client, url, data):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def confirmation_path(message) -> str:
    """The path of the confirmation link in an email."""
    return re.search(r"http://[^/\s]+(/company/signup/confirm/[^\s]+/)", message.body).group(1)


@pytest.fixture
def known_account(db):
    return f.UserFactory(username="someone", email=KNOWN_ADDRESS)


SIGNUP_CASES = {
    # case: (the address typed, whether the business number is registered)
    "new address, new number": (NEW_ADDRESS, False),
    "new address, registered number": (NEW_ADDRESS, True),
    "known address, new number": (KNOWN_ADDRESS, False),
    "known address, registered number": (KNOWN_ADDRESS, True),
}


@pytest.mark.parametrize("case", list(SIGNUP_CASES))
def test_signup_answers_every_visitor_alike(
    anonymous, world, segment, known_account, english, case, django_capture_on_commit_callbacks
):
    email, registered = SIGNUP_CASES[case]
    if registered:
        f.CompanyFactory(district=world.district, business_number="1234567891", name="기존회사")
    users_before, companies_before = User.objects.count(), Company.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(anonymous, SIGNUP, signup_data(segment, email=email.upper()))
    assert answer(response) == sent_to(email)
    assert not logged_in(anonymous)
    assert [m.to for m in mail.outbox] == [[email]]
    message = mail.outbox[0]
    if email == KNOWN_ADDRESS:
        assert message.subject == "[Innovation District Portal] You already have an account"
        assert "tried to sign up a company on the Innovation District Portal with this email address" in (
            message.body
        )
        assert "Log in with it here: http://127.0.0.1:8000/accounts/login/" in message.body
        assert "set a new one here: http://127.0.0.1:8000/accounts/password_reset/" in message.body
        assert (User.objects.count(), Company.objects.count()) == (users_before, companies_before)
        known_account.refresh_from_db()
        assert known_account.is_active and known_account.check_password("correct-horse-battery-staple")
    elif registered:
        assert message.subject == "[Innovation District Portal] This company is already registered"
        assert "the business registration number 123-45-67891" in message.body
        assert "ask to join it here: http://127.0.0.1:8000/company/join/" in message.body
        assert "contact the 포항 district office" in message.body
        assert "기존회사" not in message.body
        assert (User.objects.count(), Company.objects.count()) == (users_before, companies_before)
    else:
        assert message.subject == "[Innovation District Portal] Confirm your email address"
        assert "To finish signing up 영일만배터리 on the Innovation District Portal" in message.body
        assert "The link works once, for 3 days." in message.body
        assert confirmation_path(message).startswith("/company/signup/confirm/")
        assert (User.objects.count(), Company.objects.count()) == (users_before + 1, companies_before + 1)


def test_a_new_signup_makes_an_inactive_account_and_tells_no_official_yet(
    anonymous, world, segment, area, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(SIGNUP, signup_data(segment, area))
    company = Company.objects.get(business_number="1234567891")
    assert company.verification == Company.Verification.PENDING
    assert company.district == world.district
    assert company.area == area and company.is_local
    user = User.objects.get(username=NEW_ADDRESS)
    assert (user.email, user.name, user.is_active, user.last_login) == (NEW_ADDRESS, "박채용", False, None)
    assert user.check_password("battery-cells-2026!")
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.COMPANY_RECRUITER
    assert membership.company == company and membership.is_active
    # Only the typed address hears of it; the officials are told once it is confirmed.
    assert [m.to for m in mail.outbox] == [[NEW_ADDRESS]]
    # The password does not open the account before the link is used.
    client = Client()
    assert (
        client.post(
            reverse("login"), {"username": NEW_ADDRESS, "password": "battery-cells-2026!"}
        ).status_code
        == 200
    )
    assert not logged_in(client)


def test_signing_up_again_before_confirming_sends_the_link_again(
    anonymous, world, segment, english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(SIGNUP, signup_data(segment))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            anonymous,
            SIGNUP,
            signup_data(
                segment, name="다른회사", password1="other-cells-2026!", password2="other-cells-2026!"
            ),
        )
    assert answer(response) == sent_to(NEW_ADDRESS)
    assert [m.subject for m in mail.outbox] == ["[Innovation District Portal] Confirm your email address"] * 2
    assert "To finish signing up 영일만배터리" in mail.outbox[1].body  # the first sign-up stands
    assert Company.objects.filter(business_number="1234567891").count() == 1
    assert User.objects.get(username=NEW_ADDRESS).check_password("battery-cells-2026!")


# --- The confirmation link ---------------------------------------------------------------------


def _signed_up(client, segment, capture):
    with capture(execute=True):
        client.post(SIGNUP, signup_data(segment))
    return confirmation_path(mail.outbox[-1])


def test_the_link_asks_first_then_confirms_and_logs_in_once(
    anonymous, world, segment, english, django_capture_on_commit_callbacks
):
    path = _signed_up(anonymous, segment, django_capture_on_commit_callbacks)
    user = User.objects.get(username=NEW_ADDRESS)
    # A GET (what a mail scanner does) shows a button and changes nothing.
    page = anonymous.get(path)
    assert page.status_code == 200
    assert page.context["confirm_user"] == user
    assert f"Confirm that {NEW_ADDRESS} is your address to finish and log in." in page.content.decode()
    user.refresh_from_db()
    assert not user.is_active and not logged_in(anonymous)

    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:dashboard")
    user.refresh_from_db()
    assert user.is_active
    # Lands where sign-up always landed: the page that says the company awaits verification.
    landing = visitor.get(reverse("companies:dashboard"))
    assert landing.context["state"] == "pending"
    assert [t.name for t in landing.templates][0] == "companies/status.html"
    # Now the officials are told.
    assert [m.to for m in mail.outbox[1:]] == [[world.official.email]]
    assert "영일만배터리" in mail.outbox[1].subject

    # The link works once.
    for method in (Client().get, Client().post):
        again = method(path)
        assert again.status_code == 200
        assert again.context["confirm_user"] is None
        assert "This link is no longer valid: it has been used or it has expired." in again.content.decode()
    assert len(mail.outbox) == 2


def test_the_new_recruiter_can_log_in_with_their_email_once_confirmed(
    anonymous, world, segment, django_capture_on_commit_callbacks
):
    path = _signed_up(anonymous, segment, django_capture_on_commit_callbacks)
    anonymous.post(path)
    client = Client()
    response = client.post(reverse("login"), {"username": NEW_ADDRESS, "password": "battery-cells-2026!"})
    assert response.status_code == 302
    assert client.get(reverse("after-login"))["Location"] == "/company/"


def test_an_expired_link_is_refused(anonymous, world, segment, settings, django_capture_on_commit_callbacks):
    from companies.tokens import signup_confirmation_token

    _signed_up(anonymous, segment, django_capture_on_commit_callbacks)
    user = User.objects.get(username=NEW_ADDRESS)
    made = signup_confirmation_token._num_seconds(signup_confirmation_token._now())
    expired = signup_confirmation_token._make_token_with_timestamp(
        user, made - settings.PASSWORD_RESET_TIMEOUT - 1, settings.SECRET_KEY
    )
    path = reverse("companies:signup_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)), expired])
    response = anonymous.post(path)
    assert (response.status_code, response.context["confirm_user"]) == (200, None)
    user.refresh_from_db()
    assert not user.is_active and not logged_in(anonymous)


def test_a_password_reset_token_or_another_uid_does_not_confirm(
    anonymous, world, segment, django_capture_on_commit_callbacks
):
    from django.contrib.auth.tokens import default_token_generator

    path = _signed_up(anonymous, segment, django_capture_on_commit_callbacks)
    user = User.objects.get(username=NEW_ADDRESS)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset = reverse("companies:signup_confirm", args=[uid, default_token_generator.make_token(user)])
    token = path.rstrip("/").rsplit("/", 1)[1]
    other = urlsafe_base64_encode(force_bytes(world.recruiter_a.pk))
    for bad in (
        reset,
        reverse("companies:signup_confirm", args=[other, token]),
        "/company/signup/confirm/x/y/",
    ):
        assert anonymous.post(bad).context["confirm_user"] is None
    user.refresh_from_db()
    assert not user.is_active


def test_a_link_cannot_bring_back_an_account_that_was_closed_later(
    anonymous, world, segment, django_capture_on_commit_callbacks
):
    path = _signed_up(anonymous, segment, django_capture_on_commit_callbacks)
    user = User.objects.get(username=NEW_ADDRESS)
    # Mail scanners and forwarded messages keep links: one taken before confirmation ...
    kept = path
    anonymous.post(path)
    User.objects.filter(pk=user.pk).update(is_active=False)  # an official closes the account
    response = Client().post(kept)
    assert response.context["confirm_user"] is None
    user.refresh_from_db()
    assert not user.is_active


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


JOIN_CASES = {
    # case: (the address typed, the company's verification, or None for an unknown number)
    "new address, verified company": ("colleague@example.kr", Company.Verification.VERIFIED),
    "new address, company awaiting verification": ("colleague@example.kr", Company.Verification.PENDING),
    "new address, rejected company": ("colleague@example.kr", Company.Verification.REJECTED),
    "new address, unknown number": ("colleague@example.kr", None),
    "known address, verified company": (KNOWN_ADDRESS, Company.Verification.VERIFIED),
}
NO_COMPANY_TEXT = (
    "Someone, perhaps you, has just asked to join a company on the Innovation District Portal with "
    "this email address and the business registration number 123-45-67891. No company with that "
    "number can take recruiters on the portal, so nothing was created."
)


@pytest.mark.parametrize("case", list(JOIN_CASES))
def test_join_answers_every_visitor_alike(
    anonymous, world, known_account, english, case, django_capture_on_commit_callbacks
):
    email, verification = JOIN_CASES[case]
    if verification is not None:
        company = f.CompanyFactory(district=world.district, business_number="1234567891")
        if verification != Company.Verification.VERIFIED:
            reason = "사업자등록증이 맞지 않습니다." if verification == Company.Verification.REJECTED else ""
            Company.objects.filter(pk=company.pk).update(
                verification=verification, rejection_reason=reason, verified_at=None
            )
    users_before = User.objects.count()
    data = join_data(world.company_a, business_number=VALID_NUMBER, email=email)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(anonymous, JOIN, data)
    assert answer(response) == sent_to(email)
    assert not logged_in(anonymous)
    assert [m.to for m in mail.outbox] == [[email]]
    message = mail.outbox[0]
    body = " ".join(message.body.split())
    if email == KNOWN_ADDRESS:
        assert message.subject == "[Innovation District Portal] You already have an account"
        assert "has just asked to join a company on the Innovation District Portal with this email" in body
        assert User.objects.count() == users_before
    elif verification in (None, Company.Verification.REJECTED):
        # One message for both: the inbox does not learn that the company was rejected.
        assert message.subject == "[Innovation District Portal] Your request to join a company"
        assert NO_COMPANY_TEXT in body
        assert "sign it up here: http://127.0.0.1:8000/company/signup/" in body
        assert "contact the 포항 district office." in body
        assert User.objects.count() == users_before
    else:
        assert message.subject == "[Innovation District Portal] Confirm your email address"
        assert (
            "To send your request to join the company with business registration number 123-45-67891 "
            "on the Innovation District Portal, confirm your email address with this link:"
        ) in body
        assert company.name not in body
        membership = Membership.objects.get(user__email=email)
        assert membership.company == company and not membership.is_active
        assert not membership.user.is_active


def test_a_colleague_confirms_asks_to_join_and_waits(anonymous, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(JOIN, join_data(world.company_a))
    # Nobody is asked before the address is confirmed.
    assert [m.to for m in mail.outbox] == [["colleague@example.kr"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(confirmation_path(mail.outbox[0]))
    assert response["Location"] == reverse("companies:dashboard")
    membership = Membership.objects.get(user__email="colleague@example.kr")
    assert membership.company == world.company_a and not membership.is_active
    assert membership.user.is_active
    # The company's first recruiter is asked.
    assert [m.to for m in mail.outbox[1:]] == [[world.recruiter_a.email]]
    page = anonymous.get("/company/")
    assert page.context["state"] == "awaiting_approval"
    # Nothing of the company is open to them yet.
    assert anonymous.get("/company/openings/").status_code == 403


def test_a_bad_number_on_the_join_form_is_still_a_field_error(anonymous, world):
    response = anonymous.post(JOIN, join_data(world.company_a, business_number="123-45-67890"))
    assert response.status_code == 200
    assert response.context["form"].has_error("business_number", "checksum")
    assert response.context["form"]["recruiter_name"].value() == "이동료"
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
    from companies.services.membership import recruiter_approve

    request = _join_request(world)
    recruiter_approve(membership=request, by=world.official)
    request.refresh_from_db()
    assert request.is_active


# --- After a refusal: what is kept, and what the page says about it ----------------------------

PASSWORDS_AGAIN = (
    "Please correct the fields marked below. Everything else you typed is kept; type the passwords again."
)


def _input(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


def test_a_refused_signup_keeps_every_field_but_the_passwords_and_says_so(anonymous, world, segment):
    area = f.AreaFactory(district=world.district, name="영일만")
    response = anonymous.post(
        SIGNUP,
        signup_data(segment, area=area, password2="something-else-2026"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="message message-error" role="alert">{PASSWORDS_AGAIN}</p>' in html
    assert 'value="영일만배터리"' in _input(html, "name")
    assert f'value="{VALID_NUMBER}"' in _input(html, "business_number")
    assert 'value="박채용"' in _input(html, "recruiter_name")
    assert 'value="Hire@YeongilBattery.example.kr"' in _input(html, "email")
    assert (_selected(html, "segment"), _selected(html, "area")) == ([str(segment.pk)], [str(area.pk)])
    assert "value=" not in _input(html, "password1")
    assert "value=" not in _input(html, "password2")


def test_a_refused_join_request_keeps_every_field_but_the_passwords_and_says_so(anonymous, world):
    response = anonymous.post(
        JOIN, join_data(world.company_a, password2="something-else-2026"), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert f'<p class="message message-error" role="alert">{PASSWORDS_AGAIN}</p>' in html
    assert 'value="이동료"' in _input(html, "recruiter_name")
    assert "value=" not in _input(html, "password1")


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            lambda world: CompanySignupForm({}, district=world.district),
            PASSWORDS_AGAIN,
        ),
        (lambda world: RecruiterJoinForm({}), PASSWORDS_AGAIN),
        (
            lambda world: OpeningForm({}, company=world.company_a),
            "Please correct the fields marked below. Nothing you typed is lost.",
        ),
        (
            lambda world: RosterUploadForm({}, schools=School.objects.all()),
            "Please correct the fields marked below. Everything else you typed is kept; "
            "choose the file again.",
        ),
    ],
)
def test_the_sentence_fits_the_forms_fields(world, form, expected):
    with translation.override("en"):
        rendered = Template("{% load district_forms %}{% kept_after_error form %}").render(
            Context({"form": form(world)})
        )
    assert rendered == expected
