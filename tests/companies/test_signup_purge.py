"""Sign-ups never confirmed: officials are not offered them, and they are purged once their link expires.

A sign-up or join request makes an inactive account (and for a sign-up a pending company)
that works only once the emailed link is used. Until then the company is not the officials'
to verify or reject; once the link has expired (PASSWORD_RESET_TIMEOUT), the nightly purge
deletes the account and the company it left empty, so the business number is free again.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import Company
from companies.services.signup import SignupPurgeResult, unconfirmed_signups_purge
from companies.services.verification import company_reject, company_verify
from companies.tasks import unconfirmed_signups_purge_task
from district.models import Membership, User
from tests import factories as f

SIGNUP = "/company/signup/"
JOIN = "/company/join/"
NUMBER = "1234567891"  # 123-45-67891: its check digit is right
OTHER_NUMBER = f.valid_business_number(987654321)
PASSWORD = "battery-cells-2026!"
EXPIRED = datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT, minutes=1)


@pytest.fixture
def segment(db):
    return f.SegmentFactory(code="cathode", name="양극재")


@pytest.fixture
def sign_up(anonymous, world, segment, django_capture_on_commit_callbacks):
    """Sign a company up through the form; returns the path of the link mailed to `email`."""

    def sign_up(email: str, *, number: str = NUMBER, name: str = "영일만배터리", made_ago=None) -> str:
        data = {
            "name": name,
            "business_number": number,
            "segment": segment.pk,
            "area": "",
            "recruiter_name": "박채용",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        with django_capture_on_commit_callbacks(execute=True):
            assert anonymous.post(SIGNUP, data).status_code == 200
        if made_ago is not None:
            User.objects.filter(email=email).update(date_joined=timezone.now() - made_ago)
        return _link(mail.outbox[-1], email)

    return sign_up


def _link(message, email: str) -> str:
    assert message.to == [email]
    return re.search(r"http://[^/\s]+(/company/signup/confirm/[^\s]+/)", message.body).group(1)


def _confirm(client, path: str, capture) -> None:
    with capture(execute=True):
        assert client.post(path)["Location"] == reverse("companies:dashboard")


def _old_account(world, username: str, role: str, **fields) -> User:
    """An account made long ago, with one membership of `role` at company A or school A."""
    user = f.UserFactory(username=username, **fields)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - EXPIRED)
    org = {
        Membership.Role.COMPANY_RECRUITER: {"company": world.company_a},
        Membership.Role.STUDENT: {"school": world.school_a},
        Membership.Role.SCHOOL_STAFF: {"school": world.school_a},
    }[role]
    f.MembershipFactory(user=user, district=world.district, role=role, **org)
    return user


# --- The purge ---------------------------------------------------------------------------------


def test_an_expired_signup_is_purged_with_its_company_and_the_number_is_free_again(world, sign_up):
    sign_up("squatter@example.kr", made_ago=EXPIRED)
    squatter = User.objects.get(email="squatter@example.kr")
    company = Company.objects.get(business_number=NUMBER)
    users, companies, memberships = User.objects.count(), Company.objects.count(), Membership.objects.count()

    assert unconfirmed_signups_purge() == SignupPurgeResult(accounts=1, companies=1)

    assert not User.objects.filter(pk=squatter.pk).exists()
    assert not Company.objects.filter(pk=company.pk).exists()
    assert (User.objects.count(), Company.objects.count(), Membership.objects.count()) == (
        users - 1,
        companies - 1,
        memberships - 1,
    )
    # Idempotent: nothing is left to delete.
    assert unconfirmed_signups_purge() == SignupPurgeResult(accounts=0, companies=0)
    # The real company can sign up with its number now: it gets the link, not "already registered".
    sign_up("hire@yeongilbattery.example.kr", name="진짜배터리")
    assert Company.objects.get(business_number=NUMBER).name == "진짜배터리"


def test_a_signup_within_the_link_lifetime_stays(world, sign_up):
    sign_up("fresh@example.kr", made_ago=EXPIRED - datetime.timedelta(minutes=2))
    assert unconfirmed_signups_purge() == SignupPurgeResult(accounts=0, companies=0)
    assert User.objects.filter(email="fresh@example.kr", is_active=False).exists()
    assert Company.objects.filter(business_number=NUMBER).exists()
    # The same account, a day later, is past its link's lifetime.
    later = timezone.now() + datetime.timedelta(days=1)
    assert unconfirmed_signups_purge(now=later) == SignupPurgeResult(accounts=1, companies=1)


def test_a_confirmed_signup_stays(world, sign_up, django_capture_on_commit_callbacks):
    from django.test import Client

    path = sign_up("hire@example.kr")
    _confirm(Client(), path, django_capture_on_commit_callbacks)
    User.objects.filter(email="hire@example.kr").update(date_joined=timezone.now() - EXPIRED)

    assert unconfirmed_signups_purge() == SignupPurgeResult(accounts=0, companies=0)
    assert User.objects.get(email="hire@example.kr").is_active
    assert Company.objects.get(business_number=NUMBER).verification == Company.Verification.PENDING


def test_closed_accounts_that_are_not_unconfirmed_signups_stay(world):
    # A recruiter an official closed after they had logged in.
    closed = _old_account(
        world, "closed", Membership.Role.COMPANY_RECRUITER, is_active=False, last_login=timezone.now()
    )
    # Inactive and never logged in, but a student (an anonymised or an uninvited one) or school staff.
    student = _old_account(world, "former_student", Membership.Role.STUDENT, is_active=False)
    staff = _old_account(world, "staff", Membership.Role.SCHOOL_STAFF, is_active=False)
    # A recruiter who also holds another role.
    both = _old_account(world, "both", Membership.Role.COMPANY_RECRUITER, is_active=False)
    f.MembershipFactory(user=both, district=world.district, role=Membership.Role.OFFICIAL)
    # No membership at all.
    bare = f.UserFactory(username="bare", is_active=False)
    User.objects.filter(pk=bare.pk).update(date_joined=timezone.now() - EXPIRED)

    assert unconfirmed_signups_purge() == SignupPurgeResult(accounts=0, companies=0)
    kept = [closed, student, staff, both, bare]
    assert User.objects.filter(pk__in=[u.pk for u in kept]).count() == 5


def test_a_company_with_another_member_stays_and_only_the_unconfirmed_account_goes(
    world, sign_up, anonymous, django_capture_on_commit_callbacks
):
    sign_up("squatter@example.kr", made_ago=EXPIRED)
    company = Company.objects.get(business_number=NUMBER)
    colleague = f.UserFactory(username="colleague")  # active: a recruiter an official added
    f.MembershipFactory(
        user=colleague, district=world.district, role=Membership.Role.COMPANY_RECRUITER, company=company
    )
    # A request to join a verified company, never confirmed: the account goes, the company stays.
    join = {
        "business_number": world.company_a.business_number_display,
        "recruiter_name": "이동료",
        "email": "joiner@example.kr",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(JOIN, join)
    User.objects.filter(email="joiner@example.kr").update(date_joined=timezone.now() - EXPIRED)

    assert unconfirmed_signups_purge() == SignupPurgeResult(accounts=2, companies=0)

    assert not User.objects.filter(email__in=["squatter@example.kr", "joiner@example.kr"]).exists()
    assert list(Membership.objects.filter(company=company).values_list("user", flat=True)) == [colleague.pk]
    assert Company.objects.filter(pk__in=[company.pk, world.company_a.pk]).count() == 2


def test_a_pending_company_with_an_opening_stays(world, sign_up):
    sign_up("squatter@example.kr", made_ago=EXPIRED)
    company = Company.objects.get(business_number=NUMBER)
    f.OpeningFactory(company=company)
    assert unconfirmed_signups_purge() == SignupPurgeResult(accounts=1, companies=0)
    assert Company.objects.filter(pk=company.pk).exists()


def test_the_command_counts_on_a_dry_run_and_deletes_nothing(world, sign_up, capsys):
    sign_up("squatter@example.kr", made_ago=EXPIRED)
    sign_up("other@example.kr", number=OTHER_NUMBER, name="다른회사", made_ago=EXPIRED)
    users, companies = User.objects.count(), Company.objects.count()

    call_command("purge_unconfirmed_signups", "--dry-run")
    assert capsys.readouterr().out == (
        "Dry run: 2 unconfirmed account(s) older than 3 days and 2 pending company(ies) would be "
        "deleted. Nothing changed.\n"
    )
    assert (User.objects.count(), Company.objects.count()) == (users, companies)

    call_command("purge_unconfirmed_signups")
    assert capsys.readouterr().out == (
        "Deleted 2 unconfirmed account(s) older than 3 days and 2 pending company(ies).\n"
    )
    assert (User.objects.count(), Company.objects.count()) == (users - 2, companies - 2)

    call_command("purge_unconfirmed_signups")
    assert capsys.readouterr().out == (
        "Deleted 0 unconfirmed account(s) older than 3 days and 0 pending company(ies).\n"
    )


def test_the_nightly_task_is_scheduled_and_purges(world, sign_up):
    entry = settings.CELERY_BEAT_SCHEDULE["unconfirmed-signups-purge"]
    assert entry["task"] == "companies.unconfirmed_signups_purge"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({4}, {30})
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"
    sign_up("squatter@example.kr", made_ago=EXPIRED)
    assert unconfirmed_signups_purge_task.delay().get() == {"accounts": 1, "companies": 1}


# --- Officials are not offered an unconfirmed company -------------------------------------------


def _admin_url(view: str, *args) -> str:
    return reverse(f"admin:companies_company_{view}", args=args)


@pytest.fixture
def two_signups(world, sign_up, django_capture_on_commit_callbacks):
    """One sign-up whose recruiter confirmed their address, and one whose recruiter did not."""
    from django.test import Client

    _confirm(Client(), sign_up("hire@example.kr", name="확인된회사"), django_capture_on_commit_callbacks)
    sign_up("squatter@example.kr", number=OTHER_NUMBER, name="미확인회사")
    mail.outbox.clear()
    return Company.objects.get(name="확인된회사"), Company.objects.get(name="미확인회사")


def test_the_admin_lists_and_counts_only_companies_whose_recruiter_confirmed(world, official, two_signups):
    confirmed, unconfirmed = two_signups
    response = official.get(
        _admin_url("changelist") + "?verification__exact=pending", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert list(response.context["cl"].result_list) == [confirmed]
    assert "1 company is awaiting verification." in response.content.decode()
    # Nor is it reachable by its address.
    assert official.get(_admin_url("change", unconfirmed.pk)).status_code == 302


def test_the_verify_action_leaves_an_unconfirmed_company_pending(
    world, official, two_signups, django_capture_on_commit_callbacks
):
    confirmed, unconfirmed = two_signups
    data = {"action": "verify_companies", "_selected_action": [confirmed.pk, unconfirmed.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(_admin_url("changelist"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Verified 1 company."]
    confirmed.refresh_from_db()
    unconfirmed.refresh_from_db()
    assert (confirmed.verification, unconfirmed.verification) == (
        Company.Verification.VERIFIED,
        Company.Verification.PENDING,
    )
    assert [m.to for m in mail.outbox] == [["hire@example.kr"]]


@pytest.mark.parametrize(
    ("decide", "message"),
    [
        (
            lambda company, by: company_verify(company=company, by=by),
            "“미확인회사” cannot be verified yet: its recruiter has not confirmed their email address.",
        ),
        (
            lambda company, by: company_reject(company=company, by=by, reason="확인 불가"),
            "“미확인회사” cannot be rejected yet: its recruiter has not confirmed their email address.",
        ),
    ],
)
def test_the_services_refuse_to_decide_on_an_unconfirmed_company(world, two_signups, decide, message):
    _confirmed, unconfirmed = two_signups
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decide(unconfirmed, world.official)
    assert refused.value.code == "unconfirmed"
    with translation.override("en"):
        assert refused.value.messages == [message]
    unconfirmed.refresh_from_db()
    assert (unconfirmed.verification, unconfirmed.verified_by, unconfirmed.rejection_reason) == (
        Company.Verification.PENDING,
        None,
        "",
    )
