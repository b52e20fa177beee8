"""The dashboard's tables: what the page shows under each chart and what each download writes.

A `Table` names its columns and reads its rows from the cached dashboard aggregates in
`dashboard.kpis`, so the page, the CSV, the XLSX and the API all show the same numbers.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dashboard import kpis
from dashboard.kpis import DashboardScope
from district.exports import Sheet

# Reads one aggregate by name and parameters: `kpis.dashboard_data` for one scope and cohort,
# or `DashboardData.get` of aggregates read together (the page).
Read = Callable[..., object]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, int, decimal, pct, krw, date

    def display(self, value, *, thousands: str | None = None) -> str:
        """`value` as the page shows it; `thousands` (from `int_separator`) formats whole numbers
        without looking the format up for each cell (the page shows ~1,500 rows)."""
        if value is None:
            return "–"
        if self.kind in {"int", "krw"}:
            if thousands is not None and type(value) is int:
                return f"{value:,}".replace(",", thousands)
            return intcomma(value)
        if self.kind == "pct":
            return f"{formats.number_format(value, 1)}%"
        if self.kind == "decimal":
            return formats.number_format(value, 1)
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: tuple[Column, ...]
    source: Callable[[Read], list[dict]]
    officials_only: bool = False
    note: str = ""

    def rows(self, scope: DashboardScope, cohort: int, read: Read | None = None) -> list[dict]:
        """The table's rows; `read` reads the aggregates (default: each through `kpis.dashboard_data`)."""
        return self.source(read or functools.partial(kpis.dashboard_data, scope=scope, cohort=cohort))

    def sheet(self, scope: DashboardScope, cohort: int, rows: list[dict] | None = None) -> Sheet:
        rows = self.rows(scope, cohort) if rows is None else rows
        return columns_sheet(self.title, self.columns, rows)

    def display(self, rows: list[dict]) -> list[list[str]]:
        thousands = int_separator()
        return [[c.display(row.get(c.key), thousands=thousands) for c in self.columns] for row in rows]


def int_separator() -> str | None:
    """The active language's thousands separator when it groups digits by three, as `intcomma`
    then writes a whole number (`f"{n:,}"` with that separator); None otherwise (use `intcomma`)."""
    if formats.get_format("NUMBER_GROUPING") != 3:
        return None
    return formats.get_format("THOUSAND_SEPARATOR")


def columns_sheet(title, columns, rows: list[dict]) -> Sheet:
    """A sheet of `rows` under `columns`, with each column's kind for the XLSX number format."""
    return Sheet(
        title=str(title),
        header=[str(c.label) for c in columns],
        rows=[[row.get(c.key) for c in columns] for row in rows],
        kinds=[c.kind for c in columns],
    )


def _summary_rows(read: Read):
    summary = read("summary")
    return [
        {
            "kpi": str(k.label),
            "value": summary[k.key],
            "unit": str(k.unit_label),
            "target": summary["targets"].get(k.key),
            "definition": str(k.formula),
        }
        for k in kpis.KPIS.values()
    ]


def _placements(by):
    def rows(read: Read):
        return [{**row, "not_local": row["placements"] - row["local"]} for row in read("placements", by=by)]

    return rows


def _retention_rows(read: Read):
    """One row per cohort, one column per month after 1 April (the rate), as the curves show."""
    return [
        {
            "cohort": curve["cohort_label"],
            "employed_on_survey": curve["employed_on_survey"],
            **{f"m{month['month']}": month["rate"] for month in curve["months"]},
        }
        for curve in read("retention")
    ]


def _part(name, key):
    return lambda read: read(name)[key]


# Two different counts side by side, labelled so that nobody reads one for the other: hires
# ever made for the cohort (cumulative) and graduates employed on the survey date (the KPI).
PLACEMENT_COLUMNS = (
    Column("placements", _("Hires confirmed (cumulative)"), "int"),
    Column("local", _("Of which local"), "int"),
    Column("not_local", _("Outside the district"), "int"),
    Column("active", _("Still employed today"), "int"),
    Column("employed", _("Employed on the survey date"), "int"),
    Column("employed_local", _("Employed locally on the survey date"), "int"),
)
PLACEMENTS_NOTE = _(
    "Hires confirmed (cumulative) counts every placement made for the cohort, including jobs "
    "that started after the survey date or ended before it. Employed on the survey date counts "
    "graduates with a job on 1 April after their graduation: the employment rate's figure."
)
PLACEMENT_GROUP_LABELS = {
    "school": _("School"),
    "department": _("Department"),
    "company": _("Company"),
    "segment": _("Industry segment"),
    "month": _("Start month"),
}
PLACEMENT_TITLES = {
    "school": _("Placements by school"),
    "department": _("Placements by department"),
    "company": _("Placements by company"),
    "segment": _("Placements by segment"),
    "month": _("Placements by start month"),
}
CREDIT_COLUMNS = (
    Column("enrolled", _("Enrolments"), "int"),
    Column("students", _("Graduates"), "int"),
    Column("active", _("Studying"), "int"),
    Column("completed", _("Completed"), "int"),
    Column("goal", _("Credits for the degree"), "int"),
    Column("average_credits", _("Average credits earned"), "decimal"),
    Column("reached_goal", _("Reached the degree's credits"), "int"),
)

