"""Matching runs from start to offers: placements.services.runs, its task and the match_round command.

The `market` fixture is a small round of the Pohang world, built so that every kind of
outcome happens once (other run tests import it):

- 김하늘 (world.student, with an account) holds 전기기능사 (checked by the school), studies
  in the department that 양극재 공정 prefers, has completed two of its job role's NCS units
  and lives 15 minutes away: she gets her first choice (fit 10 + 8 + 30 + 15 = 63);
- 이민준 also holds it (not checked yet: eligible, no points) but fits less (8 + 30 = 38):
  양극재 공정 (one seat) is filled, he gets 재활용 설비;
- 박서연 lacks 전기기능사: not eligible for 양극재 공정, and her second choice has closed;
- 최지우 ranked nothing; 정도윤 gets his only choice, 재활용 설비;
- a 2027 student and a student who left school are not part of the round.
"""

from __future__ import annotations

import datetime
import threading
import time
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from companies.models import Opening
from district.models import Membership
from placements import tasks
from placements.models import Application, Match, MatchRun, Notification, Placement
from placements.services import run_execution
from placements.services.applications import seats_taken
from placements.services.run_execution import match_run_execute
from placements.services.runs import match_run_publish, match_run_start
from schools.models import Activity, Project, SelfIntroduction, StudentCertification
from tests import factories as f
from tests.builders import build_market, executed_run


@pytest.fixture
def market(world):
    return build_market(world)


def outcomes(run) -> dict[str, str | None]:
    return {
        m.student.name: (m.opening.title if m.opening else None)
        for m in run.matches.select_related("student", "opening")
    }


# --- Starting and executing ---------------------------------------------------------------------------


