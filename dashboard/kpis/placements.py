"""The cohort's placements by group, and its applications through the funnel."""

from __future__ import annotations

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Concat, TruncMonth

from dashboard.kpis.cohorts import cohort_placements, in_cohort
from dashboard.kpis.scope import DashboardScope
from placements.models import Application

PLACEMENT_GROUPS = ("school", "department", "company", "segment", "month")


def placements_by(*, scope: DashboardScope, year: int, by: str) -> list[dict]:
    """The cohort's placements grouped by school, department, company, segment or start month (one query).

    Each row: placements, those local, and those still active.
    """
    if by not in PLACEMENT_GROUPS:
        raise ValueError(by)
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
    rows = (
        cohort_placements(scope=scope, years=[year])
        .order_by()
        .values(key=key, label=label)
        .annotate(
            placements=Count("pk"),
            local=Count("pk", filter=Q(is_local=True)),
            active=Count("pk", filter=Q(status="active")),
        )
        .order_by("label", "key")
    )
    result = list(rows)
    if by == "month":
        for row in result:
            row["key"] = row["label"] = row["key"].strftime("%Y-%m")
    return result


def application_funnel(*, scope: DashboardScope, year: int) -> list[dict]:
    """Applications of the cohort in each state, in the order of the funnel (one query)."""
    statuses = Application.Status
    counts = Application.objects.filter(in_cohort(scope=scope, year=year, prefix="student__")).aggregate(
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in statuses}
    )
    return [{"status": s.value, "label": str(s.label), "count": counts[s.value]} for s in statuses]
