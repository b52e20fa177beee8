"""The district's budget: planned and executed KRW, the table by category and the burn-down."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from district.models import BudgetLine, Expenditure


def _executed_subquery() -> Coalesce:
    spent = (
        Expenditure.objects.filter(budget_line=OuterRef("pk"))
        .order_by()
        .values("budget_line")
        .annotate(s=Sum("amount_krw"))
        .values("s")
    )
    return Coalesce(Subquery(spent), 0)


@dataclass(frozen=True)
class BudgetCounts:
    planned: int
    executed: int


def budget_counts_by_district(
    *, scopes: Sequence[DashboardScope], year: int
) -> dict[int, BudgetCounts | None]:
    """Planned and executed KRW of each scope's district's budget lines for programme year `year`,
    keyed by district (one query, however many scopes; none when no scope sees the budget).

    None for school staff.
    """
    districts = [s.district.pk for s in scopes if s.sees_budget]
    totals = {}
    if districts:
        # Grouped by district rather than aggregate(): Django cannot aggregate() over a
        # subquery annotation, but it can sum it in a GROUP BY.
        totals = {
            row["district"]: row
            for row in BudgetLine.objects.filter(district__in=districts, year=year)
            .order_by()
            .values("district")
            .annotate(planned=Sum("planned_krw"), executed=Sum(_executed_subquery()))
        }
    empty = {"planned": 0, "executed": 0}
    return {
        s.district.pk: BudgetCounts(
            planned=totals.get(s.district.pk, empty)["planned"] or 0,
            executed=totals.get(s.district.pk, empty)["executed"] or 0,
        )
        if s.sees_budget
        else None
        for s in scopes
    }


def budget_counts(*, scope: DashboardScope, year: int) -> BudgetCounts | None:
    """Planned and executed KRW of the district's budget lines for programme year `year` (one query):
    the scope's row of `budget_counts_by_district`. None for school staff."""
    return budget_counts_by_district(scopes=[scope], year=year)[scope.district.pk]


def budget_table(*, scope: DashboardScope) -> list[dict]:
    """Planned, executed and remaining KRW by year and category, every year of the district (one query)."""
    rows = (
        BudgetLine.objects.filter(district=scope.district)
        .order_by()
        .annotate(executed=_executed_subquery())
        .annotate(remaining=F("planned_krw") - F("executed"))
        .values("id", "year", "category", "description", "planned_krw", "executed", "remaining")
        .order_by("year", "category", "id")
    )
    labels = dict(BudgetLine.Category.choices)
    return [{**row, "category_label": str(labels.get(row["category"], row["category"]))} for row in rows]


def budget_burn_down(*, scope: DashboardScope, year: int) -> list[dict]:
    """For each month of `year`: spent that month, spent so far and the planned amount left (two queries)."""
    planned = BudgetLine.objects.filter(district=scope.district, year=year).aggregate(
        n=Coalesce(Sum("planned_krw"), 0)
    )["n"]
    spent = dict(
        Expenditure.objects.filter(budget_line__district=scope.district, budget_line__year=year)
        .annotate(month=TruncMonth("spent_on"))
        .order_by()
        .values("month")
        .annotate(s=Sum("amount_krw"))
        .values_list("month", "s")
    )
    by_month = {m.month: s for m, s in spent.items() if m.year == year}
    # The running total is over at most twelve rows, already summed by the database.
    running = list(itertools.accumulate(by_month.get(m, 0) for m in range(1, 13)))
    return [
        {
            "month": f"{year}-{m:02d}",
            "spent": by_month.get(m, 0),
            "spent_to_date": running[m - 1],
            "remaining": planned - running[m - 1],
            "planned": planned,
        }
        for m in range(1, 13)
    ]


def dashboard_budget(*, scope: DashboardScope, cohort: int) -> dict:
    """The budget endpoint: every year by category, and the burn-down of the programme year the
    cohort is reported in (`Cohort.programme_year`) (three queries)."""
    if not scope.sees_budget:
        raise PermissionDenied(_("The budget is the district's; only officials may read it."))
    year = Cohort(cohort).programme_year
    return {
        "programme_year": year,
        "lines": budget_table(scope=scope),
        "burn_down": budget_burn_down(scope=scope, year=year),
    }


def expenditure_rows(*, scope: DashboardScope, year: int) -> list[dict]:
    """Each expenditure of the year's budget lines, with its line (one query)."""
    rows = (
        Expenditure.objects.filter(budget_line__district=scope.district, budget_line__year=year)
        .order_by("budget_line__category", "spent_on", "pk")
        .values("spent_on", "amount_krw", "description", category=F("budget_line__category"))
    )
    labels = dict(BudgetLine.Category.choices)
    return [{**row, "category_label": str(labels.get(row["category"], row["category"]))} for row in rows]
