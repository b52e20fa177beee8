"""The weekly reminder of applications with no status change for 7 days: once a week per company."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from companies.models import Company
from placements.models import Application
from placements.services.company_mail import week_of
from placements.tasks import stale_applications_remind, stale_applications_reminder_send
from tests import factories as f
from tests.companies.conftest import apply

S = Application.Status


def test_it_is_scheduled_weekly():
    entry = settings.CELERY_BEAT_SCHEDULE["stale-application-reminders"]
    assert entry["task"] == "placements.stale_applications_remind"
    schedule = entry["schedule"]
    assert schedule.day_of_week == {1}  # Monday
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1


@pytest.fixture
def stale_world(world, opening_a, opening_b):
    apply(world.student, opening_a, status=S.INTERVIEW, changed_days_ago=9)
    apply(f.StudentFactory(department=world.department_a, name="최근지원"), opening_a, changed_days_ago=2)
    apply(f.StudentFactory(department=world.department_b, name="오래된"), opening_b, changed_days_ago=8)
    apply(
        f.StudentFactory(department=world.department_b, name="제안중"),
        opening_b,
        status=S.OFFERED,
        changed_days_ago=30,
    )
    return world


def test_each_company_with_stale_applications_is_reminded(stale_world):
    world = stale_world
    assert stale_applications_remind() == 2
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([world.recruiter_a.email, world.recruiter_b.email])
    message_a = next(m for m in mail.outbox if m.to == [world.recruiter_a.email])
    assert "김하늘" in message_a.body and "최근지원" not in message_a.body
    message_b = next(m for m in mail.outbox if m.to == [world.recruiter_b.email])
    # An offer waits on the student, not the company.
    assert "오래된" in message_b.body and "제안중" not in message_b.body
    assert Company.objects.get(pk=world.company_a.pk).stale_reminder_week == week_of(timezone.localdate())


def test_running_again_in_the_same_week_sends_nothing(stale_world):
    stale_applications_remind()
    sent = len(mail.outbox)
    assert stale_applications_remind() == 0
    assert stale_applications_reminder_send(stale_world.company_a.pk) == 0  # a redelivered task
    assert len(mail.outbox) == sent


def test_next_week_it_reminds_again(stale_world):
    stale_applications_remind()
    last_week = week_of(timezone.localdate()) - datetime.timedelta(days=7)
    Company.objects.update(stale_reminder_week=last_week)
    mail.outbox.clear()
    assert stale_applications_remind() == 2
    assert len(mail.outbox) == 2


def test_a_company_with_nothing_stale_hears_nothing_and_keeps_its_week(world, opening_a):
    apply(world.student, opening_a, changed_days_ago=3)
    assert stale_applications_remind() == 0
    assert stale_applications_reminder_send(world.company_a.pk) == 0
    assert mail.outbox == []
    assert Company.objects.get(pk=world.company_a.pk).stale_reminder_week is None


def test_a_mail_failure_gives_the_week_back_for_the_retry(stale_world):
    company = stale_world.company_a
    with (
        mock.patch("placements.services.company_mail.send_to_each", side_effect=ConnectionError("smtp down")),
        pytest.raises(ConnectionError),
    ):
        stale_applications_reminder_send.run(company.pk)
    assert Company.objects.get(pk=company.pk).stale_reminder_week is None
    assert stale_applications_reminder_send(company.pk) == 1


def test_inactive_recruiters_are_not_emailed(stale_world):
    from district.models import Membership

    Membership.objects.filter(user=stale_world.recruiter_a).update(is_active=False)
    stale_applications_reminder_send(stale_world.company_a.pk)
    assert mail.outbox == []
