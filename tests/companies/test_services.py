"""Officials' decisions on companies and openings: each transition, each refusal, each notice."""

import datetime
import functools

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from companies.models import Company, Opening
from companies.services.openings import opening_approve, opening_reject
from companies.services.verification import company_reject, company_verify
from companies.tasks import company_verification_email_send, opening_review_email_send
from district.models import Membership
from tests import factories as f


@pytest.fixture
def pending(world):
    return f.CompanyFactory(
        district=world.district, verification=Company.Verification.PENDING, verified_at=None
    )


@pytest.fixture
def recruiters(world, pending):
    """Two recruiters who should hear about `pending`, and three who should not."""
    R = Membership.Role

    def recruiter(username, *, company=pending, is_active=True, email=None):
        user = f.UserFactory(
            username=username, email=email if email is not None else f"{username}@example.kr"
        )
        f.MembershipFactory(
            user=user, district=world.district, role=R.COMPANY_RECRUITER, company=company, is_active=is_active
        )
        return user

    recruiter("hr1")
    recruiter("hr2")
    recruiter("awaiting_approval", is_active=False)
    recruiter("no_email", email="")
    recruiter("elsewhere", company=world.company_a)
    return ["hr1@example.kr", "hr2@example.kr"]


def submitted(world, **kwargs):
    return f.OpeningFactory(
        company=world.company_a, status=Opening.Status.SUBMITTED, published_at=None, **kwargs
    )


def _outbox():
    return sorted(address for message in mail.outbox for address in message.to)


# --- company_verify -------------------------------------------------------------------


