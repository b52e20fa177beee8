"""Reads of the public front page: the district in a few numbers.

The public lists themselves are read by the selectors of the app that owns each entity
(`companies.selectors.public`, `placements.selectors.pathways`, `universities.selectors`),
because the public API reads through them too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from companies.models import Company, Opening, public_opening_q
from district.models import District
from placements.models import Pathway, Placement


@dataclass(frozen=True)
class DistrictOverview:
    partner_companies: int
    open_openings: int
    open_seats: int
    pathways: int
    local_employment_year: int
    local_employment_rate: float | None


def district_overview(*, district: District, today: datetime.date | None = None) -> DistrictOverview:
    """The key numbers of the front page (four queries).

    Open openings and seats count the public openings only (`public_opening_q`: published,
    deadline not passed, company verified), the same ones /openings/ lists.

    Local employment rate for last year's cohort = placements at a company located in
    the district ÷ placements, counting each graduate's placements that started in the
    cohort's graduation year or later. None when nobody from that cohort is placed.
    """
    today = today or timezone.localdate()
    openings = Opening.objects.filter(public_opening_q(today=today), company__district=district).aggregate(
        n=Count("id"), seats=Sum("seats")
    )
    last_year = today.year - 1
    placed = Placement.objects.filter(
        student__school__district=district, student__cohort=last_year
    ).aggregate(
        total=Count("student", distinct=True), local=Count("student", distinct=True, filter=Q(is_local=True))
    )
    return DistrictOverview(
        partner_companies=Company.objects.filter(
            district=district, verification=Company.Verification.VERIFIED
        ).count(),
        open_openings=openings["n"] or 0,
        open_seats=openings["seats"] or 0,
        pathways=Pathway.objects.filter(district=district, is_published=True).count(),
        local_employment_year=last_year,
        local_employment_rate=(100.0 * placed["local"] / placed["total"]) if placed["total"] else None,
    )
