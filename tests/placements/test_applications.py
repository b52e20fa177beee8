"""The application lifecycle services: applying, the company's moves, offers, hires, seats, placements."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from companies.models import Company, Opening
from district.models import Membership
from placements.models import Application, ApplicationEvent, Placement, company_next_statuses
from placements.services.applications import (
    application_accept_offer,
    application_decline_offer,
    application_move,
    application_submit,
    application_withdraw,
    placement_create,
)
from tests import factories as f

S = Application.Status


def _student(world, name="학생", with_user=True):
    user = None
    if with_user:
        user = f.UserFactory()
        f.MembershipFactory(
            user=user, district=world.district, role=Membership.Role.STUDENT, school=world.school_a
        )
    return f.StudentFactory(department=world.department_a, user=user, name=name)


def _events(application):
    return list(
        application.events.order_by("at", "pk").values_list("from_status", "to_status", "by_id", "note")
    )


@pytest.fixture
def opening(world):
    return f.OpeningFactory(company=world.company_a, seats=1)


@pytest.fixture
def submitted(world, opening):
    return application_submit(student=world.student, opening=opening, by=world.student_user)


# --- Applying ---------------------------------------------------------------------------------


def test_submit_creates_the_application_and_its_first_event(world, opening):
    application = application_submit(student=world.student, opening=opening, by=world.student_user)
    assert application.status == S.SUBMITTED
    assert application.source == Application.Source.DIRECT
    assert _events(application) == [("", S.SUBMITTED, world.student_user.pk, "")]


@pytest.mark.parametrize(
    "status", [Opening.Status.DRAFT, Opening.Status.SUBMITTED, Opening.Status.CLOSED, Opening.Status.REJECTED]
)
def test_submit_refuses_an_unpublished_opening(world, status):
    opening = f.OpeningFactory(company=world.company_a, status=status, rejection_reason="x")
    with pytest.raises(ValidationError) as refused:
        application_submit(student=world.student, opening=opening, by=world.student_user)
    assert refused.value.code == "not_published"
    assert not Application.objects.exists()


def test_submit_refuses_an_expired_opening(world):
    opening = f.OpeningFactory(
        company=world.company_a, apply_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        application_submit(student=world.student, opening=opening, by=world.student_user)
    assert refused.value.code == "deadline_passed"


def test_submit_refuses_a_duplicate(world, opening, submitted):
    with pytest.raises(ValidationError) as refused:
        application_submit(student=world.student, opening=opening, by=world.student_user)
    assert refused.value.code == "duplicate"
    assert Application.objects.count() == 1


def test_after_withdrawing_the_student_may_apply_again(world, opening, submitted):
    application_withdraw(application=submitted, by=world.student_user)
    again = application_submit(student=world.student, opening=opening, by=world.student_user)
    assert again.pk != submitted.pk


def test_only_the_student_or_their_school_applies(world, opening):
    with pytest.raises(PermissionDenied):
        application_submit(student=world.student, opening=opening, by=world.recruiter_a)
    with pytest.raises(PermissionDenied):
        application_submit(student=world.student, opening=opening, by=world.school_b_staff)
    application_submit(student=world.student, opening=opening, by=world.school_a_staff)


def test_withdraw(world, submitted):
    application_withdraw(application=submitted, by=world.student_user)
    submitted.refresh_from_db()
    assert submitted.status == S.WITHDRAWN
    assert _events(submitted)[-1][:3] == (S.SUBMITTED, S.WITHDRAWN, world.student_user.pk)
    with pytest.raises(ValidationError):
        application_withdraw(application=submitted, by=world.student_user)


# --- The company's moves ----------------------------------------------------------------------


def test_next_statuses_go_forward_or_reject():
    assert company_next_statuses(S.SUBMITTED) == [S.REVIEWING, S.INTERVIEW, S.OFFERED, S.REJECTED]
    assert company_next_statuses(S.INTERVIEW) == [S.OFFERED, S.REJECTED]
    assert company_next_statuses(S.OFFERED) == [S.REJECTED]
    assert company_next_statuses(S.ACCEPTED) == [S.HIRED, S.CANCELLED]
    for final in (S.HIRED, S.REJECTED, S.WITHDRAWN, S.DECLINED, S.CANCELLED):
        assert company_next_statuses(final) == []


def test_moves_record_who_and_when(world, submitted):
    before = timezone.now()
    application_move(application=submitted, to_status=S.REVIEWING, by=world.recruiter_a)
    application_move(application=submitted, to_status=S.INTERVIEW, by=world.recruiter_a, note="7월 3일 면접")
    submitted.refresh_from_db()
    assert submitted.status == S.INTERVIEW
    assert submitted.status_changed_at >= before
    assert _events(submitted)[1:] == [
        (S.SUBMITTED, S.REVIEWING, world.recruiter_a.pk, ""),
        (S.REVIEWING, S.INTERVIEW, world.recruiter_a.pk, "7월 3일 면접"),
    ]
    assert all(event.at >= before for event in submitted.events.exclude(to_status=S.SUBMITTED))


def test_the_student_is_told_of_each_decision(world, submitted):
    from placements.models import Notification

    application_move(application=submitted, to_status=S.INTERVIEW, by=world.recruiter_a)
    application_move(application=submitted, to_status=S.REJECTED, by=world.recruiter_a, note="경력 우선")
    notices = list(Notification.objects.filter(user=world.student_user).order_by("pk"))
    assert [n.kind for n in notices] == [Notification.Kind.APPLICATION, Notification.Kind.APPLICATION]
    assert all(world.company_a.name in n.text and submitted.opening.title in n.text for n in notices)


def test_moving_backwards_is_refused(world, submitted):
    application_move(application=submitted, to_status=S.INTERVIEW, by=world.recruiter_a)
    with pytest.raises(ValidationError) as refused:
        application_move(application=submitted, to_status=S.REVIEWING, by=world.recruiter_a)
    assert refused.value.code == "invalid_transition"


def test_another_company_cannot_move(world, submitted):
    with pytest.raises(PermissionDenied):
        application_move(application=submitted, to_status=S.REVIEWING, by=world.recruiter_b)
    with pytest.raises(PermissionDenied):
        application_move(application=submitted, to_status=S.REVIEWING, by=world.student_user)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_rejecting_needs_feedback_the_student_sees(world, submitted):
    with pytest.raises(ValidationError) as refused:
        application_move(application=submitted, to_status=S.REJECTED, by=world.recruiter_a, note="  ")
    assert "note" in refused.value.error_dict
    application_move(
        application=submitted,
        to_status=S.REJECTED,
        by=world.recruiter_a,
        note="위험물기능사 자격이 필요합니다.",
    )
    submitted.refresh_from_db()
    assert submitted.status == S.REJECTED
    assert submitted.feedback == "위험물기능사 자격이 필요합니다."


def test_an_offer_records_its_time_and_expiry(world, submitted, settings):
    settings.OFFER_RESPONSE_DAYS = 5
    application_move(application=submitted, to_status=S.OFFERED, by=world.recruiter_a)
    submitted.refresh_from_db()
    assert submitted.offered_at is not None
    assert submitted.offer_expires_at - submitted.offered_at == datetime.timedelta(days=5)


def test_a_stale_read_cannot_overwrite_a_newer_status(world, submitted):
    stale_copy = Application.objects.get(pk=submitted.pk)
    application_move(application=submitted, to_status=S.INTERVIEW, by=world.recruiter_a)
    with pytest.raises(ValidationError) as refused:
        application_move(application=stale_copy, to_status=S.REVIEWING, by=world.recruiter_a)
    assert refused.value.code == "changed_meanwhile"
    submitted.refresh_from_db()
    assert submitted.status == S.INTERVIEW


# --- Hires and placements ---------------------------------------------------------------------


def test_accepting_creates_the_placement_that_the_hire_confirms(world, submitted):
    application_move(application=submitted, to_status=S.OFFERED, by=world.recruiter_a)
    application_accept_offer(application=submitted, by=world.student_user)
    application_move(application=submitted, to_status=S.HIRED, by=world.recruiter_a)
    placement = Placement.objects.get(application=submitted)
    assert placement.student == world.student
    assert placement.company == world.company_a
    assert placement.opening == submitted.opening
    assert placement.starts_on == submitted.opening.starts_on
    assert placement.status == Placement.Status.ACTIVE
    assert placement.is_local is True


def test_a_placement_copies_whether_the_company_is_local(world):
    far = f.CompanyFactory(district=world.district, is_local=False)
    opening = f.OpeningFactory(company=far)
    application = f.ApplicationFactory(student=world.student, opening=opening, status=S.INTERVIEW)
    placement = placement_create(application=application, by=None)
    assert placement.is_local is False


def test_a_seat_is_never_double_filled(world, opening):
    first = _offer(world, opening)
    other = _student(world, "두번째")
    second = _offer(world, opening, student=other)
    application_accept_offer(application=first, by=world.student_user)
    with pytest.raises(ValidationError) as refused:
        application_accept_offer(application=second, by=other.user)
    assert refused.value.code == "no_seat"
    second.refresh_from_db()
    assert second.status == S.OFFERED
    assert Placement.objects.filter(opening=opening).count() == 1


def test_a_student_never_holds_two_active_placements(world, opening):
    application = _offer(world, opening)
    f.PlacementFactory(student=world.student, company=world.company_b)  # recorded meanwhile
    with pytest.raises(ValidationError) as refused:
        application_accept_offer(application=application, by=world.student_user)
    assert refused.value.code == "already_employed"
    assert world.student.name in refused.value.messages[0]
    application.refresh_from_db()
    assert application.status == S.OFFERED
    assert not ApplicationEvent.objects.filter(application=application, to_status=S.ACCEPTED).exists()


# --- Offers -----------------------------------------------------------------------------------


def _offer(world, opening, student=None):
    student = student or world.student
    application = application_submit(student=student, opening=opening, by=student.user)
    application_move(application=application, to_status=S.OFFERED, by=world.recruiter_a)
    return application


def test_accepting_an_offer_closes_the_others_and_creates_the_placement(world):
    mine = _offer(world, f.OpeningFactory(company=world.company_a))
    other_company = f.OpeningFactory(company=world.company_b)
    elsewhere = application_submit(student=world.student, opening=other_company, by=world.student_user)
    application_move(application=elsewhere, to_status=S.OFFERED, by=world.recruiter_b)
    still_applying = application_submit(
        student=world.student, opening=f.OpeningFactory(company=world.company_b), by=world.student_user
    )

    application_accept_offer(application=mine, by=world.student_user)

    mine.refresh_from_db()
    elsewhere.refresh_from_db()
    still_applying.refresh_from_db()
    assert mine.status == S.ACCEPTED and mine.responded_at is not None
    assert elsewhere.status == S.DECLINED and elsewhere.responded_at is not None
    assert still_applying.status == S.WITHDRAWN
    assert Placement.objects.get(student=world.student).application == mine
    assert _events(elsewhere)[-1][:3] == (S.OFFERED, S.DECLINED, world.student_user.pk)
    assert _events(still_applying)[-1][:3] == (S.SUBMITTED, S.WITHDRAWN, world.student_user.pk)


def test_accepted_then_hired_keeps_one_placement(world):
    application = _offer(world, f.OpeningFactory(company=world.company_a))
    application_accept_offer(application=application, by=world.student_user)
    application_move(application=application, to_status=S.HIRED, by=world.recruiter_a)
    application.refresh_from_db()
    assert application.status == S.HIRED
    assert Placement.objects.filter(student=world.student).count() == 1


def test_only_the_student_or_their_school_answers_an_offer(world):
    application = _offer(world, f.OpeningFactory(company=world.company_a))
    for outsider in (world.recruiter_a, world.school_b_staff, world.official):
        with pytest.raises(PermissionDenied):
            application_accept_offer(application=application, by=outsider)
    application.refresh_from_db()
    assert application.status == S.OFFERED


def test_an_expired_offer_cannot_be_accepted(world):
    application = _offer(world, f.OpeningFactory(company=world.company_a))
    Application.objects.filter(pk=application.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    application.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        application_accept_offer(application=application, by=world.student_user)
    assert refused.value.code == "offer_expired"
    assert not Placement.objects.exists()


def test_accepting_when_the_seats_are_gone_is_refused(world, opening):
    taker = _student(world, "먼저")
    first = _offer(world, opening, student=taker)
    second = _offer(world, opening)
    application_accept_offer(application=first, by=taker.user)
    with pytest.raises(ValidationError) as refused:
        application_accept_offer(application=second, by=world.student_user)
    assert refused.value.code == "no_seat"
    second.refresh_from_db()
    assert second.status == S.OFFERED


def test_decline_offer(world):
    application = _offer(world, f.OpeningFactory(company=world.company_a))
    application_decline_offer(application=application, by=world.student_user)
    application.refresh_from_db()
    assert application.status == S.DECLINED
    with pytest.raises(ValidationError):
        application_accept_offer(application=application, by=world.student_user)


def test_an_unverified_companys_recruiter_cannot_move(world):
    pending = f.CompanyFactory(
        district=world.district, verification=Company.Verification.PENDING, verified_at=None
    )
    user = f.UserFactory()
    f.MembershipFactory(
        user=user, district=world.district, role=Membership.Role.COMPANY_RECRUITER, company=pending
    )
    opening = f.OpeningFactory(company=pending)
    application = f.ApplicationFactory(student=world.student, opening=opening)
    with pytest.raises(PermissionDenied):
        application_move(application=application, to_status=S.REVIEWING, by=user)


# --- Concurrency: the last seat ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_racing_for_the_last_seat_fill_it_once(world):
    """Two school staff accept offers into a one-seat opening for two students at the same moment."""
    opening = f.OpeningFactory(company=world.company_a, seats=1)
    colleague = f.UserFactory(username="colleague")
    f.MembershipFactory(
        user=colleague,
        district=world.district,
        role=Membership.Role.SCHOOL_STAFF,
        school=world.school_a,
    )
    applications = [
        application_move(
            application=f.ApplicationFactory(
                student=_student(world, f"경쟁{n}", with_user=False), opening=opening
            ),
            to_status=S.OFFERED,
            by=world.recruiter_a,
        )
        for n in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def hire(application, user):
        try:
            barrier.wait(timeout=5)
            application_accept_offer(application=application, by=user)
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=hire, args=(applications[0], world.school_a_staff)),
        threading.Thread(target=hire, args=(applications[1], colleague)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["accepted", "no_seat"]
    assert Placement.objects.filter(opening=opening).count() == 1
    assert Application.objects.filter(opening=opening, status=S.ACCEPTED).count() == 1
