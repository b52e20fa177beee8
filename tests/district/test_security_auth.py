"""Passwords, sessions and the brute-force lockout, each through the real pages.

- Passwords: at least 12 characters and not a common one, on every form that sets one.
- Sessions: the key rotates at login, dies at logout, and expires after 30 idle minutes.
- Lockout (django-axes): five wrong passwords lock the username *and* address pair.
"""

import datetime
import logging
import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import Company
from district.models import User
from district.security import SESSION_TOUCHED_KEY
from schools.models import StudentInvitation
from tests import factories as f

PASSWORD = "a-long-enough-passphrase"
SHORT = "battery-26!"  # 11 characters, otherwise fine
COMMON = "qwertyqwerty"  # 12 characters, on Django's list of common passwords


@pytest.fixture
def recruiter(world):
    world.recruiter_a.set_password(PASSWORD)
    world.recruiter_a.save()
    return world.recruiter_a


def post_login(client, username, password, ip="198.51.100.7", path="/accounts/login/", **extra):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Passwords ---------------------------------------------------------------------------


def test_password_rules_are_twelve_characters_and_no_common_password(settings):
    from django.contrib.auth.password_validation import get_default_password_validators

    names = {type(v).__name__: v for v in get_default_password_validators()}
    assert names["MinimumLengthValidator"].min_length == 12
    assert "CommonPasswordValidator" in names


