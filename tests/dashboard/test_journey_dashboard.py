"""Journey 6: an official reads the dashboard and downloads the evaluation pack, in Korean.

Each step checks what the official would read, runs axe (tests/browser.check_step) and saves
a screenshot under tests/artifacts/journey6-*.png.
"""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from district.cohorts import Cohort
from tests.browser import check_step, log_in, screenshot
from tests.builders import build_cohort

pytestmark = pytest.mark.browser


def test_journey6_dashboard_to_evaluation_pack(live_server, page, transactional_db, world, tmp_path):
    latest = Cohort.latest_surveyed(timezone.localdate())
    build_cohort(world, 20, cohort=latest.school_year)
    base = live_server.url

    # 1. The official signs in and opens the dashboard: the latest cohort whose survey has passed.
    log_in(page, base, world.official.username)
    page.goto(base + "/dashboard/")
    label = f"{latest.school_year}학년도 ({latest.graduation_year}년 2월 졸업)"
    assert page.locator("#dashboard-cohort strong").inner_text() == label
    assert page.locator("#id_cohort option:checked").inner_text() == label
    assert page.locator("[data-kpi=cohort_size] .kpi-value").inner_text() == "20"
    employed = page.locator("[data-kpi=employment_rate] .kpi-value").inner_text()
    assert employed == "75.0%"  # 15 of 20 graduates employed on the survey date
    check_step(page, "journey6-dashboard")

    # 2. They filter on one school: the figures are that school's, the cohort stays the same.
    page.select_option("#id_school", label=world.school_a.name)
    page.locator(".dashboard-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert f"school={world.school_a.pk}" in page.url
    assert page.locator("#id_cohort option:checked").inner_text() == label
    assert page.locator("#dashboard-cohort").inner_text().endswith("선택한 학교만 표시합니다.")
    assert page.locator("[data-kpi=cohort_size] .kpi-value").inner_text() == "10"
    assert page.locator("[data-kpi=employment_rate] .kpi-value").inner_text() == "50.0%"  # 5 of 10
    check_step(page, "journey6-school")

    # 3. They download the evaluation pack: its name and its cover say what it covers.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="연차 평가 자료 내려받기(XLSX)").click()
    download = download_info.value
    expected_name = f"evaluation-{world.district.slug}-{latest.school_year}-{world.school_a.name}.xlsx"
    assert download.suggested_filename == expected_name
    path = tmp_path / "pack.xlsx"
    download.save_as(path)
    workbook = load_workbook(io.BytesIO(path.read_bytes()))
    assert workbook.sheetnames[0] == workbook.worksheets[0].title
    cover = workbook.worksheets[0]
    assert [cover[f"B{row}"].value for row in (3, 4, 5, 9)] == [
        world.district.name,
        label,
        f"{latest.survey_on.year}년 {latest.survey_on.month}월 {latest.survey_on.day}일",
        world.school_a.name,
    ]
    check_step(page, "journey6-downloaded")
    screenshot(page, "journey6-final")
