"""The dashboard aggregates by name, cached per caller scope, cohort, parameters and language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from dashboard.kpis.budget import dashboard_budget
from dashboard.kpis.cohorts import EMPLOYMENT_COUNTS
from dashboard.kpis.credits import credit_progress
from dashboard.kpis.definitions import dashboard_summary
from dashboard.kpis.matching import matching_summary
from dashboard.kpis.national import district_comparison
from dashboard.kpis.placements import PLACEMENT_GROUPS, application_funnel, placements_by_groups
from dashboard.kpis.retention import employment_by_cohort, retention_cohorts, retention_curves
from dashboard.kpis.scope import DashboardScope
from dashboard.kpis.skills import skills_gap
from dashboard.kpis.training import training_summary

DASHBOARD_DATA: dict[str, Callable[..., object]] = {
    "summary": dashboard_summary,
    "funnel": application_funnel,
    "skills-gap": skills_gap,
    "retention": retention_curves,
    "credits": credit_progress,
    "budget": dashboard_budget,
    "training": training_summary,
    "matching": matching_summary,
}


def _key(name: str, scope: DashboardScope, cohort: int, params: dict) -> str:
    extra = ",".join(f"{k}={v}" for k, v in sorted(params.items()))
    return f"dashboard:v2:{name}:{scope.cache_key}:c{cohort}:{extra}:{translation.get_language()}"


def dashboard_data(name: str, *, scope: DashboardScope, cohort: int, **params):
    """One dashboard aggregate, cached per caller scope, cohort, parameters and language.

    The key holds the caller's role, district and schools, so two callers with different
    scopes never share a cached body. DASHBOARD_CACHE_SECONDS = 0 turns the cache off.
    """
    return dashboard_data_many([(name, params)], scope=scope, cohort=cohort).get(name, **params)


# Everything the /dashboard/ page shows: every aggregate but the matching rounds, with the
# placements under each grouping.
PAGE_DATA: tuple[tuple[str, dict], ...] = (
    ("summary", {}),
    *(("placements", {"by": by}) for by in PLACEMENT_GROUPS),
    ("funnel", {}),
    ("skills-gap", {}),
    ("retention", {}),
    ("credits", {}),
    ("budget", {}),
    ("training", {}),
)


def dashboard_cache_keys(wanted, *, scope: DashboardScope, cohort: int) -> list[str]:
    """The cache keys of the (name, parameters) pairs of `wanted`, in the current language
    (`bench_dashboard` deletes the page's to measure it cold)."""
    return [_key(name, scope, cohort, params) for name, params in wanted]


@dataclass(frozen=True)
class DashboardData:
    """Aggregates read together for one scope and cohort (`dashboard_data_many`)."""

    scope: DashboardScope
    cohort: int
    values: dict[str, object]

    def get(self, name: str, **params):
        return self.values[_key(name, self.scope, self.cohort, params)]


def dashboard_data_many(wanted, *, scope: DashboardScope, cohort: int) -> DashboardData:
    """Several dashboard aggregates, each cached under the key `dashboard_data` reads it by, so
    the page and the API endpoints fill and read the same entries.

    1. One cache read for all of them (`get_many`).
    2. Each one missing is computed once; the placements' groupings together, in one query
       (`placements_by_groups`), and the summary's employment counts with the retention curves
       (`employment_by_cohort`).
    3. One cache write for those computed (`set_many`).

    `wanted` holds (name, parameters) pairs, as `PAGE_DATA`. DASHBOARD_CACHE_SECONDS = 0 turns
    the cache off: every aggregate is computed, still once.
    """
    timeout = settings.DASHBOARD_CACHE_SECONDS
    keys = dict(zip(dashboard_cache_keys(wanted, scope=scope, cohort=cohort), wanted, strict=True))
    found = cache.get_many(list(keys)) if timeout else {}
    missing = {key: value for key, value in keys.items() if key not in found}
    names = {name for name, _params in missing.values()}
    groups = [params["by"] for name, params in missing.values() if name == "placements"]
    grouped = placements_by_groups(scope=scope, cohort=cohort, groups=groups) if groups else {}
    # Counts already counted, passed to the aggregates that would count them again.
    counted: dict[str, dict] = {}
    if {"summary", "retention"} <= names:
        # The summary's employment counts are the retention curves' for the cohort, from one query.
        employment = employment_by_cohort(scope=scope, cohorts=retention_cohorts(cohort))
        counted["summary"] = {"employment": {k: employment[cohort][k] for k in EMPLOYMENT_COUNTS}}
        counted["retention"] = {"employment": employment}
    computed = {}
    for key, (name, params) in missing.items():
        if name == "placements":
            computed[key] = grouped[params["by"]]
        else:
            compute = DASHBOARD_DATA[name]
            computed[key] = compute(scope=scope, cohort=cohort, **params, **counted.get(name, {}))
    if computed and timeout:
        cache.set_many(computed, timeout)
    return DashboardData(scope=scope, cohort=cohort, values={**found, **computed})


def comparison_data(*, scopes: list[DashboardScope], cohort: int) -> dict:
    """`district_comparison`, cached like `dashboard_data`: per districts, cohort and language.

    Only national officials and superusers read it, and both see every district whole, so
    the key names the districts and not the caller.
    """
    timeout = settings.DASHBOARD_CACHE_SECONDS
    if not timeout:
        return district_comparison(scopes=scopes, cohort=cohort)
    districts = ",".join(str(scope.district.pk) for scope in scopes)
    key = f"dashboard:v2:districts:d{districts}:c{cohort}:{translation.get_language()}"
    value = cache.get(key)
    if value is None:
        value = district_comparison(scopes=scopes, cohort=cohort)
        cache.set(key, value, timeout)
    return value
