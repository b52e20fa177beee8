"""What the dashboard page shows: tiles, chart data and tables, all from the cached aggregates."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dashboard import kpis
from dashboard.kpis import DashboardScope
from dashboard.tables import TABLES, Column
from district.cohorts import Cohort

TILES = (
    "cohort_size",
    "employment_rate",
    "local_employment_rate",
    "retention_6m",
    "retention_12m",
    "progression_rate",
    "open_seats",
    "fill_rate",
    "mou_fulfilment",
    "budget_execution_rate",
    "field_practice_participants",
    "teacher_training_hours",
)

# Each section: a heading, its chart (None for a table alone) and the tables under it.
SECTIONS = (
    ("placements", "bar-stacked", ("placements-by-school",)),
    ("segments", "doughnut", ("placements-by-segment",)),
    ("funnel", "bar-horizontal", ("funnel",)),
    ("skills-gap", "bar", ("skills-gap",)),
    ("burn-down", "burn-down", ("burn-down", "budget")),
    ("retention", "line", ("retention",)),
    ("credits", None, ("credits-by-degree", "credits")),
    ("training", None, ("training-hours", "curriculum")),
    ("more-placements", None, ("placements-by-department", "placements-by-company", "placements-by-month")),
)


def _unit_display(definition: kpis.Kpi, value) -> str:
    column = Column(
        definition.key,
        definition.label,
        {"%": "pct", "KRW": "krw", "count": "int", "hours": "int"}[definition.unit],
    )
    return column.display(value)


# A figure that is null because its date has not come says when it will be measured.
MEASURED_ON = {
    "employment_rate": "survey_date",
    "local_employment_rate": "survey_date",
    "retention_6m": "retention_6m_date",
    "retention_12m": "retention_12m_date",
}


def value_display(definition: kpis.Kpi, summary: dict, today: datetime.date | None = None) -> str:
    """A KPI's value as the page shows it; "2027년 4월 1일 확인 예정" while its date is to come."""
    today = today or timezone.localdate()
    value = summary[definition.key]
    due = summary.get(MEASURED_ON.get(definition.key, ""))
    if value is None and due is not None and due > today:
        return _("To be checked on %(date)s") % {"date": formats.date_format(due, "DATE_FORMAT")}
    return _unit_display(definition, value)


def tiles(summary: dict, today: datetime.date | None = None) -> list[dict]:
    found = []
    for key in TILES:
        definition = kpis.KPIS[key]
        value, target = summary[key], summary["targets"].get(key)
        found.append(
            {
                "key": key,
                "label": definition.label,
                "value": value_display(definition, summary, today),
                "pending": value is None and key in MEASURED_ON,
                "target": None if target is None else _unit_display(definition, target),
                "met": None if value is None or target is None else value >= target,
                "formula": definition.formula,
            }
        )
    return found


def chart_data(rows: dict[str, list[dict]], retention: list[dict]) -> dict:
    """Labels and series for each chart; the script only draws them."""
    by_school, segments = rows["placements-by-school"], rows["placements-by-segment"]
    funnel, gap, burn = rows["funnel"], rows["skills-gap"], rows["burn-down"]
    return {
        "placements": {
            "labels": [r["label"] for r in by_school],
            "series": [
                {"label": _("Local"), "data": [r["local"] for r in by_school]},
                {"label": _("Outside the district"), "data": [r["not_local"] for r in by_school]},
            ],
        },
        "segments": {
            "labels": [r["label"] for r in segments],
            "series": [{"label": _("Placements"), "data": [r["placements"] for r in segments]}],
        },
        "funnel": {
            "labels": [r["label"] for r in funnel],
            "series": [{"label": _("Applications"), "data": [r["count"] for r in funnel]}],
        },
        "skills-gap": {
            "labels": [r["name"] for r in gap],
            "series": [
                {"label": _("Seats requiring it"), "data": [r["seats"] for r in gap]},
                {"label": _("Students holding it"), "data": [r["holders"] for r in gap]},
            ],
        },
        "burn-down": {
            "labels": [r["month"] for r in burn],
            "series": [
                {"label": _("Remaining (KRW)"), "data": [r["remaining"] for r in burn], "type": "line"},
                {"label": _("Spent in the month (KRW)"), "data": [r["spent"] for r in burn], "type": "bar"},
            ],
        },
        "retention": {
            "labels": [str(m["month"]) for m in retention[-1]["months"]] if retention else [],
            "series": [
                {"label": Cohort(curve["cohort"]).short_label, "data": [m["rate"] for m in curve["months"]]}
                for curve in retention
            ],
        },
    }


SECTION_TITLES = {
    "placements": _("Placements by school"),
    "segments": _("Placements by industry segment"),
    "funnel": _("Application funnel"),
    "skills-gap": _("Skills gap: seats requiring a certification against students holding it"),
    "burn-down": _("Budget burn-down"),
    "retention": _("Retention curves"),
    "credits": _("Credits toward a degree"),
    "training": _("Teacher training and co-developed curriculum"),
    "more-placements": _("More placement tables"),
}


