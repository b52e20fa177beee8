"""The Ministry's evaluation pack: the sheets of /dashboard/evaluation-pack.xlsx."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dashboard import kpis
from dashboard.kpis import DashboardScope
from dashboard.tables import TABLES, Column
from district.exports import Sheet


def evaluation_pack_sheets(*, scope: DashboardScope, year: int) -> list[Sheet]:
    """The sheets of /dashboard/evaluation-pack.xlsx, each read through the KPI selectors.

    1. KPIs with their targets and definitions.
    2. Participants by school and department.
    3. Placements by company, local and otherwise.
    4. Retention at 6 and 12 months by school.
    5. Credit-programme progress.
    6. Budget lines of the year, and each expenditure against them.
    7. Teacher-training hours, by training and by school.
    8. Co-developed curriculum units.
    9. MOU pledges against hires.
    """
    budget_lines = [row for row in kpis.budget_table(scope=scope) if row["year"] == year]
    specs = [
        (TABLES["kpis"].sheet(scope, year)),
        _sheet(
            _("Participants"),
            (
                Column("school_name", _("School")),
                Column("department_name", _("Department")),
                Column("students", _("Graduates in the cohort")),
                Column("field_practice", _("Took part in field practice")),
                Column("employed", _("Employed on 1 April")),
                Column("employment_rate", _("Employment rate (%)")),
                Column("progressed", _("In a credit programme")),
            ),
            kpis.participants_by_department(scope=scope, year=year),
        ),
        TABLES["placements-by-company"].sheet(scope, year),
        _sheet(
            _("Retention"),
            (
                Column("school", _("School")),
                Column("employed", _("Employed on 1 April")),
                Column("retained_6m", _("Still employed on 1 October")),
                Column("retention_6m", _("Retention at 6 months (%)")),
                Column("retained_12m", _("Still employed a year later")),
                Column("retention_12m", _("Retention at 12 months (%)")),
            ),
            kpis.retention_by_school(scope=scope, year=year),
        ),
        TABLES["credits"].sheet(scope, year),
        _sheet(
            _("Budget lines"),
            TABLES["budget"].columns,
            budget_lines,
        ),
        _sheet(
            _("Expenditures"),
            (
                Column("category_label", _("Category")),
                Column("spent_on", _("Date")),
                Column("description", _("Description")),
                Column("amount_krw", _("Amount (KRW)")),
            ),
            kpis.expenditure_rows(scope=scope, year=year),
        ),
        TABLES["trainings"].sheet(scope, year),
        TABLES["training-hours"].sheet(scope, year),
        _sheet(
            _("Co-developed units"),
            (
                Column("school", _("School")),
                Column("department", _("Department")),
                Column("title", _("Unit")),
                Column("ncs_code", _("NCS unit")),
                Column("hours", _("Hours")),
                Column("companies", _("Developed with")),
            ),
            kpis.co_developed_unit_rows(scope=scope),
        ),
        _sheet(
            _("MOU pledges"),
            (
                Column("company", _("Company")),
                Column("pledged", _("Graduates pledged for the year")),
                Column("hires", _("Hires in the year")),
                Column("fulfilment", _("Fulfilment (%)")),
            ),
            kpis.mou_table(scope=scope, year=year),
        ),
    ]
    return specs


def _sheet(title, columns, rows) -> Sheet:
    return Sheet(
        title=str(title),
        header=[str(c.label) for c in columns],
        rows=[[row.get(c.key) for c in columns] for row in rows],
    )
