"""Matching runs: starting, executing and publishing them, and the offer notices.

Lifecycle (`MatchRun.Status`): queued → running → succeeded | failed, then succeeded →
published. A run is created queued (the draft state is not used: nothing is prepared by
hand before a run starts).

- `match_run_start` creates the run and enqueues `match_run_execute_task` on commit. The
  database allows one queued or running run per district (`matchrun_one_active_per_district`);
  a second start is refused with a clear message.
- `match_run_execute` claims the run with a conditional UPDATE (queued → running), so a
  redelivered task does nothing while the first delivery is alive, then computes and stores
  everything in one transaction; a failure rolls that back and is recorded in a separate
  short transaction. A delivery whose worker died is taken over (see `_owner_lock`).
- `match_run_publish` turns the matches into offers in one transaction and, on commit,
  enqueues the emails to students and companies.
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
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from companies.models import Opening
from district import access, outbox
from district.models import District, User
from district.taskbase import TRANSIENT_DB_ERRORS
from placements.matching import deferred_acceptance
from placements.matching.explain import explain_outcomes, fit_explanation, reason_counts
from placements.matching.scoring import build_market, input_fingerprint
from placements.models import (
    ACTIVE_APPLICATION_STATUSES,
    Application,
    ApplicationEvent,
    Match,
    MatchRound,
    MatchRun,
    Notification,
    Placement,
)
from placements.selectors.runs import RoundInputs, round_inputs

logger = logging.getLogger(__name__)

S = MatchRun.Status
MATCH_BATCH_SIZE = 5_000
EMAIL_CHUNK = 200
# How long an email claim is remembered: longer than any retry of the task that sends it.
EMAIL_CLAIM_SECONDS = 30 * 24 * 3600


def _ensure_official(by: User | None, district_id: int) -> None:
    """Officials of the run's district (and superusers). `by=None` is the operator's shell."""
    if by is None or getattr(by, "is_superuser", False):
        return
    if district_id not in access.official_district_ids(by):
        raise PermissionDenied(_("Only officials of the district can start or publish its matching runs."))


# --- Starting a run -----------------------------------------------------------------------------------


def match_run_start(*, district: District, cohort: int, by: User | None, enqueue: bool = True) -> MatchRun:
    """Queue a run of the cohort's round.

    1. Only an official of the district may (or the operator's shell, `by=None`).
    2. Refuse when the cohort has no round, or when its results are already published.
    3. Refuse a second run while one is queued or running in the district; the database's
       partial unique index decides a race between two starts. A run that has stayed queued
       or running past its time limit lost its message or its worker: it is marked failed
       first, so that it cannot block the district for ever.
    4. Create the run, queued, with the round's lottery seed, and enqueue its execution once
       the transaction commits (unless `enqueue` is off, for a caller that executes it
       in-process).

    Nobody chooses the seed: it was fixed when the round was created (`MatchRound.seed`), so
    a re-run on the same inputs gives the same matching and cannot shop for a luckier draw.
    Every run stays listed on the round with its seed and its inputs' fingerprint.
    """
    _ensure_official(by, district.pk)
    with transaction.atomic():
        match_round = MatchRound.objects.filter(district=district, cohort=cohort).first()
        if match_round is None:
            raise ValidationError(
                {
                    "cohort": ValidationError(
                        _("%(district)s has no matching round for the class of %(cohort)s."),
                        code="no_round",
                        params={"district": district.name, "cohort": cohort},
                    )
                }
            )
        if MatchRun.objects.filter(round=match_round, status=S.PUBLISHED).exists():
            raise ValidationError(
                _("The results of “%(round)s” are already published; it cannot run again."),
                code="already_published",
                params={"round": match_round.title},
            )
        busy = ValidationError(
            _(
                "A matching run is already queued or running for %(district)s. Wait for it to "
                "finish, then start another."
            ),
            code="run_active",
            params={"district": district.name},
        )
        _fail_abandoned_runs(district)
        if MatchRun.objects.filter(district=district, status__in=[S.QUEUED, S.RUNNING]).exists():
            raise busy
        try:
            with transaction.atomic():  # a savepoint: the constraint decides a race between two starts
                run = MatchRun.objects.create(
                    round=match_round,
                    status=S.QUEUED,
                    seed=match_round.seed,
                    created_by=by,
                )
        except IntegrityError:
            raise busy from None
        if enqueue:
            from placements.tasks import match_run_execute_task

            transaction.on_commit(lambda: outbox.enqueue(match_run_execute_task, run.pk))
    return run


def _fail_abandoned_runs(district: District) -> int:
    limit = timezone.now() - _stale_after()
    abandoned = Q(status=S.QUEUED, created_at__lt=limit) | Q(status=S.RUNNING, started_at__lt=limit)
    with translation.override(settings.LANGUAGE_CODE):
        message = str(
            _(
                "No worker finished this run within its time limit (its worker stopped, or its task "
                "was lost); it was marked failed when a new run was started."
            )
        )
    return MatchRun.objects.filter(abandoned, district=district).update(
        status=S.FAILED, error=message, finished_at=timezone.now()
    )


# --- Executing a run ----------------------------------------------------------------------------------


class _RunLost(Exception):
    """Another worker took the run over (after this one was presumed dead)."""


def _stale_after() -> datetime.timedelta:
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

    Other databases have no such lock: yields True, and `_stale_after` decides instead.
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
       PostgreSQL: the lock was free; elsewhere: past `_stale_after`). The new start time is
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
            claimable = Q(status=S.QUEUED) | Q(status=S.RUNNING, started_at__lt=now - _stale_after())
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
    inputs = round_inputs(match_round=run.round, today=timezone.localdate())
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
        duration_seconds=round(time.perf_counter() - started, 3),
        timings=timings,
    )
    done = MatchRun.objects.filter(pk=run.pk, status=S.RUNNING, started_at=owner).update(
        status=S.SUCCEEDED, stats=stats, input_fingerprint=fingerprint, finished_at=timezone.now(), error=""
    )
    if not done:
        raise _RunLost()


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
        inputs.students[student_id], inputs.openings[opening_id], inputs.context, inputs.certification_names
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


# --- Publishing a run ----------------------------------------------------------------------------------

_OFFER_NOTICE = _(
    "The matching round “%(round)s” offers you “%(opening)s” at %(company)s. Please answer by %(date)s."
)


@transaction.atomic
def match_run_publish(*, run: MatchRun, by: User | None) -> MatchRun:
    """Publish a succeeded run: every match becomes an offer.

    1. Only an official of the district may; the run is locked, must have succeeded, and the
       round's rankings must be closed.
    2. Mark the run published (the database allows one published run per round).
    3. Skip the matches whose student meanwhile holds an active placement or an active
       application to that opening, or whose opening has closed; count what was skipped.
    4. Create the offers in bulk (`Application` offered, source "matching", with the
       response deadline of the round), one event each, and an in-portal notice for each
       student with an account.
    5. On commit, enqueue the emails to the students and to the companies.
    """
    _ensure_official(by, run.district_id)
    run = MatchRun.objects.select_for_update().select_related("round").get(pk=run.pk)
    match_round = run.round
    if run.status != S.SUCCEEDED:
        raise ValidationError(
            _("Only a run that succeeded can be published; this one is “%(status)s”."),
            code="not_publishable",
            params={"status": run.get_status_display()},
        )
    now = timezone.now()
    if match_round.preferences_close_at > now:
        raise ValidationError(
            _("Rankings for “%(round)s” are open until %(date)s; publish the results after they close."),
            code="rankings_open",
            params={
                "round": match_round.title,
                "date": timezone.localtime(match_round.preferences_close_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    run.status, run.published_at, run.published_by = S.PUBLISHED, now, by
    try:
        with transaction.atomic():  # a savepoint: the constraint decides between two runs of a round
            run.save(update_fields=["status", "published_at", "published_by"])
    except IntegrityError:
        raise ValidationError(
            _("Another run of “%(round)s” is already published."),
            code="already_published",
            params={"round": match_round.title},
        ) from None

    matched = Match.objects.filter(run=run, opening__isnull=False)
    students_in_run = matched.values("student_id")
    placed = set(
        Placement.objects.filter(status=Placement.Status.ACTIVE, student_id__in=students_in_run).values_list(
            "student_id", flat=True
        )
    )
    applied = set(
        Application.objects.filter(
            status__in=ACTIVE_APPLICATION_STATUSES, student_id__in=students_in_run
        ).values_list("student_id", "opening_id")
    )
    closed = set(
        Opening.objects.filter(pk__in=matched.values("opening_id"))
        .exclude(status=Opening.Status.PUBLISHED)
        .values_list("pk", flat=True)
    )
    expires = now + datetime.timedelta(days=match_round.offer_response_days)
    offers: list[Application] = []
    skipped = Counter()
    rows = matched.order_by("pk").values_list("pk", "student_id", "opening_id", "student__user_id")
    users: dict[int, int] = {}
    for match_id, student_id, opening_id, user_id in rows:
        if student_id in placed:
            skipped["already_placed"] += 1
        elif (student_id, opening_id) in applied:
            skipped["already_applied"] += 1
        elif opening_id in closed:
            skipped["opening_closed"] += 1
        else:
            offers.append(
                Application(
                    student_id=student_id,
                    opening_id=opening_id,
                    source=Application.Source.MATCHING,
                    match_id=match_id,
                    status=Application.Status.OFFERED,
                    offered_at=now,
                    offer_expires_at=expires,
                )
            )
            if user_id:
                users[match_id] = user_id
    try:
        with transaction.atomic():
            Application.objects.bulk_create(offers, batch_size=MATCH_BATCH_SIZE)
    except IntegrityError:
        raise ValidationError(
            _("A student applied to a matched opening while the run was being published. Try again."),
            code="changed_meanwhile",
        ) from None
    note = _offer_note(match_round)
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application=offer, from_status="", to_status=Application.Status.OFFERED, by=by, note=note
            )
            for offer in offers
        ],
        batch_size=MATCH_BATCH_SIZE,
    )
    openings = {
        pk: (title, company_id, company_name)
        for pk, title, company_id, company_name in Opening.objects.filter(
            pk__in={offer.opening_id for offer in offers}
        ).values_list("pk", "title", "company_id", "company__name")
    }
    _notify_in_portal(run, offers, users, expires, openings)
    run.stats = {
        **run.stats,
        "publication": {
            "offers": len(offers),
            "skipped": dict(skipped),
            "offer_expires_at": expires.isoformat(),
        },
    }
    run.save(update_fields=["stats"])

    offer_ids = [offer.pk for offer in offers]
    company_ids = sorted({company_id for _title, company_id, _name in openings.values()})
    run_id = run.pk

    def enqueue() -> None:
        from placements.tasks import send_match_company_email_task, send_match_offer_emails_task

        for start in range(0, len(offer_ids), EMAIL_CHUNK):
            outbox.enqueue(send_match_offer_emails_task, offer_ids[start : start + EMAIL_CHUNK])
        for company_id in company_ids:
            outbox.enqueue(send_match_company_email_task, run_id, company_id)

    transaction.on_commit(enqueue)
    return run


def _offer_note(match_round: MatchRound) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Offer from the matching round “%(round)s”.") % {"round": match_round.title}


def _me_url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # the student pages are not mounted
        return ""


def _notify_in_portal(
    run: MatchRun, offers: list[Application], users: dict[int, int], expires, openings
) -> None:
    """One notice on each offered student's own page, written in one query.

    `notification_create` writes one row per call; a round makes thousands of offers at
    once, so the rows are built the same way and inserted together.
    """
    if not users:
        return
    url = _me_url("me:applications")
    with translation.override(settings.LANGUAGE_CODE):
        date = timezone.localtime(expires).strftime("%Y-%m-%d")
        notices = [
            Notification(
                user_id=users[offer.match_id],
                kind=Notification.Kind.OFFER,
                text=(
                    str(_OFFER_NOTICE)
                    % {
                        "round": run.round.title,
                        "opening": openings[offer.opening_id][0],
                        "company": openings[offer.opening_id][2],
                        "date": date,
                    }
                )[:500],
                url=url,
            )
            for offer in offers
            if offer.match_id in users
        ]
    Notification.objects.bulk_create(notices, batch_size=MATCH_BATCH_SIZE)


# --- Offer emails (run by Celery tasks) ----------------------------------------------------------------


def _claim_email(key: str) -> bool:
    """Claim one email with an atomic add in the shared cache, so a redelivered task sends it once."""
    return cache.add(key, 1, timeout=EMAIL_CLAIM_SECONDS)


def match_offer_emails_send(*, application_ids: list[int]) -> int:
    """Email each student their offer from a matching round. Returns how many were sent.

    An offer that is no longer open (answered, withdrawn) gets no email; each email is
    claimed first and the claim is released when sending fails, so the retry sends it.
    """
    offers = (
        Application.objects.filter(
            pk__in=application_ids, status=Application.Status.OFFERED, source=Application.Source.MATCHING
        )
        .select_related("student__user", "opening__company", "match__run__round")
        .order_by("pk")
    )
    link = settings.PORTAL_BASE_URL + (_me_url("me:applications") or "/")
    messages, keys = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for offer in offers:
            student = offer.student
            address = (student.user.email if student.user_id else "") or student.email
            key = f"match-offer-email:{offer.pk}"
            if not address or not _claim_email(key):
                continue
            names = {
                "student": student.name,
                "round": offer.match.run.round.title if offer.match_id else "",
                "opening": offer.opening.title,
                "company": offer.opening.company.name,
                "date": timezone.localtime(offer.offer_expires_at).strftime("%Y-%m-%d %H:%M"),
                "link": link,
            }
            subject = _("[Innovation District Portal] An offer for you: “%(opening)s”") % names
            body = (
                _(
                    "Hello %(student)s,\n\n"
                    "The matching round “%(round)s” offers you the opening “%(opening)s” at "
                    "%(company)s.\n\n"
                    "Please accept or decline it on your page by %(date)s:\n%(link)s\n\n"
                    "If you do not answer by then, the offer expires.\n"
                )
                % names
            )
            messages.append(EmailMessage(subject=subject, body=body, to=[address]))
            keys.append(key)
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    except Exception:
        cache.delete_many(keys)
        raise
    logger.info("sent %d matching offer emails", sent)
    return sent


def match_company_email_send(*, run_id: int, company_id: int) -> int:
    """Tell a company's recruiters how many offers a published run made for its openings."""
    from companies.selectors.team import recruiter_emails

    run = MatchRun.objects.select_related("round").filter(pk=run_id, status=S.PUBLISHED).first()
    if run is None:
        return 0
    counts = list(
        Application.objects.filter(
            match__run=run, opening__company_id=company_id, source=Application.Source.MATCHING
        )
        .values_list("opening__title")
        .annotate(n=Count("pk"))
        .order_by("opening__title")
    )
    addresses = recruiter_emails(company_id)
    key = f"match-company-email:{run_id}:{company_id}"
    if not counts or not addresses or not _claim_email(key):
        return 0
    total = sum(n for _title, n in counts)
    with translation.override(settings.LANGUAGE_CODE):
        lines = "\n".join(
            ngettext("- %(opening)s: %(n)d offer", "- %(opening)s: %(n)d offers", n)
            % {"opening": title, "n": n}
            for title, n in counts
        )
        names = {"round": run.round.title, "total": total, "lines": lines}
        subject = (
            _("[Innovation District Portal] Matching round “%(round)s”: offers for your openings") % names
        )
        body = (
            _(
                "Hello,\n\n"
                "The district has published the results of the matching round “%(round)s”. "
                "It offered students %(total)d seats in your openings:\n\n%(lines)s\n\n"
                "Students answer on the portal; those who accept appear among your applicants.\n"
            )
            % names
        )
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in addresses]
    try:
        with get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    except Exception:
        cache.delete(key)
        raise
    return sent