def test_start_queues_the_run_and_the_task_executes_it_on_commit(
    world, market, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = match_run_start(district=world.district, cohort=2026, by=world.official)
    assert run.status == MatchRun.Status.QUEUED
    assert (run.round, run.district, run.cohort, run.created_by) == (
        market.round,
        world.district,
        2026,
        world.official,
    )
    assert not run.matches.exists()
    assert len(callbacks) == 1
    callbacks[0]()  # the task, run eagerly
    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED
    assert run.started_at <= run.finished_at


def test_a_run_stores_one_outcome_per_student_and_its_statistics(world, market, monkeypatch):
    ticks = iter(range(100))  # a clock that moves a quarter of a second each time it is read
    clock = SimpleNamespace(perf_counter=lambda: next(ticks) / 4, sleep=time.sleep)
    monkeypatch.setattr(run_execution, "time", clock)
    run = executed_run(world)
    assert outcomes(run) == {
        "김하늘": "양극재 공정",
        "이민준": "재활용 설비",
        "박서연": None,
        "최지우": None,
        "정도윤": "재활용 설비",
    }
    haneul = run.matches.get(student=market.haneul)
    # Her checked certification (10), two NCS units of the job role (2 × 4), the preferred
    # department (30) and a 15-minute commute (15).
    assert (haneul.choice_rank, haneul.score) == (1, 10 + 8 + 30 + 15)
    assert haneul.explanation["components"] == {
        "certifications": 10,
        "ncs": 8,
        "field": 30,
        "practice": 0,
        "commute": 15,
        "agreement": 0,
    }
    assert haneul.explanation["verified_certifications"] == ["전기기능사"]
    assert haneul.explanation["ncs_units"] == ["이차전지 전극 공정 관리", "전극 코팅"]
    minjun = run.matches.get(student=market.minjun)
    assert minjun.choice_rank == 2
    # His certificate is not checked yet: 8 for the NCS units and 30 for the department.
    assert minjun.explanation["choices"][0] == {
        "rank": 1,
        "opening": market.cathode.pk,
        "why": "filled",
        "score": 38,
        "cutoff": 63,
        "lottery": False,
    }
    assert run.matches.get(student=market.seoyeon).explanation["choices"] == [
        {"rank": 1, "opening": market.cathode.pk, "why": "not_eligible", "missing": ["전기기능사"]},
        {"rank": 2, "opening": market.closed.pk, "why": "unavailable"},
    ]

    stats = run.stats
    assert (stats["students"], stats["students_who_ranked"], stats["matched"]) == (5, 4, 3)
    assert stats["matched_share"] == 0.6
    assert stats["first_choice_share"] == 0.4  # 김하늘 and 정도윤
    assert stats["top3_share"] == 0.6
    assert stats["unmatched_by_reason"] == {"ranked_nothing": 1, "not_eligible": 1}
    assert stats["seats_by_company"][str(world.company_a.pk)] == {
        "name": "에코프로비엠",
        "seats": 1,
        "filled": 1,
    }
    assert stats["seats_by_company"][str(world.company_b.pk)] == {
        "name": "포스코퓨처엠",
        "seats": 2,
        "filled": 2,
    }
    assert stats["seats_by_segment"] == {"양극재": {"seats": 3, "filled": 3}}
    assert stats["local_share"] == 1.0
    assert stats["seed"] == run.seed == market.round.seed == 20260401
    assert stats["as_of"] == timezone.localdate(run.created_at).isoformat()
    assert stats["input_fingerprint"] == run.input_fingerprint and len(run.input_fingerprint) == 64
    laps = ["load", "fingerprint", "score", "engine", "explain", "write"]
    assert stats["timings"] == dict.fromkeys(laps, 0.25)
    assert stats["duration_seconds"] == 1.75  # the six laps, and the statistics after the write
    assert stats["preferences"] == 7


def test_the_same_inputs_give_the_same_fingerprint_and_a_changed_input_another(world, market):
    first = executed_run(world)
    second = executed_run(world)
    assert second.input_fingerprint == first.input_fingerprint
    assert outcomes(second) == outcomes(first)
    f.PreferenceFactory(student=market.jiwoo, opening=market.recycling)
    assert executed_run(world).input_fingerprint != first.input_fingerprint


def test_a_newly_checked_certificate_changes_the_fingerprint_and_the_fit(world, market):
    first = executed_run(world)
    again = executed_run(world)
    assert again.input_fingerprint == first.input_fingerprint
    assert outcomes(again) == outcomes(first)

    StudentCertification.objects.filter(student=market.minjun).update(
        number="24-1-000456", verified_at=timezone.now()
    )
    checked = executed_run(world)
    assert checked.input_fingerprint != first.input_fingerprint
    # 10 for the certificate now, on top of 38: still below 김하늘's 63.
    minjun = checked.matches.get(student=market.minjun)
    assert (minjun.explanation["choices"][0]["score"], minjun.explanation["choices"][0]["cutoff"]) == (48, 63)


def test_a_unit_completed_only_by_a_later_date_does_not_count_and_the_run_reads_its_own_date(world, market):
    """The run's date is the day it was started (`run_date`), whoever executes it and when.

    On 20 February 2026 the 2026 cohort is still in grade 2 (the school year starts on
    1 March), so only its grade-1 unit (이차전지 전극 공정 관리) is completed, not the
    grade-2 one (전극 코팅).
    """
    run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    started = timezone.make_aware(datetime.datetime(2026, 2, 20, 10, 0))
    MatchRun.objects.filter(pk=run.pk).update(created_at=started)
    run = match_run_execute(run_id=run.pk)
    assert run.stats["as_of"] == "2026-02-20"
    haneul = run.matches.get(student=market.haneul)
    assert haneul.explanation["ncs_units"] == ["이차전지 전극 공정 관리"]
    assert haneul.score == 10 + 4 + 30 + 15
    today = executed_run(world)
    assert today.input_fingerprint != run.input_fingerprint  # grade 2 finished since: one more unit


def test_what_a_student_writes_never_changes_the_fit_or_the_fingerprint(world, market):
    """The fit reads school-recorded facts only: a 자기소개서, awards and projects change nothing."""
    before = executed_run(world)
    for student in (market.haneul, market.minjun, market.seoyeon):
        SelfIntroduction.objects.create(
            student=student,
            growth="전기 설비를 고치며 자랐습니다.",
            motivation="양극재 공정에서 일하고 싶습니다.",
            competence="전기기능사와 PLC 제어를 익혔습니다. 이차전지 전극 공정 관리 이수.",
            aspiration="설비 보전 전문가가 되겠습니다.",
        )
        Activity.objects.create(
            student=student,
            kind=Activity.Kind.AWARD,
            title="전국 기능경기대회 금상",
            date=datetime.date(2026, 5, 1),
            description="전기 제어 부문",
        )
        Project.objects.create(
            student=student,
            title="배터리 셀 검사 장치",
            description="양극재 품질 검사",
            date=datetime.date(2026, 6, 1),
        )
    after = executed_run(world)
    assert after.input_fingerprint == before.input_fingerprint

    def scored(run):
        return sorted(run.matches.values_list("student_id", "opening_id", "score", "explanation"))

    assert scored(after) == scored(before)


def test_two_runs_on_the_same_inputs_give_identical_matchings_with_the_rounds_seed(world):
    """Seed shopping: a re-run used to draw a fresh lottery seed, so it could give another matching.

    Twenty students tie for one seat (same school, department and certifications, no commute):
    only the lottery decides. Runs of a round share its seed, so every run picks the same winner.
    """
    match_round = f.MatchRoundFactory(
        district=world.district,
        cohort=2026,
        preferences_close_at=timezone.now() - datetime.timedelta(hours=1),
    )
    seat = f.OpeningFactory(company=world.company_a, title="단 한 자리", seats=1)
    for i in range(20):
        f.PreferenceFactory(
            student=f.StudentFactory(department=world.department_a, name=f"동점{i}"), opening=seat
        )

    runs = [executed_run(world) for _ in range(3)]

    assert len({run.input_fingerprint for run in runs}) == 1
    winners = [list(run.matches.filter(opening=seat).values_list("student__name", flat=True)) for run in runs]
    assert [len(names) for names in winners] == [1, 1, 1]
    assert winners[0] == winners[1] == winners[2]
    assert [run.seed for run in runs] == [match_round.seed] * 3


def test_the_seed_is_the_rounds_and_cannot_be_chosen_for_a_run(world, market):
    with pytest.raises(TypeError):
        match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False, seed=7)
    assert not MatchRun.objects.exists()
    run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    assert run.seed == market.round.seed


