"""/api/v1/dashboard/: who may read it, what each caller's scope shows, caching by scope, constant queries."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from district.api.tokens import dashboard_token_create
from district.models import DistrictHost
from tests import factories as f
from tests.builders import build_cohort

API = "/api/v1/dashboard"
ENDPOINTS = [
    "summary",
    "placements",
    "placements?by=segment",
    "funnel",
    "skills-gap",
    "retention",
    "credits",
    "budget",
    "training",
    "matching",
]
# The district's own figures, which school staff may not read.
DISTRICT_ONLY = {"budget", "matching"}
D = datetime.date


@pytest.fixture
def token_reader(world):
    _token, key = dashboard_token_create(
        district=world.district,
        name="BI",
        expires_at=timezone.now() + datetime.timedelta(days=30),
        by=world.official,
    )
    return Client(headers={"Authorization": f"Token {key}"})


def url(endpoint: str, **params) -> str:
    path, _, query = endpoint.partition("?")
    extra = "&".join(f"{k}={v}" for k, v in params.items())
    query = "&".join(q for q in (query, extra) if q)
    return f"{API}/{path}/" + (f"?{query}" if query else "")


# --- Who may read -------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_callers_are_refused(anonymous, endpoint):
    assert anonymous.get(url(endpoint)).status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_students_recruiters_and_coordinators_are_refused(student_user, recruiter_a, coordinator, endpoint):
    for client in (student_user, recruiter_a, coordinator):
        assert client.get(url(endpoint)).status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_officials_read_every_endpoint(official, endpoint):
    response = official.get(url(endpoint))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_token_reads_every_endpoint_and_writes_nothing(token_reader, endpoint):
    assert token_reader.get(url(endpoint)).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        assert (
            getattr(token_reader, method)(url(endpoint), {}, content_type="application/json").status_code
            == 403
        )


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e not in DISTRICT_ONLY])
def test_school_staff_read_only_their_school(world, school_a_staff, endpoint):
    assert school_a_staff.get(url(endpoint)).status_code == 200
    assert school_a_staff.get(url(endpoint, school=world.school_a.pk)).status_code == 200
    # School B is not theirs: the same answer as a school that does not exist.
    assert school_a_staff.get(url(endpoint, school=world.school_b.pk)).status_code == 400
    assert school_a_staff.get(url(endpoint, school=999999)).status_code == 400


def test_school_staff_do_not_read_the_district_budget(school_a_staff):
    assert school_a_staff.get(url("budget")).status_code == 403
    assert school_a_staff.get(url("matching")).status_code == 403
    assert school_a_staff.get(url("summary")).json()["budget_planned_krw"] is None


def test_school_staff_numbers_cover_their_school_only(world, official, school_a_staff, school_b_staff):
    build_cohort(world, 10)
    district = official.get(url("summary", cohort=2025)).json()
    school_a = school_a_staff.get(url("summary", cohort=2025)).json()
    school_b = school_b_staff.get(url("summary", cohort=2025)).json()
    assert district["cohort_size"] == 10  # ten graduates (김하늘 is in the 2026 cohort)
    assert (school_a["cohort_size"], school_b["cohort_size"]) == (5, 5)
    assert school_a["schools"] == [world.school_a.pk]
    by_school = {row["label"]: row["placements"] for row in school_a_staff.get(url("placements")).json()}
    assert set(by_school) == {world.school_a.name}


def test_officials_may_filter_on_a_school(world, official):
    build_cohort(world, 10)
    assert official.get(url("summary", cohort=2025, school=world.school_b.pk)).json()["cohort_size"] == 5
    assert official.get(url("summary", cohort=2025, school=999999)).status_code == 400


def test_another_districts_official_sees_nothing_of_this_one(world):
    other = f.DistrictFactory(slug="ansan", name="안산")
    DistrictHost.objects.create(district=other, host="ansan.localhost")
    user = f.UserFactory(username="ansan_official", is_staff=True)
    f.MembershipFactory(user=user, district=other)
    client = Client(HTTP_HOST="ansan.localhost")  # their district's site: roles count on their own site
    client.force_login(user)
    build_cohort(world, 10)
    assert client.get(url("summary", cohort=2025)).json()["cohort_size"] == 0
    assert client.get(url("summary", district=world.district.pk)).status_code == 400


def test_bad_filters_are_refused_with_a_message(official):
    assert official.get(url("summary", cohort="soon")).status_code == 400
    assert official.get(url("summary", year="soon")).status_code == 400
    response = official.get(url("placements?by=password"))
    assert response.status_code == 400
    assert "by" in response.json()


def test_placements_group_by_every_dimension(world, official):
    build_cohort(world, 10)
    for by in ("school", "department", "company", "segment", "month"):
        rows = official.get(url(f"placements?by={by}", cohort=2025)).json()
        assert sum(row["placements"] for row in rows) == 8, by  # all but the 4th and 8th graduate


def test_responses_are_plain_json(world, official):
    build_cohort(world, 10)
    summary = official.get(url("summary", cohort=2025)).json()
    assert summary["survey_date"] == "2026-04-01"
    assert (summary["retention_6m_date"], summary["retention_12m_date"]) == ("2026-10-01", "2027-04-01")
    assert (summary["cohort"], summary["programme_year"]) == (2025, 2026)
    assert summary["cohort_label"] == "2025학년도 (2026년 2월 졸업)"
    assert isinstance(summary["employment_rate"], float)
    retention = official.get(url("retention", cohort=2025)).json()
    assert retention[-1]["months"][0]["date"] == "2026-04-01"


def test_the_cohort_is_labelled_in_the_callers_language(world, official):
    english = official.get(url("summary", cohort=2025), HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["cohort_label"] == "School year 2025 (graduating February 2026)"
    rounds = official.get(url("retention", cohort=2025)).json()
    assert [(r["cohort"], r["cohort_label"]) for r in rounds] == [
        (2023, "2023학년도 (2024년 2월 졸업)"),
        (2024, "2024학년도 (2025년 2월 졸업)"),
        (2025, "2025학년도 (2026년 2월 졸업)"),
    ]


def test_the_employed_by_school_add_up_to_the_summary(world, official):
    build_cohort(world, 10)
    summary = official.get(url("summary", cohort=2025)).json()
    rows = official.get(url("placements", cohort=2025)).json()
    # Placements ever made (8) and graduates employed on 1 April 2026 (8: the jobs ending on
    # 1 September still cover 1 April) are two figures; the employed add up to the KPI.
    assert sum(row["employed"] for row in rows) == summary["employed"] == 8
    assert sum(row["employed_local"] for row in rows) == 6  # i % 5 == 0 is not local: 0 and 5
    assert summary["local_employment_rate"] == 75.0
    assert sum(row["placements"] for row in rows) == 8


# --- The old `year` parameter (the calendar year of the graduation), for one release -------------


def test_the_old_year_parameter_means_the_cohort_before_it_and_says_it_is_deprecated(world, official):
    build_cohort(world, 10)
    new = official.get(url("summary", cohort=2025))
    old = official.get(url("summary", year=2026))
    assert old.status_code == 200
    assert old.json() == new.json()
    assert old["Deprecation"] == "@1796601600"
    assert old["Link"] == '<http://testserver/api/docs/>; rel="deprecation"'
    assert "Deprecation" not in new


def test_the_old_year_and_a_different_cohort_are_refused(official):
    response = official.get(url("summary", year=2026, cohort=2026))
    assert response.status_code == 400
    assert list(response.json()) == ["year"]
    assert official.get(url("summary", year=2026, cohort=2025)).status_code == 200


# --- Caching by scope ----------------------------------------------------------------------------


def test_cached_bodies_are_never_shared_across_scopes(world, official, school_a_staff, school_b_staff):
    build_cohort(world, 10)
    district = official.get(url("summary", cohort=2025)).json()["cohort_size"]
    # School staff come after the official filled the cache; each must get their own numbers.
    assert school_a_staff.get(url("summary", cohort=2025)).json()["cohort_size"] == 5
    assert school_b_staff.get(url("summary", cohort=2025)).json()["cohort_size"] == 5
    assert official.get(url("summary", cohort=2025)).json()["cohort_size"] == district == 10


def test_a_second_read_of_the_same_scope_comes_from_the_cache(world, official, django_assert_num_queries):
    official.get(url("funnel", cohort=2025))
    # Session, user and memberships, then the reach (districts, schools); no aggregate query.
    with django_assert_num_queries(5):
        official.get(url("funnel", cohort=2025))


# --- Constant query counts ------------------------------------------------------------------------

# Every request first runs seven queries: the host map's districts and host names (the test has
# just cleared the cache), the session, the user, their memberships, and the districts and
# schools they may filter on. Then, per endpoint:
QUERIES = {
    # the cohort's size and progression; its employment and retention (placements grouped
    # by student); openings (open and of the year); placements filling those openings;
    # agreements' pledges; hires under agreements; budget planned and executed;
    # field-practice participants; teacher-training hours; co-developed units; KPI targets
    "summary": 7 + 11,
    # one grouped query over the cohort's placements
    "placements": 7 + 1,
    "placements?by=segment": 7 + 1,
    # one query with a filtered count per state
    "funnel": 7 + 1,
    # seats requiring each certification; cohort students holding each
    "skills-gap": 7 + 2,
    # one query for the cohort and the two before it (each graduate's flags, counted per cohort)
    "retention": 7 + 1,
    # enrolments by programme and by degree, in one query (GROUPING SETS)
    "credits": 7 + 1,
    # lines by year and category; planned for the year; expenditures by month
    "budget": 7 + 3,
    # completions by school; trainings of the year; curriculum units by school; completion totals
    "training": 7 + 4,
    # the cohort's rounds; their runs
    "matching": 7 + 2,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("students", [10, 1000])
def test_each_endpoint_runs_a_constant_number_of_queries(
    world, official, django_assert_num_queries, endpoint, students
):
    build_cohort(world, students)
    cache.clear()
    with django_assert_num_queries(QUERIES[endpoint]):
        response = official.get(url(endpoint, cohort=2025))
    assert response.status_code == 200
