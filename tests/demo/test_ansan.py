"""`manage.py seed_demo` loads a second district, Ansan (robots), on its own host name (issue 16).

Every test here starts from one seed on DAY (`seeded`: built once for the module and rolled back
after it, each test in a savepoint of it), and reads what that first seed wrote and printed.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from companies.models import Agreement, Company, Opening
from district.models import (
    Area,
    BudgetLine,
    District,
    DistrictHost,
    IndustrySegment,
    JobRole,
    Membership,
    User,
)
from placements.models import Pathway
from schools.models import CourseUnit, Department, School, Student
from tests.builders import built_once
from universities.models import CreditProgram, University

# One worker runs the module, so the demo is seeded once (`seeded`).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_ansan")]

PASSWORD_LINE = re.compile(r"^\s+((?:demo_|ansan-)\S+)\s+\S+\s+password: (\S+)", re.MULTILINE)
DAY = "2026-12-07"


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--today", DAY, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> str:
    """What the first `seed()` printed, with its rows in the database."""
    yield from built_once(django_db_blocker, seed)


def ansan_counts(ansan: District) -> dict[str, int]:
    return {
        "hosts": DistrictHost.objects.filter(district=ansan).count(),
        "areas": Area.objects.filter(district=ansan).count(),
        "segments": IndustrySegment.objects.filter(district=ansan).count(),
        "job roles": JobRole.objects.filter(district=ansan).count(),
        "schools": School.objects.filter(district=ansan).count(),
        "departments": Department.objects.filter(school__district=ansan).count(),
        "course units": CourseUnit.objects.filter(department__school__district=ansan).count(),
        "students": Student.objects.filter(school__district=ansan).count(),
        "companies": Company.objects.filter(district=ansan).count(),
        "agreements": Agreement.objects.filter(district=ansan).count(),
        "openings": Opening.objects.filter(company__district=ansan).count(),
        "published openings": Opening.objects.filter(
            company__district=ansan, status=Opening.Status.PUBLISHED
        ).count(),
        "pathways": Pathway.objects.filter(district=ansan).count(),
        "universities": University.objects.filter(district=ansan).count(),
        "credit programmes": CreditProgram.objects.filter(university__district=ansan).count(),
        "budget lines": BudgetLine.objects.filter(district=ansan).count(),
        "memberships": Membership.objects.filter(district=ansan).count(),
    }


def test_seed_demo_loads_ansan_beside_pohang_each_on_its_host_and_a_rerun_changes_nothing(seeded):
    output = seeded
    pohang = District.objects.get(slug="pohang")
    ansan = District.objects.get(slug="ansan")
    assert (ansan.name, ansan.region, ansan.industry_focus, ansan.annual_budget_krw) == (
        "안산",
        "경기도 안산시",
        "로봇",
        350_000_000,
    )
    assert (ansan.program_start_year, ansan.program_end_year) == (2025, 2027)
    assert (pohang.base_url, pohang.sender) == (
        "http://pohang.localhost:8000",
        "포항 직업교육 혁신지구 <noreply@pohang.localhost>",
    )
    assert (ansan.base_url, ansan.sender) == (
        "http://ansan.localhost:8000",
        "안산 직업교육 혁신지구 <noreply@ansan.localhost>",
    )
    assert dict(DistrictHost.objects.values_list("host", "district__slug")) == {
        "pohang.localhost": "pohang",
        "ansan.localhost": "ansan",
    }
    expected = {
        "hosts": 1,
        "areas": 6,
        "segments": 5,
        "job roles": 5,
        "schools": 3,
        "departments": 5,
        "course units": 7,
        "students": 20,
        "companies": 6,
        "agreements": 2,
        "openings": 20,
        "published openings": 18,
        "pathways": 2,
        "universities": 1,
        "credit programmes": 1,
        "budget lines": 24,
        "memberships": 5,
    }
    assert ansan_counts(ansan) == expected
    assert set(IndustrySegment.objects.filter(district=ansan).values_list("name", flat=True)) == {
        "로봇 설계",
        "제어",
        "정밀가공",
        "조립·검사",
        "유지보수",
    }
    # The output names both sites and both districts' accounts.
    assert "site: http://pohang.localhost:8000/" in output
    assert "site: http://ansan.localhost:8000/" in output
    assert {name for name, _password in PASSWORD_LINE.findall(output)} == {
        "demo_official",
        "demo_school",
        "demo_company",
        "demo_university",
        "demo_student",
        "ansan-official",
        "ansan-school",
        "ansan-company",
        "ansan-university",
        "ansan-student",
        "demo_ministry",
    }

    again = seed()
    assert PASSWORD_LINE.findall(again) == []
    assert ansan_counts(ansan) == expected
    assert DistrictHost.objects.count() == 2


def test_ansan_never_points_at_pohang_vocabulary_or_places(seeded):
    ansan = District.objects.get(slug="ansan")
    d = "ansan"
    companies = Company.objects.filter(district=ansan)
    assert set(companies.values_list("segment__district__slug", flat=True)) == {d}
    assert set(companies.values_list("area__district__slug", flat=True)) == {d}
    assert set(School.objects.filter(district=ansan).values_list("area__district__slug", flat=True)) == {d}
    assert set(
        Department.objects.filter(school__district=ansan).values_list("segment__district__slug", flat=True)
    ) == {d}
    openings = Opening.objects.filter(company__district=ansan)
    assert set(openings.values_list("job_role__district__slug", flat=True)) == {d}
    assert set(openings.values_list("work_area__district__slug", flat=True)) == {d}
    assert set(
        openings.exclude(preferred_departments=None).values_list(
            "preferred_departments__school__district__slug", flat=True
        )
    ) == {d}
    pathways = Pathway.objects.filter(district=ansan)
    assert set(pathways.values_list("segment__district__slug", flat=True)) == {d}
    assert set(pathways.values_list("job_roles__district__slug", flat=True)) == {d}
    assert set(pathways.values_list("practice_companies__district__slug", flat=True)) == {d}
    assert set(pathways.values_list("credit_programs__university__district__slug", flat=True)) == {d}
    students = Student.objects.filter(school__district=ansan)
    assert set(students.values_list("commute_area__district__slug", flat=True)) == {d}
    assert set(students.values_list("field_of_interest__district__slug", flat=True)) == {d}
    roles = JobRole.objects.filter(district=ansan)
    assert set(roles.values_list("segment__district__slug", flat=True)) == {d}
    # Every invented organisation and every opening says it is made up.
    assert all("가상" in c.description for c in companies)
    assert all("가상" in s.description for s in School.objects.filter(district=ansan))
    assert all("시연용" in o.description for o in openings)
    assert "시연용" in ansan.description


def test_each_districts_demo_accounts_belong_to_their_own_site(seeded, settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    passwords = dict(PASSWORD_LINE.findall(seeded))
    ansan = District.objects.get(slug="ansan")
    official = User.objects.get(username="ansan-official")
    assert official.is_demo and official.is_staff
    assert list(official.memberships.values_list("district__slug", "role")) == [("ansan", "official")]
    student = User.objects.get(username="ansan-student").student
    assert (student.school.district, student.school.name, student.department.name) == (
        ansan,
        "안산로봇고",
        "로봇제어과",
    )

    ansan_site = Client(HTTP_HOST="ansan.localhost:8000")
    assert ansan_site.get("/").context["site_district"] == ansan
    assert Client(HTTP_HOST="localhost:8000").get("/").context["site_district"].slug == "pohang"
    assert Client(HTTP_HOST="pohang.localhost:8000").get("/").context["site_district"].slug == "pohang"

    response = ansan_site.post(
        "/accounts/login/", {"username": "ansan-student", "password": passwords["ansan-student"]}
    )
    assert response.status_code == 302
    assert ansan_site.get("/me/").status_code == 200
    # The same session on Pohang's site is anonymous there (sessions stay on their own site).
    pohang_site = Client(HTTP_HOST="pohang.localhost:8000")
    pohang_site.cookies = ansan_site.cookies
    assert pohang_site.get("/me/").status_code == 302


def test_the_demo_ministry_official_reads_every_district_from_one_site(seeded, settings):
    """demo_ministry holds the national role (no district) and opens the comparison of both districts."""
    settings.DEMO_ACCOUNTS_ENABLED = True
    settings.OFFICIALS_REQUIRE_OTP = False
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    passwords = dict(PASSWORD_LINE.findall(seeded))
    ministry = User.objects.get(username="demo_ministry")
    assert (ministry.is_demo, ministry.is_staff) == (True, False)
    assert list(ministry.memberships.values_list("district", "role", "is_active")) == [
        (None, "national_official", True)
    ]
    site = Client(HTTP_HOST="pohang.localhost:8000")
    response = site.post(
        "/accounts/login/", {"username": "demo_ministry", "password": passwords["demo_ministry"]}
    )
    assert (response.status_code, response["Location"]) == (302, "/accounts/start/")
    assert site.get("/accounts/start/")["Location"] == "/dashboard/districts/"
    rows = site.get("/api/v1/dashboard/districts/", {"cohort": 2025}).json()["districts"]
    assert [row["slug"] for row in rows] == ["pohang", "ansan"]
    assert site.get("/dashboard/", {"district": "ansan", "cohort": 2025}).status_code == 200
    assert site.get("/admin/").status_code == 302  # no admin: the national role changes nothing
