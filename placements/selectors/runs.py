"""Reads for matching runs: the engine's inputs, the runs officials may see, and explanations in words.

`round_inputs` loads everything a run needs with a fixed number of queries, whatever the
size of the round (sixteen; the list is in its docstring), as plain values for
`placements.matching.scoring`. The other selectors serve the admin's run page and the API
(`match_run_list`, officials only, scoped by `district.access.role_scope`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import Company, Opening
from companies.selectors.team import recruiter_emails
from district import access
from district.korean import fix_particles
from district.models import District
from district.selectors import segment_list
from placements.matching.scoring import OpeningProfile, ScoringContext, StudentProfile
from placements.models import (
    SEAT_HOLDING_STATUSES,
    Application,
    Match,
    MatchRound,
    MatchRun,
    OfferEmail,
    Placement,
    Preference,
)
from placements.selectors.fit import verified_fact_parts
from placements.selectors.scoring import (
    certification_names,
    ncs_unit_names,
    opening_profiles,
    public_openings,
    scoring_context,
    student_profiles,
)
from schools.models import Student

# Students who take part in a round: those still at school or graduated (not those who left).
ROUND_STUDENT_STATUSES = [Student.Status.ENROLLED, Student.Status.GRADUATED]


# --- The engine's inputs ----------------------------------------------------------------------


@dataclass
class OpeningFacts:
    """What the statistics and offers need to know about an opening besides its score inputs."""

    seats: int
    filled: int
    company_id: int
    segment_id: int | None
    is_local: bool

    @property
    def capacity(self) -> int:
        return max(0, self.seats - self.filled)


@dataclass
class RoundInputs:
    """Everything a run reads, as plain values."""

    students: dict[int, StudentProfile]
    openings: dict[int, OpeningProfile]
    opening_facts: dict[int, OpeningFacts]
    # Every student of the round with their list, first choice first, as (rank, opening id).
    ranked: dict[int, list[tuple[int, int]]]
    context: ScoringContext
    placed: set[int]
    certification_names: dict[int, str]
    ncs_unit_names: dict[int, str]
    company_names: dict[int, str]
    segment_names: dict[int, str]
    preference_count: int = 0
    queries: list[str] = field(default_factory=list)

    @property
    def capacities(self) -> dict[int, int]:
        return {opening_id: facts.capacity for opening_id, facts in self.opening_facts.items()}


def _count(queryset: QuerySet, fk: str) -> Coalesce:
    counted = (
        queryset.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def students_holding_a_job(student_ids) -> set[int]:
    """Which of `student_ids` (a queryset of ids) already hold a job, so no run offers them another.

    An active placement, or an accepted offer still waiting for the guardian's consent that
    makes its placement (Labour Standards Act art. 66): that acceptance already holds its seat.
    """
    placed = Placement.objects.filter(status=Placement.Status.ACTIVE, student_id__in=student_ids)
    waiting = Application.objects.filter(
        status__in=SEAT_HOLDING_STATUSES, placement__isnull=True, student_id__in=student_ids
    )
    return set(placed.values_list("student_id", flat=True)) | set(
        waiting.values_list("student_id", flat=True)
    )


def round_students(match_round: MatchRound) -> QuerySet[Student]:
    return Student.objects.filter(
        school__district_id=match_round.district_id,
        cohort=match_round.cohort,
        status__in=ROUND_STUDENT_STATUSES,
    )


def round_inputs(*, match_round: MatchRound, today: datetime.date) -> RoundInputs:
    """Load a round's inputs in sixteen queries.

    `today` is the run's date (`placements.services.run_execution`: the day it was started),
    for the public openings, the agreements in force and the NCS units completed.

    1. the certifications the round's students hold, with whether the school checked them;
    2. the students (with their department's segment);
    3. their completed field practice (`completed_practice_company_ids`);
    4. their departments' curricula (the NCS units completed by `today`);
    5. which of them already hold an active placement;
    6. the certifications the district's public openings require;
    7. the departments they prefer;
    8. the NCS units of their job roles;
    9. the public openings (`public_opening_q`: published, deadline not passed, company
       verified) with their filled seats (placements, and accepted or hired applications
       without one, as subqueries);
    10. the rankings, student by student in rank order (streamed);
    11. commute times between the district's areas;
    12. the district's agreements valid on `today`;
    13-16. the names of certifications, of NCS units, of the district's companies and of
       the segments.
    """
    district_id = match_round.district_id
    students_qs = round_students(match_round)

    # 1-5: students.
    students = student_profiles(students_qs, today=today)
    placed = students_holding_a_job(students_qs.values("pk"))

    # 6-9: the public openings, with their filled seats.
    openings, extras = opening_profiles(
        public_openings(district_id=district_id, today=today),
        extra_fields=("seats", "placed_seats", "unplaced_seats", "company__is_local"),
        placed_seats=_count(Placement.objects.all(), "opening"),
        unplaced_seats=_count(
            Application.objects.filter(status__in=SEAT_HOLDING_STATUSES, placement__isnull=True), "opening"
        ),
    )
    facts = {
        oid: OpeningFacts(
            seats, placed_seats + unplaced, openings[oid].company_id, openings[oid].segment_id, local
        )
        for oid, (seats, placed_seats, unplaced, local) in extras.items()
    }

    # 10: rankings, streamed in (student, rank) order so no sort happens in Python.
    ranked: dict[int, list[tuple[int, int]]] = {sid: [] for sid in students}
    preference_count = 0
    rankings = (
        Preference.objects.filter(student__in=students_qs.values("pk"))
        .order_by("student_id", "rank")
        .values_list("student_id", "rank", "opening_id")
    )
    current_id, current = None, None
    for student_id, rank, opening_id in rankings.iterator(chunk_size=20_000):
        if student_id != current_id:
            current_id, current = student_id, ranked[student_id]
        current.append((rank, opening_id))
        preference_count += 1

    # 11-16: the district's shared facts and the names.
    return RoundInputs(
        students=students,
        openings=openings,
        opening_facts=facts,
        ranked=ranked,
        context=scoring_context(district_id=district_id, today=today),
        placed=placed,
        certification_names=certification_names(),
        ncs_unit_names=ncs_unit_names(),
        company_names=dict(Company.objects.filter(district_id=district_id).values_list("id", "name")),
        segment_names=dict(segment_list(district=district_id).values_list("id", "name")),
        preference_count=preference_count,
    )


# --- Runs for officials -------------------------------------------------------------------------


def match_run_queryset(*, user) -> QuerySet[MatchRun]:
    """Runs of the districts the user is an official of (superusers: all), newest first."""
    return (
        MatchRun.objects.filter(access.role_scope(user, district="district"))
        .select_related("round", "district", "created_by", "published_by")
        .order_by("-created_at", "-pk")
    )


def match_run_list(*, user, filters: dict | None = None) -> QuerySet[MatchRun]:
    """The runs the user may see (`match_run_queryset`), narrowed by the API's filters."""
    from placements.filters import MatchRunFilterSet

    queryset = match_run_queryset(user=user)
    if filters:
        queryset = MatchRunFilterSet(filters, queryset=queryset).qs
    return queryset


def get_match_run_for_user(user, pk) -> MatchRun:
    """A run the user may manage, or Http404 (the same answer as a missing run)."""
    run = match_run_queryset(user=user).filter(pk=pk).first()
    if run is None:
        raise Http404(_("No such matching run."))
    return run


def district_for_official(user, key) -> District:
    """A district the user is an official of (superusers: any), by slug or id, or Http404."""
    key = str(key).strip()
    queryset = District.objects.filter(Q(pk=int(key)) if key.isdigit() else Q(slug=key))
    if not getattr(user, "is_superuser", False):
        queryset = queryset.filter(pk__in=access.official_district_ids(user))
    district = queryset.first()
    if district is None:
        raise Http404(_("No such district."))
    return district


def match_page(*, run: MatchRun, outcome: str = "", search: str = "") -> QuerySet[Match]:
    """The run's matches for the run page, students by name; filter by outcome or a name search."""
    queryset = (
        Match.objects.filter(run=run)
        .select_related("student__school", "opening__company")
        .order_by("student__name", "pk")
    )
    if outcome == "matched":
        queryset = queryset.filter(opening__isnull=False)
    elif outcome == "unmatched":
        queryset = queryset.filter(opening__isnull=True)
    if search:
        queryset = queryset.filter(Q(student__name__icontains=search) | Q(student__student_number=search))
    return queryset


def opening_titles(matches) -> dict[int, str]:
    """Titles of the openings the explanations of `matches` mention, in one query."""
    ids: set[int] = set()
    for match in matches:
        ids.update(c["opening"] for c in match.explanation.get("choices", ()))
    if not ids:
        return {}
    return dict(Opening.objects.filter(pk__in=ids).values_list("id", "title"))


# --- Explanations in words ------------------------------------------------------------------------


def component_label(name: str) -> str:
    labels = {
        "certifications": _("school-checked certifications"),
        "ncs": _("NCS units for the job"),
        "field": _("department and field"),
        "practice": _("field practice at the company"),
        "commute": _("commute"),
        "agreement": _("hiring agreement"),
    }
    return labels.get(name, name)


def explanation_lines(explanation: dict, titles: dict[int, str]) -> list[str]:
    """The explanation of one student's outcome as sentences, in the active language, particles chosen."""

    def title(opening_id) -> str:
        return titles.get(opening_id) or _("opening #%(id)s") % {"id": opening_id}

    lines: list[str] = []
    reason = explanation.get("reason")
    if explanation.get("outcome") == "matched":
        lines.append(
            _("Matched to their choice no. %(rank)s with a fit of %(score)s.")
            % {"rank": explanation.get("choice"), "score": explanation.get("score")}
        )
        components = explanation.get("components") or {}
        shown = [f"{component_label(k)} {v}" for k, v in components.items() if v]
        if shown:
            lines.append(_("Fit: %(parts)s.") % {"parts": ", ".join(shown)})
        lines.extend(f"{part}." for part in verified_fact_parts(explanation))
    elif reason == "ranked_nothing":
        lines.append(_("Ranked no openings."))
    elif reason == "already_placed":
        lines.append(_("Already employed (an active placement), so left out of the round."))
    else:
        lines.append(_("Not matched to any of their choices."))
    for choice in explanation.get("choices", ()):
        params = {"rank": choice.get("rank"), "opening": title(choice.get("opening"))}
        why = choice.get("why")
        if why == "filled":
            params.update(score=choice.get("score"), cutoff=choice.get("cutoff"))
            if choice.get("lottery"):
                text = _(
                    "Choice no. %(rank)s, “%(opening)s”: tied at the cut-off fit of %(cutoff)s "
                    "and lost the lottery."
                )
            else:
                text = _(
                    "Choice no. %(rank)s, “%(opening)s”: filled by students with a higher fit "
                    "(cut-off %(cutoff)s, theirs %(score)s)."
                )
        elif why == "not_eligible":
            missing = choice.get("missing") or []
            params["certifications"] = ", ".join(missing)
            text = ngettext(
                "Choice no. %(rank)s, “%(opening)s”: not eligible without the required certification "
                "%(certifications)s.",
                "Choice no. %(rank)s, “%(opening)s”: not eligible without the required certifications "
                "%(certifications)s.",
                len(missing),
            )
        elif why == "no_seats":
            text = _("Choice no. %(rank)s, “%(opening)s”: no seat was left for the round.")
        else:
            text = _("Choice no. %(rank)s, “%(opening)s”: no longer open.")
        lines.append(text % params)
    return [fix_particles(str(line)) for line in lines]


def reason_label(reason: str) -> str:
    labels = {
        "matched": _("matched"),
        "ranked_nothing": _("ranked nothing"),
        "already_placed": _("already employed"),
        "filled": _("choices filled by students with a higher fit"),
        "not_eligible": _("missing required certifications"),
        "unavailable": _("choices closed or without seats"),
        "already_applied": _("already applied to that opening"),
        "opening_closed": _("the opening closed"),
    }
    return labels.get(reason, reason)


# --- Statistics for the run page ------------------------------------------------------------------

COMPANIES_SHOWN = 30


def _percent(share) -> str:
    return f"{share * 100:.1f}%" if isinstance(share, int | float) else "-"


def stats_view(run: MatchRun) -> dict | None:
    """The run's statistics as rows for the run page (None before the run has any)."""
    stats = run.stats or {}
    if "students" not in stats:
        return None
    summary = [
        (_("Students in the round"), stats.get("students")),
        (_("Students who ranked openings"), stats.get("students_who_ranked")),
        (_("Matched"), f"{stats.get('matched')} ({_percent(stats.get('matched_share'))})"),
        (_("Got their first choice"), _percent(stats.get("first_choice_share"))),
        (_("Got one of their top three"), _percent(stats.get("top3_share"))),
        (_("Matched to a local company"), _percent(stats.get("local_share"))),
        (_("Openings / seats"), f"{stats.get('openings')} / {stats.get('seats')}"),
        (_("Rankings read"), stats.get("preferences")),
        (_("Lottery seed"), stats.get("seed")),
        (_("Facts as of"), stats.get("as_of") or "-"),
        (_("Input fingerprint (SHA-256)"), stats.get("input_fingerprint")),
        (_("Duration (seconds)"), stats.get("duration_seconds")),
    ]
    companies = sorted((stats.get("seats_by_company") or {}).values(), key=lambda c: (-c["seats"], c["name"]))
    publication = stats.get("publication")
    return {
        "summary": summary,
        "unmatched": [
            (reason_label(k), v)
            for k, v in sorted((stats.get("unmatched_by_reason") or {}).items(), key=lambda kv: -kv[1])
        ],
        "segments": [
            (name, row["seats"], row["filled"], _percent(row["filled"] / row["seats"] if row["seats"] else 0))
            for name, row in (stats.get("seats_by_segment") or {}).items()
        ],
        "companies": [
            (c["name"], c["seats"], c["filled"], _percent(c["filled"] / c["seats"] if c["seats"] else 0))
            for c in companies[:COMPANIES_SHOWN]
        ],
        "companies_more": max(0, len(companies) - COMPANIES_SHOWN),
        "timings": stats.get("timings") or {},
        "publication": publication,
        "skipped": [(reason_label(k), v) for k, v in ((publication or {}).get("skipped") or {}).items()],
    }


# --- Publication: what awaits it, and what it will do ---------------------------------------------


def runs_awaiting_publication(queryset: QuerySet[MatchRun] | None = None) -> QuerySet[MatchRun]:
    """Runs an official can publish now: succeeded, started after the round's rankings closed
    (not a trial), and of a round with no published run yet.

    The query form of `placements.services.runs.publish_refusal` (which also decides for one
    run); tests/placements/test_publication.py checks that the two agree.
    """
    queryset = MatchRun.objects.all() if queryset is None else queryset
    published = MatchRun.objects.filter(round_id=OuterRef("round_id"), status=MatchRun.Status.PUBLISHED)
    return queryset.filter(
        status=MatchRun.Status.SUCCEEDED,
        round__preferences_close_at__lte=timezone.now(),
        created_at__gte=F("round__preferences_close_at"),
    ).exclude(Exists(published))


@dataclass
class PublicationPreview:
    """The figures of a run's confirmation page: offers, and the emails that follow them."""

    offers: int
    students_emailed: int
    students_without_email: int
    companies: int
    company_emails: int
    skipped: list[tuple[str, int]]

    @property
    def emails(self) -> int:
        return self.students_emailed + self.company_emails


def publication_preview(*, run: MatchRun, plan) -> PublicationPreview:
    """What publishing `run` would send, from its `publication_plan`: one email per offered student
    with an address, and one per recruiter address of each company that gets offers
    (`placements.services.run_emails`). Queries: the openings' companies, then one per company."""
    company_ids = sorted(
        set(Opening.objects.filter(pk__in=plan.opening_ids).values_list("company_id", flat=True))
    )
    company_emails = sum(len(recruiter_emails(company_id)) for company_id in company_ids)
    return PublicationPreview(
        offers=len(plan.offers),
        students_emailed=plan.student_emails,
        students_without_email=len(plan.offers) - plan.student_emails,
        companies=len(company_ids),
        company_emails=company_emails,
        skipped=[(reason_label(reason), count) for reason, count in sorted(plan.skipped.items())],
    )


@dataclass(frozen=True)
class OfferEmailCounts:
    """How a published run's offer emails stand (`OfferEmail.Status`), for its page."""

    queued: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed + self.skipped


def offer_email_counts(run: MatchRun) -> OfferEmailCounts:
    """The run's offer emails by status, in one grouped query."""
    rows = OfferEmail.objects.filter(run=run).values_list("status").annotate(n=Count("pk")).order_by()
    return OfferEmailCounts(**dict(rows))
