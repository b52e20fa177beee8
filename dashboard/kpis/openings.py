"""The district's openings: open today (the public-opening rule) and seats of the year's openings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from companies.models import Opening, public_opening_q
from dashboard.kpis.scope import DashboardScope
from placements.models import Placement

# Openings whose seats count for the year they start in: published, or published and since closed.
POSTED_STATUSES = (Opening.Status.PUBLISHED, Opening.Status.CLOSED)


def posted_in_year(year: int, prefix: str = "") -> Q:
    """Posted openings (published or closed) that start in `year` (through `prefix`, e.g. "opening__")."""
    return Q(**{f"{prefix}status__in": POSTED_STATUSES, f"{prefix}starts_on__year": year})


@dataclass(frozen=True)
class OpeningCounts:
    open_openings: int
    open_seats: int
    year_seats: int
    year_filled: int


def opening_counts(*, scope: DashboardScope, year: int, today: datetime.date | None = None) -> OpeningCounts:
    """The district's openings open today, and seats and placements of those starting in `year` (two queries).

    Open today: the public-opening rule (`companies.models.public_opening_q`: published,
    deadline not passed, company verified). Openings belong to the district, not to a
    school, so a school's scope sees the district's figures.
    """
    today = today or timezone.localdate()
    is_open = public_opening_q(today=today)
    of_year = posted_in_year(year)
    openings = Opening.objects.filter(company__district=scope.district).aggregate(
        open_openings=Count("pk", filter=is_open),
        open_seats=Coalesce(Sum("seats", filter=is_open), 0),
        year_seats=Coalesce(Sum("seats", filter=of_year), 0),
    )
    filled = Placement.objects.filter(
        posted_in_year(year, prefix="opening__"), opening__company__district=scope.district
    ).count()
    return OpeningCounts(year_filled=filled, **openings)