TABLE_LIST = [
    Table(
        "kpis",
        _("Key performance indicators"),
        (
            Column("kpi", _("Indicator")),
            Column("value", _("Value"), "number"),
            Column("unit", _("Unit")),
            Column("target", _("Target"), "number"),
            Column("definition", _("Definition")),
        ),
        _summary_rows,
    ),
    *(
        Table(
            f"placements-by-{by}",
            PLACEMENT_TITLES[by],
            (Column("label", PLACEMENT_GROUP_LABELS[by]), *PLACEMENT_COLUMNS),
            _placements(by),
            note=PLACEMENTS_NOTE,
        )
        for by in kpis.PLACEMENT_GROUPS
    ),
    Table(
        "funnel",
        _("Applications by state"),
        (Column("label", _("State")), Column("count", _("Applications"), "int")),
        lambda read: read("funnel"),
        note=_(
            "Applications of the cohort in their state today. “Hired” counts hires recorded so far, "
            "not the graduates employed on the survey date."
        ),
    ),
    Table(
        "skills-gap",
        _("Skills gap"),
        (
            Column("name", _("Certification")),
            Column("seats", _("Seats requiring it"), "int"),
            Column("holders", _("Students holding it"), "int"),
            Column("gap", _("Gap"), "int"),
        ),
        lambda read: read("skills-gap"),
    ),
    Table(
        "retention",
        _("Retention (%) by months after 1 April"),
        (
            Column("cohort", _("Cohort")),
            Column("employed_on_survey", _("Employed on 1 April"), "int"),
            *(
                Column(f"m{m}", format_lazy(_("{months} mo."), months=m), "pct")
                for m in range(kpis.RETENTION_MONTHS + 1)
            ),
        ),
        _retention_rows,
    ),
    Table(
        "credits",
        _("Credit programmes"),
        (
            Column("university_name", _("University")),
            Column("program_name", _("Programme")),
            Column("degree_label", _("Degree")),
            *CREDIT_COLUMNS,
        ),
        _part("credits", "programs"),
    ),
    Table(
        "credits-by-degree",
        _("Credits toward a degree"),
        (Column("degree_label", _("Degree")), *CREDIT_COLUMNS),
        _part("credits", "degrees"),
    ),
    Table(
        "budget",
        _("Budget by year and category"),
        (
            Column("year", _("Programme year")),
            Column("category_label", _("Category")),
            Column("description", _("Description")),
            Column("planned_krw", _("Planned (KRW)"), "krw"),
            Column("executed", _("Executed (KRW)"), "krw"),
            Column("remaining", _("Remaining (KRW)"), "krw"),
        ),
        _part("budget", "lines"),
        officials_only=True,
    ),
    Table(
        "burn-down",
        _("Budget burn-down"),
        (
            Column("month", _("Month")),
            Column("spent", _("Spent in the month (KRW)"), "krw"),
            Column("spent_to_date", _("Spent to date (KRW)"), "krw"),
            Column("remaining", _("Remaining (KRW)"), "krw"),
        ),
        _part("budget", "burn_down"),
        officials_only=True,
    ),
    Table(
        "training-hours",
        _("Training hours by school"),
        (
            Column("school_name", _("School")),
            Column("teachers", _("Teachers trained"), "int"),
            Column("completed", _("Completions"), "int"),
            Column("training_hours", _("Hours"), "int"),
        ),
        _part("training", "hours_by_school"),
    ),
    Table(
        "trainings",
        _("Teacher trainings"),
        (
            Column("title", _("Training")),
            Column("provider", _("Provider")),
            Column("starts_on", _("Starts"), "date"),
            Column("ends_on", _("Ends"), "date"),
            Column("hours", _("Hours per teacher"), "int"),
            Column("completed", _("Completions"), "int"),
            Column("hours_completed", _("Hours completed"), "int"),
        ),
        _part("training", "trainings"),
    ),
    Table(
        "curriculum",
        _("Curriculum units co-developed with companies"),
        (
            Column("school_name", _("School")),
            Column("units", _("Units"), "int"),
            Column("co_developed", _("Co-developed"), "int"),
            Column("unit_hours", _("Hours"), "int"),
            Column("co_developed_hours", _("Co-developed hours"), "int"),
        ),
        _part("training", "curriculum_by_school"),
    ),
]
TABLES = {table.slug: table for table in TABLE_LIST}
