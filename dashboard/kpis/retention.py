"""Retention after the survey date: month-by-month curves, and 6 and 12 months by school."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.utils import timezone

from dashboard.kpis.cohorts import (
    cohort_students,
    count_per_group,
    employment_aggregates,
    employment_by_student,
)
from dashboard.kpis.dates import add_months, percent
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort

RETENTION_MONTHS = 12
RETENTION_COHORTS = 3


def retention_curves(*, scope: DashboardScope, cohort: int, today: datetime.date | None = None) -> list[dict]:
    """Month by month for a year after the survey date, the share of each cohort still employed.

    One query for `cohort` and the two before it: each graduate's flags
    (`employment_by_student`, each cohort against its own survey date), counted per cohort.
    Month 0 is the survey date; the rate at month m is graduates employed both on the survey
    date and m months later ÷ graduates employed on the survey date × 100. Months still to
    come are null.
    """
    today = today or timezone.localdate()
    cohorts = list(range(cohort - RETENTION_COHORTS + 1, cohort + 1))
    flags = tuple(range(RETENTION_MONTHS + 1))
    per_student = employment_by_student(scope=scope, cohorts=cohorts, months=flags).values(
        "student_id", *(f"m{m}" for m in flags), grp=F("student__cohort")
    )
    # "still<m>": employed on the survey date and m months later.
    by_cohort = count_per_group(per_student, {f"still{m}": f"m0 = 1 AND m{m} = 1" for m in flags})
    curves = []
    for school_year in cohorts:
        survey = Cohort(school_year).survey_on
        dates = [add_months(survey, m) for m in flags]
        counts = by_cohort.get(school_year) or dict.fromkeys((f"still{m}" for m in flags), 0)
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
