"""The Ministry's evaluation packs: the sheets of /dashboard/evaluation-pack.xlsx (a district) and of
/dashboard/districts/evaluation-pack.xlsx (every district), and their file names."""

from __future__ import annotations

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboard import kpis
from dashboard.kpis import DashboardScope
from dashboard.tables import TABLES, Column, columns_sheet
from district.cohorts import Cohort
from district.exports import Sheet
from schools.models import School


def scope_school_names(scope: DashboardScope) -> list[str]:
    """The names of the schools a filtered scope covers (one query); empty for the whole district."""
    if scope.whole_district:
        return []
    return list(
        School.objects.filter(pk__in=scope.school_ids).order_by("name").values_list("name", flat=True)
    )


def download_names(stem: str, *, scope: DashboardScope, cohort: int, extension: str) -> tuple[str, str]:
    """A download's file name with its filters, and its ASCII fallback (one query with a school filter).

    `evaluation-pohang-2025.xlsx` for the whole district; with a school filter, the school's
    name for browsers that read RFC 5987 names (`evaluation-pohang-2025-포항흥해공업고.xlsx`)
    and its id for the others (`evaluation-pohang-2025-school12.xlsx`).
    """
    base = f"{stem}-{scope.district.slug}-{cohort}"
    if scope.whole_district:
        return f"{base}.{extension}", f"{base}.{extension}"
    names = scope_school_names(scope)
    ids = "-".join(f"school{pk}" for pk in scope.school_ids)
    return f"{base}-{'-'.join(names)}.{extension}", f"{base}-{ids}.{extension}"


def cover_sheet(*, scope: DashboardScope, cohort: int, today=None, now=None) -> Sheet:
    """The first sheet: what the workbook covers and when it was made, for the reader of a printout."""
    today = today or timezone.localdate()
    now = now or timezone.localtime()
    dates = Cohort(cohort)

    def day(value) -> str:
        return formats.date_format(value, "DATE_FORMAT")

    def check(value) -> str:
        if value <= today:
            return day(value)
        return gettext("%(date)s (to be checked)") % {"date": day(value)}

    schools = scope_school_names(scope)
    rows = [
        (_("Report"), _("Evaluation pack of the Vocational Education Innovation District")),
        (_("District"), scope.district.name),
        (_("Cohort"), dates.label),
        (_("Survey date"), check(dates.survey_on)),
        (_("Retention check at 6 months"), check(dates.six_month_check_on)),
        (_("Retention check at 12 months"), check(dates.twelve_month_check_on)),
        (
            _("Programme year"),
            gettext("%(year)s (budget, targets, training, agreements)") % {"year": dates.programme_year},
        ),
        (_("Schools"), ", ".join(schools) if schools else gettext("All schools")),
        (_("Generated at"), formats.date_format(now, "DATETIME_FORMAT")),
        (
            _("Note"),
            _(
                "Employed means employed on the survey date. Hires confirmed (cumulative) on the "
                "placement sheet also counts jobs that started later or ended earlier."
            ),
        ),
    ]
    return Sheet(
        title=str(_("Cover")),
        header=[str(_("Item")), str(_("Contents"))],
        rows=[[str(label), str(value)] for label, value in rows],
    )


