"""Messages reach the person they are for (issue 14, §2).

- the recruiter's note on any status change is kept with the change, shown on the student's
  applications page, put in the notification and emailed to the student, word for word;
- accepting an offer closes the student's other open applications (offers declined, the rest
  withdrawn) in the same transaction, and each company reads only "지원이 철회되었습니다";
- afterwards no other company sees a move, and the services refuse the moves too.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from placements.models import Application, ApplicationEvent, Notification, Placement
from placements.services.applications import (
    application_accept_offer,
    application_decline_offer,
    application_move,
    application_submit,
    application_withdraw,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

S = Application.Status
NOTE = "면접은 12월 15일 오전 10시, 본사 2층입니다. 신분증을 가져오세요."


def _apply(world, company, **fields):
    opening = f.OpeningFactory(company=company, title=fields.pop("title", "양극재 공정 운영"), **fields)
    return application_submit(student=world.student, opening=opening, by=world.student_user)


def _student_mail():
    return [message for message in mail.outbox if message.to == [world_email()]]


def world_email():
    return "student@example.com"


@pytest.fixture
def student_address(world):
    world.student_user.email = world_email()
    world.student_user.save(update_fields=["email"])


# --- The recruiter's note on any status change ---------------------------------------------------


def test_a_note_on_an_interview_invitation_reaches_the_student_four_ways(
    world, student_user, student_address, django_capture_on_commit_callbacks
):
    application = _apply(world, world.company_a, title="전극 공정 운영")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_move(application=application, to_status=S.INTERVIEW, by=world.recruiter_a, note=NOTE)

    # 1. kept with the status change
    event = ApplicationEvent.objects.get(application=application, to_status=S.INTERVIEW)
    assert event.note == NOTE
    # 2. in the notification, word for word
    notification = Notification.objects.get(user=world.student_user)
    assert notification.text == (
        f"{world.company_a.name}에서 “전극 공정 운영” 면접에 초대했습니다. 기업의 메시지: “{NOTE}”"
    )
    assert notification.url == "/me/applications/"
    # 3. emailed to the student, word for word
    (message,) = _student_mail()
    assert message.subject == "[직업교육 혁신지구 포털] “전극 공정 운영” 지원 소식"
    assert NOTE in message.body
    assert "http://testserver/me/applications/" in message.body or "/me/applications/" in message.body
    # 4. on the student's applications page
    html = student_user.get("/me/applications/").content.decode()
    assert NOTE in html
    assert "기업의 메시지(면접" in html


@pytest.mark.parametrize("to_status", [S.REVIEWING, S.INTERVIEW, S.OFFERED])
def test_every_move_with_a_note_is_emailed(
    world, student_address, django_capture_on_commit_callbacks, to_status
):
    application = _apply(world, world.company_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_move(
            application=application, to_status=to_status, by=world.recruiter_a, note="메모 " + to_status
        )
    (message,) = _student_mail()
    assert "메모 " + to_status in message.body
    assert (
        ApplicationEvent.objects.get(application=application, to_status=to_status).note == "메모 " + to_status
    )


def test_a_move_without_a_note_notifies_and_emails_without_a_message(
    world, student_address, django_capture_on_commit_callbacks
):
    application = _apply(world, world.company_a, title="품질 검사")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_move(application=application, to_status=S.REVIEWING, by=world.recruiter_a)
    assert Notification.objects.get(user=world.student_user).text == (
        f"{world.company_a.name}에서 “품질 검사” 지원서를 검토하고 있습니다."
    )
    (message,) = _student_mail()
    assert "기업의 메시지" not in message.body


def test_a_long_note_is_shortened_in_the_notification_but_whole_in_the_email(
    world, student_address, django_capture_on_commit_callbacks
):
    application = _apply(world, world.company_a)
    long_note = "가" * 1500
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_move(application=application, to_status=S.REJECTED, by=world.recruiter_a, note=long_note)
    text = Notification.objects.get(user=world.student_user).text
    assert len(text) == 500 and text.endswith("…”")
    (message,) = _student_mail()
    assert long_note in message.body


def test_a_student_without_any_address_gets_the_notification_and_no_email(
    world, django_capture_on_commit_callbacks
):
    world.student_user.email = ""
    world.student_user.save(update_fields=["email"])
    world.student.email = ""
    world.student.save(update_fields=["email"])
    application = _apply(world, world.company_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_move(application=application, to_status=S.INTERVIEW, by=world.recruiter_a, note=NOTE)
    assert mail.outbox == []
    assert Notification.objects.filter(user=world.student_user).count() == 1


def test_another_student_does_not_see_the_note(world, student_user):
    from tests.builders import other_student

    someone = other_student(world)
    theirs = application_submit(
        student=someone, opening=f.OpeningFactory(company=world.company_b), by=someone.user
    )
    application_move(application=theirs, to_status=S.INTERVIEW, by=world.recruiter_b, note="남의 면접 안내")
    assert "남의 면접 안내" not in student_user.get("/me/applications/").content.decode()


# --- Accepting an offer closes the other applications, neutrally ----------------------------


@pytest.fixture
def four(world):
    """The student's offer from company A, plus an offer, an interview and a fresh application elsewhere."""
    mine = _apply(world, world.company_a, title="합격한 공고")
    application_move(application=mine, to_status=S.OFFERED, by=world.recruiter_a)
    other_offer = _apply(world, world.company_b, title="다른 제안")
    application_move(application=other_offer, to_status=S.OFFERED, by=world.recruiter_b)
    interview = _apply(world, world.company_b, title="면접 중")
    application_move(application=interview, to_status=S.INTERVIEW, by=world.recruiter_b)
    fresh = _apply(world, world.company_b, title="막 지원함")
    return mine, other_offer, interview, fresh


