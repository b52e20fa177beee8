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

from django.db.models import Count
from django.utils import timezone

from companies.models import Company
from dashboard import kpis
from district.cohorts import Cohort
from district.models import District
from district.sites import site_map, site_url
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
    """The key numbers of `district`'s front page (three queries, and the dashboard's cached summary).

    Open openings and seats, and the employment and local employment rates of the latest
    cohort whose survey date has passed (`Cohort.latest_surveyed`), are the dashboard's KPIs
    for the whole district (`kpis.dashboard_summary`): the same functions, the same values.
    Open openings count the public openings only (`public_opening_q`), the ones /openings/ lists.
    """
    return district_overviews(districts=[district], today=today)[district.pk]


def district_overviews(
    *, districts: list[District], today: datetime.date | None = None
) -> dict[int, DistrictOverview]:
    """Each district's front-page numbers (`district_overview`), by district id, for /districts/.

    Three queries whatever the number of districts (their schools, verified companies and
    published pathways, each counted in one grouped query), and each district's summary from
    the dashboard's cache; a district whose summary is not cached yet is computed once, as
    its home page would.
    """
    today = today or timezone.localdate()
    cohort = Cohort.latest_surveyed(today)
    ids = [district.pk for district in districts]
    if not ids:
        return {}
    partners = _count_by_district(Company.objects.filter(verification=Company.Verification.VERIFIED), ids)
    pathways = _count_by_district(Pathway.objects.filter(is_published=True), ids)
    overviews = {}
    for scope in kpis.district_scopes(districts):
        summary = kpis.dashboard_data("summary", scope=scope, cohort=cohort.school_year)
        overviews[scope.district.pk] = DistrictOverview(
            partner_companies=partners.get(scope.district.pk, 0),
            open_openings=summary["open_openings"],
            open_seats=summary["open_seats"],
            pathways=pathways.get(scope.district.pk, 0),
            cohort=cohort,
            survey_on=summary["survey_date"],
            employment_rate=summary["employment_rate"],
            local_employment_rate=summary["local_employment_rate"],
        )
    return overviews


@dataclass(frozen=True)
class DirectoryEntry:
    """One district on /districts/: the district, its front-page numbers and its site's address."""

    district: District
    overview: DistrictOverview
    url: str  # "" when the district has neither a site address nor a host name
    is_this_site: bool


def district_directory(*, request=None, today: datetime.date | None = None) -> list[DirectoryEntry]:
    """Every district, by name, with its numbers (`district_overviews`) and its site's address.

    The districts come from the cached host map (no query), so the page costs the three
    queries of `district_overviews` whatever the number of districts.
    """
    sites = site_map()
    districts = sorted(sites.by_pk.values(), key=lambda d: (d.name, d.pk))
    overviews = district_overviews(districts=districts, today=today)
    here = getattr(request, "district", None)
    return [
        DirectoryEntry(
            district=district,
            overview=overviews[district.pk],
            url=site_url(district, request=request),
            is_this_site=here is not None and here.pk == district.pk,
        )
        for district in districts
    ]


def _count_by_district(queryset, district_ids: list[int]) -> dict[int, int]:
    rows = (
        queryset.filter(district_id__in=district_ids).order_by().values("district_id").annotate(n=Count("pk"))
    )
    return {row["district_id"]: row["n"] for row in rows}
