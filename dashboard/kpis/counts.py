"""Every count the KPI formulas use, gathered for one scope and cohort."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dashboard.kpis.activity import ActivityCounts, activity_counts
from dashboard.kpis.budget import BudgetCounts, budget_counts
from dashboard.kpis.cohorts import CohortCounts, cohort_counts
from dashboard.kpis.mou import MouCounts, mou_counts
from dashboard.kpis.openings import OpeningCounts, opening_counts
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort


@dataclass(frozen=True)
class Figures:
    """Every count the KPI formulas use, for one scope and cohort (and its programme year)."""

    cohort: CohortCounts
    openings: OpeningCounts
    mou: MouCounts
    budget: BudgetCounts | None
    activity: ActivityCounts


def figures(
    *, scope: DashboardScope, cohort: int, today: datetime.date | None = None, employment: dict | None = None
) -> Figures:
    """The cohort's own counts, and the counts of the programme year it is reported in
    (`Cohort.programme_year`, the year of its survey: budget, openings, agreements, activity).

    `employment`: the cohort's employment counts when already counted (see `cohort_counts`)."""
    year = Cohort(cohort).programme_year
    return Figures(
        cohort=cohort_counts(scope=scope, cohort=cohort, today=today, employment=employment),
        openings=opening_counts(scope=scope, year=year, today=today),
        mou=mou_counts(scope=scope, year=year),
        budget=budget_counts(scope=scope, year=year),
        activity=activity_counts(scope=scope, year=year),
    )