def test_accepting_closes_every_other_open_application(world, four, django_capture_on_commit_callbacks):
    mine, other_offer, interview, fresh = four
    world.recruiter_b.email = "recruiter-b@example.com"
    world.recruiter_b.save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_accept_offer(application=mine, by=world.student_user)
    statuses = dict(Application.objects.filter(student=world.student).values_list("opening__title", "status"))
    assert statuses == {
        "합격한 공고": S.ACCEPTED,
        "다른 제안": S.DECLINED,
        "면접 중": S.WITHDRAWN,
        "막 지원함": S.WITHDRAWN,
    }
    for closed in (other_offer, interview, fresh):
        assert (
            closed.events.order_by("-at", "-pk").values_list("note", flat=True)[0] == "지원이 철회되었습니다."
        )
    to_b = [m for m in mail.outbox if m.to == ["recruiter-b@example.com"]]
    assert sorted(m.subject for m in to_b) == sorted(
        f"[직업교육 혁신지구 포털] “{title}” 지원이 철회되었습니다"
        for title in ("다른 제안", "면접 중", "막 지원함")
    )
    for message in to_b:
        assert "채용" not in message.body.replace("채용공고", "")  # nothing about a hire
        assert world.company_a.name not in message.body
    assert Placement.objects.get(student=world.student).application == mine


def test_a_student_withdrawal_and_decline_read_the_same_to_the_company(
    world, django_capture_on_commit_callbacks
):
    world.recruiter_b.email = "recruiter-b@example.com"
    world.recruiter_b.save(update_fields=["email"])
    withdrawn = _apply(world, world.company_b, title="직접 철회")
    offer = _apply(world, world.company_b, title="직접 거절")
    application_move(application=offer, to_status=S.OFFERED, by=world.recruiter_b)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(application=withdrawn, by=world.student_user)
        application_decline_offer(application=offer, by=world.student_user)
    assert sorted(m.subject for m in mail.outbox) == [
        "[직업교육 혁신지구 포털] “직접 거절” 지원이 철회되었습니다",
        "[직업교육 혁신지구 포털] “직접 철회” 지원이 철회되었습니다",
    ]


def test_after_acceptance_other_companies_see_no_move(world, four, recruiter_b):
    mine, other_offer, interview, fresh = four
    application_accept_offer(application=mine, by=world.student_user)
    for closed in (other_offer, interview, fresh):
        response = recruiter_b.get(f"/company/applications/{closed.pk}/")
        assert response.status_code == 200
        assert list(response.context["form"].fields["to_status"].choices) == []
        assert 'id="move"' not in response.content.decode()
        closed.refresh_from_db()
        for to_status in (S.HIRED, S.OFFERED, S.INTERVIEW, S.ACCEPTED):
            with pytest.raises(ValidationError) as refused:
                application_move(application=closed, to_status=to_status, by=world.recruiter_b)
            assert refused.value.code == "invalid_transition"
    history = recruiter_b.get(f"/company/applications/{other_offer.pk}/").content.decode()
    assert "다른 채용 제안을 수락" not in history and "지원이 철회되었습니다." in history


def test_after_acceptance_the_student_cannot_apply_elsewhere(world, four):
    mine = four[0]
    application_accept_offer(application=mine, by=world.student_user)
    with pytest.raises(ValidationError) as refused:
        _apply(world, world.company_b, title="새 공고")
    assert refused.value.code == "already_committed"
    assert refused.value.messages == [
        "김하늘 학생은 이미 채용 제안을 수락하여 다른 공고에 지원할 수 없습니다."
    ]


def test_a_company_cannot_move_a_student_committed_elsewhere(world):
    """An application left open beside an acceptance (recorded before this rule) can only be closed."""
    mine = _apply(world, world.company_a)
    application_move(application=mine, to_status=S.OFFERED, by=world.recruiter_a)
    application_accept_offer(application=mine, by=world.student_user)
    leftover = f.ApplicationFactory(student=world.student, opening=f.OpeningFactory(company=world.company_b))
    with pytest.raises(ValidationError) as refused:
        application_move(application=leftover, to_status=S.INTERVIEW, by=world.recruiter_b)
    assert refused.value.code == "student_unavailable"
    application_move(application=leftover, to_status=S.REJECTED, by=world.recruiter_b, note="마감")
    leftover.refresh_from_db()
    assert leftover.status == S.REJECTED


def test_acceptance_is_all_or_nothing(world, four):
    """When the placement is refused (no seat left), nothing else moves either."""
    mine, other_offer, interview, fresh = four
    mine.opening.seats = 1
    mine.opening.save(update_fields=["seats"])
    f.PlacementFactory(company=world.company_a, opening=mine.opening)
    with pytest.raises(ValidationError) as refused:
        application_accept_offer(application=mine, by=world.student_user)
    assert refused.value.code == "no_seat"
    statuses = sorted(Application.objects.filter(student=world.student).values_list("status", flat=True))
    assert statuses == sorted([S.OFFERED, S.OFFERED, S.INTERVIEW, S.SUBMITTED])


def test_a_placement_recorded_without_an_application_also_stops_new_applications(world):
    f.PlacementFactory(student=world.student, company=world.company_b, application=None)
    with pytest.raises(ValidationError) as refused:
        _apply(world, world.company_a)
    assert refused.value.code == "already_committed"
