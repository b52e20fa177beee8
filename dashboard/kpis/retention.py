"""Retention after the survey date: month-by-month curves, and 6 and 12 months by school."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from dashboard.kpis.cohorts import cohort_students, employment_aggregates, employment_by_student
from dashboard.kpis.dates import add_months, percent
from dashboard.kpis.scope import DashboardScope
from district.cohorts import retention_dates, survey_date

RETENTION_MONTHS = 12
RETENTION_COHORTS = 3


def retention_curves(*, scope: DashboardScope, year: int, today: datetime.date | None = None) -> list[dict]:
    """Month by month for a year after the survey date, the share of each cohort still employed.

    One query per cohort (`year` and the two before it). Month 0 is the survey date; the
    rate at month m is graduates employed both on the survey date and m months later ÷
    graduates employed on the survey date × 100. Months still to come are null.
    """
    today = today or timezone.localdate()
    curves = []
    for cohort in range(year - RETENTION_COHORTS + 1, year + 1):
        survey = survey_date(cohort)
        dates = [add_months(survey, m) for m in range(RETENTION_MONTHS + 1)]
        flags = tuple(range(RETENTION_MONTHS + 1))
        # "still<m>": employed on the survey date and m months later.
        counts = employment_by_student(scope=scope, year=cohort, months=flags).aggregate(
            **{f"still{m}": Count("student_id", filter=Q(m0=1) & Q(**{f"m{m}": 1})) for m in flags}
        )
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
        curves.append({"cohort": cohort, "survey_date": survey, "employed_on_survey": base, "months": months})
    return curves


def retention_by_school(
    *, scope: DashboardScope, year: int, today: datetime.date | None = None
) -> list[dict]:
    """Employed on 1 April and retained at 6 and 12 months, by school (one query, the KPIs' definitions)."""
    today = today or timezone.localdate()
    survey = survey_date(year)
    rows = (
        cohort_students(scope=scope, year=year)
        .order_by()
        .values(school_name=F("school__name"))
        .annotate(**employment_aggregates(year))
        .order_by("school_name")
    )
    checks = retention_dates(survey)
    six, twelve = today >= checks.six_months, today >= checks.twelve_months
    return [
        {
            "school": row["school_name"],
            "employed": row["employed"],
            "retained_6m": row["retained_6m"] if six else None,
            "retention_6m": percent(row["retained_6m"], row["employed"]) if six else None,
            "retained_12m": row["retained_12m"] if twelve else None,
            "retention_12m": percent(row["retained_12m"], row["employed"]) if twelve else None,
        }
        for row in rows
    ]
