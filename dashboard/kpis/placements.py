"""The cohort's placements by group, and its applications through the funnel."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Concat, TruncMonth
from django.utils import timezone

from dashboard.kpis.cohorts import cohort_placements, in_cohort
from dashboard.kpis.dates import employed_on
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from placements.models import Application

PLACEMENT_GROUPS = ("school", "department", "company", "segment", "month")


def placements_by(
    *, scope: DashboardScope, cohort: int, by: str, today: datetime.date | None = None
) -> list[dict]:
    """The cohort's placements grouped by school, department, company, segment or start month (one query).

    Each row holds two different counts, named so that nobody reads one for the other:

    - `placements`: placements ever made for the cohort's students (채용 확정, cumulative),
      with those `local` and those still `active` today;
    - `employed`: the cohort's graduates employed on the survey date (a placement covering
      1 April after the graduation), with those `employed_local`: the employment KPI's own
      rule (`dates.employed_on`), so that the rows by school add up to the KPI. None before
      the survey date.
    """
    if by not in PLACEMENT_GROUPS:
        raise ValueError(by)
    today = today or timezone.localdate()
    survey = Cohort(cohort).survey_on
    keys = {
        "school": (F("student__school_id"), F("student__school__name")),
        "department": (
            F("student__department_id"),
            Concat(F("student__school__name"), Value(" "), F("student__department__name")),
        ),
        "company": (F("company_id"), F("company__name")),
        "segment": (F("company__segment__code"), F("company__segment__name")),
        "month": (TruncMonth("starts_on"), TruncMonth("starts_on")),
    }
    key, label = keys[by]
    on_survey = employed_on(survey)
    rows = (
        cohort_placements(scope=scope, cohorts=[cohort])
        .order_by()
        .values(key=key, label=label)
        .annotate(
            placements=Count("pk"),
            local=Count("pk", filter=Q(is_local=True)),
            active=Count("pk", filter=Q(status="active")),
            employed=Count("student", distinct=True, filter=on_survey),
            employed_local=Count("student", distinct=True, filter=on_survey & Q(is_local=True)),
        )
        .order_by("label", "key")
    )
    result = list(rows)
    surveyed = today >= survey
    for row in result:
        if not surveyed:
            row["employed"] = row["employed_local"] = None
        if by == "month":
            row["key"] = row["label"] = row["key"].strftime("%Y-%m")
    return result


def application_funnel(*, scope: DashboardScope, cohort: int) -> list[dict]:
    """Applications of the cohort in each state today, in the order of the funnel (one query).

    These are applications, not graduates, and counted whatever the date: the `hired`
    step counts hires confirmed so far, which is not the employment on the survey date.
    """
    statuses = Application.Status
    counts = Application.objects.filter(in_cohort(scope=scope, cohort=cohort, prefix="student__")).aggregate(
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in statuses}
    )
    return [{"status": s.value, "label": str(s.label), "count": counts[s.value]} for s in statuses]
