"""The dashboard aggregates by name, cached per caller scope, cohort, parameters and language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from dashboard.kpis.budget import dashboard_budget
from dashboard.kpis.credits import credit_progress
from dashboard.kpis.definitions import dashboard_summary
from dashboard.kpis.matching import matching_summary
from dashboard.kpis.national import district_comparison
from dashboard.kpis.placements import application_funnel, placements_by
from dashboard.kpis.retention import retention_curves
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


def dashboard_data(name: str, *, scope: DashboardScope, cohort: int, **params):
    """One dashboard aggregate, cached per caller scope, cohort, parameters and language.

    The key holds the caller's role, district and schools, so two callers with different
    scopes never share a cached body. DASHBOARD_CACHE_SECONDS = 0 turns the cache off.
    """
    compute = placements_by if name == "placements" else DASHBOARD_DATA[name]
    timeout = settings.DASHBOARD_CACHE_SECONDS
    if not timeout:
        return compute(scope=scope, cohort=cohort, **params)
    extra = ",".join(f"{k}={v}" for k, v in sorted(params.items()))
    key = f"dashboard:v2:{name}:{scope.cache_key}:c{cohort}:{extra}:{translation.get_language()}"
    value = cache.get(key)
    if value is None:
        value = compute(scope=scope, cohort=cohort, **params)
        cache.set(key, value, timeout)
    return value


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