def test_seats_already_filled_are_not_offered_again(world, market):
    hired = f.StudentFactory(department=world.department_b, cohort=2025, status="graduated")
    f.PlacementFactory(student=hired, company=world.company_b, opening=market.recycling)
    run = executed_run(world)
    assert run.stats["seats_by_company"][str(world.company_b.pk)]["seats"] == 1
    assert run.matches.filter(opening=market.recycling).count() == 1


def test_a_student_already_employed_is_left_out(world, market):
    f.PlacementFactory(student=market.doyun, company=world.company_b)
    run = executed_run(world)
    assert run.matches.get(student=market.doyun).explanation["reason"] == "already_placed"
    assert run.stats["unmatched_by_reason"]["already_placed"] == 1


def test_a_student_whose_accepted_job_waits_for_consent_is_left_out(world, market):
    """An acceptance waiting for the guardian's consent makes no placement yet, but holds its seat."""
    f.ApplicationFactory(student=market.doyun, opening=market.recycling, status="accepted")
    run = executed_run(world)
    assert run.matches.get(student=market.doyun).explanation["reason"] == "already_placed"
    assert run.stats["unmatched_by_reason"]["already_placed"] == 1


def _more_students(world, market, n):
    for _ in range(n):
        opening = f.OpeningFactory(company=world.company_b, seats=1)
        opening.preferred_departments.add(world.department_b)
        student = f.StudentFactory(department=world.department_b)
        f.StudentCertificationFactory(student=student)
        f.FieldPracticeFactory(
            student=student,
            company=world.company_b,
            status="completed",
            safety_checked_on=datetime.date(2026, 6, 20),
        )
        f.PreferenceFactory(student=student, opening=opening, rank=1)
        f.PreferenceFactory(student=student, opening=market.recycling, rank=2)
    f.AgreementFactory(company=world.company_b, priority=3)


def test_a_run_reads_its_inputs_with_a_fixed_number_of_queries(world, market):
    def queries() -> int:
        run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
        with CaptureQueriesContext(connection) as captured:
            assert match_run_execute(run_id=run.pk).status == MatchRun.Status.SUCCEEDED
        return len(captured)

    few = queries()
    _more_students(world, market, 25)
    many = queries()
    # The claim, the run, sixteen reads (placements.selectors.runs.round_inputs), the COPY of
    # the matches, the final update and the refresh, plus savepoint statements.
    assert few == many


# --- Refusals ---------------------------------------------------------------------------------------------


