"""Executing a matching run: claim it, load its inputs, score, match, explain and store.

`match_run_execute` (the task `placements.match_run_execute`) claims the run with a
conditional UPDATE (queued → running), so a redelivered task does nothing while the first
delivery is alive, then computes and stores everything in one transaction; a failure rolls
that back and is recorded in a separate short transaction. A delivery whose worker died is
taken over (see `_owner_lock`). Starting and publishing runs: `placements.services.runs`.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from district.taskbase import TRANSIENT_DB_ERRORS
from placements.matching import deferred_acceptance
from placements.matching.explain import explain_outcomes, fit_explanation, reason_counts
from placements.matching.scoring import build_market, input_fingerprint
from placements.models import Match, MatchRun
from placements.selectors.runs import RoundInputs, round_inputs

logger = logging.getLogger(__name__)

S = MatchRun.Status
MATCH_BATCH_SIZE = 5_000


class _RunLost(Exception):
    """Another worker took the run over (after this one was presumed dead)."""


def stale_after() -> datetime.timedelta:
    # A run still "running" this long after it started has lost its worker: the hard time
    # limit would have killed it. Without PostgreSQL's session locks (SQLite in development),
    # this is how a redelivered task knows it may take the run over.
    return datetime.timedelta(seconds=settings.MATCH_RUN_TIME_LIMIT + 60)


# Namespace of the advisory locks on matching runs (the first key of pg_try_advisory_lock(int, int)).
_RUN_LOCK_NAMESPACE = 0x4D52


@contextmanager
def _owner_lock(run_id: int) -> Iterator[bool]:
    """Hold a session-level advisory lock on the run while this delivery executes it; yields
    whether it was free.

    The lock lives exactly as long as the worker's database session. When the worker dies
    (SIGKILL, the OOM killer, a pool child lost) PostgreSQL ends the session, rolls its
    transaction back and frees the lock, so a redelivered task that finds the run "running"
    and the lock free knows its owner is gone and takes it over at once; while the owner
    lives, the lock is held and a duplicate delivery does nothing. A time-based rule alone
    fails here: with `task_reject_on_worker_lost` a killed pool child's message comes back
    within a second, long before any "stale" threshold, and would be dropped.

    Other databases have no such lock: yields True, and `stale_after` decides instead.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = [_RUN_LOCK_NAMESPACE, run_id % 2**31]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            except DatabaseError:
                # The session is broken, and its lock went with it; do not reuse the connection.
                connection.close()


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Execute a queued run. Returns the run, or None when there was nothing to claim.

    1. Take the run's owner lock (`_owner_lock`); if another live delivery holds it, do nothing.
    2. Claim: UPDATE queued → running, or take over a run left running by a dead worker (on
       PostgreSQL: the lock was free; elsewhere: past `stale_after`). The new start time is
       the owner's token. Zero rows updated means the run is finished (or failed): do nothing.
    3. In one transaction: load the inputs (a fixed number of queries), score, run the
       engine, explain, bulk-insert the matches, store the statistics and mark the run
       succeeded, on condition that this delivery still owns it.
    4. On an error the transaction rolls back (no matches are left behind). A transient
       database error is raised again, leaving the run "running" for the task's retry to take
       over; any other error is recorded in a separate short transaction with its message.
    """
    with _owner_lock(run_id) as free:
        if not free:
            logger.info("match run %s: another live worker is executing it", run_id)
            return None
        now = timezone.now()
        if connection.vendor == "postgresql":
            claimable = Q(status=S.QUEUED) | Q(status=S.RUNNING)
        else:
            claimable = Q(status=S.QUEUED) | Q(status=S.RUNNING, started_at__lt=now - stale_after())
        claimed = MatchRun.objects.filter(claimable, pk=run_id).update(
            status=S.RUNNING, started_at=now, finished_at=None, error=""
        )
        if not claimed:
            logger.info("match run %s: nothing to claim", run_id)
            return None
        run = MatchRun.objects.select_related("round", "district").get(pk=run_id)
        try:
            with transaction.atomic():
                _execute(run, owner=now)
        except TRANSIENT_DB_ERRORS:
            logger.warning("match run %s: transient database error; the retry takes it over", run_id)
            raise
        except Exception as exc:
            logger.exception("match run %s failed", run_id)
            _record_failure(run_id, owner=now, message=_failure_message(exc))
        run.refresh_from_db()
    return run


def _failure_message(exc: Exception) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(exc, SoftTimeLimitExceeded):
            return _("The run took longer than its time limit of %(seconds)d seconds.") % {
                "seconds": settings.MATCH_RUN_SOFT_TIME_LIMIT
            }
        if isinstance(exc, _RunLost):
            return str(_("Another worker took this run over."))
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"[:2000]


def _record_failure(run_id: int, *, owner: datetime.datetime, message: str) -> None:
    with transaction.atomic():
        MatchRun.objects.filter(pk=run_id, status=S.RUNNING, started_at=owner).update(
            status=S.FAILED, error=message, finished_at=timezone.now()
        )


def _execute(run: MatchRun, *, owner: datetime.datetime) -> None:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    started = clock
    inputs = round_inputs(match_round=run.round, today=run_date(run))
    lap("load")
    capacities = inputs.capacities
    ranked_ids = {
        sid: [opening_id for _rank, opening_id in choices]
        for sid, choices in inputs.ranked.items()
        if sid not in inputs.placed
    }
    fingerprint = input_fingerprint(
        students=inputs.students,
        openings=inputs.openings,
        capacities=capacities,
        ranked=ranked_ids,
        context=inputs.context,
    )
    lap("fingerprint")
    market = build_market(
        students=inputs.students,
        openings=inputs.openings,
        ranked=ranked_ids,
        context=inputs.context,
        seed=run.seed,
    )
    del ranked_ids
    lap("score")
    matching = deferred_acceptance(market.student_prefs, market.opening_prefs, capacities)
    lap("engine")
    explanations = explain_outcomes(
        ranked=inputs.ranked,
        matching=matching,
        capacities=capacities,
        opening_scores=market.opening_scores,
        missing=lambda s, o: _missing_names(inputs, s, o),
        matched_detail=lambda s, o: _matched_detail(inputs, s, o),
        excluded=dict.fromkeys(inputs.placed, "already_placed"),
    )
    lap("explain")
    _insert_matches(run.pk, matching, explanations)
    lap("write")
    _test_hold(run.pk)
    stats = _statistics(inputs, matching, explanations, capacities)
    stats.update(
        input_fingerprint=fingerprint,
        seed=run.seed,
        as_of=run_date(run).isoformat(),
        duration_seconds=round(time.perf_counter() - started, 3),
        timings=timings,
    )
    done = MatchRun.objects.filter(pk=run.pk, status=S.RUNNING, started_at=owner).update(
        status=S.SUCCEEDED, stats=stats, input_fingerprint=fingerprint, finished_at=timezone.now(), error=""
    )
    if not done:
        raise _RunLost()


def run_date(run: MatchRun) -> datetime.date:
    """The day a run reads the district as of: the local date on which it was started.

    The public openings, the agreements in force and the NCS units a student has completed
    (grades finished by that day) all depend on a date. Taking it from the run itself, not
    from the clock when a worker executes it, means a delivery retried or taken over after
    midnight reads the same inputs as the first one; a new run of the same round on another
    day reads that day's facts, and its fingerprint shows whether they changed.
    """
    return timezone.localdate(run.created_at)


def _test_hold(run_id: int) -> None:
    """Test-only: hold the run here, inside its transaction with its matches written, until released.

    Off unless `settings.MATCH_RUN_TEST_HOLD` names a file (the settings refuse it with DEBUG
    off); then, while that file exists:

    1. write `<file>.held` (atomically: a temporary file renamed) with the run's id, the number
       of `Match` rows this transaction wrote (not yet visible to anyone else), this process's
       id and its PostgreSQL backend's, so a test knows the run is held, which process to
       kill and when the database has ended its session;
    2. wait until the file is removed (the test's release), polling every 50 ms.

    tests/placements/test_worker_kill.py kills the worker while it waits here, so the kill
    always lands mid-run, whatever the machine's speed, and "no matches afterwards" proves the
    rollback. A redelivery that finds the file gone passes straight through.
    """
    gate = settings.MATCH_RUN_TEST_HOLD
    if not gate or not os.path.exists(gate):
        return
    held = {"run": run_id, "matches": Match.objects.filter(run_id=run_id).count(), "pid": os.getpid()}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            held["backend"] = cursor.fetchone()[0]
    marker = f"{gate}.held"
    with open(f"{marker}.tmp", "w") as file:
        json.dump(held, file)
    os.replace(f"{marker}.tmp", marker)
    while os.path.exists(gate):
        time.sleep(0.05)


def _insert_matches(run_id: int, matching: dict, explanations: dict) -> None:
    """Insert one `Match` per student: through COPY on PostgreSQL (70,000 rows in about two
    seconds, against ten for INSERTs), through bulk_create elsewhere."""
    rows = (
        (run_id, student_id, matching.get(student_id), e.get("choice"), e.get("score"), e)
        for student_id, e in explanations.items()
    )
    if connection.vendor != "postgresql":
        fields = ("run_id", "student_id", "opening_id", "choice_rank", "score", "explanation")
        Match.objects.bulk_create(
            (Match(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=MATCH_BATCH_SIZE
        )
        return
    qn = connection.ops.quote_name
    columns = ", ".join(
        qn(Match._meta.get_field(name).column)
        for name in ("run", "student", "opening", "choice_rank", "score", "explanation")
    )
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {qn(Match._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for run_pk, student_id, opening_id, choice, score, explanation in rows:
            copy.write_row((run_pk, student_id, opening_id, choice, score, dumps(explanation)))


def _missing_names(inputs: RoundInputs, student_id: int, opening_id: int) -> list[str]:
    lacking = inputs.openings[opening_id].required_certifications - inputs.students[student_id].certifications
    names = inputs.certification_names
    return sorted(names.get(c, str(c)) for c in lacking)


def _matched_detail(inputs: RoundInputs, student_id: int, opening_id: int) -> dict:
    return fit_explanation(
        inputs.students[student_id],
        inputs.openings[opening_id],
        inputs.context,
        inputs.certification_names,
        inputs.ncs_unit_names,
    )


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _statistics(inputs: RoundInputs, matching: dict, explanations: dict, capacities: dict) -> dict:
    """The run's figures. Shares are of all students in the round unless named otherwise."""
    students = len(inputs.students)
    matched = len(matching)
    choice_ranks = Counter(e.get("choice") for e in explanations.values() if e["outcome"] == "matched")
    first = choice_ranks.get(1, 0)
    top3 = sum(n for rank, n in choice_ranks.items() if rank is not None and rank <= 3)
    ranked = sum(1 for choices in inputs.ranked.values() if choices)
    facts = inputs.opening_facts
    filled_by_opening = Counter(matching.values())
    by_company: dict[str, dict] = {}
    by_segment: dict[str, dict] = {}
    local = 0
    for opening_id, opening_facts in facts.items():
        filled = filled_by_opening.get(opening_id, 0)
        seats = capacities.get(opening_id, 0)
        company = by_company.setdefault(
            str(opening_facts.company_id),
            {"name": inputs.company_names.get(opening_facts.company_id, ""), "seats": 0, "filled": 0},
        )
        company["seats"] += seats
        company["filled"] += filled
        segment_name = inputs.segment_names.get(opening_facts.segment_id, "-")
        segment = by_segment.setdefault(segment_name, {"seats": 0, "filled": 0})
        segment["seats"] += seats
        segment["filled"] += filled
        if opening_facts.is_local:
            local += filled
    return {
        "students": students,
        "matched": matched,
        "matched_share": _share(matched, students),
        "first_choice_share": _share(first, students),
        "top3_share": _share(top3, students),
        "students_who_ranked": ranked,
        "matched_share_of_those_who_ranked": _share(matched, ranked),
        "unmatched_by_reason": reason_counts(explanations),
        "choice_distribution": {str(rank): n for rank, n in sorted(choice_ranks.items())},
        "openings": len(facts),
        "seats": sum(capacities.values()),
        "seats_filled": matched,
        "preferences": inputs.preference_count,
        "local_share": _share(local, matched),
        "seats_by_segment": dict(sorted(by_segment.items())),
        "seats_by_company": by_company,
    }
