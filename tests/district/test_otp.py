"""The second factor: enrolling an authenticator app, the code step at login, and the officials' rule.

Codes are real: computed from the device's key with django_otp.oath.totp, as a phone would.
"""

import base64
import re
import time

import pytest
from django.test import Client
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from district import security

PASSWORD = "a-long-enough-passphrase"
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/"


def code(device, steps_ahead=0) -> str:
    """The code the app shows now (or one step later: a code may not be used twice)."""
    device.refresh_from_db()
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{token:0{device.digits}d}"


def wrong(device) -> str:
    return f"{(int(code(device)) + 1) % 10**device.digits:0{device.digits}d}"


@pytest.fixture
def official_user(world):
    world.official.set_password(PASSWORD)
    world.official.save()
    return world.official


@pytest.fixture
def device(official_user):
    return TOTPDevice.objects.create(user=official_user, name="phone", confirmed=True)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def verified(client) -> bool:
    return "otp_device_id" in client.session


# --- Enrolment ----------------------------------------------------------------------------


def test_staff_enrol_with_a_qr_code_and_a_confirming_code(world, official):
    with translation.override("en"):
        page = official.get(SETUP, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    # The QR code is inline SVG; the only scripts are the site's own files (no inline code).
    assert "<svg" in body and re.findall(r"<script(?![^>]*\bsrc=)", body) == []
    device = TOTPDevice.objects.get(user=world.official)
    assert device.confirmed is False
    key_before = official.session.session_key

    response = official.post(SETUP, {"token": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    assert verified(official)
    assert official.session.session_key != key_before


def test_a_wrong_code_does_not_turn_it_on(world, official):
    official.get(SETUP)
    device = TOTPDevice.objects.get(user=world.official)
    with translation.override("en"):
        response = official.post(SETUP, {"token": wrong(device)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].has_error("token")
    assert "not right" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False and not verified(official)


def test_the_key_in_text_is_the_devices_key(world, official):
    page = official.get(SETUP)
    device = TOTPDevice.objects.get(user=world.official)
    typed = page.context["key_text"].replace(" ", "")
    assert base64.b32decode(typed + "=" * (-len(typed) % 8)) == device.bin_key


@pytest.mark.parametrize("persona", ["school_a_staff", "recruiter_a", "coordinator"])
def test_other_staff_may_opt_in(request, persona):
    assert request.getfixturevalue(persona).get(SETUP).status_code == 200


def test_students_cannot_enrol(student_user):
    assert student_user.get(SETUP).status_code == 403


def test_visitors_are_sent_to_log_in(anonymous):
    response = anonymous.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- The code step at login -----------------------------------------------------------------


def test_with_a_device_the_password_alone_does_not_log_in(device, official_user, client):
    response = client.post("/accounts/login/", {"username": official_user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not logged_in(client)
    start = client.get("/accounts/start/")
    assert start["Location"].startswith("/accounts/login/")
    assert client.get(VERIFY).status_code == 200


def test_the_right_code_logs_in_verified_with_a_new_session_key(device, official_user, client):
    client.post("/accounts/login/", {"username": official_user.username, "password": PASSWORD})
    pending_key = client.session.session_key
    response = client.post(VERIFY, {"token": code(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/start/"
    assert logged_in(client) and verified(client)
    assert client.session.session_key != pending_key
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_log_in(device, official_user, client):
    client.post("/accounts/login/", {"username": official_user.username, "password": PASSWORD})
    response = client.post(VERIFY, {"token": wrong(device)})
    assert response.status_code == 200 and response.context["form"].has_error("token")
    assert not logged_in(client)


def test_after_repeated_wrong_codes_even_the_right_one_waits(device, official_user, client):
    """django-otp's throttling: each wrong code doubles the wait (here 16 s after five)."""
    client.post("/accounts/login/", {"username": official_user.username, "password": PASSWORD})
    for _ in range(5):
        client.post(VERIFY, {"token": wrong(device)})
    client.post(VERIFY, {"token": code(device)})
    assert not logged_in(client)


def test_a_code_cannot_be_used_twice(device, official_user):
    first, second = Client(), Client()
    token = code(device)
    for client in (first, second):
        client.post("/accounts/login/", {"username": official_user.username, "password": PASSWORD})
    first.post(VERIFY, {"token": token})
    second.post(VERIFY, {"token": token})
    assert logged_in(first) and not logged_in(second)


def test_the_pending_step_expires(device, official_user, client):
    client.post("/accounts/login/", {"username": official_user.username, "password": PASSWORD})
    session = client.session
    session[security.PENDING_SESSION_KEY]["at"] = int(time.time()) - security.PENDING_SECONDS - 1
    session.save()
    response = client.post(VERIFY, {"token": code(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert not logged_in(client)


def test_the_code_page_without_a_password_step_sends_to_login(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_the_admin_login_asks_for_the_code_too(device, official_user, client):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": official_user.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not logged_in(client)
    response = client.post(VERIFY, {"token": code(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_without_a_device_the_password_logs_in_directly(official_user, client):
    response = client.post("/accounts/login/", {"username": official_user.username, "password": PASSWORD})
    assert response["Location"] == "/accounts/start/" and logged_in(client)


# --- Officials must use it when the deployment says so -----------------------------------------


@pytest.fixture
def require_otp(settings):
    settings.OFFICIALS_REQUIRE_OTP = True


def test_while_not_required_officials_get_in_with_a_password(official, settings):
    settings.OFFICIALS_REQUIRE_OTP = False
    assert official.get("/admin/").status_code == 200
    assert official.get("/dashboard/").status_code == 200


def test_required_an_official_without_a_device_is_sent_to_enrol(require_otp, official):
    response = official.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/?next=%2Fadmin%2F"
    assert response.status_code == 200 and "qr_svg" in response.context
    dashboard = official.get("/dashboard/?cohort=2025")
    assert dashboard.status_code == 302
    assert dashboard["Location"] == "/accounts/two-factor/?next=%2Fdashboard%2F%3Fcohort%3D2025"
    assert official.get("/dashboard/export/placements.csv").status_code == 302


def test_required_an_unverified_session_is_sent_to_the_code_page(require_otp, device, official):
    response = official.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == VERIFY + "?next=%2Fdashboard%2F"
    assert official.get("/admin/", follow=True).redirect_chain[-1][0] == VERIFY + "?next=%2Fadmin%2F"
    done = official.post(VERIFY + "?next=%2Fdashboard%2F", {"token": code(device)})
    assert done["Location"] == "/dashboard/"
    assert official.get("/dashboard/").status_code == 200
    assert official.get("/admin/").status_code == 200


def test_required_enrolling_opens_the_admin(require_otp, world, official):
    official.get(SETUP)
    device = TOTPDevice.objects.get(user=world.official)
    response = official.post(SETUP + "?next=/admin/", {"token": code(device)})
    assert response["Location"] == "/admin/"
    assert official.get("/admin/").status_code == 200


def test_required_does_not_touch_other_roles(require_otp, school_a_staff):
    assert school_a_staff.get("/school/").status_code == 200


def test_required_an_official_cannot_turn_it_off(require_otp, device, official_user, client):
    client.post("/accounts/login/", {"username": official_user.username, "password": PASSWORD})
    client.post(VERIFY, {"token": code(device)})
    assert client.post("/accounts/two-factor/remove/", {"token": code(device, 1)}).status_code == 403
    assert TOTPDevice.objects.filter(user=official_user).exists()


@pytest.fixture
def staff_with_device(world, school_a_staff):
    school_a_staff.get(SETUP)
    device = TOTPDevice.objects.get(user=world.school_a_staff)
    school_a_staff.post(SETUP, {"token": code(device)})
    return school_a_staff, device


def test_turning_it_off_with_a_current_code(staff_with_device):
    client, device = staff_with_device
    assert client.get("/accounts/two-factor/remove/").status_code == 405
    response = client.post("/accounts/two-factor/remove/", {"token": code(device, 1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_turning_it_off_with_a_wrong_code_is_refused(staff_with_device):
    client, device = staff_with_device
    response = client.post("/accounts/two-factor/remove/", {"token": wrong(device)})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_official_resets_a_lost_second_factor_from_the_admin(world, official):
    """The person who lost their phone logs in with the password again and enrols anew."""
    world.recruiter_a.set_password(PASSWORD)
    world.recruiter_a.save()
    lost = TOTPDevice.objects.create(user=world.recruiter_a, name="old phone", confirmed=True)
    response = official.post(
        "/admin/district/user/",
        {"action": "reset_second_factor", "_selected_action": [world.recruiter_a.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    client = Client()
    client.post("/accounts/login/", {"username": world.recruiter_a.username, "password": PASSWORD})
    assert logged_in(client)


def test_other_roles_cannot_reach_the_reset(world, recruiter_b):
    device = TOTPDevice.objects.create(user=world.recruiter_a, name="phone", confirmed=True)
    recruiter_b.post(
        "/admin/district/user/",
        {"action": "reset_second_factor", "_selected_action": [world.recruiter_a.pk]},
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# --- The API follows the same rule (issue 12) ---------------------------------------------------

SECOND_FACTOR_REFUSAL = {
    "detail": "Two-step verification is required: enter the code from your authenticator app first.",
    "code": "second_factor_required",
}


def test_required_the_api_refuses_an_unverified_officials_session(require_otp, world, official):
    from placements.models import MatchRun
    from tests import factories as f

    f.MatchRoundFactory(district=world.district, cohort=2026)
    for url in (
        "/api/v1/students/",
        "/api/v1/dashboard/summary/",
        "/api/v1/match-runs/",
        "/api/v1/openings/",  # public, but not through this session
    ):
        response = official.get(url, headers={"Accept-Language": "en"})
        assert (response.status_code, response.json()) == (403, SECOND_FACTOR_REFUSAL), url
    start = official.post(
        "/api/v1/match-runs/",
        {"district": "pohang", "cohort": 2026},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert (start.status_code, start.json()) == (403, SECOND_FACTOR_REFUSAL)
    assert MatchRun.objects.count() == 0


def test_required_the_api_opens_once_the_session_gave_its_code(require_otp, world, official):
    official.get(SETUP)
    device = TOTPDevice.objects.get(user=world.official)
    official.post(SETUP, {"token": code(device)})
    assert official.get("/api/v1/students/").status_code == 200
    assert official.get("/api/v1/dashboard/summary/").status_code == 200


def test_required_a_dashboard_token_still_reads(require_otp, world):
    import datetime

    from django.utils import timezone

    from district.api.tokens import dashboard_token_create

    expires_at = timezone.now() + datetime.timedelta(days=30)
    _token, key = dashboard_token_create(
        district=world.district, name="BI", expires_at=expires_at, by=world.official
    )
    reader = Client(headers={"Authorization": f"Token {key}"})
    assert reader.get("/api/v1/dashboard/summary/").status_code == 200
    # The matching statistics a token reads (per-student match runs are not a token's, issue 12 item 9).
    assert reader.get("/api/v1/dashboard/matching/").status_code == 200


def test_required_other_roles_use_the_api_with_a_password(require_otp, school_a_staff):
    assert school_a_staff.get("/api/v1/students/").status_code == 200


def test_every_api_view_carries_the_second_factor_permission():
    """Fails closed: a view that replaces its permission classes still asks the rule."""
    from django.urls import get_resolver

    from district.api.permissions import SecondFactorVerified

    resolver = get_resolver("config.api_urls")
    checked = 0
    for pattern in resolver.url_patterns:
        view_class = getattr(pattern.callback, "cls", None)
        view = view_class(**getattr(pattern.callback, "initkwargs", {}))
        assert any(isinstance(p, SecondFactorVerified) for p in view.get_permissions()), pattern
        checked += 1
    assert checked == len(resolver.url_patterns) and checked > 20


# --- Enrolling or resetting a device ends the user's other sessions ------------------------------


def password_session(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and logged_in(client)
    return client


def still_in(client) -> bool:
    """A request with the session: Django logs it out if its hash no longer matches the user."""
    return client.get("/accounts/start/").status_code == 302 and logged_in(client)


def test_enrolling_ends_every_other_session_and_keeps_this_one(official_user):
    first, second = password_session(official_user), password_session(official_user)
    first.get(SETUP)
    device = TOTPDevice.objects.get(user=official_user)
    assert first.post(SETUP, {"token": code(device)}).status_code == 302
    assert not still_in(second)
    assert still_in(first) and verified(first)
    assert first.get("/admin/").status_code == 200


def test_a_password_change_still_ends_other_sessions_after_a_bump(official_user):
    from district.security import user_sessions_end

    user_sessions_end(user_id=official_user.pk)
    first, second = password_session(official_user), password_session(official_user)
    official_user.refresh_from_db()
    official_user.set_password("another-long-passphrase")
    official_user.save()
    assert not still_in(first) and not still_in(second)


def test_the_admin_reset_ends_the_persons_sessions(world, official):
    world.recruiter_a.set_password(PASSWORD)
    world.recruiter_a.save()
    TOTPDevice.objects.create(user=world.recruiter_a, name="lost phone", confirmed=True)
    thief = Client()
    thief.force_login(world.recruiter_a)  # a session open on the lost phone
    official.post(
        "/admin/district/user/",
        {"action": "reset_second_factor", "_selected_action": [world.recruiter_a.pk]},
    )
    assert not TOTPDevice.objects.filter(user=world.recruiter_a).exists()
    assert not still_in(thief)
    assert still_in(official)


def test_turning_it_off_ends_the_other_sessions_and_keeps_this_one(world, staff_with_device):
    client, device = staff_with_device
    other = Client()
    other.force_login(world.school_a_staff)
    response = client.post("/accounts/two-factor/remove/", {"token": code(device, 1)})
    assert response.status_code == 302
    assert not still_in(other)
    assert still_in(client)
