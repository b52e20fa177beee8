"""The district's matching rounds for a cohort, with each run's aggregate statistics."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from placements.models import MatchRound, MatchRun

# The aggregate figures of a run's statistics (placements.services.runs) that the matching
# endpoint passes on; the run page shows the rest (seed, fingerprint, timings).
MATCHING_STATS = (
    "students",
    "students_who_ranked",
    "matched",
    "matched_share",
    "matched_share_of_those_who_ranked",
    "first_choice_share",
    "top3_share",
    "local_share",
    "openings",
    "seats",
    "seats_filled",
    "preferences",
    "unmatched_by_reason",
    "choice_distribution",
    "seats_by_segment",
    "seats_by_company",
    "publication",
)


def matching_summary(*, scope: DashboardScope, cohort: int) -> list[dict]:
    """The district's matching rounds for the cohort `cohort`, with each run's statistics (two queries).

    A run's statistics are counts and shares over the round's students, as the engine stored
    them; no student appears. They are the district's: school staff are refused, as for the budget.
    """
    if not scope.sees_budget:
        raise PermissionDenied(_("Matching rounds are the district's; only officials may read them."))
    rounds = MatchRound.objects.filter(district=scope.district, cohort=cohort).order_by("pk")
    runs = MatchRun.objects.filter(round__in=rounds).order_by("created_at", "pk")
    by_round: dict[int, list[dict]] = {}
    for run in runs:
        stats = run.stats or {}
        by_round.setdefault(run.round_id, []).append(
            {
                "id": run.pk,
                "status": run.status,
                "created_at": run.created_at,
                "finished_at": run.finished_at,
                "published_at": run.published_at,
                "stats": {key: stats[key] for key in MATCHING_STATS if key in stats},
            }
        )
    return [
        {
            "id": match_round.pk,
            "title": match_round.title,
            "cohort": match_round.cohort,
            "cohort_label": Cohort(match_round.cohort).label,
            "preferences_close_at": match_round.preferences_close_at,
            "runs": by_round.get(match_round.pk, []),
        }
        for match_round in rounds
    ]
