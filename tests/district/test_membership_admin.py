"""Officials approve a colleague's request to join a company from the Membership admin.

The action calls `companies.services.membership.recruiter_approve` for each selected row, so the
recruiter gets the same email as when the company's first recruiter approves them, and
rows that are not pending join requests are refused one by one with a message.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core import mail

from district.models import Membership
from tests import factories as f

CHANGELIST = "/admin/district/membership/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def join_request(world, company, username="colleague"):
    user = f.UserFactory(username=username, email=f"{username}@ecopro.example.kr")
    return f.MembershipFactory(
        user=user,
        district=company.district,
        role=Membership.Role.COMPANY_RECRUITER,
        company=company,
        is_active=False,
    )


def approve(client, memberships):
    data = {"action": "approve_join_requests", "_selected_action": [m.pk for m in memberships]}
    return client.post(CHANGELIST, data, **EN)


def test_officials_approve_join_requests_and_the_recruiters_get_the_email(
    world, official, django_capture_on_commit_callbacks
):
    first = join_request(world, world.company_a)
    second = join_request(world, world.company_b, username="colleague2")
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(official, [first, second])
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_active and second.is_active
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Approved 2 memberships."]
    assert LogEntry.objects.filter(object_id=str(first.pk), user=world.official).exists()


def test_rows_that_are_not_pending_requests_are_refused_one_by_one(
    world, official, django_capture_on_commit_callbacks
):
    pending = join_request(world, world.company_a)
    active_staff = world.school_a_staff.memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(official, [pending, active_staff])
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert "This is not a request to join a company." in shown
    assert "Approved 1 membership." in shown
    pending.refresh_from_db()
    assert pending.is_active
    assert [m.to for m in mail.outbox] == [[pending.user.email]]


def test_an_approved_request_is_not_approved_twice(world, official, django_capture_on_commit_callbacks):
    membership = world.recruiter_a.memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(official, [membership])
    assert "This request has already been decided." in [str(m) for m in get_messages(response.wsgi_request)]
    assert mail.outbox == []


def test_another_districts_request_is_out_of_reach(world, official):
    elsewhere = f.CompanyFactory(district=f.DistrictFactory(slug="gyeongju", name="경주"))
    outsider = join_request(world, elsewhere)
    approve(official, [outsider])
    outsider.refresh_from_db()
    assert not outsider.is_active
    assert mail.outbox == []


def test_only_officials_reach_the_action(world, recruiter_a, school_a_staff):
    pending = join_request(world, world.company_a)
    for client in (recruiter_a, school_a_staff):  # neither is staff: the admin sends them to its login page
        response = approve(client, [pending])
        assert response.status_code == 302
        assert response.url == f"/admin/login/?next={CHANGELIST}"
    pending.refresh_from_db()
    assert not pending.is_active
    assert mail.outbox == []
