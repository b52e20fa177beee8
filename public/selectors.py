"""Reads of the public front page: the district in a few numbers.

The public lists themselves are read by the selectors of the app that owns each entity
(`companies.selectors.public`, `placements.selectors.pathways`, `universities.selectors`),
because the public API reads through them too. The front page's outcome figures are the
dashboard's own KPIs (`dashboard.kpis`), so that the home page, the dashboard, the API and
the evaluation pack can never show two numbers for one thing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from companies.models import Company
from dashboard import kpis
from district.cohorts import Cohort
from district.models import District
from placements.models import Pathway


@dataclass(frozen=True)
class DistrictOverview:
    partner_companies: int
    open_openings: int
    open_seats: int
    pathways: int
    cohort: Cohort
    survey_on: datetime.date
    employment_rate: float | None
    local_employment_rate: float | None


def district_overview(*, district: District, today: datetime.date | None = None) -> DistrictOverview:
    """The key numbers of the front page (three queries, and the dashboard's cached summary).

    Open openings and seats, and the employment and local employment rates of the latest
    cohort whose survey date has passed (`Cohort.latest_surveyed`), are the dashboard's KPIs
    for the whole district (`kpis.dashboard_summary`): the same functions, the same values.
    Open openings count the public openings only (`public_opening_q`), the ones /openings/ lists.
    """
    today = today or timezone.localdate()
    cohort = Cohort.latest_surveyed(today)
    summary = kpis.dashboard_data("summary", scope=kpis.district_scope(district), cohort=cohort.school_year)
    return DistrictOverview(
        partner_companies=Company.objects.filter(
            district=district, verification=Company.Verification.VERIFIED
        ).count(),
        open_openings=summary["open_openings"],
        open_seats=summary["open_seats"],
        pathways=Pathway.objects.filter(district=district, is_published=True).count(),
        cohort=cohort,
        survey_on=summary["survey_date"],
        employment_rate=summary["employment_rate"],
        local_employment_rate=summary["local_employment_rate"],
    )
