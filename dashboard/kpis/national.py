"""The national comparison: the headline KPIs of every district, side by side, in one set of queries.

Each figure is the district's own: the same KPI definitions (`definitions.KPIS`) over the
same counts as its dashboard, read through the grouped selectors that the per-district
ones are a single row of (`cohort_counts_by_district`, `mou_counts_by_district`,
`budget_counts_by_district`). A test checks that every row equals the district's summary.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from dashboard.kpis.budget import budget_counts_by_district
from dashboard.kpis.cohorts import cohort_counts_by_district
from dashboard.kpis.counts import Figures
from dashboard.kpis.definitions import KPIS
from dashboard.kpis.mou import mou_counts_by_district
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort

# The KPIs the comparison shows, in its column order; each reads only the cohort, MOU and budget counts.
COMPARED = (
    "cohort_size",
    "employment_rate",
    "local_employment_rate",
    "retention_6m",
    "retention_12m",
    "progression_rate",
    "mou_fulfilment",
    "budget_execution_rate",
)


def district_comparison(
    *, scopes: Sequence[DashboardScope], cohort: int, today: datetime.date | None = None
) -> dict:
    """One row per scope (one whole district each): the COMPARED KPIs and the cohort's dates (five queries).

    1-2. cohort size, progression, employment and retention by district (`cohort_counts_by_district`);
    3-4. MOU pledges and hires under agreements by district (`mou_counts_by_district`);
    5. budget planned and executed by district (`budget_counts_by_district`).
    """
    year = Cohort(cohort).programme_year
    cohorts = cohort_counts_by_district(scopes=scopes, cohort=cohort, today=today)
    mous = mou_counts_by_district(scopes=scopes, year=year)
    budgets = budget_counts_by_district(scopes=scopes, year=year)
    rows = []
    for scope in scopes:
        pk = scope.district.pk
        # Only the counts the COMPARED KPIs read; openings and activity are not compared.
        counts = Figures(cohort=cohorts[pk], openings=None, mou=mous[pk], budget=budgets[pk], activity=None)
        rows.append(
            {
                "district": pk,
                "slug": scope.district.slug,
                "name": scope.district.name,
                **{key: KPIS[key].compute(counts) for key in COMPARED},
            }
        )
    dates = Cohort(cohort)
    return {
        "cohort": cohort,
        "cohort_label": dates.label,
        "programme_year": dates.programme_year,
        "survey_date": dates.survey_on,
        "retention_6m_date": dates.six_month_check_on,
        "retention_12m_date": dates.twelve_month_check_on,
        "kpis": list(COMPARED),
        "districts": rows,
    }
