"""Retention after the survey date: month-by-month curves, and 6 and 12 months by school."""

from __future__ import annotations

import datetime

from django.db import connections
from django.db.models import F
from django.utils import timezone

from dashboard.kpis.cohorts import (
    EMPLOYMENT_COUNTS,
    cohort_placements,
    cohort_students,
    count_months_per_group,
    count_per_group,
    employment_aggregates,
    employment_by_student,
)
from dashboard.kpis.dates import add_months, percent
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort

RETENTION_MONTHS = 12
RETENTION_COHORTS = 3


def employment_by_cohort(*, scope: DashboardScope, cohorts: list[int]) -> dict[int, dict]:
    """For each of `cohorts`, graduates employed on the survey date and still employed m months
    later (`still<m>`, m = 0 to RETENTION_MONTHS), and the cohort's EMPLOYMENT_COUNTS, the summary's
    (one query: each graduate's flags, each cohort against its own survey date, counted per cohort;
    on PostgreSQL from a run of bits per placement, `count_months_per_group`, elsewhere from
    `employment_by_student`).

    "Employed" is month 0, "retained" at 6 and 12 months is months 6 and 12: the same rule as
    `cohorts.EMPLOYMENT_COUNTS`, over the same flags.
    """
    flags = tuple(range(RETENTION_MONTHS + 1))
    counts = {f"still{m}": f"m0 = 1 AND m{m} = 1" for m in flags}
    counts.update(EMPLOYMENT_COUNTS)
    placements = cohort_placements(scope=scope, cohorts=cohorts).order_by()
    if connections[placements.db].vendor == "postgresql":
        per_placement = placements.values(
            "student_id",
            "is_local",
            "starts_on",
            "ends_on",
            cohort=F("student__cohort"),
            grp=F("student__cohort"),
        )
        found = count_months_per_group(per_placement, cohorts=cohorts, months=flags, counts=counts)
    else:
        per_student = employment_by_student(scope=scope, cohorts=cohorts, months=flags).values(
            "student_id", "local0", *(f"m{m}" for m in flags), grp=F("student__cohort")
        )
        found = count_per_group(per_student, counts)
    return {c: found.get(c) or dict.fromkeys(counts, 0) for c in cohorts}


def retention_cohorts(cohort: int) -> list[int]:
    """The cohorts the retention curves show: `cohort` and the two before it."""
    return list(range(cohort - RETENTION_COHORTS + 1, cohort + 1))


def retention_curves(
    *,
    scope: DashboardScope,
    cohort: int,
    today: datetime.date | None = None,
    employment: dict[int, dict] | None = None,
) -> list[dict]:
    """Month by month for a year after the survey date, the share of each cohort still employed.

    One query for `cohort` and the two before it (`employment_by_cohort`; none when `employment`
    holds its result already). Month 0 is the survey date; the rate at month m is graduates
    employed both on the survey date and m months later ÷ graduates employed on the survey
    date × 100. Months still to come are null.
    """
    today = today or timezone.localdate()
    cohorts = retention_cohorts(cohort)
    if employment is None:
        employment = employment_by_cohort(scope=scope, cohorts=cohorts)
    curves = []
    for school_year in cohorts:
        survey = Cohort(school_year).survey_on
        dates = [add_months(survey, m) for m in range(RETENTION_MONTHS + 1)]
        counts = employment[school_year]
        base = counts["still0"]
        months = []
        for m, day in enumerate(dates):
            measured = day <= today
            months.append(
                {
                    "month": m,
                    "date": day,
                    "employed": counts[f"still{m}"] if measured else None,
                    "rate": percent(counts[f"still{m}"], base) if measured else None,
                }
            )
        curves.append(
            {
                "cohort": school_year,
                "cohort_label": Cohort(school_year).label,
                "survey_date": survey,
                "employed_on_survey": base if survey <= today else None,
                "months": months,
            }
        )
    return curves


def retention_by_school(
    *, scope: DashboardScope, cohort: int, today: datetime.date | None = None
) -> list[dict]:
    """Employed on 1 April and retained at 6 and 12 months, by school (one query, the KPIs' definitions).

    Each figure is None until its date has come, as in `cohort_counts`.
    """
    today = today or timezone.localdate()
    dates = Cohort(cohort)
    rows = (
        cohort_students(scope=scope, cohort=cohort)
        .order_by()
        .values(school_name=F("school__name"))
        .annotate(**employment_aggregates(cohort))
        .order_by("school_name")
    )
    surveyed = today >= dates.survey_on
    six, twelve = today >= dates.six_month_check_on, today >= dates.twelve_month_check_on
    return [
        {
            "school": row["school_name"],
            "employed": row["employed"] if surveyed else None,
            "retained_6m": row["retained_6m"] if six else None,
            "retention_6m": percent(row["retained_6m"], row["employed"]) if six else None,
            "retained_12m": row["retained_12m"] if twelve else None,
            "retention_12m": percent(row["retained_12m"], row["employed"]) if twelve else None,
        }
        for row in rows
    ]
