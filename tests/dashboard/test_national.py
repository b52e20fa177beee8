"""The national view (issue 16): a Ministry official reads every district, compares them, changes nothing."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from dashboard.kpis import COMPARED
from district.models import ExportLog, Membership
from placements.models import MatchRun, Placement
from schools.models import Student
from tests import factories as f
from tests.builders import build_cohort

D = datetime.date
API = "/api/v1/dashboard"


def build_district(slug: str, name: str, n: int) -> None:
    """A district with two schools and `n` graduates of cohort 2025 whose outcomes depend on `n`,
    an agreement with a pledge, a budget line with an expenditure and a few credit enrolments."""
    district = f.DistrictFactory(slug=slug, name=name)
    schools = [f.SchoolFactory(district=district, name=f"{name} 공업고 {i}") for i in range(2)]
    departments = [f.DepartmentFactory(school=school) for school in schools]
    students = Student.objects.bulk_create(
        Student(
            school=schools[i % 2],
            department=departments[i % 2],
            student_number=f"{slug}-{i:04d}",
            name=f"학생{i}",
            cohort=2025,
            status=Student.Status.GRADUATED,
        )
        for i in range(n)
    )
    local, away = (f.CompanyFactory(district=district, name=f"{name} 기업 {i}") for i in range(2))
    Placement.objects.bulk_create(
        Placement(
            student=s,
            company=local if i % 3 else away,
            starts_on=D(2026, 3, 2),
            ends_on=D(2026, 8, 1) if i % 4 == 0 else None,
            status="ended" if i % 4 == 0 else "active",
            is_local=bool(i % 3),
        )
        for i, s in enumerate(students)
        if i % 5 != 4
    )
    f.AgreementFactory(company=local, district=district, pledged_hires_per_year=n)
    program = f.CreditProgramFactory(university=f.UniversityFactory(district=district))
    for s in students[:: max(2, n // 3)]:
        f.ProgramEnrollmentFactory(program=program, student=s)
    line = f.BudgetLineFactory(district=district, year=2026, planned_krw=10_000_000 * n)
    line.expenditures.create(spent_on=D(2026, 5, 1), amount_krw=1_000_000 * (n + 1), description="장비")


def national_user(username: str = "ministry", *, is_staff: bool = False):
    user = f.UserFactory(username=username, is_staff=is_staff)
    Membership.objects.create(user=user, district=None, role=Membership.Role.NATIONAL_OFFICIAL)
    return user


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def national(world):
    return client_of(national_user())


@pytest.fixture
def districts(world):
    """Pohang (the world's district) and two more, each with different figures."""
    build_cohort(world, 12)
    build_district("ansan", "안산", 9)
    build_district("gumi", "구미", 14)
    return ["pohang", "ansan", "gumi"]


# --- Every district's dashboard, read-only -------------------------------------------------------


def test_a_national_official_reads_each_districts_dashboard_by_slug(national, districts):
    for slug in districts:
        page = national.get(f"/dashboard/?district={slug}&cohort=2025")
        assert page.status_code == 200
        assert page.context["scope"].district.slug == slug
        summary = national.get(f"{API}/summary/?district={slug}&cohort=2025")
        assert summary.status_code == 200
        assert summary.json()["district"] == page.context["scope"].district.pk


def test_a_national_official_starts_at_the_comparison_and_finds_it_from_each_dashboard(national, districts):
    assert national.get("/accounts/start/")["Location"] == "/dashboard/districts/"
    page = national.get("/dashboard/?district=gumi&cohort=2025").content.decode()
    assert 'href="/dashboard/districts/?cohort=2025" id="compare-districts"' in page


def test_a_district_official_gets_no_link_to_the_comparison(official, districts):
    assert 'id="compare-districts"' not in official.get("/dashboard/").content.decode()


def test_the_district_id_still_names_a_district(national, world, districts):
    response = national.get(f"{API}/summary/?district={world.district.pk}&cohort=2025")
    assert response.json()["cohort_size"] == 12
    assert national.get(f"{API}/summary/?district=nowhere").status_code == 400


def test_a_district_official_reads_only_their_district_by_slug(official, districts):
    assert official.get(f"{API}/summary/?district=pohang&cohort=2025").json()["cohort_size"] == 12
    assert official.get(f"{API}/summary/?district=ansan&cohort=2025").status_code == 400


def test_a_national_official_needs_the_second_factor(world, settings):
    settings.OFFICIALS_REQUIRE_OTP = True
    user = national_user()
    client = client_of(user)
    page = client.get("/dashboard/districts/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/two-factor/?next=%2Fdashboard%2Fdistricts%2F"
    api = client.get(f"{API}/districts/")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page = client.get("/dashboard/?district=pohang")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/two-factor/verify/?next=%2Fdashboard%2F%3Fdistrict%3Dpohang"


def test_a_national_official_changes_nothing(world):
    client = client_of(national_user(is_staff=True))
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    response = client.post(f"/admin/companies/company/{world.company_a.pk}/change/", {"name": "바뀜"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    world.company_a.refresh_from_db()
    assert world.company_a.name != "바뀜"
    assert client.post("/company/team/", {}).status_code == 403
    assert client.post(f"{API}/districts/", {}, content_type="application/json").status_code == 405
    assert client.post("/dashboard/districts/").status_code == 405
    round_ = f.MatchRoundFactory(district=world.district)
    response = client.post("/api/v1/match-runs/", {"round": round_.pk}, content_type="application/json")
    assert response.status_code == 403
    assert not MatchRun.objects.exists()


# --- The comparison -----------------------------------------------------------------------------------


def test_district_officials_and_school_staff_are_refused_the_comparison(official, school_a_staff, anonymous):
    for client in (official, school_a_staff):
        assert client.get("/dashboard/districts/").status_code == 403
        assert client.get(f"{API}/districts/").status_code == 403
        assert client.get("/dashboard/districts/evaluation-pack.xlsx").status_code == 403
    assert anonymous.get(f"{API}/districts/").status_code == 401
    assert anonymous.get("/dashboard/districts/")["Location"].startswith("/accounts/login/")


def test_a_superuser_reads_the_comparison(world, districts):
    client = client_of(f.UserFactory(username="root", is_superuser=True, is_staff=True))
    assert [r["slug"] for r in client.get(f"{API}/districts/").json()["districts"]] == districts


def test_each_districts_row_equals_its_own_dashboard_summary(national, districts):
    comparison = national.get(f"{API}/districts/?cohort=2025").json()
    assert comparison["kpis"] == list(COMPARED)
    assert [row["slug"] for row in comparison["districts"]] == districts
    for row in comparison["districts"]:
        summary = national.get(f"{API}/summary/?district={row['slug']}&cohort=2025").json()
        assert {key: row[key] for key in COMPARED} == {key: summary[key] for key in COMPARED}
    # The figures differ between districts, so equal rows are not a coincidence of empty ones.
    assert [row["cohort_size"] for row in comparison["districts"]] == [12, 9, 14]
    ansan = comparison["districts"][1]
    # 9 graduates, 8 placed (all but i = 4) and employed on 1 April; local: i % 3 != 0 (1, 2, 5, 7, 8);
    # ended on 1 August: i = 0 and 8, so 6 still employed on 1 October.
    assert ansan["employment_rate"] == 88.9
    assert ansan["local_employment_rate"] == 62.5
    assert ansan["retention_6m"] == 75.0
    assert ansan["retention_12m"] is None  # checked on 1 April 2027
    assert ansan["progression_rate"] == 33.3  # students 0, 3 and 6
    assert ansan["mou_fulfilment"] == 55.6  # 5 local hires of 9 pledged
    assert ansan["budget_execution_rate"] == 11.1  # 10,000,000 of 90,000,000


def test_the_comparison_page_links_each_cell_to_the_districts_dashboard(national, districts):
    page = national.get("/dashboard/districts/?cohort=2025")
    assert page.status_code == 200
    body = page.content.decode()
    for slug in districts:
        assert body.count(f'href="/dashboard/?district={slug}&amp;cohort=2025"') == 1 + len(COMPARED)
    charts = page.context["charts"]
    assert sorted(charts) == sorted(COMPARED)
    assert charts["cohort_size"]["labels"] == ["포항", "안산", "구미"]
    assert charts["cohort_size"]["series"][0]["data"] == [12, 9, 14]
    assert 'src="/static/vendor/chartjs/chart.umd.js"' in body


def test_the_comparison_defaults_to_the_latest_surveyed_cohort(national, districts):
    from django.utils import timezone

    from district.cohorts import Cohort

    latest = Cohort.latest_surveyed(timezone.localdate()).school_year
    assert national.get(f"{API}/districts/").json()["cohort"] == latest
    assert national.get(f"{API}/districts/?cohort=soon").status_code == 400


def test_the_comparison_is_cached_per_cohort(national, districts, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    first = national.get(f"{API}/districts/?cohort=2025").json()
    Student.objects.filter(school__district__slug="ansan").update(status=Student.Status.LEFT)
    assert national.get(f"{API}/districts/?cohort=2025").json() == first
    assert national.get(f"{API}/districts/?cohort=2024").json()["districts"][1]["cohort_size"] == 0


@pytest.mark.parametrize("extra", [1, 5])
@pytest.mark.parametrize("path", [f"{API}/districts/?cohort=2025", "/dashboard/districts/?cohort=2025"])
def test_the_comparison_runs_the_same_queries_for_2_and_6_districts(
    world, django_assert_num_queries, settings, extra, path
):
    settings.DASHBOARD_CACHE_SECONDS = 0
    build_cohort(world, 6)
    for i in range(extra):
        build_district(f"d{i}", f"지구{i}", 4 + i)
    client = client_of(national_user())
    assert client.get(path).status_code == 200  # warms the site map
    # session; user; memberships; the districts; their schools;
    # cohort size and progression by district; employment and retention by district (placements
    # grouped by student, then by district); agreements' pledges by district; hires under
    # agreements by district; budget planned and executed by district
    with django_assert_num_queries(5 + 5):
        response = client.get(path)
    assert response.status_code == 200
    if path.startswith(API):
        assert len(response.json()["districts"]) == 1 + extra
    else:
        assert len(response.context["rows"]) == 1 + extra


def test_a_national_officials_download_of_a_districts_pack_is_logged(national, world, districts):
    response = national.get("/dashboard/evaluation-pack.xlsx?district=ansan&cohort=2025")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('filename="evaluation-ansan-2025.xlsx"')
    log = ExportLog.objects.get()
    assert (log.user.username, log.district.slug, log.what) == ("ministry", "ansan", "evaluation-pack.xlsx")


# --- The national evaluation pack ---------------------------------------------------------------------


def test_the_national_pack_has_a_sheet_per_district_and_the_comparison(national, world, districts):
    f.DistrictFactory(slug="evil", name='=HYPERLINK("http://x","y")')
    response = national.get("/dashboard/districts/evaluation-pack.xlsx?cohort=2025")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content))
    with translation.override("ko"):
        compared, district_label = gettext("Districts compared"), gettext("District")
    evil_title = '=HYPERLINK("http   x","y")'  # a sheet name may not hold : or /
    assert book.sheetnames == [compared, "포항", "안산", "구미", evil_title]
    comparison = [[cell.value for cell in row] for row in book[compared].iter_rows()]
    assert [row[0] for row in comparison[1:]] == ["포항", "안산", "구미", '\'=HYPERLINK("http://x","y")']
    assert [row[2] for row in comparison[1:]] == [12, 9, 14, 0]
    evil = book[evil_title]
    assert evil["A1"].value == '\'=HYPERLINK("http://x","y")'
    assert evil["A1"].data_type == "s"
    ansan = [[cell.value for cell in row] for row in book["안산"].iter_rows()]
    assert ansan[0] == ["안산"] + [None] * (len(ansan[0]) - 1)
    assert [district_label, "안산"] in [row[:2] for row in ansan]  # the cover's district row
    log = ExportLog.objects.get()
    assert (log.what, log.format, log.filters, log.district) == (
        "districts/evaluation-pack.xlsx",
        "xlsx",
        {"cohort": 2025},
        None,
    )