def evaluation_pack_sheets(*, scope: DashboardScope, cohort: int) -> list[Sheet]:
    """The sheets of /dashboard/evaluation-pack.xlsx, each read through the KPI selectors.

    0. The cover: district, cohort, its dates, the school filter and the time of generation.
    1. KPIs with their targets and definitions.
    2. Participants by school and department.
    3. Placements by company, local and otherwise, and those employed on the survey date.
    4. Retention at 6 and 12 months by school.
    5. Credit-programme progress.
    6. Budget lines of the programme year, and each expenditure against them.
    7. Teacher-training hours, by training and by school.
    8. Co-developed curriculum units.
    9. MOU pledges against hires.

    The cohort's figures come from the dashboard's cached aggregates (`kpis.dashboard_data`)
    or from the same counting rules, so that the pack agrees with the page and the API.
    """
    year = Cohort(cohort).programme_year
    lines = kpis.dashboard_data("budget", scope=scope, cohort=cohort)["lines"]
    budget_lines = [row for row in lines if row["year"] == year]
    return [
        cover_sheet(scope=scope, cohort=cohort),
        TABLES["kpis"].sheet(scope, cohort),
        columns_sheet(
            _("Participants"),
            (
                Column("school_name", _("School")),
                Column("department_name", _("Department")),
                Column("students", _("Graduates in the cohort"), "int"),
                Column("field_practice", _("Took part in field practice"), "int"),
                Column("employed", _("Employed on the survey date"), "int"),
                Column("employment_rate", _("Employment rate (%)"), "pct"),
                Column("progressed", _("In a credit programme"), "int"),
            ),
            kpis.participants_by_department(scope=scope, cohort=cohort),
        ),
        TABLES["placements-by-company"].sheet(scope, cohort),
        columns_sheet(
            _("Retention"),
            (
                Column("school", _("School")),
                Column("employed", _("Employed on the survey date"), "int"),
                Column("retained_6m", _("Still employed on 1 October"), "int"),
                Column("retention_6m", _("Retention at 6 months (%)"), "pct"),
                Column("retained_12m", _("Still employed a year later"), "int"),
                Column("retention_12m", _("Retention at 12 months (%)"), "pct"),
            ),
            kpis.retention_by_school(scope=scope, cohort=cohort),
        ),
        TABLES["credits"].sheet(scope, cohort),
        columns_sheet(_("Budget lines"), TABLES["budget"].columns, budget_lines),
        columns_sheet(
            _("Expenditures"),
            (
                Column("category_label", _("Category")),
                Column("spent_on", _("Date"), "date"),
                Column("description", _("Description")),
                Column("amount_krw", _("Amount (KRW)"), "krw"),
            ),
            kpis.expenditure_rows(scope=scope, year=year),
        ),
        TABLES["trainings"].sheet(scope, cohort),
        TABLES["training-hours"].sheet(scope, cohort),
        columns_sheet(
            _("Co-developed units"),
            (
                Column("school", _("School")),
                Column("department", _("Department")),
                Column("title", _("Unit")),
                Column("ncs_code", _("NCS unit")),
                Column("hours", _("Hours"), "int"),
                Column("companies", _("Developed with")),
            ),
            kpis.co_developed_unit_rows(scope=scope),
        ),
        columns_sheet(
            _("MOU pledges"),
            (
                Column("company", _("Company")),
                Column("pledged", _("Graduates pledged for the year"), "int"),
                Column("hires", _("Hires in the year"), "int"),
                Column("fulfilment", _("Fulfilment (%)"), "pct"),
            ),
            kpis.mou_table(scope=scope, year=year),
        ),
    ]


def _condensed(title: str, sheets: list[Sheet]) -> Sheet:
    """Sheets stacked into one under the heading `title`: each sheet under its own title row and
    header, a blank row between.

    Each column holds figures of several sheets, so its number format follows the value
    ("number"); dates are written as text (2026-04-01), which no number format mistakes.
    """
    rows: list[list] = []
    for sheet in sheets:
        if rows:
            rows.append([])
        rows.append([sheet.title])
        rows.append(list(sheet.header))
        rows.extend(
            [value.isoformat() if isinstance(value, datetime.date) else value for value in row]
            for row in sheet.rows
        )
    width = max(len(row) for row in rows)
    return Sheet(title=title, header=[title], rows=rows, kinds=["number"] * width)


def comparison_sheet(comparison: dict) -> Sheet:
    """The national comparison as one sheet: a row per district, a column per compared KPI."""
    columns = (
        Column("name", _("District")),
        Column("slug", _("Slug")),
        *(
            Column(key, kpis.KPIS[key].label, "pct" if kpis.KPIS[key].unit == "%" else "int")
            for key in comparison["kpis"]
        ),
    )
    return columns_sheet(_("Districts compared"), columns, comparison["districts"])


def national_pack_sheets(*, scopes: list[DashboardScope], cohort: int) -> list[Sheet]:
    """The sheets of /dashboard/districts/evaluation-pack.xlsx.

    0. The comparison of every district (`kpis.comparison_data`, the page's figures).
    1-n. One sheet per district, named after it: the district pack's sheets
       (`evaluation_pack_sheets`, the district's own figures), stacked in that order.
    """
    sheets = [comparison_sheet(kpis.comparison_data(scopes=scopes, cohort=cohort))]
    for scope in scopes:
        sheets.append(_condensed(scope.district.name, evaluation_pack_sheets(scope=scope, cohort=cohort)))
    return sheets
