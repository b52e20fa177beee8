"""Logging in, out, and back in after a forgotten password; each role lands on its own start page."""

import re

import pytest
from django.core import mail
from django.test import Client

from district.models import Membership
from tests import factories as f


@pytest.mark.parametrize(
    ("persona", "start"),
    [
        ("official", "/admin/"),
        ("school_a_staff", "/school/"),
        ("recruiter_a", "/company/"),
        ("coordinator", "/university/"),
        ("student_user", "/me/"),
    ],
)
def test_each_role_starts_on_its_own_page(request, persona, start):
    client = request.getfixturevalue(persona)
    response = client.get("/accounts/start/")
    assert response.status_code == 302
    assert response["Location"] == start


def _client_with(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_colleague_awaiting_approval_starts_on_the_company_status_page(world):
    user = f.UserFactory(username="colleague")
    f.MembershipFactory(
        user=user,
        district=world.district,
        role=Membership.Role.COMPANY_RECRUITER,
        company=world.company_a,
        is_active=False,
    )
    client = _client_with(user)
    response = client.get("/accounts/start/")
    assert response.status_code == 302
    assert response["Location"] == "/company/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["state"] == "awaiting_approval"


def test_other_inactive_memberships_start_on_the_home_page(world):
    user = f.UserFactory(username="former_staff")
    f.MembershipFactory(
        user=user,
        district=world.district,
        role=Membership.Role.SCHOOL_STAFF,
        school=world.school_a,
        is_active=False,
    )
    response = _client_with(user).get("/accounts/start/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_active_role_wins_over_a_join_request(world, student_user):
    f.MembershipFactory(
        user=world.student_user,
        district=world.district,
        role=Membership.Role.COMPANY_RECRUITER,
        company=world.company_b,
        is_active=False,
    )
    assert student_user.get("/accounts/start/")["Location"] == "/me/"


def test_login_with_the_form_then_logout(world, client):
    world.recruiter_a.set_password("a-long-enough-passphrase")
    world.recruiter_a.save()
    response = client.post(
        "/accounts/login/", {"username": "recruiter_a", "password": "a-long-enough-passphrase"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/start/"
    assert "_auth_user_id" in client.session
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_wrong_password_shows_the_form_again_with_an_error(world, client):
    response = client.post("/accounts/login/", {"username": "recruiter_a", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_demo_accounts_cannot_log_in_when_demo_accounts_are_off(world, client, settings):
    user = world.recruiter_a
    user.is_demo = True
    user.set_password("a-long-enough-passphrase")
    user.save()
    settings.DEMO_ACCOUNTS_ENABLED = False
    client.post("/accounts/login/", {"username": "recruiter_a", "password": "a-long-enough-passphrase"})
    assert "_auth_user_id" not in client.session
    settings.DEMO_ACCOUNTS_ENABLED = True
    client.post("/accounts/login/", {"username": "recruiter_a", "password": "a-long-enough-passphrase"})
    assert "_auth_user_id" in client.session


def test_password_reset_by_email(world, client):
    response = client.post("/accounts/password_reset/", {"email": world.recruiter_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "battery-valley-2026!", "new_password2": "battery-valley-2026!"},
    )
    assert done.status_code == 302
    world.recruiter_a.refresh_from_db()
    assert world.recruiter_a.check_password("battery-valley-2026!")


def test_password_reset_for_an_unknown_address_reveals_nothing(db, client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.kr"})
    assert response.status_code == 302
    assert mail.outbox == []
