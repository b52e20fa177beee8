"""Who may move an application where: every (from, to) pair, for every role, through the services.

The expected table is written out here, not imported: it is the rule of issue 12 (DESIGN §5),
and `placements.models.TRANSITIONS` must give exactly it. A forced hire (a
recruiter moving an applicant to `hired` before the student accepted) fails it.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from placements.models import Application, Placement
from placements.services.applications import (
    application_accept_offer,
    application_decline_offer,
    application_move,
    application_record_outside_hire,
    application_withdraw,
)
from tests import factories as f

S = Application.Status
BEFORE_OFFER = {S.SUBMITTED, S.REVIEWING, S.INTERVIEW}

STUDENT_MOVES = {(status, S.WITHDRAWN) for status in BEFORE_OFFER} | {
    (S.OFFERED, S.ACCEPTED),
    (S.OFFERED, S.DECLINED),
}
EXPECTED = {
    "recruiter of the company": {
        (S.SUBMITTED, S.REVIEWING),
        (S.SUBMITTED, S.INTERVIEW),
        (S.SUBMITTED, S.OFFERED),
        (S.SUBMITTED, S.REJECTED),
        (S.REVIEWING, S.INTERVIEW),
        (S.REVIEWING, S.OFFERED),
        (S.REVIEWING, S.REJECTED),
        (S.INTERVIEW, S.OFFERED),
        (S.INTERVIEW, S.REJECTED),
        (S.OFFERED, S.REJECTED),  # withdrawing the offer, with a reason
        (S.ACCEPTED, S.HIRED),
        (S.ACCEPTED, S.CANCELLED),
    },
    "the student": STUDENT_MOVES,
    "staff of the student's school": STUDENT_MOVES
    | {(status, S.HIRED) for status in (*BEFORE_OFFER, S.OFFERED)},  # a hire made outside the portal
    "official": set(),
    "staff of another school": set(),
    "recruiter of another company": set(),
}


def _actor(world, role):
    return {
        "recruiter of the company": world.recruiter_a,
        "the student": world.student_user,
        "staff of the student's school": world.school_a_staff,
        "official": world.official,
        "staff of another school": world.school_b_staff,
        "recruiter of another company": world.recruiter_b,
    }[role]


def _application_in(world, opening, status) -> Application:
    """The world's student's application in `status`, with what the real path leaves with it."""
    now = timezone.now()
    fields = {}
    if status in (S.OFFERED, S.ACCEPTED, S.HIRED, S.DECLINED):
        fields = {"offered_at": now, "offer_expires_at": now + datetime.timedelta(days=7)}
    application = f.ApplicationFactory(student=world.student, opening=opening, status=status, **fields)
    if status in (S.ACCEPTED, S.HIRED):
        f.PlacementFactory(
            student=world.student, company=opening.company, opening=opening, application=application
        )
    return application


def _attempts(application_id, to_status, by):
    """Each service call that could move the application to `to_status`."""

    def fresh():
        return Application.objects.select_related("student", "opening__company").get(pk=application_id)

    calls = [lambda: application_move(application=fresh(), to_status=to_status, by=by, note="사유")]
    if to_status == S.WITHDRAWN:
        calls.append(lambda: application_withdraw(application=fresh(), by=by))
    if to_status == S.ACCEPTED:
        calls.append(lambda: application_accept_offer(application=fresh(), by=by))
    if to_status == S.DECLINED:
        calls.append(lambda: application_decline_offer(application=fresh(), by=by))
    if to_status == S.HIRED:
        calls.append(
            lambda: application_record_outside_hire(
                application=fresh(),
                by=by,
                starts_on=datetime.date(2027, 3, 2),
                student_agreed=True,
                note="학생과 보호자 동의서 제출",
            )
        )
    return calls


def _moves(world, by) -> set[tuple[str, str]]:
    """Every (from, to) pair that some service lets `by` make; each try is rolled back."""
    opening = f.OpeningFactory(company=world.company_a, seats=5)
    allowed = set()
    for from_status in S.values:
        application = _application_in(world, opening, from_status)
        for to_status in S.values:
            for call in _attempts(application.pk, to_status, by):
                try:
                    with transaction.atomic():
                        moved = call()
                        if moved.status == to_status:
                            allowed.add((from_status, to_status))
                        transaction.set_rollback(True)
                except (PermissionDenied, ValidationError):
                    pass
        # Only one active application per opening, and one active placement per student.
        Placement.objects.filter(application=application).delete()
        application.delete()
    return allowed


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_may_make_exactly_its_moves(world, role):
    assert _moves(world, _actor(world, role)) == EXPECTED[role]


# --- The company's moves that need a reason ---------------------------------------------------


def _offered(world, opening):
    return application_move(
        application=f.ApplicationFactory(student=world.student, opening=opening),
        to_status=S.OFFERED,
        by=world.recruiter_a,
    )


def test_withdrawing_an_offer_needs_a_reason_the_student_reads(world, settings):
    from placements.models import Notification

    settings.LANGUAGE_CODE = "en"  # the language notifications are written in

    application = _offered(world, f.OpeningFactory(company=world.company_a, title="배터리 공정"))
    with pytest.raises(ValidationError) as refused:
        application_move(application=application, to_status=S.REJECTED, by=world.recruiter_a, note=" ")
    assert [e.code for e in refused.value.error_dict["note"]] == ["feedback_required"]

    application_move(
        application=application, to_status=S.REJECTED, by=world.recruiter_a, note="채용 계획 변경"
    )

    application.refresh_from_db()
    assert (application.status, application.feedback) == (S.REJECTED, "채용 계획 변경")
    assert Notification.objects.filter(user=world.student_user).latest("pk").text == (
        f"{world.company_a.name} withdrew its offer for “배터리 공정”. Their message: “채용 계획 변경”"
    )


def test_cancelling_an_accepted_job_frees_the_seat_and_tells_the_student_and_school(
    world, django_capture_on_commit_callbacks, mailoutbox, settings
):
    from placements.models import Notification
    from placements.services.applications import seats_taken

    settings.LANGUAGE_CODE = "en"  # the language notifications and emails are written in
    opening = f.OpeningFactory(company=world.company_a, seats=1, title="배터리 공정")
    application = _offered(world, opening)
    application_accept_offer(application=application, by=world.student_user)
    assert seats_taken(opening.pk) == 1
    with pytest.raises(ValidationError) as refused:
        application_move(application=application, to_status=S.CANCELLED, by=world.recruiter_a)
    assert list(refused.value.message_dict) == ["note"]

    with django_capture_on_commit_callbacks(execute=True):
        application_move(
            application=application,
            to_status=S.CANCELLED,
            by=world.recruiter_a,
            note="사업장 이전으로 채용 취소",
        )

    application.refresh_from_db()
    assert (application.status, application.feedback) == (S.CANCELLED, "사업장 이전으로 채용 취소")
    assert not Placement.objects.filter(student=world.student).exists()
    assert seats_taken(opening.pk) == 0
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            [world.student_user.email],
            "[Innovation District Portal] News on your application to “배터리 공정”",
        ),
        (
            [world.school_a_staff.email],
            f"[Innovation District Portal] {world.company_a.name} cancelled the job of {world.student.name}",
        ),
    ]
    assert Notification.objects.filter(user=world.student_user).latest("pk").text == (
        f"{world.company_a.name} cancelled the job “배터리 공정” you had accepted. "
        "Their message: “사업장 이전으로 채용 취소”"
    )
    assert "사업장 이전으로 채용 취소" in mailoutbox[0].body
    assert "사업장 이전으로 채용 취소" in mailoutbox[1].body
    assert f"/school/students/{world.student.pk}/" in mailoutbox[1].body
