"""Agreements (MOU) in force in a year: graduates pledged against hires."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from companies.models import Agreement, Company
from dashboard.kpis.dates import percent
from dashboard.kpis.scope import DashboardScope, district_key, scopes_students
from placements.models import Placement


def _agreements_in_force(
    *, year: int, scope: DashboardScope | None = None, scopes: Sequence[DashboardScope] = ()
) -> QuerySet:
    """Agreements of the scope's district (or each of `scopes`' districts) in force during `year`;
    only the school's own for a school scope."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    whose = Q(pk__in=[])
    for one in [scope] if scope else scopes:
        if one.whole_district:
            whose |= Q(district=one.district)
        else:
            whose |= Q(district=one.district, school_id__in=one.school_ids)
    return Agreement.objects.filter(whose, valid_from__lte=end, valid_until__gte=start).order_by()


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


def mou_counts_by_district(*, scopes: Sequence[DashboardScope], year: int) -> dict[int, MouCounts]:
    """The totals of `mou_rows` for each scope, keyed by its district (two queries, however many scopes).

    Summing per company and summing the agreements and placements themselves give the
    same totals, because each placement is at exactly one company. A hire counts for a
    district when its company has an agreement of that district in force.
    """
    agreements = _agreements_in_force(scopes=scopes, year=year)
    pledged = dict(
        agreements.values("district_id")
        .annotate(n=Sum("pledged_hires_per_year"))
        .values_list("district_id", "n")
    )
    under_agreement = agreements.filter(
        company_id=OuterRef("company_id"), district_id=OuterRef(district_key("student__"))
    )
    hires = dict(
        Placement.objects.filter(scopes_students(scopes, "student__"), starts_on__year=year)
        .filter(Exists(under_agreement))
        .order_by()
        .values(grp=F(district_key("student__")))
        .annotate(n=Count("pk"))
        .values_list("grp", "n")
    )
    return {
        s.district.pk: MouCounts(pledged=pledged.get(s.district.pk) or 0, hires=hires.get(s.district.pk, 0))
        for s in scopes
    }


def mou_counts(*, scope: DashboardScope, year: int) -> MouCounts:
    """The totals of `mou_rows` (two queries): the scope's row of `mou_counts_by_district`."""
    return mou_counts_by_district(scopes=[scope], year=year)[scope.district.pk]


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
