"""Every surface shows the same figure for the same cohort: the agreement rule of docs/kpis.md.

The Pohang demo is seeded relative to the day it runs, so the test compares the surfaces with
each other, never with fixed numbers: the home page, the dashboard's tiles and tables, the API's
summary and placements, and the evaluation pack, for every cohort of the demo, for the whole
district and for one school, with exact equality.
"""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from dashboard.context import value_display
from dashboard.kpis import KPIS, percent
from district.cohorts import Cohort
from district.models import District, User
from schools.models import School, Student

pytestmark = pytest.mark.django_db

COHORT_KPIS = (
    "cohort_size",
    "employed",
    "employment_rate",
    "local_employment_rate",
    "retention_6m",
    "retention_12m",
    "progression_rate",
)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    client = Client()
    client.force_login(User.objects.get(username="demo_official"))
    return District.objects.get(slug="pohang"), client


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _page_table(context, slug) -> list[dict]:
    """A dashboard table as the page shows it: one dict a row, keyed by the column headers."""
    for section in context["sections"]:
        for table in section["tables"]:
            if table["slug"] == slug:
                header = [column["label"] for column in table["header"]]
                return [
                    dict(zip(header, [cell["text"] for cell in row], strict=True)) for row in table["rows"]
                ]
    raise AssertionError(slug)


def _sheet(workbook, title) -> list[dict]:
    rows = list(workbook[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _check_cohort(client, cohort: int, school: int | None) -> dict:
    query = f"cohort={cohort}" + (f"&school={school}" if school else "")
    api = client.get(f"/api/v1/dashboard/summary/?{query}", HTTP_ACCEPT_LANGUAGE="en").json()
    placements = client.get(f"/api/v1/dashboard/placements/?{query}&by=school").json()
    page = client.get(f"/dashboard/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    pack = client.get(f"/dashboard/evaluation-pack.xlsx?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert pack.status_code == 200
    workbook = load_workbook(io.BytesIO(pack.content))

    # The tiles and the KPI table show the summary the API serves, in its display form.
    summary = page.context["summary"]
    for key in KPIS:
        assert summary[key] == api[key], (cohort, school, key)
    for tile in page.context["tiles"]:
        assert tile["value"] == value_display(KPIS[tile["key"]], summary), (cohort, school, tile["key"])
    for row in page.context["kpis"]:
        assert row["value"] == value_display(row["definition"], summary)

    # The evaluation pack's KPI sheet holds the same values.
    by_label = {row["Indicator"]: row for row in _sheet(workbook, "Key performance indicators")}
    for key, definition in KPIS.items():
        assert by_label[str(definition.label)]["Value"] == api[key], (cohort, school, key)
    cover = {row["Item"]: row["Contents"] for row in _sheet(workbook, "Cover")}
    assert cover["Cohort"] == Cohort(cohort).label

    # The tables by school add up to the tiles: the API's, the page's and the pack's.
    employed = api["employed"]
    if employed is None:
        assert all(row["employed"] is None for row in placements)
    else:
        assert sum(row["employed"] for row in placements) == employed
        assert (
            percent(sum(row["employed_local"] for row in placements), employed)
            == api["local_employment_rate"]
        )
        shown = _page_table(page.context, "placements-by-school")
        assert sum(_number(row["Employed on the survey date"]) for row in shown) == employed
        participants = _sheet(workbook, "Participants")
        assert sum(row["Employed on the survey date"] for row in participants) == employed
        retention = _sheet(workbook, "Retention")
        assert sum(row["Employed on the survey date"] for row in retention) == employed
        if api["retention_6m"] is not None:
            retained = sum(row["Still employed on 1 October"] for row in retention)
            assert percent(retained, employed) == api["retention_6m"]
        if api["retention_12m"] is not None:
            retained = sum(row["Still employed a year later"] for row in retention)
            assert percent(retained, employed) == api["retention_12m"]
    assert (
        sum(row["Graduates in the cohort"] for row in _sheet(workbook, "Participants")) == api["cohort_size"]
    )
    # Placements ever made: the same count on the page, in the API and in the pack.
    made = sum(row["placements"] for row in placements)
    shown = _page_table(page.context, "placements-by-school")
    assert sum(_number(row["Hires confirmed (cumulative)"]) for row in shown) == made
    by_company = _sheet(workbook, "Placements by company")
    assert sum(row["Hires confirmed (cumulative)"] for row in by_company) == made
    return api


def test_every_surface_agrees_for_every_cohort_of_the_demo(demo):
    district, client = demo
    cohorts = sorted(set(Student.objects.filter(school__district=district).values_list("cohort", flat=True)))
    assert len(cohorts) >= 2
    hub = School.objects.get(district=district, name="포항흥해공업고")
    measured = 0
    for cohort in cohorts:
        whole = _check_cohort(client, cohort, None)
        _check_cohort(client, cohort, hub.pk)
        measured += whole["employed"] is not None

    # At least one cohort of the demo has been surveyed, and the home page shows the latest.
    assert measured >= 1
    latest = Cohort.latest_surveyed(timezone.localdate())
    api = client.get(f"/api/v1/dashboard/summary/?cohort={latest.school_year}").json()
    overview = Client().get("/").context["overview"]
    assert overview.cohort == latest
    assert (overview.employment_rate, overview.local_employment_rate) == (
        api["employment_rate"],
        api["local_employment_rate"],
    )
    assert (overview.open_openings, overview.open_seats) == (api["open_openings"], api["open_seats"])
    # The dashboard opens on the same cohort as the home page.
    assert client.get("/dashboard/").context["cohort"] == latest
