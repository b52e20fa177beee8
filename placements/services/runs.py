"""Matching runs: starting and publishing them.

Lifecycle (`MatchRun.Status`): queued → running → succeeded | failed, then succeeded →
published. A run is created queued (the draft state is not used: nothing is prepared by
hand before a run starts).

- `match_run_start` creates the run and enqueues the task `placements.match_run_execute`
  on commit. The database allows one queued or running run per district
  (`matchrun_one_active_per_district`); a second start is refused with a clear message.
- Executing a run: `placements.services.run_execution.match_run_execute`.
- `match_run_publish` turns the matches into offers in one transaction and, on commit,
  enqueues the emails to students and companies (`placements.services.run_emails`).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Opening, public_opening_q
from district import access, outbox
from district.cohorts import Cohort
from district.models import District, User
from placements.models import (
    ACTIVE_APPLICATION_STATUSES,
    Application,
    ApplicationEvent,
    Match,
    MatchRound,
    MatchRun,
    Notification,
    OfferEmail,
)
from placements.selectors.runs import students_holding_a_job
from placements.services.run_execution import MATCH_BATCH_SIZE, stale_after
from schools.models import ProfileSnapshot, Student
from schools.services.snapshots import profile_snapshots_take

S = MatchRun.Status
EMAIL_CHUNK = 200


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
                        _("%(district)s has no matching round for %(cohort)s."),
                        code="no_round",
                        params={"district": district.name, "cohort": Cohort(cohort).label},
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
            transaction.on_commit(lambda: outbox.enqueue("placements.match_run_execute", run.pk))
    return run


def _fail_abandoned_runs(district: District) -> int:
    limit = timezone.now() - stale_after()
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


# --- Publishing a run ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedOffer:
    match_id: int
    student_id: int
    opening_id: int
    user_id: int | None
    # Where the offer's email goes ("" when the student has no address, so no email goes out).
    address: str


@dataclass(frozen=True)
class PublicationPlan:
    """What publishing a run would do now: the offers it makes and the matches it skips, by reason."""

    offers: list[PlannedOffer]
    skipped: Counter

    @property
    def student_emails(self) -> int:
        return sum(1 for offer in self.offers if offer.address)

    @property
    def opening_ids(self) -> set[int]:
        return {offer.opening_id for offer in self.offers}


def publication_plan(run: MatchRun) -> PublicationPlan:
    """The offers publishing `run` makes, and the matches it skips (one rule for the publication
    and for the confirmation page that announces it).

    A match is skipped when its student meanwhile holds a job (`students_holding_a_job`) or an
    active application to that opening, or when its opening is no longer public.
    """
    matched = Match.objects.filter(run=run, opening__isnull=False)
    students_in_run = matched.values("student_id")
    placed = students_holding_a_job(students_in_run)
    applied = set(
        Application.objects.filter(
            status__in=ACTIVE_APPLICATION_STATUSES, student_id__in=students_in_run
        ).values_list("student_id", "opening_id")
    )
    # An opening that is no longer public (closed, past its deadline, company no longer verified).
    closed = set(
        Opening.objects.filter(pk__in=matched.values("opening_id"))
        .exclude(public_opening_q(today=timezone.localdate()))
        .values_list("pk", flat=True)
    )
    offers: list[PlannedOffer] = []
    skipped: Counter = Counter()
    rows = matched.order_by("pk").values_list(
        "pk", "student_id", "opening_id", "student__user_id", "student__user__email", "student__email"
    )
    for match_id, student_id, opening_id, user_id, account_email, school_email in rows:
        if student_id in placed:
            skipped["already_placed"] += 1
        elif (student_id, opening_id) in applied:
            skipped["already_applied"] += 1
        elif opening_id in closed:
            skipped["opening_closed"] += 1
        else:
            # The same address `run_emails.match_offer_emails_send` writes to.
            address = ((account_email or "") if user_id else "") or school_email or ""
            offers.append(PlannedOffer(match_id, student_id, opening_id, user_id, address))
    return PublicationPlan(offers=offers, skipped=skipped)


def publish_refusal(run: MatchRun, *, now: datetime.datetime | None = None) -> ValidationError | None:
    """Why `run` cannot be published now, or None when it can (the admin offers "Publish" only then).

    1. Only a run that succeeded.
    2. Not a trial: a run started while the round's rankings were open saw lists that students
       could still change, so it is a preview; once rankings close, a new run is started.
    3. Not while the round's rankings are open.
    The database refuses a second published run of a round (`match_run_publish` reports it).
    """
    now = now or timezone.now()
    match_round = run.round
    if run.status != S.SUCCEEDED:
        return ValidationError(
            _("Only a run that succeeded can be published; this one is “%(status)s”."),
            code="not_publishable",
            params={"status": run.get_status_display()},
        )
    if match_round.preferences_close_at > now:
        return ValidationError(
            _("Rankings for “%(round)s” are open until %(date)s; publish the results after they close."),
            code="rankings_open",
            params={
                "round": match_round.title,
                "date": date_format(timezone.localtime(match_round.preferences_close_at), "DATETIME_FORMAT"),
            },
        )
    if run.is_trial:
        return ValidationError(
            _(
                "This was a trial run, started while rankings for “%(round)s” were still open; "
                "students may have changed their lists since. Start a new run and publish that one."
            ),
            code="trial_run",
            params={"round": match_round.title},
        )
    if MatchRun.objects.filter(round_id=run.round_id, status=S.PUBLISHED).exclude(pk=run.pk).exists():
        return ValidationError(
            _("Another run of “%(round)s” is already published."),
            code="already_published",
            params={"round": match_round.title},
        )
    return None


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
       application to that opening, or whose opening is no longer public; count what was skipped.
    4. Create the offers in bulk (`Application` offered, source "matching", with the
       response deadline of the round), each with the snapshot of the student's profile
       that the company sees once the student accepts (`profile_snapshots_take`, in bulk;
       a round has no own question to answer), one event each, an
       in-portal notice for each student with an account, and a queued `OfferEmail` for each
       student with an address (in this transaction, so every email is on record and the
       run's page counts it; a broker that is down keeps the tasks in the outbox).
    5. On commit, enqueue the emails to the companies and to the students (paced,
       `placements.offer_email_send`).

    Queries: a constant number for a round of up to 5,000 offers (the snapshots are read
    and written in bulk, `profile_snapshots_take`), not a few per offer.
    """
    _ensure_official(by, run.district_id)
    run = MatchRun.objects.select_for_update().select_related("round").get(pk=run.pk)
    match_round = run.round
    now = timezone.now()
    refusal = publish_refusal(run, now=now)
    if refusal is not None:
        raise refusal
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

    plan = publication_plan(run)
    expires = now + datetime.timedelta(days=match_round.offer_response_days)
    snapshots = _offer_snapshots(plan.offers, today=timezone.localdate(now))
    offers = [
        Application(
            student_id=offer.student_id,
            opening_id=offer.opening_id,
            source=Application.Source.MATCHING,
            match_id=offer.match_id,
            status=Application.Status.OFFERED,
            offered_at=now,
            offer_expires_at=expires,
            profile_snapshot=snapshots[offer.match_id],
        )
        for offer in plan.offers
    ]
    users = {offer.match_id: offer.user_id for offer in plan.offers if offer.user_id}
    skipped = plan.skipped
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

    # The students' emails, on record with the offers (the run's page counts them by status).
    addressed = {offer.match_id for offer in plan.offers if offer.address}
    emails = OfferEmail.objects.bulk_create(
        [
            OfferEmail(run=run, application=offer, queued_at=now)
            for offer in offers
            if offer.match_id in addressed
        ],
        batch_size=MATCH_BATCH_SIZE,
    )
    emailed = [email.application_id for email in emails]
    company_ids = sorted({company_id for _title, company_id, _name in openings.values()})
    run_id = run.pk

    def enqueue() -> None:
        for company_id in company_ids:
            outbox.enqueue("placements.match_company_email_send", run_id, company_id)
        offer_emails_enqueue(emailed)

    transaction.on_commit(enqueue)
    return run