def _reset_form_url(client, email) -> str:
    client.post("/accounts/password_reset/", {"email": email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[-1].body).group(1)
    return client.get(link, follow=True).redirect_chain[-1][0]


@pytest.mark.parametrize(
    ("password", "code"), [(SHORT, "password_too_short"), (COMMON, "password_too_common")]
)
def test_password_reset_refuses_a_weak_password(world, recruiter, client, password, code):
    url = _reset_form_url(client, recruiter.email)
    with translation.override("en"):
        response = client.post(
            url, {"new_password1": password, "new_password2": password}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert form.has_error("new_password2", code)
        if code == "password_too_short":
            assert "at least 12 characters" in response.content.decode()
    recruiter.refresh_from_db()
    assert recruiter.check_password(PASSWORD)
    assert not recruiter.check_password(password)


@pytest.fixture
def segment(db):
    return f.SegmentFactory(code="cathode", name="양극재")


@pytest.mark.parametrize(
    ("password", "code"), [(SHORT, "password_too_short"), (COMMON, "password_too_common")]
)
def test_company_signup_refuses_a_weak_password_and_saves_nothing(world, segment, anonymous, password, code):
    data = {
        "name": "영일만배터리",
        "business_number": "123-45-67891",
        "segment": segment.pk,
        "area": "",
        "recruiter_name": "박채용",
        "email": "hire@yeongil.example.kr",
        "password1": password,
        "password2": password,
    }
    companies_before = Company.objects.count()
    with translation.override("en"):
        response = anonymous.post("/company/signup/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].has_error("password1", code)
    assert Company.objects.count() == companies_before
    assert not User.objects.filter(email="hire@yeongil.example.kr").exists()
    assert not logged_in(anonymous)


@pytest.mark.parametrize(
    ("password", "code"), [(SHORT, "password_too_short"), (COMMON, "password_too_common")]
)
def test_invitation_refuses_a_weak_password_and_saves_nothing(
    world, school_a_staff, client, django_capture_on_commit_callbacks, password, code
):
    student = f.StudentFactory(department=world.department_a, name="박서준", email="seojun@example.kr")
    with django_capture_on_commit_callbacks(execute=True):
        school_a_staff.post(reverse("schools:student_invite", args=[student.pk]), {})
    path = re.search(r"https?://[^/]+(/accounts/invite/\S+/)", mail.outbox[-1].body).group(1)
    with translation.override("en"):
        response = client.post(
            path, {"password1": password, "password2": password}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    assert response.context["form"].has_error("password1", code)
    assert not User.objects.filter(username="seojun@example.kr").exists()
    assert StudentInvitation.objects.get(student=student).used_at is None
    assert not logged_in(client)


# --- Sessions --------------------------------------------------------------------------------


def test_the_session_key_rotates_at_login(recruiter, client):
    before = client.session  # an anonymous session with a row and a cookie
    before["visited"] = True
    before.save()
    old_key = before.session_key
    assert post_login(client, recruiter.username, PASSWORD).status_code == 302
    new_key = client.cookies["sessionid"].value
    assert new_key != old_key
    assert logged_in(client)
    assert not Session.objects.filter(session_key=old_key).exists()


def test_sessions_are_database_rows(recruiter, client):
    """Sessions stay in PostgreSQL, so they survive a Redis outage."""
    post_login(client, recruiter.username, PASSWORD)
    assert Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()


def test_logout_needs_post_and_kills_the_old_session(recruiter, client):
    post_login(client, recruiter.username, PASSWORD)
    key = client.cookies["sessionid"].value
    assert client.get("/accounts/logout/").status_code == 405
    assert logged_in(client)
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    response = replay.get("/accounts/start/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_session_cookie_lasts_thirty_minutes(recruiter, client):
    response = post_login(client, recruiter.username, PASSWORD)
    cookie = response.cookies["sessionid"]
    assert int(cookie["max-age"]) == 30 * 60
    assert cookie["httponly"]


def test_an_idle_session_expires(recruiter, client):
    post_login(client, recruiter.username, PASSWORD)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/accounts/start/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _age_session(key, *, refreshed_seconds_ago, expires_in):
    """Pretend the session was last refreshed a while ago and is about to expire."""
    store = SessionStore(session_key=key)
    store[SESSION_TOUCHED_KEY] = int(time.time()) - refreshed_seconds_ago
    store.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + expires_in)


def test_activity_moves_the_expiry_forward(recruiter, client):
    """30 minutes count from the last click, not from login."""
    post_login(client, recruiter.username, PASSWORD)
    key = client.cookies["sessionid"].value
    _age_session(key, refreshed_seconds_ago=61, expires_in=datetime.timedelta(minutes=1))
    assert client.get("/accounts/start/").status_code == 302  # an ordinary page view, nothing stored
    expire = Session.objects.get(session_key=key).expire_date
    assert expire > timezone.now() + datetime.timedelta(minutes=29)


def test_the_session_is_written_at_most_once_a_minute(recruiter, client):
    """A click soon after the last refresh costs no write; the expiry stays where it was."""
    post_login(client, recruiter.username, PASSWORD)
    key = client.cookies["sessionid"].value
    _age_session(key, refreshed_seconds_ago=10, expires_in=datetime.timedelta(minutes=5))
    before = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/start/").status_code == 302
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert Session.objects.get(session_key=key).expire_date == before


# --- Lockout -------------------------------------------------------------------------------


def fail(client, username, times, ip="198.51.100.7", **extra):
    for _ in range(times):
        post_login(client, username, "wrong-password-guess", ip=ip, **extra)


def test_five_failures_lock_the_pair_even_for_the_right_password(recruiter, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="axes"):
        fail(client, recruiter.username, 5)
    with translation.override("en"):
        response = post_login(client, recruiter.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 429
        assert "paused for 15 minutes" in response.content.decode()
    assert not logged_in(client)
    attempt = AccessAttempt.objects.get(username=recruiter.username, ip_address="198.51.100.7")
    assert attempt.failures_since_start >= 5
    assert PASSWORD not in attempt.post_data and "wrong-password-guess" not in attempt.post_data
    assert any("Locking out" in record.getMessage() for record in caplog.records)


def test_four_failures_do_not_lock_and_success_resets_the_count(recruiter):
    client = Client()
    fail(client, recruiter.username, 4)
    assert post_login(client, recruiter.username, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    fail(client, recruiter.username, 4)  # 8 in all: only the 4 since the success count
    assert post_login(client, recruiter.username, PASSWORD).status_code == 302
    assert logged_in(client)


def test_another_address_can_still_log_in_to_the_locked_account(recruiter):
    fail(Client(), recruiter.username, 5, ip="198.51.100.7")
    elsewhere = Client()
    assert post_login(elsewhere, recruiter.username, PASSWORD, ip="203.0.113.20").status_code == 302
    assert logged_in(elsewhere)


def test_a_locked_address_can_still_log_in_to_other_accounts(world, recruiter):
    """One school's shared address is not locked for everyone behind it."""
    fail(Client(), recruiter.username, 5, ip="198.51.100.7")
    world.school_a_staff.set_password(PASSWORD)
    world.school_a_staff.save()
    colleague = Client()
    assert (
        post_login(colleague, world.school_a_staff.username, PASSWORD, ip="198.51.100.7").status_code == 302
    )


def test_a_forged_forwarded_for_does_not_escape_the_lock_without_trusted_proxies(recruiter, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(5):
        post_login(client, recruiter.username, "wrong-password-guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = post_login(client, recruiter.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429
    assert not logged_in(client)


def test_behind_one_trusted_proxy_the_forwarded_client_address_counts(recruiter, settings):
    """The proxy's own address is shared by everyone; the address it appends is the caller's."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = Client()
    for n in range(5):  # a forged left-hand entry changes nothing: the proxy's entry is last
        post_login(
            attacker, recruiter.username, "wrong", ip=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66"
        )
    assert (
        post_login(
            attacker, recruiter.username, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.66"
        ).status_code
        == 429
    )
    colleague = Client()
    response = post_login(
        colleague, recruiter.username, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.67"
    )
    assert response.status_code == 302 and logged_in(colleague)


def test_the_admin_login_is_locked_the_same_way(world, official_password_user):
    client = Client()
    fail(client, official_password_user.username, 5, path="/admin/login/")
    response = post_login(client, official_password_user.username, PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert not logged_in(client)


@pytest.fixture
def official_password_user(world):
    world.official.set_password(PASSWORD)
    world.official.save()
    return world.official


# --- Throttles on the account forms (issue 12) ---------------------------------------------------


@pytest.fixture
def shared_cache():
    """The throttles count in the real Redis of the test run (REDIS_URL), which workers share."""
    from django.core.cache import caches

    cache = caches["default"]
    assert type(cache).__name__ == "ResilientRedisCache"
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/company/signup/", {"name": ""}),
        ("/company/join/", {"business_number": ""}),
        ("/accounts/password_reset/", {"email": "nobody@example.com"}),
    ],
    ids=["signup", "join", "password-reset"],
)
def test_account_forms_refuse_the_eleventh_post_from_one_address(world, shared_cache, url, data):
    client = Client()
    answers = [client.post(url, data, REMOTE_ADDR="198.51.100.20").status_code for _ in range(10)]
    assert len(set(answers)) == 1 and answers[0] in (200, 302)  # the form's own answer, ten times
    with translation.override("en"):
        refused = client.post(url, data, REMOTE_ADDR="198.51.100.20", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "This form was sent too many times from your network. Please wait 60 minutes" in (
        refused.content.decode()
    )
    assert client.post(url, data, REMOTE_ADDR="198.51.100.21").status_code == answers[0]
    assert client.get(url, REMOTE_ADDR="198.51.100.20").status_code == 200  # reading is not counted


def test_the_throttle_counts_the_forwarded_address_behind_a_trusted_proxy(world, shared_cache, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for _ in range(10):
        client.post("/company/join/", {}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    refused = client.post("/company/join/", {}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert refused.status_code == 429
    other = client.post("/company/join/", {}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 200


def test_the_password_reset_sends_no_email_past_the_limit(world, shared_cache):
    world.recruiter_a.email = "recruiter@example.com"
    world.recruiter_a.save()
    client = Client()
    for _ in range(10):
        client.post(
            "/accounts/password_reset/", {"email": "recruiter@example.com"}, REMOTE_ADDR="198.51.100.30"
        )
    assert len(mail.outbox) == 10
    response = client.post(
        "/accounts/password_reset/", {"email": "recruiter@example.com"}, REMOTE_ADDR="198.51.100.30"
    )
    assert response.status_code == 429
    assert len(mail.outbox) == 10