def test_a_second_start_is_refused_while_a_run_is_queued_or_running(world, market):
    first = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    with pytest.raises(ValidationError) as refused:
        match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    assert refused.value.code == "run_active"
    with translation.override("en"):
        assert "already queued or running" in refused.value.messages[0]
    MatchRun.objects.filter(pk=first.pk).update(status=MatchRun.Status.RUNNING)
    with pytest.raises(ValidationError):
        match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    match_run_execute(run_id=first.pk)  # running: not claimable, nothing happens
    MatchRun.objects.filter(pk=first.pk).update(status=MatchRun.Status.FAILED)
    assert match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)


def test_a_run_abandoned_past_its_time_limit_does_not_block_the_district(world, market, settings):
    stuck = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.MATCH_RUN_TIME_LIMIT + 120)
    MatchRun.objects.filter(pk=stuck.pk).update(status=MatchRun.Status.RUNNING, started_at=long_ago)
    fresh = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    stuck.refresh_from_db()
    assert stuck.status == MatchRun.Status.FAILED
    # Stored in the district's default language, whoever happened to start the new run.
    with translation.override(settings.LANGUAGE_CODE):
        assert stuck.error == translation.gettext(
            "No worker finished this run within its time limit (its worker stopped, or its task "
            "was lost); it was marked failed when a new run was started."
        )
    assert match_run_execute(run_id=stuck.pk) is None  # a late delivery of the lost task
    assert match_run_execute(run_id=fresh.pk).status == MatchRun.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_a_start_that_loses_the_race_gets_the_same_clear_message(world, market):
    """Two starts on two database connections: the second checks while the first has not committed
    yet, so its check sees no run; it then waits on the first one's row in the unique index, and
    when the first commits, the constraint refuses it with the same message as the check."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs a database with real concurrent sessions")
    first_created, first_may_commit = threading.Event(), threading.Event()
    second_backend: list[int] = []
    outcomes: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
                first_created.set()
                assert first_may_commit.wait(timeout=30)
            outcomes["first"] = run.pk
        except BaseException as error:
            outcomes["first"] = error
        finally:
            connection.close()

    def second() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                second_backend.append(cursor.fetchone()[0])
            assert first_created.wait(timeout=30)
            match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
            outcomes["second"] = "started"
        except ValidationError as refusal:
            outcomes["second"] = refusal
        except BaseException as error:
            outcomes["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()

    def second_waits_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", second_backend)
            return cursor.fetchone() == ("Lock",)

    # The second start got past its check (it saw no queued run) and now waits to insert its own.
    deadline = time.monotonic() + 30
    while not (second_backend and second_waits_on_a_lock()):
        assert time.monotonic() < deadline, f"the second start never waited on the first: {outcomes}"
        time.sleep(0.02)
    first_may_commit.set()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a start hung"

    refused = outcomes["second"]
    assert isinstance(refused, ValidationError), outcomes
    assert refused.code == "run_active"
    with translation.override("en"):
        assert refused.messages == [
            f"A matching run is already queued or running for {world.district.name}. Wait for it to "
            "finish, then start another."
        ]
    assert list(MatchRun.objects.values_list("pk", flat=True)) == [outcomes["first"]]


def test_a_cohort_without_a_round_is_refused(world, market):
    with pytest.raises(ValidationError) as refused:
        match_run_start(district=world.district, cohort=2031, by=world.official)
    assert "cohort" in refused.value.message_dict


@pytest.mark.parametrize("persona", ["school_a_staff", "recruiter_a", "student_user", "coordinator"])
def test_only_officials_of_the_district_start_runs(world, market, persona):
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        match_run_start(district=world.district, cohort=2026, by=user)
    elsewhere = f.UserFactory(username="official_elsewhere")
    other = f.DistrictFactory(slug="ansan", name="안산")
    f.MembershipFactory(user=elsewhere, district=other, role=Membership.Role.OFFICIAL)
    with pytest.raises(PermissionDenied):
        match_run_start(district=world.district, cohort=2026, by=elsewhere)
    assert not MatchRun.objects.exists()


# --- Redelivery and failure ------------------------------------------------------------------------------


def test_a_redelivered_task_does_nothing(world, market):
    run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    assert tasks.match_run_execute.delay(run.pk).get() == "succeeded"
    finished = MatchRun.objects.get(pk=run.pk)
    assert tasks.match_run_execute.delay(run.pk).get() is None
    assert Match.objects.filter(run=run).count() == 5
    assert MatchRun.objects.get(pk=run.pk).finished_at == finished.finished_at


def test_a_run_whose_worker_died_is_taken_over_by_the_redelivered_task(world, market, settings):
    run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.MATCH_RUN_TIME_LIMIT + 120)
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING, started_at=long_ago)
    assert match_run_execute(run_id=run.pk).status == MatchRun.Status.SUCCEEDED
    assert run.matches.count() == 5


def test_a_failure_is_stored_with_its_message_and_leaves_nothing_half_written(world, market, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the statistics broke")

    # Fails after the matches were inserted: the transaction must take them back.
    monkeypatch.setattr(run_execution, "_statistics", broken)
    run = executed_run(world)
    assert run.status == MatchRun.Status.FAILED
    assert run.error == "RuntimeError: the statistics broke"
    assert run.finished_at is not None
    assert not Match.objects.filter(run=run).exists()
    assert run.stats == {} and run.input_fingerprint == ""
    # The district is free for another run.
    monkeypatch.undo()
    assert executed_run(world).status == MatchRun.Status.SUCCEEDED


def test_an_engine_error_is_stored_too(world, market, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("opening 3 has no capacity")

    monkeypatch.setattr(run_execution, "deferred_acceptance", broken)
    run = executed_run(world)
    assert (run.status, run.error) == (MatchRun.Status.FAILED, "ValueError: opening 3 has no capacity")


# --- Publishing ---------------------------------------------------------------------------------------------


def test_publishing_makes_offers_and_notifies_students_and_companies(
    world, market, django_capture_on_commit_callbacks
):
    run = executed_run(world)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_publish(run=run, by=world.official)
    assert (run.status, run.published_by) == (MatchRun.Status.PUBLISHED, world.official)
    offers = Application.objects.filter(source=Application.Source.MATCHING).select_related("match", "student")
    assert {(a.student.name, a.opening.title) for a in offers} == {
        ("김하늘", "양극재 공정"),
        ("이민준", "재활용 설비"),
        ("정도윤", "재활용 설비"),
    }
    for offer in offers:
        assert offer.status == Application.Status.OFFERED
        assert offer.match.run == run and offer.match.student_id == offer.student_id
        assert offer.offered_at >= before
        assert offer.offer_expires_at == offer.offered_at + datetime.timedelta(days=5)
        assert offer.events.get().to_status == "offered"
    assert run.stats["publication"]["offers"] == 3
    notice = Notification.objects.get(user=world.student_user)
    assert (notice.kind, notice.url) == (Notification.Kind.OFFER, "/me/applications/")
    assert "양극재 공정" in notice.text
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["recruiter_a@example.kr", "recruiter_b@example.kr", "student@example.kr"]
    student_mail = next(m for m in mail.outbox if m.to == ["student@example.kr"])
    assert "양극재 공정" in student_mail.body and "/me/applications/" in student_mail.body


def test_emails_are_sent_once_even_when_the_task_is_delivered_twice(
    world, market, django_capture_on_commit_callbacks
):
    run = executed_run(world)
    with django_capture_on_commit_callbacks(execute=True):
        match_run_publish(run=run, by=world.official)
    sent = len(mail.outbox)
    ids = list(Application.objects.values_list("pk", flat=True))
    tasks.match_offer_emails_send.delay(ids)
    tasks.match_company_email_send.delay(run.pk, world.company_a.pk)
    assert len(mail.outbox) == sent


def test_publishing_skips_students_placed_or_applied_meanwhile(world, market):
    run = executed_run(world)
    f.PlacementFactory(student=market.minjun, company=world.company_a)
    f.ApplicationFactory(student=market.doyun, opening=market.recycling)
    run = match_run_publish(run=run, by=world.official)
    assert Application.objects.filter(source=Application.Source.MATCHING).count() == 1
    assert run.stats["publication"]["skipped"] == {"already_placed": 1, "already_applied": 1}


def test_publishing_skips_openings_that_are_no_longer_public(world, market):
    run = executed_run(world)
    # Past its deadline since the run: not public any more (`public_opening_q`), so no offer.
    Opening.objects.filter(pk=market.recycling.pk).update(
        apply_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    run = match_run_publish(run=run, by=world.official)
    offered = set(Application.objects.values_list("opening__title", flat=True))
    assert offered == {"양극재 공정"}
    assert run.stats["publication"]["skipped"] == {"opening_closed": 2}


def test_publishing_is_refused_unless_the_run_succeeded_once(world, market):
    queued = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    with pytest.raises(ValidationError) as refused:
        match_run_publish(run=queued, by=world.official)
    assert refused.value.code == "not_publishable"
    run = match_run_execute(run_id=queued.pk)
    match_run_publish(run=run, by=world.official)
    with pytest.raises(ValidationError) as again:
        match_run_publish(run=run, by=world.official)
    assert again.value.code == "not_publishable"
    assert Application.objects.count() == 3
    with pytest.raises(ValidationError) as rerun:
        match_run_start(district=world.district, cohort=2026, by=world.official)
    assert rerun.value.code == "already_published"


def test_a_second_run_of_a_published_round_cannot_be_published(world, market):
    first, second = executed_run(world), executed_run(world)
    match_run_publish(run=first, by=world.official)
    with pytest.raises(ValidationError) as refused:
        match_run_publish(run=second, by=world.official)
    assert refused.value.code == "already_published"
    assert Application.objects.count() == 3


def test_publishing_waits_until_rankings_close(world):
    build_market(world, close_at=timezone.now() + datetime.timedelta(days=2))
    run = executed_run(world)
    with pytest.raises(ValidationError) as refused:
        match_run_publish(run=run, by=world.official)
    assert refused.value.code == "rankings_open"
    assert not Application.objects.exists()


@pytest.mark.parametrize("persona", ["school_a_staff", "recruiter_a", "student_user"])
def test_only_officials_publish(world, market, persona):
    run = executed_run(world)
    with pytest.raises(PermissionDenied):
        match_run_publish(run=run, by=getattr(world, persona))
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.SUCCEEDED


# --- Students answer through their pages -------------------------------------------------------------------


def test_a_student_accepts_an_offer_from_their_page_and_gets_the_placement(world, market, student_user):
    match_run_publish(run=executed_run(world), by=world.official)
    offer = Application.objects.get(student=market.haneul)
    response = student_user.post(f"/me/applications/{offer.pk}/accept/")
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Application.Status.ACCEPTED
    placement = Placement.objects.get(student=market.haneul)
    assert (placement.opening, placement.application) == (market.cathode, offer)


def test_a_student_declines_an_offer_and_frees_the_seat(world, market, student_user):
    match_run_publish(run=executed_run(world), by=world.official)
    offer = Application.objects.get(student=market.haneul)
    assert student_user.post(f"/me/applications/{offer.pk}/decline/").status_code == 302
    offer.refresh_from_db()
    assert offer.status == Application.Status.DECLINED
    assert not Placement.objects.exists()
    # The seat is free again: nothing holds it, so the company can offer it to someone else.
    assert seats_taken(market.cathode.pk) == 0


def test_a_student_cannot_answer_someone_elses_offer(world, market, student_user):
    match_run_publish(run=executed_run(world), by=world.official)
    theirs = Application.objects.get(student=market.minjun)
    assert student_user.post(f"/me/applications/{theirs.pk}/accept/").status_code == 404
    assert Application.objects.get(pk=theirs.pk).status == Application.Status.OFFERED


# --- The operator's command ---------------------------------------------------------------------


def test_match_round_runs_a_round_and_prints_its_statistics(world, market, capsys):
    call_command("match_round", "--district", "pohang", "--cohort", "2026")
    out = capsys.readouterr().out
    run = MatchRun.objects.get()
    assert (run.status, run.seed, run.created_by) == (MatchRun.Status.SUCCEEDED, market.round.seed, None)
    assert f"Run #{run.pk} succeeded" in out
    assert f"seed                     {market.round.seed}" in out
    assert "matched                  3 (60.0%)" in out
    assert run.input_fingerprint in out


def test_match_round_has_no_seed_option(world, market):
    with pytest.raises(CommandError) as refused:
        call_command("match_round", "--district", "pohang", "--cohort", "2026", "--seed", "99")
    assert "unrecognized arguments: --seed 99" in str(refused.value)
    assert not MatchRun.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--district", "nowhere", "--cohort", "2026"],
            "No district with the slug 'nowhere' (known: pohang).",
        ),
        (
            ["--district", "pohang", "--cohort", "2031"],
            "has no matching round for School year 2031 (graduating February 2032)",
        ),
    ],
)
def test_match_round_refuses_bad_arguments_in_one_line(world, market, args, message):
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("match_round", *args)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