def offer_emails_enqueue(application_ids: list[int]) -> None:
    """Queue the offer emails of these applications, in chunks: each chunk's task queues one paced
    task per email (`run_emails.match_offer_emails_send`), so publishing a 70,000-offer round
    publishes 350 messages, not 70,000."""
    for start in range(0, len(application_ids), EMAIL_CHUNK):
        outbox.enqueue("placements.match_offer_emails_send", application_ids[start : start + EMAIL_CHUNK])


def offer_emails_retry(*, run: MatchRun, by: User | None) -> int:
    """Send the run's failed offer emails again, through the same paced tasks. Returns how many.

    Only an official of the run's district may (as for publishing). The failed rows are locked
    and set back to queued in one transaction, so two officials clicking at once queue each
    email once; the tasks are queued on commit.
    """
    _ensure_official(by, run.district_id)
    with transaction.atomic():
        failed = list(
            OfferEmail.objects.select_for_update()
            .filter(run=run, status=OfferEmail.Status.FAILED)
            .order_by("pk")
            .values_list("pk", "application_id")
        )
        OfferEmail.objects.filter(pk__in=[pk for pk, _application in failed]).update(
            status=OfferEmail.Status.QUEUED, queued_at=timezone.now()
        )
        application_ids = [application_id for _pk, application_id in failed]
        transaction.on_commit(lambda: offer_emails_enqueue(application_ids))
    return len(failed)


def _offer_snapshots(offers: list[PlannedOffer], *, today: datetime.date) -> dict[int, ProfileSnapshot]:
    """The profile snapshot of each planned offer, by match id, taken in bulk (`profile_snapshots_take`)."""
    students = Student.objects.select_related("school", "department").in_bulk(
        {offer.student_id for offer in offers}
    )
    company_of = dict(
        Opening.objects.filter(pk__in={offer.opening_id for offer in offers}).values_list("pk", "company_id")
    )
    companies = Company.objects.in_bulk(set(company_of.values()))
    snapshots = profile_snapshots_take(
        pairs=[(students[offer.student_id], companies[company_of[offer.opening_id]]) for offer in offers],
        today=today,
    )
    return {offer.match_id: snapshot for offer, snapshot in zip(offers, snapshots, strict=True)}


def _offer_note(match_round: MatchRound) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Offer from the matching round “%(round)s”.") % {"round": match_round.title}


def me_url(name: str) -> str:
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
    url = me_url("me:applications")
    with translation.override(settings.LANGUAGE_CODE):
        date = date_format(timezone.localtime(expires))
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


def match_round_create(*, match_round: MatchRound, by: User) -> MatchRound:
    """Open a new matching round: save it, which opens its rankings, and queue the students' reminders.

    Students of the round's cohort with no 자기소개서 are reminded once the round is committed
    (`placements.profile_reminders_send`, issue 15), then daily while rankings are open.
    """
    with transaction.atomic():
        if match_round.created_by_id is None:
            match_round.created_by = by
        match_round.save()
        round_id = match_round.pk
        transaction.on_commit(lambda: outbox.enqueue("placements.profile_reminders_send", round_id))
    return match_round
