"""The cohort's placements by group, and its applications through the funnel."""

from __future__ import annotations

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Value
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

    The one grouping of `placements_by_groups`.
    """
    return placements_by_groups(scope=scope, cohort=cohort, groups=[by], today=today)[by]


def _group_columns(by: str) -> tuple:
    """The key and the label a grouping's rows carry."""
    return {
        "school": (F("student__school_id"), F("student__school__name")),
        "department": (
            F("student__department_id"),
            Concat(F("student__school__name"), Value(" "), F("student__department__name")),
        ),
        "company": (F("company_id"), F("company__name")),
        "segment": (F("company__segment__code"), F("company__segment__name")),
        "month": (TruncMonth("starts_on"), TruncMonth("starts_on")),
    }[by]


def _placement_measures(survey: datetime.date) -> dict:
    on_survey = employed_on(survey)
    return {
        "placements": Count("pk"),
        "local": Count("pk", filter=Q(is_local=True)),
        "active": Count("pk", filter=Q(status="active")),
        "employed": Count("student", distinct=True, filter=on_survey),
        "employed_local": Count("student", distinct=True, filter=on_survey & Q(is_local=True)),
    }


# `_placement_measures` as SQL over the per-placement rows of `_grouped_in_one_query`. A test
# (tests/dashboard/test_dashboard_page.py: the page computes each figure as its endpoint does
# alone) checks on PostgreSQL that both give the same rows.
GROUPED_MEASURES = {
    "placements": "COUNT(*)",
    "local": "COUNT(*) FILTER (WHERE p.is_local)",
    "active": "COUNT(*) FILTER (WHERE p.is_active)",
    "employed": "COUNT(DISTINCT p.student_id) FILTER (WHERE p.on_survey)",
    "employed_local": "COUNT(DISTINCT p.student_id) FILTER (WHERE p.on_survey AND p.is_local)",
}


def placements_by_groups(
    *, scope: DashboardScope, cohort: int, groups, today: datetime.date | None = None
) -> dict[str, list[dict]]:
    """`placements_by` for each grouping of `groups`, keyed by grouping.

    On PostgreSQL one query computes them all: the cohort's placements are read and joined
    once, and counted under each grouping with GROUPING SETS (the dashboard page shows all
    five). Elsewhere, one query per grouping.
    """
    groups = list(dict.fromkeys(groups))
    for by in groups:
        if by not in PLACEMENT_GROUPS:
            raise ValueError(by)
    today = today or timezone.localdate()
    survey = Cohort(cohort).survey_on
    placements = cohort_placements(scope=scope, cohorts=[cohort]).order_by()
    if connections[placements.db].vendor == "postgresql" and len(groups) > 1:
        found = _grouped_in_one_query(placements, groups, survey)
    else:
        found = {}
        for by in groups:
            key, label = _group_columns(by)
            found[by] = list(
                placements.values(key=key, label=label)
                .annotate(**_placement_measures(survey))
                .order_by("label", "key")
            )
    surveyed = today >= survey
    for by, rows in found.items():
        for row in rows:
            if not surveyed:
                row["employed"] = row["employed_local"] = None
            if by == "month":
                row["key"] = row["label"] = row["key"].strftime("%Y-%m")
    return found


# The key each grouping is counted by in `_grouped_in_one_query`: ids only, so that the rows
# PostgreSQL sorts per grouping stay narrow; the labels are joined to the ~1,200 grouped rows
# afterwards. Departments are counted per (department, student's school), as the ORM's
# grouping by the department and its "school department" label does.
_GROUPED_KEYS = {
    "k_school": F("student__school_id"),
    "k_department": F("student__department_id"),
    "k_company": F("company_id"),
    "k_segment": F("company__segment_id"),
    "k_month": TruncMonth("starts_on"),
}
_GROUPED_SETS = {
    "school": "(p.k_school)",
    "department": "(p.k_department, p.k_school)",
    "company": "(p.k_company)",
    "segment": "(p.k_segment)",
    "month": "(p.k_month)",
}


