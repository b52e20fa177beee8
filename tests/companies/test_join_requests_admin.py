"""A request to join a company reaches someone who can decide it, with a link to where they do:

- the company's first recruiter gets the team page (/company/team/);
- a company without such a recruiter: the district's officials get the request's own admin page,
  which has "Approve the request" and "Decline the request" buttons;
- an official who opens /company/team/ is sent to the join requests in the administration,
  with a message saying so, instead of a bare 403.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client

from companies.services.mail import join_request_email_send
from district.models import Membership, User
from tests import factories as f
from tests.builders import other_district

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def join_request(company, username="colleague", name="이동료"):
    user = f.UserFactory(username=username, name=name, email=f"{username}@example.kr")
    return f.MembershipFactory(
        user=user,
        district=company.district,
        role=Membership.Role.COMPANY_RECRUITER,
        company=company,
        is_active=False,
    )


@pytest.fixture
def lonely(world):
    """A company whose only recruiter left: officials decide who joins it."""
    return f.CompanyFactory(district=world.district, name="신생배터리")


def page(membership) -> str:
    return f"/admin/district/membership/{membership.pk}/change/"


# --- The email ---------------------------------------------------------------------------------


def test_the_first_recruiter_is_sent_to_the_team_page(world):
    request = join_request(world.company_a)
    assert join_request_email_send(request.pk) == 1
    (message,) = mail.outbox
    assert message.to == [world.recruiter_a.email]
    body = " ".join(message.body.split())
    assert "http://127.0.0.1:8000/company/team/" in body
    assert "/admin/" not in body


def test_officials_are_sent_to_the_requests_admin_page(world, lonely):
    other_official = f.UserFactory(username="official2", email="official2@pohang.go.kr")
    f.MembershipFactory(user=other_official, district=world.district, role=Membership.Role.OFFICIAL)
    request = join_request(lonely)
    assert join_request_email_send(request.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.official.email, "official2@pohang.go.kr"])
    body = " ".join(mail.outbox[0].body.split())
    assert f"http://127.0.0.1:8000/admin/district/membership/{request.pk}/change/" in body
    assert "팀 메뉴" not in body and "/company/team/" not in body


# --- /company/team/ for an official ---------------------------------------------------------------


def test_an_official_opening_the_team_page_is_sent_to_the_join_requests(world, official):
    response = official.get("/company/team/", **EN)
    assert (response.status_code, response["Location"]) == (
        302,
        "/admin/district/membership/?join_requests=all",
    )
    assert messages_of(response) == [
        "Officials approve or decline requests to join a company here, in the administration: "
        "open a request and use its buttons."
    ]


@pytest.mark.parametrize("persona", ["school_a_staff", "coordinator", "student_user"])
def test_other_roles_are_still_refused_the_team_page(request, world, persona):
    assert request.getfixturevalue(persona).get("/company/team/").status_code == 403


def test_a_recruiter_still_gets_their_team_page(world, recruiter_a):
    response = recruiter_a.get("/company/team/")
    assert (response.status_code, response.templates[0].name) == (200, "companies/team.html")


def test_a_visitor_is_asked_to_log_in(anonymous):
    response = anonymous.get("/company/team/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/company/team/")


# --- The request's admin page ------------------------------------------------------------------------


def test_the_requests_page_has_approve_and_decline_buttons(world, lonely, official):
    request = join_request(lonely)
    response = official.get(page(request), **EN)
    html = response.content.decode()
    assert response.context["awaits_decision"] is True
    assert "이동료 asks to join 신생배터리 as a recruiter." in html
    assert 'id="decision-approve">Approve the request</button>' in html
    assert 'id="decision-reject">Decline the request</button>' in html
    # Declining changes state: it is a POST form, not a link.
    assert f'<form method="post" action="/admin/district/membership/{request.pk}/reject/"' in html


def test_an_active_membership_has_no_buttons(world, official):
    membership = world.recruiter_a.memberships.get()
    assert official.get(page(membership)).context["awaits_decision"] is False


def test_approving_on_the_page_lets_them_act_and_tells_them(
    world, lonely, official, django_capture_on_commit_callbacks
):
    request = join_request(lonely)
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(f"/admin/district/membership/{request.pk}/approve/", **EN)
    assert (response.status_code, response["Location"]) == (302, page(request))
    assert messages_of(response) == ["Approved 1 membership."]
    request.refresh_from_db()
    assert request.is_active is True
    assert [m.to for m in mail.outbox] == [["colleague@example.kr"]]


def test_declining_on_the_page_deletes_the_request_and_goes_to_the_list(
    world, lonely, official, django_capture_on_commit_callbacks
):
    request = join_request(lonely)
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(f"/admin/district/membership/{request.pk}/reject/", **EN)
    assert (response.status_code, response["Location"]) == (302, "/admin/district/membership/")
    assert messages_of(response) == ["Declined 1 join request."]
    assert not Membership.objects.filter(pk=request.pk).exists()
    assert not User.objects.filter(username="colleague").exists()
    assert [m.to for m in mail.outbox] == [["colleague@example.kr"]]


def test_declining_needs_a_post(world, lonely, official):
    request = join_request(lonely)
    assert official.get(f"/admin/district/membership/{request.pk}/reject/").status_code == 405
    assert Membership.objects.filter(pk=request.pk, is_active=False).exists()


def test_the_decline_action_on_the_list(world, lonely, official):
    first, second = join_request(lonely), join_request(world.company_a, username="colleague2")
    response = official.post(
        "/admin/district/membership/",
        {"action": "decline_join_requests", "_selected_action": [first.pk, second.pk]},
        **EN,
    )
    assert messages_of(response) == ["Declined 2 join requests."]
    assert not Membership.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_the_join_request_filter(world, lonely, official):
    mine = join_request(lonely)
    theirs = join_request(world.company_a, username="colleague2")
    officials = official.get("/admin/district/membership/?join_requests=officials")
    assert list(officials.context["cl"].result_list) == [mine]
    everyone = official.get("/admin/district/membership/?join_requests=all")
    assert sorted(m.pk for m in everyone.context["cl"].result_list) == sorted([mine.pk, theirs.pk])


def test_another_districts_request_is_out_of_reach(world, official):
    foreign = join_request(f.CompanyFactory(district=other_district()))
    assert official.post(f"/admin/district/membership/{foreign.pk}/approve/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active is False


@pytest.mark.parametrize(
    "persona", ["school_a_staff", "recruiter_a", "coordinator", "student_user", "anonymous"]
)
def test_non_officials_cannot_decide_in_the_admin(request, world, persona):
    membership = join_request(world.company_a)
    client: Client = request.getfixturevalue(persona)
    for url in (
        f"/admin/district/membership/{membership.pk}/approve/",
        f"/admin/district/membership/{membership.pk}/reject/",
    ):
        response = client.post(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/admin/login/")
    membership.refresh_from_db()
    assert membership.is_active is False
