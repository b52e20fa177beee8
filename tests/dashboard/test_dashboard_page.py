"""/dashboard/: officials only; tiles with targets and definitions, charts from JSON, tables, print."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from dashboard import kpis
from district.cohorts import Cohort
from district.models import KpiTarget
from tests import factories as f
from tests.browser import ARTIFACTS, screenshot
from tests.builders import build_cohort


def test_anonymous_visitors_are_sent_to_log_in(anonymous):
    response = anonymous.get("/dashboard/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_only_officials_see_the_dashboard(school_a_staff, recruiter_a, student_user, coordinator):
    for client in (school_a_staff, recruiter_a, student_user, coordinator):
        assert client.get("/dashboard/").status_code == 403


def test_officials_see_tiles_with_targets_and_definitions(world, official):
    build_cohort(world, 10)
    f.KpiTargetFactory(
        district=world.district, year=2026, indicator=KpiTarget.Indicator.EMPLOYMENT_RATE, target=50
    )
    response = official.get("/dashboard/?cohort=2025", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    tiles = {tile["key"]: tile for tile in response.context["tiles"]}
    assert tiles["cohort_size"]["value"] == "10"
    assert tiles["employment_rate"]["target"] == "50.0%"
    html = response.content.decode()
    # Each tile carries its definition as a tooltip and in a box that works without JavaScript.
    formula = str(kpis.KPIS["employment_rate"].formula)
    tile = re.search(
        r'<div class="kpi-tile[^"]*" data-kpi="employment_rate" title="([^"]+)">(.*?)</div>', html, re.S
    )
    assert tile and tile.group(1) == formula
    assert "<details>" in tile.group(2) and formula in tile.group(2)


def test_the_page_embeds_chart_data_and_runs_no_inline_script(world, official):
    build_cohort(world, 10)
    html = official.get("/dashboard/?cohort=2025").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, body in scripts:
        # Only external files, and the JSON data island (not executed).
        assert 'src="' in attributes or 'type="application/json"' in attributes, attributes
        assert not body.strip() or 'type="application/json"' in attributes
    data = json.loads(
        re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S).group(
            1
        )
    )
    assert set(data) == {"placements", "segments", "funnel", "skills-gap", "burn-down", "retention"}
    assert sum(data["placements"]["series"][0]["data"]) + sum(data["placements"]["series"][1]["data"]) == 8
    assert "/static/vendor/chartjs/chart.umd.js" in html and "/static/js/dashboard.js" in html
    assert "/static/css/dashboard.css" in html
    # Every chart has a table of the same numbers under it, readable without JavaScript.
    for table in (
        "placements-by-school",
        "placements-by-segment",
        "funnel",
        "skills-gap",
        "burn-down",
        "retention",
    ):
        assert f'id="table-{table}"' in html, table


def test_every_table_has_its_downloads(world, official):
    html = official.get("/dashboard/?cohort=2025").content.decode()
    for slug in ("funnel", "skills-gap", "budget", "credits", "curriculum", "kpis"):
        assert f"/dashboard/export/{slug}.csv?" in html and f"/dashboard/export/{slug}.xlsx?" in html
    assert "/dashboard/evaluation-pack.xlsx?" in html


def test_filters_for_year_and_school(world, official):
    build_cohort(world, 10)
    response = official.get(f"/dashboard/?cohort=2025&school={world.school_b.pk}")
    assert response.status_code == 200
    assert response.context["scope"].school_ids == (world.school_b.pk,)
    assert response.context["summary"]["cohort_size"] == 5
    # The district's budget stays visible to an official filtering on a school.
    assert response.context["summary"]["budget_planned_krw"] == 10_000_000
    # A bad filter falls back to the defaults and says what was wrong, with status 400.
    response = official.get("/dashboard/?school=999999")
    assert response.status_code == 400 and response.context["form"].errors


def test_the_page_opens_on_the_latest_surveyed_cohort_and_names_it_once(world, official):
    build_cohort(world, 10)
    response = official.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    latest = Cohort.latest_surveyed(timezone.localdate())
    assert latest == Cohort(2025)  # the test's premise: today is between 1 April 2026 and 31 March 2027
    assert response.context["cohort"] == latest
    html = response.content.decode()
    lead = re.search(r'<p class="lead" id="dashboard-cohort">(.*?)</p>', html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", lead).split()) == (
        "School year 2025 (graduating February 2026) · Survey date 1 Apr 2026 · Programme year 2026"
    )
    assert '<option value="2025" selected>School year 2025 (graduating February 2026)</option>' in html
    korean = official.get("/dashboard/").content.decode()
    assert '<option value="2025" selected>2025학년도 (2026년 2월 졸업)</option>' in korean


def test_a_cohort_not_yet_surveyed_says_when_it_will_be(world, official):
    response = official.get("/dashboard/?cohort=2026", HTTP_ACCEPT_LANGUAGE="en")
    tiles = {tile["key"]: tile["value"] for tile in response.context["tiles"]}
    assert timezone.localdate() < datetime.date(2027, 4, 1)  # the premise: this cohort is still in school
    assert tiles["employment_rate"] == "To be checked on 1 Apr 2027"
    assert tiles["retention_6m"] == "To be checked on 1 Oct 2027"
    assert tiles["retention_12m"] == "To be checked on 1 Apr 2028"
    assert tiles["cohort_size"] == "1"  # 김하늘


def test_the_old_year_parameter_opens_the_same_cohort(world, official):
    build_cohort(world, 10)
    old = official.get("/dashboard/?year=2026")
    assert old.status_code == 200
    assert old.context["cohort"] == Cohort(2025)
    assert old.context["summary"]["cohort_size"] == 10


def test_the_print_stylesheet_lays_out_on_a4():
    from pathlib import Path

    css = Path(__file__).resolve().parents[2].joinpath("static", "css", "dashboard.css").read_text()
    assert "@media print" in css and "size: A4" in css


def test_the_vendored_chart_library_is_served_locally(db):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/chartjs/chart.umd.js")
    assert finders.find("vendor/chartjs/LICENSE.md")
    assert finders.find("js/dashboard.js")


# A cold page, after the host map (districts, host names: the cache was just cleared) and the
# session, user, memberships and reach (districts, schools): summary (10: its employment counts
# come from the retention curves' query); placements by school, department, company, segment and
# month together (1); funnel (1); skills gap (2); retention (1); credits by programme and by degree
# together (1); budget (3); training (4).
COLD_PAGE_QUERIES = 2 + 5 + 10 + 1 + 1 + 2 + 1 + 1 + 3 + 4
# Session, user, memberships and reach: what a request runs before any aggregate.
REQUEST_QUERIES = 5
# What the page shows, as the API serves it.
PAGE_ENDPOINTS = [
    "summary",
    *(f"placements?by={by}" for by in kpis.PLACEMENT_GROUPS),
    "funnel",
    "skills-gap",
    "retention",
    "credits",
    "budget",
    "training",
]


@pytest.mark.parametrize("students", [10, 1000])
def test_the_page_runs_a_constant_number_of_queries(world, official, django_assert_num_queries, students):
    build_cohort(world, students)
    cache.clear()
    with django_assert_num_queries(COLD_PAGE_QUERIES):
        response = official.get("/dashboard/?cohort=2025")
    assert response.status_code == 200


def test_with_the_cache_off_the_page_computes_each_aggregate_once(
    world, official, django_assert_num_queries, settings
):
    build_cohort(world, 10)
    settings.DASHBOARD_CACHE_SECONDS = 0
    cache.clear()
    with django_assert_num_queries(COLD_PAGE_QUERIES):
        assert official.get("/dashboard/?cohort=2025").status_code == 200


def test_the_page_computes_each_figure_as_its_endpoint_does_alone(world):
    build_cohort(world, 10)
    scope = kpis.district_scope(world.district)
    together = kpis.dashboard_data_many(kpis.PAGE_DATA, scope=scope, cohort=2025)
    for name, params in kpis.PAGE_DATA:
        compute = kpis.placements_by if name == "placements" else kpis.DASHBOARD_DATA[name]
        assert together.get(name, **params) == compute(scope=scope, cohort=2025, **params), name


def _api(endpoint: str) -> str:
    path, _, query = endpoint.partition("?")
    return f"/api/v1/dashboard/{path}/?cohort=2025" + (f"&{query}" if query else "")


def test_a_cold_page_fills_the_cache_the_api_reads(world, official, django_assert_num_queries):
    build_cohort(world, 10)
    cache.clear()
    page = official.get("/dashboard/?cohort=2025")
    for endpoint in PAGE_ENDPOINTS:
        with django_assert_num_queries(REQUEST_QUERIES):
            response = official.get(_api(endpoint))
        assert response.status_code == 200
    summary = official.get(_api("summary")).json()
    assert summary["cohort_size"] == page.context["summary"]["cohort_size"] == 10


def test_the_page_reads_what_the_api_cached(world, official, django_assert_num_queries):
    build_cohort(world, 10)
    cache.clear()
    cold = official.get("/dashboard/?cohort=2025")
    cache.clear()
    for endpoint in PAGE_ENDPOINTS:
        assert official.get(_api(endpoint)).status_code == 200
    # Every aggregate comes from the cache: only the request's own queries run.
    with django_assert_num_queries(REQUEST_QUERIES):
        warm = official.get("/dashboard/?cohort=2025")
    for part in ("summary", "tiles", "sections", "charts"):
        assert warm.context[part] == cold.context[part]


@pytest.mark.browser
def test_the_charts_draw_in_a_browser(live_server, page, transactional_db):
    district = f.DistrictFactory()
    school = f.SchoolFactory(district=district)
    department = f.DepartmentFactory(school=school)
    user = f.UserFactory(username="browser_official", is_staff=True)
    f.MembershipFactory(user=user, district=district)
    for i in range(6):
        student = f.StudentFactory(department=department, cohort=2025)
        if i % 2:
            f.PlacementFactory(student=student, company=f.CompanyFactory(district=district))
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/dashboard/?cohort=2025")
    page.wait_for_selector("figure.chart:not([hidden]) canvas")
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]')).filter(c => c.width > 0).length"
    )
    assert drawn >= 3
    assert errors == []
    screenshot(page, "dashboard-desktop")
    # The printed page: A4, without the filters and the download links.
    page.emulate_media(media="print")
    assert page.locator(".dashboard-filters").is_hidden()
    page.pdf(path=str(ARTIFACTS / "dashboard-a4.pdf"), format="A4", print_background=True)
