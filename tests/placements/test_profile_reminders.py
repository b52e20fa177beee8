"""Issue 15 (school): the nudge. A student of an open round's cohort with no 자기소개서 gets one
reminder per round: a notice on their page and an email if they have an address."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from district.models import Membership
from placements.models import MatchRound, Notification
from placements.services.profile_reminders import profile_reminders_send, reminder_url
from placements.services.runs import match_round_create
from placements.tasks import profile_reminders_send as profile_reminders_task
from schools.models import SelfIntroduction
from tests import factories as f
from tests.builders import closed_round, open_round, other_student

pytestmark = pytest.mark.django_db


def reminders():
    return sorted(
        Notification.objects.filter(kind=Notification.Kind.MATCHING).values_list("user__username", "url")
    )


@pytest.fixture
def cohort(world):
    """The world's student (no 자기소개서, an account), one at school B with only blanks, one who
    wrote, one without an account, one who left, and one of another cohort."""
    blank = other_student(world, username="blank_student", name="공백")
    SelfIntroduction.objects.create(student=blank, motivation="  ")
    wrote = other_student(world, username="wrote_student", name="작성")
    SelfIntroduction.objects.create(student=wrote, competence="배터리 공정 실습")
    f.StudentFactory(department=world.department_a, name="계정없음")
    left_user = member(world, "left_student")
    f.StudentFactory(department=world.department_a, name="중단", user=left_user, status="left")
    later_user = member(world, "later_student")
    f.StudentFactory(department=world.department_a, name="후배", user=later_user, cohort=2027)
    # An account whose student membership was closed cannot sign in to write one.
    closed = member(world, "closed_student", is_active=False)
    f.StudentFactory(department=world.department_a, name="닫힘", user=closed)
    return world


def member(world, username, **fields):
    user = f.UserFactory(username=username)
    f.MembershipFactory(
        user=user, district=world.district, role=Membership.Role.STUDENT, school=world.school_a, **fields
    )
    return user


def test_it_is_scheduled_daily_at_eight():
    entry = settings.CELERY_BEAT_SCHEDULE["profile-reminders"]
    assert entry["task"] == "placements.profile_reminders_send"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {0})
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"


def test_an_open_round_reminds_each_student_without_a_self_introduction_once(cohort):
    world = cohort
    match_round = open_round(world.district)
    assert profile_reminders_task.delay().get() == 2
    url = reminder_url(match_round)
    assert url == reverse("me:profile") + f"?round={match_round.pk}"
    assert reminders() == [("blank_student", url), ("student", url)]
    assert sorted(m.to[0] for m in mail.outbox) == ["blank_student@example.kr", "student@example.kr"]
    message = next(m for m in mail.outbox if m.to == ["student@example.kr"])
    assert match_round.title in message.subject
    assert message.body.count(settings.PORTAL_BASE_URL + reverse("me:profile")) == 1
    notice = Notification.objects.get(user=world.student_user)
    assert match_round.title in notice.text
    # Running again, as the daily task does, sends nothing more.
    assert profile_reminders_send() == 0
    assert (len(reminders()), len(mail.outbox)) == (2, 2)


def test_a_student_who_writes_meanwhile_is_not_reminded(cohort):
    world = cohort
    open_round(world.district)
    SelfIntroduction.objects.create(student=world.student, growth="포항에서 자랐습니다.")
    assert profile_reminders_send() == 1
    assert reminders()[0][0] == "blank_student"


def test_a_student_without_an_address_gets_the_notice_only(cohort):
    world = cohort
    world.student_user.email = ""
    world.student_user.save()
    world.student.email = ""
    world.student.save()
    open_round(world.district)
    assert profile_reminders_send() == 2
    assert [m.to for m in mail.outbox] == [["blank_student@example.kr"]]


def test_a_closed_round_or_another_district_reminds_nobody(cohort):
    world = cohort
    closed_round(world.district)
    open_round(f.DistrictFactory(name="경주", slug="gyeongju"))
    assert profile_reminders_send() == 0
    assert (reminders(), mail.outbox) == ([], [])


def test_each_new_round_reminds_again(cohort):
    world = cohort
    first = open_round(world.district)
    profile_reminders_send()
    second = open_round(world.district, cohort=2027)
    assert profile_reminders_send() == 1  # the cohort of 2027's student
    assert reminders() == sorted(
        [
            ("blank_student", reminder_url(first)),
            ("student", reminder_url(first)),
            ("later_student", reminder_url(second)),
        ]
    )


def test_a_round_id_limits_the_run_to_that_round(cohort):
    world = cohort
    first = open_round(world.district)
    second = open_round(world.district, cohort=2027)
    assert profile_reminders_send(round_id=second.pk) == 1
    assert profile_reminders_send(round_id=first.pk) == 2
    assert profile_reminders_send(round_id=first.pk) == 0


def test_creating_a_round_sends_its_reminders_after_the_commit(cohort, django_capture_on_commit_callbacks):
    world = cohort
    new = MatchRound(
        district=world.district,
        cohort=2026,
        title="2026 매칭",
        preferences_close_at=timezone.now() + datetime.timedelta(days=10),
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        match_round_create(match_round=new, by=world.official)
    assert len(callbacks) == 1
    assert (new.created_by, len(reminders()), len(mail.outbox)) == (world.official, 2, 2)


def test_a_round_added_in_the_admin_reminds_its_students(
    cohort, official, django_capture_on_commit_callbacks
):
    world = cohort
    closes = timezone.localtime() + datetime.timedelta(days=10)
    form = {
        "district": world.district.pk,
        "cohort": 2026,
        "title": "2026 졸업 예정자 매칭",
        "preferences_close_at_0": closes.date().isoformat(),
        "preferences_close_at_1": "18:00:00",
        "offer_response_days": 7,
        "runs-TOTAL_FORMS": 0,
        "runs-INITIAL_FORMS": 0,
        "runs-MIN_NUM_FORMS": 0,
        "runs-MAX_NUM_FORMS": 1000,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(reverse("admin:placements_matchround_add"), form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[:2000]
    match_round = MatchRound.objects.get()
    assert match_round.created_by == world.official
    assert reminders() == [
        ("blank_student", reminder_url(match_round)),
        ("student", reminder_url(match_round)),
    ]