def test_verify_marks_the_company_and_emails_its_active_recruiters(
    world, pending, recruiters, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        company = company_verify(company=pending, by=world.official)
    assert company.verification == Company.Verification.VERIFIED
    pending.refresh_from_db()
    assert pending.verification == Company.Verification.VERIFIED
    assert pending.verified_by == world.official
    assert pending.verified_at is not None
    assert _outbox() == recruiters
    assert pending.name in mail.outbox[0].subject


def test_the_email_waits_for_the_commit(world, pending, recruiters, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        company_verify(company=pending, by=world.official)
    # Two on-commit callbacks: the email's enqueue, and the public pages' new version (public_cache).
    enqueued = [callback.args for callback in callbacks if isinstance(callback, functools.partial)]
    assert (len(callbacks), enqueued) == (2, [("companies.company_verification_email_send", pending.pk)])
    assert mail.outbox == []


@pytest.mark.parametrize("state", [Company.Verification.VERIFIED, Company.Verification.REJECTED])
def test_verify_refuses_a_company_that_is_not_pending(world, state):
    company = f.CompanyFactory(
        district=world.district, verification=state, rejection_reason="사유" if state == "rejected" else ""
    )
    with pytest.raises(ValidationError) as exc:
        company_verify(company=company, by=world.official)
    assert exc.value.code == "invalid_transition"
    assert company.name in exc.value.messages[0]


def test_verify_refuses_when_another_official_decided_first(world, pending):
    Company.objects.filter(pk=pending.pk).update(
        verification=Company.Verification.REJECTED, rejection_reason="중복 등록"
    )
    with pytest.raises(ValidationError):
        company_verify(company=pending, by=world.official)  # `pending` still says pending in memory
    pending.refresh_from_db()
    assert pending.verification == Company.Verification.REJECTED


def test_only_an_official_of_the_companys_district_decides(world, pending):
    gumi = f.DistrictFactory(slug="gumi", name="구미", region="경상북도 구미시")
    gumi_official = f.UserFactory(username="gumi_official")
    f.MembershipFactory(user=gumi_official, district=gumi)
    for user in (gumi_official, world.recruiter_a, world.school_a_staff):
        with pytest.raises(PermissionDenied):
            company_verify(company=pending, by=user)
    pending.refresh_from_db()
    assert pending.verification == Company.Verification.PENDING


def test_a_superuser_may_decide_anywhere(world, pending):
    root = f.UserFactory(username="root", is_superuser=True)
    company_verify(company=pending, by=root)
    assert pending.verification == Company.Verification.VERIFIED


# --- company_reject -------------------------------------------------------------------


def test_reject_records_the_reason_and_emails_it(
    world, pending, recruiters, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        company_reject(company=pending, by=world.official, reason="  사업자등록 상태가 휴업입니다.  ")
    pending.refresh_from_db()
    assert pending.verification == Company.Verification.REJECTED
    assert pending.rejection_reason == "사업자등록 상태가 휴업입니다."
    assert pending.verified_at is None
    assert _outbox() == recruiters
    assert "사업자등록 상태가 휴업입니다." in mail.outbox[0].body


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_reject_needs_a_reason(world, pending, reason):
    with pytest.raises(ValidationError) as exc:
        company_reject(company=pending, by=world.official, reason=reason)
    assert exc.value.code == "reason_required"
    pending.refresh_from_db()
    assert pending.verification == Company.Verification.PENDING


def test_reject_refuses_a_verified_company(world):
    with pytest.raises(ValidationError) as exc:
        company_reject(company=world.company_a, by=world.official, reason="늦은 반려")
    assert exc.value.code == "invalid_transition"
    world.company_a.refresh_from_db()
    assert world.company_a.verification == Company.Verification.VERIFIED


# --- opening_approve ------------------------------------------------------------------


def test_approve_publishes_and_emails_the_recruiters(world, django_capture_on_commit_callbacks):
    opening = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        opening_approve(opening=opening, by=world.official)
    opening.refresh_from_db()
    assert opening.status == Opening.Status.PUBLISHED
    assert opening.reviewed_by == world.official
    assert opening.reviewed_at is not None
    assert opening.published_at == opening.reviewed_at
    assert _outbox() == [world.recruiter_a.email]
    assert opening.title in mail.outbox[0].subject


@pytest.mark.parametrize(
    "status",
    [Opening.Status.DRAFT, Opening.Status.PUBLISHED, Opening.Status.CLOSED, Opening.Status.REJECTED],
)
def test_approve_refuses_an_opening_not_awaiting_review(world, status):
    opening = f.OpeningFactory(
        company=world.company_a, status=status, rejection_reason="사유" if status == "rejected" else ""
    )
    with pytest.raises(ValidationError) as exc:
        opening_approve(opening=opening, by=world.official)
    assert exc.value.code == "invalid_transition"
    opening.refresh_from_db()
    assert opening.status == status


def test_approve_refuses_an_opening_of_an_unverified_company(world, pending):
    opening = f.OpeningFactory(company=pending, status=Opening.Status.SUBMITTED, published_at=None)
    with pytest.raises(ValidationError) as exc:
        opening_approve(opening=opening, by=world.official)
    assert exc.value.code == "company_not_verified"


def test_approve_refuses_an_opening_past_its_deadline(world):
    today = timezone.localdate()
    opening = submitted(world, apply_by=today - datetime.timedelta(days=1), starts_on=today)
    with pytest.raises(ValidationError) as exc:
        opening_approve(opening=opening, by=world.official)
    assert exc.value.code == "deadline_passed"


def test_approve_refuses_when_another_official_decided_first(world):
    opening = submitted(world)
    Opening.objects.filter(pk=opening.pk).update(status=Opening.Status.REJECTED, rejection_reason="중복")
    with pytest.raises(ValidationError):
        opening_approve(opening=opening, by=world.official)
    opening.refresh_from_db()
    assert opening.status == Opening.Status.REJECTED


def test_approve_is_for_officials_of_the_district(world):
    opening = submitted(world)
    with pytest.raises(PermissionDenied):
        opening_approve(opening=opening, by=world.recruiter_a)


# --- opening_reject -------------------------------------------------------------------


def test_reject_sends_the_opening_back_with_the_reason(world, django_capture_on_commit_callbacks):
    opening = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        opening_reject(opening=opening, by=world.official, reason="최저임금 미만입니다.")
    opening.refresh_from_db()
    assert opening.status == Opening.Status.REJECTED
    assert opening.rejection_reason == "최저임금 미만입니다."
    assert opening.reviewed_by == world.official
    assert opening.published_at is None
    assert "최저임금 미만입니다." in mail.outbox[0].body


def test_reject_opening_needs_a_reason(world):
    opening = submitted(world)
    with pytest.raises(ValidationError) as exc:
        opening_reject(opening=opening, by=world.official, reason=" ")
    assert exc.value.code == "reason_required"


@pytest.mark.parametrize("status", [Opening.Status.DRAFT, Opening.Status.PUBLISHED, Opening.Status.CLOSED])
def test_reject_refuses_an_opening_not_awaiting_review(world, status):
    opening = f.OpeningFactory(company=world.company_a, status=status)
    with pytest.raises(ValidationError) as exc:
        opening_reject(opening=opening, by=world.official, reason="사유")
    assert exc.value.code == "invalid_transition"


# --- The tasks on their own -----------------------------------------------------------


def test_company_task_sends_nothing_for_a_pending_or_missing_company(world, pending, recruiters):
    assert company_verification_email_send(pending.pk) == 0
    assert company_verification_email_send(10**9) == 0
    assert mail.outbox == []


def test_opening_task_sends_nothing_for_an_undecided_opening(world):
    assert opening_review_email_send(submitted(world).pk) == 0
    assert mail.outbox == []


def test_task_runs_through_celery_with_an_id(world, pending, recruiters):
    company_verify(company=pending, by=world.official)  # the on_commit callback is not run here
    result = company_verification_email_send.delay(pending.pk)
    assert result.get() == 2
    assert _outbox() == recruiters