def _grouped_in_one_query(
    placements: QuerySet, groups: list[str], survey: datetime.date
) -> dict[str, list[dict]]:
    """Every grouping's rows in one statement: `GROUPING SETS` over the cohort's placements.

    The inner query (the ORM's, so the cohort rule stays `cohort_placements`) gives one row per
    placement with each grouping's key (an id) and the flags the measures count; the middle one
    counts them under each grouping (SQL the ORM cannot write); the outer one joins each
    grouped row's label. Rows come out grouping by grouping, each ordered by label then key, as
    `placements_by` orders them.
    """
    from companies.models import Company
    from district.models import IndustrySegment
    from schools.models import Department, School

    per_placement = placements.values(
        "student_id",
        "is_local",
        **_GROUPED_KEYS,
        is_active=ExpressionWrapper(Q(status="active"), output_field=BooleanField()),
        on_survey=ExpressionWrapper(employed_on(survey), output_field=BooleanField()),
    )
    try:
        sql, params = per_placement.query.sql_with_params()
    except EmptyResultSet:  # no school in the scope: no placement, and no query
        return {by: [] for by in groups}
    connection = connections[placements.db]
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (School, Department, Company, IndustrySegment)
    }
    sets = ", ".join(_GROUPED_SETS[by] for by in groups)
    measures = ", ".join(
        f"{sql_} AS {connection.ops.quote_name(name)}" for name, sql_ in GROUPED_MEASURES.items()
    )
    # Which grouping a row belongs to: the one whose key is not rolled up (a department's row
    # also keeps its school, so departments are told first).
    which = (
        "CASE WHEN GROUPING(p.k_department) = 0 THEN 'department' "
        "WHEN GROUPING(p.k_company) = 0 THEN 'company' WHEN GROUPING(p.k_segment) = 0 THEN 'segment' "
        "WHEN GROUPING(p.k_month) = 0 THEN 'month' ELSE 'school' END"
    )
    label = (
        "CASE g.kind WHEN 'school' THEN s.name WHEN 'department' THEN s.name || ' ' || d.name "
        "WHEN 'company' THEN c.name WHEN 'segment' THEN sg.name END"
    )
    names = ", ".join(f"g.{connection.ops.quote_name(name)}" for name in GROUPED_MEASURES)
    keys = "p.k_school, p.k_department, p.k_company, p.k_segment, p.k_month"
    statement = (
        f"WITH g AS (SELECT {which} AS kind, {keys}, {measures} "
        f"FROM ({sql}) p GROUP BY GROUPING SETS ({sets})) "
        f"SELECT g.kind, COALESCE(g.k_department, g.k_school, g.k_company), sg.code, g.k_month, "
        f"{label}, {names} "
        f"FROM g LEFT JOIN {table[School]} s ON s.id = g.k_school "
        f"LEFT JOIN {table[Department]} d ON d.id = g.k_department "
        f"LEFT JOIN {table[Company]} c ON c.id = g.k_company AND g.kind = 'company' "
        f"LEFT JOIN {table[IndustrySegment]} sg ON sg.id = g.k_segment AND g.kind = 'segment' "
        f"ORDER BY g.kind, {label}, g.k_department, g.k_school, g.k_company, sg.code, g.k_month"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        found = cursor.fetchall()
    result: dict[str, list[dict]] = {by: [] for by in groups}
    for kind, key_id, code, month, label_, *counts in found:
        key = {"segment": code, "month": month}.get(kind, key_id)
        result[kind].append(
            {
                "key": key,
                "label": month if kind == "month" else label_,
                **dict(zip(GROUPED_MEASURES, counts, strict=True)),
            }
        )
    return result


def application_funnel(*, scope: DashboardScope, cohort: int) -> list[dict]:
    """Applications of the cohort in each state today, in the order of the funnel (one query).

    These are applications, not graduates, and counted whatever the date: the `hired`
    step counts hires confirmed so far, which is not the employment on the survey date.
    """
    # Grouped by status (one hash per application) rather than one filtered count per status (ten
    # string comparisons per application: ~300,000 of them at 100,000 students).
    counts = dict(
        Application.objects.filter(in_cohort(scope=scope, cohort=cohort, prefix="student__"))
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [
        {"status": s.value, "label": str(s.label), "count": counts.get(s.value, 0)}
        for s in Application.Status
    ]
