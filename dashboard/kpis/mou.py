"""Agreements (MOU) in force in a year: graduates pledged against hires."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from companies.models import Agreement, Company
from dashboard.kpis.dates import percent
from dashboard.kpis.scope import DashboardScope
from placements.models import Placement


def _agreements_in_force(*, scope: DashboardScope, year: int) -> QuerySet:
    """Agreements of the district in force during `year`; only the school's own for a school scope."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    agreements = Agreement.objects.filter(
        district=scope.district, valid_from__lte=end, valid_until__gte=start
    )
    if not scope.whole_district:
        agreements = agreements.filter(school_id__in=scope.school_ids)
    return agreements.order_by()


def mou_rows(*, scope: DashboardScope, year: int) -> QuerySet:
    """Companies with an agreement in force during `year`: pledged hires against hires (one query).

    Pledged = the sum of `pledged_hires_per_year` over the company's agreements in force
    that year (district-wide ones for a district scope, plus school ones; only the
    school's own for a school scope). Hires = placements of the scope's students at the
    company that started in `year`.
    """
    agreements = _agreements_in_force(scope=scope, year=year)
    pledged = (
        agreements.filter(company=OuterRef("pk"))
        .order_by()
        .values("company")
        .annotate(n=Sum("pledged_hires_per_year"))
        .values("n")
    )
    hires = (
        Placement.objects.filter(scope.students("student__"), company=OuterRef("pk"), starts_on__year=year)
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Company.objects.filter(pk__in=agreements.values("company"))
        .annotate(
            pledged=Coalesce(Subquery(pledged, output_field=IntegerField()), 0),
            hires=Coalesce(Subquery(hires, output_field=IntegerField()), 0),
        )
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class MouCounts:
    pledged: int
    hires: int


def mou_counts(*, scope: DashboardScope, year: int) -> MouCounts:
    """The totals of `mou_rows`, summed directly (two queries).

    Summing per company and summing the agreements and placements themselves give the
    same totals, because each placement is at exactly one company.
    """
    agreements = _agreements_in_force(scope=scope, year=year)
    pledged = agreements.aggregate(n=Coalesce(Sum("pledged_hires_per_year"), 0))["n"]
    hires = Placement.objects.filter(
        scope.students("student__"), starts_on__year=year, company_id__in=agreements.values("company_id")
    ).count()
    return MouCounts(pledged=pledged, hires=hires)


def mou_table(*, scope: DashboardScope, year: int) -> list[dict]:
    """`mou_rows` as plain rows with the fulfilment rate (one query)."""
    return [
        {
            "company": row.name,
            "pledged": row.pledged,
            "hires": row.hires,
            "fulfilment": percent(row.hires, row.pledged),
        }
        for row in mou_rows(scope=scope, year=year)
    ]