def cohort_choices(scope: DashboardScope, today: datetime.date | None = None) -> list[Cohort]:
    """The cohorts the filter offers: from three before the programme's first year (a baseline)
    to the cohort in its final year today, or the last one the programme reports, if later."""
    today = today or timezone.localdate()
    district = scope.district
    first = Cohort.graduating_in(district.program_start_year).school_year - 2
    last = max(
        Cohort.in_final_year_on(today).school_year,
        Cohort.graduating_in(district.program_end_year).school_year,
    )
    return [Cohort(n) for n in range(first, last + 1)]


def _cells(columns: tuple[Column, ...], rows: list[list[str]]) -> list[list[dict]]:
    return [
        [{"text": text, "numeric": c.kind != "text"} for c, text in zip(columns, row, strict=True)]
        for row in rows
    ]


# One table row as the page writes it: the first cell heads the row, numbers align right.
_HEAD_CELL = '<th scope="row">{}</th>'
_CELL = {True: '<td class="num">{}</td>', False: "<td>{}</td>"}


def _body(rows: list[list[dict]]) -> str:
    """The rows of a table's <tbody>, written here rather than by a template loop per cell: the
    page shows ~1,500 rows, and the loop cost more than computing them from the cache."""
    return mark_safe(
        "".join(
            "<tr>"
            + format_html(_HEAD_CELL, row[0]["text"])
            + "".join(format_html(_CELL[cell["numeric"]], cell["text"]) for cell in row[1:])
            + "</tr>\n          "
            for row in rows
        )
    )


def page_context(*, scope: DashboardScope, cohort: int, filters: dict) -> dict:
    """Everything /dashboard/ renders for one scope and cohort (the aggregates are cached, and the
    page shares them with the API: `kpis.dashboard_data_many`)."""
    query = urlencode({k: v for k, v in filters.items() if v is not None})
    # Every aggregate in one cache read; those missing are computed once each and cached
    # under the keys the API reads them by.
    data = kpis.dashboard_data_many(kpis.PAGE_DATA, scope=scope, cohort=cohort)
    summary = data.get("summary")
    rows = {slug: table.rows(scope, cohort, data.get) for slug, table in TABLES.items() if slug != "kpis"}
    sections = []
    for key, chart, slugs in SECTIONS:
        sections.append(
            {
                "key": key,
                "title": SECTION_TITLES[key],
                "chart": chart,
                "tables": [
                    {
                        "slug": slug,
                        "title": TABLES[slug].title,
                        "note": TABLES[slug].note,
                        "header": [
                            {"label": c.label, "numeric": c.kind != "text"} for c in TABLES[slug].columns
                        ],
                        "rows": (
                            table_rows := _cells(TABLES[slug].columns, TABLES[slug].display(rows[slug]))
                        ),
                        "body": _body(table_rows),
                        "csv": f"{reverse('dashboard-export', args=[slug, 'csv'])}?{query}",
                        "xlsx": f"{reverse('dashboard-export', args=[slug, 'xlsx'])}?{query}",
                    }
                    for slug in slugs
                ],
            }
        )
    kpi_table = TABLES["kpis"]
    return {
        "scope": scope,
        "cohort": Cohort(cohort),
        "summary": summary,
        "tiles": tiles(summary),
        "kpis": [
            {
                "definition": k,
                "value": value_display(k, summary),
                "target": summary["targets"].get(k.key),
            }
            for k in kpis.KPIS.values()
        ],
        "kpi_downloads": {
            "csv": f"{reverse('dashboard-export', args=[kpi_table.slug, 'csv'])}?{query}",
            "xlsx": f"{reverse('dashboard-export', args=[kpi_table.slug, 'xlsx'])}?{query}",
        },
        "sections": sections,
        "charts": chart_data(rows, data.get("retention")),
        "evaluation_pack_url": f"{reverse('dashboard-evaluation-pack')}?{query}",
        "cohorts": sorted({*cohort_choices(scope), Cohort(cohort)}),
    }


def comparison_context(comparison: dict, today: datetime.date | None = None) -> dict:
    """What /dashboard/districts/ renders: a row per district whose every cell links to that district's
    dashboard for the cohort, and a bar chart per compared KPI (drawn by js/dashboard.js)."""
    dates = {key: value for key, value in comparison.items() if key not in ("kpis", "districts")}
    definitions = [kpis.KPIS[key] for key in comparison["kpis"]]
    rows = []
    for row in comparison["districts"]:
        link = (
            f"{reverse('dashboard')}?{urlencode({'district': row['slug'], 'cohort': comparison['cohort']})}"
        )
        rows.append(
            {
                "name": row["name"],
                "link": link,
                "cells": [
                    {"key": d.key, "text": value_display(d, {**dates, **row}, today)} for d in definitions
                ],
            }
        )
    names = [row["name"] for row in comparison["districts"]]
    return {
        "cohort": Cohort(comparison["cohort"]),
        "comparison": comparison,
        "columns": [{"key": d.key, "label": d.label, "formula": d.formula} for d in definitions],
        "rows": rows,
        "charts": {
            d.key: {
                "labels": names,
                "series": [{"label": str(d.label), "data": [r[d.key] for r in comparison["districts"]]}],
            }
            for d in definitions
        },
        "evaluation_pack_url": (
            f"{reverse('dashboard-national-pack')}?{urlencode({'cohort': comparison['cohort']})}"
        ),
    }
