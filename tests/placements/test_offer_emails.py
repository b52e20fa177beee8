"""Offer emails on publication (issue 17): one row per email, written with the offers; one paced
task per email (Celery's rate_limit); sent, retried and failed on the row; the run's page counts
them and re-sends the failed ones.

Celery runs eagerly here (tests/conftest.py), through the real tasks and their retry policy.
The mail server that refuses an address is a test email backend (the edge we cannot run:
SMTP); the database, the tasks and the pages are the real ones.
"""

from __future__ import annotations

import smtplib

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements import tasks
from placements.models import Application, OfferEmail
from placements.selectors.runs import OfferEmailCounts, offer_email_counts
from placements.services.runs import match_run_publish, offer_emails_retry
from tests import factories as f
from tests.builders import SETUP, assert_refused, build_market, build_world, executed_run, run_setup

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
E = OfferEmail.Status
NOT_OFFICIALS = ["school_a_staff", "recruiter_a", "coordinator", "student_user"]
MINJUN = "minjun@heunghae.hs.kr"
DOYUN = "doyun@jecheol.hs.kr"


class RefusingBackend(LocmemBackend):
    """A mail server that refuses the addresses in `refused` (as SMTP does: the whole send fails)."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if address in self.refused:
                    raise smtplib.SMTPRecipientsRefused(
                        {address: (550, f"5.1.1 <{address}>: Recipient address rejected".encode())}
                    )
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    """The refusing mail server, with Celery's retries run as a worker runs them: eagerly, a
    task's error is a retry and then a result, not an exception raised into the publishing
    request (the conftest's `task_eager_propagates`, set again for the next test)."""
    from config.celery import app

    app.conf.task_eager_propagates = False
    settings.EMAIL_BACKEND = "tests.placements.test_offer_emails.RefusingBackend"
    RefusingBackend.refused = set()
    yield RefusingBackend.refused
    RefusingBackend.refused = set()


@pytest.fixture
def market(world):
    """The run tests' market, with an address for every offered student: 김하늘 (her account),
    이민준 and 정도윤 (their schools')."""
    market = build_market(world)
    for student, address in ((market.minjun, MINJUN), (market.doyun, DOYUN)):
        student.email = address
        student.save(update_fields=["email"])
    return market


def run_page(run) -> str:
    return reverse("admin:placements_matchrun_change", args=[run.pk])


def retry_url(run) -> str:
    return reverse("admin:placements_matchrun_retry_emails", args=[run.pk])


def student_mail() -> list[str]:
    """The offer emails sent, by address (the summaries to the companies' recruiters left out)."""
    return sorted(m.to[0] for m in mail.outbox if not m.to[0].startswith("recruiter_"))


def statuses(run) -> dict[str, tuple[str, int]]:
    return {
        e.application.student.name: (e.status, e.attempts)
        for e in OfferEmail.objects.filter(run=run).select_related("application__student")
    }


def publish(run, world, callbacks):
    with callbacks(execute=True):
        return match_run_publish(run=run, by=world.official)


# --- Publication ----------------------------------------------------------------------------------


def test_publishing_queues_one_email_per_offer_in_its_transaction(
    world, market, django_capture_on_commit_callbacks
):
    run = executed_run(world)
    with django_capture_on_commit_callbacks() as callbacks:  # not run: the transaction's state
        match_run_publish(run=run, by=world.official)
    # Written with the offers, before anything is sent or enqueued.
    offers = Application.objects.filter(match__run=run)
    assert sorted(
        OfferEmail.objects.values_list("application_id", "status", "attempts", "sent_at")
    ) == sorted((pk, E.QUEUED, 0, None) for pk in offers.values_list("pk", flat=True))
    assert offer_email_counts(run) == OfferEmailCounts(queued=3)
    assert (len(callbacks), mail.outbox) == (1, [])


def test_a_student_without_an_address_gets_no_email_row(world, market, django_capture_on_commit_callbacks):
    market.doyun.email = ""
    market.doyun.save(update_fields=["email"])
    run = publish(executed_run(world), world, django_capture_on_commit_callbacks)
    assert statuses(run) == {"김하늘": (E.SENT, 1), "이민준": (E.SENT, 1)}
    assert student_mail() == [MINJUN, "student@example.kr"]


def test_each_email_is_sent_by_its_own_task_and_marked_sent(
    world, market, django_capture_on_commit_callbacks
):
    run = publish(executed_run(world), world, django_capture_on_commit_callbacks)
    assert statuses(run) == {"김하늘": (E.SENT, 1), "이민준": (E.SENT, 1), "정도윤": (E.SENT, 1)}
    assert OfferEmail.objects.filter(sent_at__isnull=True).count() == 0
    assert offer_email_counts(run) == OfferEmailCounts(sent=3)
    assert student_mail() == [DOYUN, MINJUN, "student@example.kr"]
    assert len(mail.outbox) == 5  # and one summary to each of the two companies
    # A redelivered task (or chunk) sends nothing twice.
    email = OfferEmail.objects.get(application__student=market.minjun)
    assert tasks.offer_email_send.delay(email.pk).get() == 0
    assert tasks.match_offer_emails_send.delay([email.application_id]).get() == 0
    assert len(mail.outbox) == 5


def test_an_offer_answered_before_its_email_goes_out_needs_none(
    world, market, django_capture_on_commit_callbacks
):
    run = executed_run(world)
    with django_capture_on_commit_callbacks():
        match_run_publish(run=run, by=world.official)
    Application.objects.filter(student=market.minjun).update(status=Application.Status.DECLINED)
    emails = OfferEmail.objects.order_by("pk")
    assert [tasks.offer_email_send.delay(e.pk).get() for e in emails] == [
        0 if e.application.student_id == market.minjun.pk else 1 for e in emails
    ]
    assert offer_email_counts(run) == OfferEmailCounts(sent=2, skipped=1)
    assert student_mail() == [DOYUN, "student@example.kr"]


# --- Pacing -----------------------------------------------------------------------------------------


def test_the_offer_email_task_is_paced_by_the_setting():
    assert settings.OFFER_EMAIL_RATE_LIMIT == "1/s"
    assert tasks.offer_email_send.rate_limit == settings.OFFER_EMAIL_RATE_LIMIT
    # One email per task, so that the limit paces the emails (the chunk task only queues them).
    assert tasks.match_offer_emails_send.rate_limit is None


def test_the_rate_comes_from_the_environment_and_a_bad_one_stops_the_process():
    code = SETUP + "from placements import tasks\nprint(tasks.offer_email_send.rate_limit)"
    result = run_setup(code, DEBUG="true", OFFER_EMAIL_RATE_LIMIT="30/m")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "30/m"
    assert_refused(run_setup(DEBUG="true", OFFER_EMAIL_RATE_LIMIT="fast"), "OFFER_EMAIL_RATE_LIMIT", "'fast'")
    assert_refused(run_setup(DEBUG="true", OFFER_EMAIL_RATE_LIMIT="0/s"), "OFFER_EMAIL_RATE_LIMIT")


# --- Failure and retry --------------------------------------------------------------------------------


def test_a_refused_address_ends_failed_after_the_retries_and_the_others_are_sent(
    world, market, refusing, django_capture_on_commit_callbacks
):
    refusing.add(MINJUN)
    run = publish(executed_run(world), world, django_capture_on_commit_callbacks)
    # The first attempt and MAIL_RETRY's five retries; then failed, for the page to re-send.
    assert statuses(run) == {"김하늘": (E.SENT, 1), "이민준": (E.FAILED, 6), "정도윤": (E.SENT, 1)}
    failed = OfferEmail.objects.get(status=E.FAILED)
    # The error, without the address the server quoted.
    assert failed.last_error == (
        "SMTPRecipientsRefused: {'<…>': (550, b'5.1.1 <…>: Recipient address rejected')}"
    )
    assert (failed.sent_at, MINJUN in failed.last_error) == (None, False)
    assert offer_email_counts(run) == OfferEmailCounts(sent=2, failed=1)
    assert student_mail() == [DOYUN, "student@example.kr"]


def test_the_page_shows_the_counts_and_its_button_re_sends_only_the_failed(
    world, market, official, refusing, django_capture_on_commit_callbacks
):
    refusing.update({MINJUN, DOYUN})
    run = publish(executed_run(world), world, django_capture_on_commit_callbacks)
    html = official.get(run_page(run), **EN).content.decode()
    assert (
        '<p id="offer-email-counts" data-queued="0" data-sent="1" data-failed="2">'
        "Queued 0 · Sent 1 · Failed 2</p>"
    ) in html
    # The box is inside the admin's change form: the button submits its own form, placed after it.
    assert (
        '<button type="submit" form="offer-emails-retry" class="button" id="retry-emails">Send again</button>'
        in html
    )
    assert f'<form method="post" action="{retry_url(run)}" id="offer-emails-retry">' in html
    sent_before = len(mail.outbox)

    refusing.clear()  # the mail server works again
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(retry_url(run), **EN)
    assert (response.status_code, response["Location"]) == (302, run_page(run) + "#offer-emails")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 offer emails are queued again."]
    assert statuses(run) == {"김하늘": (E.SENT, 1), "이민준": (E.SENT, 7), "정도윤": (E.SENT, 1 + 6)}
    assert offer_email_counts(run) == OfferEmailCounts(sent=3)
    # Exactly the two that had failed went out; 김하늘 got hers once.
    assert sorted(m.to[0] for m in mail.outbox[sent_before:]) == [DOYUN, MINJUN]
    html = official.get(run_page(run), **EN).content.decode()
    assert "Queued 0 · Sent 3 · Failed 0" in html and 'id="retry-emails"' not in html
    # Nothing failed any more: the button does nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = official.post(retry_url(run), **EN)
    assert [str(m) for m in get_messages(again.wsgi_request)] == ["0 offer emails are queued again."]
    assert len(mail.outbox) == sent_before + 2


def test_the_retry_queues_the_failed_before_they_are_sent(
    world, market, refusing, django_capture_on_commit_callbacks
):
    refusing.add(MINJUN)
    run = publish(executed_run(world), world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as callbacks:
        assert offer_emails_retry(run=run, by=world.official) == 1
    assert offer_email_counts(run) == OfferEmailCounts(queued=1, sent=2)
    assert len(callbacks) == 1


def test_before_publication_the_page_says_when_emails_go_out(world, market, official):
    run = executed_run(world)
    html = official.get(run_page(run), **EN).content.decode()
    assert '<p id="offer-emails-empty">No email has gone out yet.' in html
    assert 'id="offer-email-counts"' not in html and 'id="retry-emails"' not in html


def test_while_emails_are_queued_the_page_offers_a_refresh(
    world, market, official, django_capture_on_commit_callbacks
):
    run = executed_run(world)
    with django_capture_on_commit_callbacks():  # published, the emails not sent yet
        match_run_publish(run=run, by=world.official)
    html = official.get(run_page(run), **EN).content.decode()
    assert "Queued 3 · Sent 0 · Failed 0" in html
    assert f'<a href="{run_page(run)}#offer-emails" id="offer-emails-refresh">Refresh</a>' in html


# --- Who may re-send ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_OFFICIALS)
def test_non_officials_cannot_re_send(
    request, world, market, refusing, persona, django_capture_on_commit_callbacks
):
    refusing.add(MINJUN)
    run = publish(executed_run(world), world, django_capture_on_commit_callbacks)
    client = request.getfixturevalue(persona)
    response = client.post(retry_url(run))
    # The admin sends anyone who is not an official to its login page, as for publishing.
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    with pytest.raises(PermissionDenied):
        offer_emails_retry(run=run, by=getattr(world, persona))
    assert offer_email_counts(run) == OfferEmailCounts(sent=2, failed=1)


def test_an_official_cannot_re_send_another_districts_emails(
    world, official, refusing, django_capture_on_commit_callbacks
):
    """Ansan's published run, one of its emails failed: Pohang's official neither sees nor re-sends it."""
    ansan = build_world(f.DistrictFactory(slug="ansan", name="안산"), prefix="ansan_")
    build_market(ansan)
    refusing.add("ansan_student@example.kr")
    run = publish(executed_run(ansan), ansan, django_capture_on_commit_callbacks)
    assert offer_email_counts(run) == OfferEmailCounts(failed=1)
    assert official.post(retry_url(run)).status_code == 404  # out of their scope, as publishing
    assert official.get(run_page(run)).status_code == 302  # the admin's "no such object"
    with pytest.raises(PermissionDenied):
        offer_emails_retry(run=run, by=world.official)
    assert offer_email_counts(run) == OfferEmailCounts(failed=1)


def test_the_retry_is_a_post(world, market, official):
    run = executed_run(world)
    assert official.get(retry_url(run)).status_code == 405


# --- Publishing's cost ------------------------------------------------------------------------------------


def _round_of(world, n: int, cohort: int):
    """A closed round of `n` students of `cohort`, each ranking one opening with a seat for everyone,
    each with a profile worth a snapshot (a certification, an activity) and an address."""
    import datetime

    from django.utils import timezone

    f.MatchRoundFactory(
        district=world.district,
        cohort=cohort,
        preferences_close_at=timezone.now() - datetime.timedelta(hours=1),
    )
    opening = f.OpeningFactory(company=world.company_a, title=f"공고 {cohort}", seats=n)
    certification = f.CertificationFactory()
    for i in range(n):
        student = f.StudentFactory(department=world.department_a, cohort=cohort, email=f"s{cohort}-{i}@hs.kr")
        f.PreferenceFactory(student=student, opening=opening, rank=1)
        f.StudentCertificationFactory(student=student, certification=certification)
        student.activities.create(kind="award", title="상", date=datetime.date(2025, 5, 1))


def _publication_queries(world, n: int, cohort: int, callbacks) -> int:
    from placements.services.run_execution import match_run_execute
    from placements.services.runs import match_run_start

    _round_of(world, n, cohort)
    run = match_run_start(district=world.district, cohort=cohort, by=world.official, enqueue=False)
    run = match_run_execute(run_id=run.pk)
    with callbacks(), CaptureQueriesContext(connection) as captured:
        match_run_publish(run=run, by=world.official)
    assert OfferEmail.objects.filter(run=run).count() == n
    assert Application.objects.filter(match__run=run, profile_snapshot__isnull=False).count() == n
    return len(captured)


def test_publishing_costs_the_same_queries_for_3_offers_and_for_30(world, django_capture_on_commit_callbacks):
    few = _publication_queries(world, 3, 2026, django_capture_on_commit_callbacks)
    many = _publication_queries(world, 30, 2027, django_capture_on_commit_callbacks)
    # Six savepoint statements; the run locked, checked (another run published?) and saved; the
    # plan (placed students, active applications, closed openings, the matches); the snapshots
    # (students, openings, companies; certifications, curriculum units, attendance, field
    # practice, 자기소개서, activities, projects; one insert); the offers, their events, the
    # openings' titles, the run's statistics and the offer emails. No project file and no
    # account here: linking files and notifying accounts would add one insert each, for any
    # number of offers. Before issue 17 each offer's snapshot cost eight queries of its own.
    assert few == many == 32
