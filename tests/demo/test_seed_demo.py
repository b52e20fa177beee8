"""`manage.py seed_demo`: the Pohang demo (idempotent, real names, demo accounts) and scale mode."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.test import RequestFactory
from django.utils import timezone

from companies.models import Company, Opening
from companies.validators import business_number_checksum_ok
from demo.pohang import data as pohang_data
from district.cohorts import Cohort
from district.models import BudgetLine, Certification, District, Membership, User
from placements.models import MatchRound, Pathway, Placement, Preference
from schools.models import Department, School, Student
from tests.builders import built_once
from universities.models import CreditProgram, University

pytestmark = pytest.mark.django_db

APPS = ("district", "schools", "companies", "universities", "placements")
PASSWORD_LINE = re.compile(r"^\s+(demo_\w+)\s+\S+\s+password: (\S+)", re.MULTILINE)


def seed(*args, **options) -> str:
    out, err = StringIO(), StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err, **options)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded_today(django_db_setup, django_db_blocker) -> str:
    """What a default `seed()` (today) printed, with its rows in the database (tests.builders.built_once)."""
    yield from built_once(django_db_blocker, seed)


@pytest.fixture(scope="class")
def seeded_on_a_day(django_db_setup, django_db_blocker) -> str:
    """What `seed("--today", "2026-12-07")` printed, with its rows in the database."""
    yield from built_once(django_db_blocker, lambda: seed("--today", "2026-12-07"))


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for label in APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


@pytest.mark.xdist_group("demo_seed_today")  # one worker seeds once for the class
class TestFromOneSeedOfToday:
    """Each test starts from one default seed (today), built once for the class (`seeded_today`)."""

    def test_default_seed_twice_leaves_every_count_unchanged(self, seeded_today):
        first = row_counts()
        seed()
        assert row_counts() == first
        # Five cohorts of about 196 students in Pohang (six from 1 to 31 March), whatever the day;
        # Ansan's 20 final-year students (tests/demo/test_ansan.py) are in the total.
        assert Student.objects.filter(school__district__slug="pohang").count() in (980, 1176)
        assert (
            first["schools.Student"] - Student.objects.filter(school__district__slug="pohang").count() == 20
        )
        assert first["placements.Preference"] > 0
        assert first["placements.Placement"] > 0
        assert first["placements.Application"] > 0
        assert first["schools.FieldPractice"] > 0

    def test_openings_and_round_follow_today(self, seeded_today):
        today = timezone.localdate()
        published = Opening.objects.filter(company__district__slug="pohang", status=Opening.Status.PUBLISHED)
        assert published.count() == 45
        assert not published.filter(apply_by__lte=today).exists()
        assert all(o.monthly_salary_krw >= 2_156_880 for o in published)
        match_round = MatchRound.objects.get(
            district__slug="pohang", cohort=Cohort.in_final_year_on(today).school_year
        )
        assert match_round.preferences_close_at > timezone.now()
        ranks = (
            Preference.objects.filter(student__school__district__slug="pohang")
            .values("student")
            .annotate(n=Count("id"))
        )
        assert ranks.count() == 121
        # The latest surveyed cohort has graduated, and most of its jobs are in Pohang.
        latest = Cohort.latest_surveyed(today).school_year
        assert Placement.objects.filter(student__cohort=latest, is_local=True).count() >= 100
        assert not Student.objects.filter(cohort=latest, status=Student.Status.ENROLLED).exists()

    def test_demo_accounts_sign_in_only_while_enabled(self, seeded_today, settings):
        output = seeded_today
        passwords = dict(PASSWORD_LINE.findall(output))
        assert set(passwords) == {
            "demo_official",
            "demo_school",
            "demo_company",
            "demo_university",
            "demo_student",
            "demo_ministry",
        }
        assert "DEBUG" in output

        settings.DEMO_ACCOUNTS_ENABLED = True
        for username, password in passwords.items():
            user = _sign_in(username=username, password=password)
            assert user is not None and user.is_demo
            assert user.memberships.filter(is_active=True).count() == 1
        official = User.objects.get(username="demo_official")
        assert official.is_staff and official.memberships.get().role == Membership.Role.OFFICIAL
        assert User.objects.get(username="demo_student").student.school.name == "포항흥해공업고"

        settings.DEMO_ACCOUNTS_ENABLED = False
        for username, password in passwords.items():
            assert _sign_in(username=username, password=password) is None

        # A second run keeps the passwords; --reset-passwords replaces them.
        settings.DEMO_ACCOUNTS_ENABLED = True
        again = seed()
        assert PASSWORD_LINE.findall(again) == []
        assert _sign_in(username="demo_company", password=passwords["demo_company"]) is not None
        fresh = dict(PASSWORD_LINE.findall(seed(reset_passwords=True)))
        assert set(fresh) == set(passwords)
        assert _sign_in(username="demo_company", password=passwords["demo_company"]) is None
        assert _sign_in(username="demo_company", password=fresh["demo_company"]) is not None

    def test_scale_mode_leaves_the_pohang_district_alone(self, seeded_today):
        before = Student.objects.filter(school__district__slug="pohang").count()
        seed(students=30, openings=10, preferences=10)
        seed(students=20, openings=5, preferences=2)
        assert Student.objects.filter(school__district__slug="pohang").count() == before
        assert Preference.objects.filter(student__school__district__slug="synthetic").count() == 40

    def test_department_reorganisation_is_complete(self, seeded_today):
        reorganised = Department.objects.filter(school__district__slug="pohang", replaced__isnull=False)
        assert set(reorganised.values_list("name", "replaced__name")) == {
            ("이차전지 시스템제어과", "전자기계과"),
            ("이차전지 전기설비과", "전기과"),
        }


@pytest.mark.xdist_group("demo_seed_day")  # one worker seeds once for the class
class TestFromOneSeedOnADay:
    """Each test starts from one seed on 7 December 2026, built once for the class (`seeded_on_a_day`)."""

    def test_the_pohang_names_are_there(self, seeded_on_a_day):
        district = District.objects.get(slug="pohang")
        assert (district.name, district.annual_budget_krw) == ("포항", 350_000_000)
        assert (district.program_start_year, district.program_end_year) == (2025, 2027)
        assert "시연용" in district.description

        heunghae = School.objects.get(district=district, name="포항흥해공업고")
        assert heunghae.is_agreement_type and heunghae.is_hub
        active = heunghae.departments.filter(is_active=True)
        assert set(active.values_list("name", flat=True)) == {
            "기계설비과",
            "이차전지 시스템제어과",
            "이차전지 전기설비과",
        }
        assert active.aggregate(c=Sum("classes"), s=Sum("students_per_year")) == {"c": 7, "s": 140}
        control = heunghae.departments.get(name="이차전지 시스템제어과")
        assert control.reorganised_year == 2025
        assert control.replaced is not None and not control.replaced.is_active
        assert School.objects.get(district=district, name="포항제철공고").kind == School.Kind.MEISTER
        assert School.objects.filter(district=district).count() == 5

        companies = Company.objects.filter(district=district, name__in=pohang_data.CORE_COMPANIES)
        assert companies.count() == 8
        for company in companies:
            assert company.verification == Company.Verification.VERIFIED
            assert business_number_checksum_ok(company.business_number)
            assert company.business_number.startswith("000")  # clearly not a real number

        universities = {u.name: u.kind for u in University.objects.filter(district=district)}
        assert universities == {
            "포항공과대학교": University.Kind.FOUR_YEAR,
            "한동대학교": University.Kind.FOUR_YEAR,
            "포항대학교": University.Kind.JUNIOR_COLLEGE,
            "선린대학교": University.Kind.JUNIOR_COLLEGE,
            "한국폴리텍대학 포항캠퍼스": University.Kind.POLYTECHNIC,
        }
        programs = CreditProgram.objects.filter(university__district=district)
        assert set(programs.values_list("kind", flat=True)) == set(CreditProgram.Kind.values)
        for program in programs:
            assert program.credits_required == (
                80 if program.degree == CreditProgram.Degree.ASSOCIATE else 140
            )
            if program.kind == CreditProgram.Kind.SPECIAL_ADMISSION:
                assert program.min_months_employed >= 36

        for name in ("전기기능사", "공유압기능사", "위험물기능사", "화학분석기능사", "설비보전기능사"):
            cert = Certification.objects.get(name=name)
            assert cert.grade == Certification.Grade.CRAFTSMAN and cert.qnet_code
        private = Certification.objects.get(name="배터리성능평가사")
        assert (private.grade, private.qnet_code) == (Certification.Grade.PRIVATE, "")

        pathway = Pathway.objects.get(slug="heunghae-battery-control-to-cathode-operator")
        assert pathway.department == control
        assert (
            pathway.job_roles.exists()
            and pathway.practice_companies.exists()
            and pathway.credit_programs.exists()
        )

    def test_budget_lines_sum_to_the_annual_grant_each_year(self, seeded_on_a_day):
        totals = dict(
            BudgetLine.objects.filter(district__slug="pohang")
            .values_list("year")
            .annotate(total=Sum("planned_krw"))
            .values_list("year", "total")
        )
        assert totals == {2025: 350_000_000, 2026: 350_000_000, 2027: 350_000_000}
        for line in BudgetLine.objects.filter(district__slug="pohang").annotate(
            spent=Sum("expenditures__amount_krw")
        ):
            assert (line.spent or 0) <= line.planned_krw


def _sign_in(*, username, password):
    """Authenticate as the login view does: django-axes needs the request (for the client's IP)."""
    return authenticate(RequestFactory().post("/accounts/login/"), username=username, password=password)


def test_a_real_account_with_a_demo_name_is_left_alone():
    User.objects.create_user(username="demo_official", password="someone-real-1")
    with pytest.raises(CommandError, match="not a demo account"):
        seed()
    assert not User.objects.get(username="demo_official").is_demo


def test_scale_mode_creates_exactly_the_numbers_asked_and_reruns_change_nothing():
    seed("--students", "200", "--openings", "40", "--preferences", "5")
    district = District.objects.get(slug="synthetic")
    students = Student.objects.filter(school__district=district)
    openings = Opening.objects.filter(company__district=district)
    assert students.count() == 200
    assert openings.count() == openings.filter(status=Opening.Status.PUBLISHED).count() == 40
    assert not openings.filter(apply_by__lte=timezone.localdate()).exists()
    seats = list(openings.values_list("seats", flat=True))
    assert all(1 <= s <= 200 for s in seats) and sum(seats) == 220
    prefs = Preference.objects.filter(student__in=students)
    assert prefs.count() == 1000
    per_student = prefs.values("student").annotate(n=Count("id"), top=Count("rank", distinct=True))
    assert {(row["n"], row["top"]) for row in per_student} == {(5, 5)}
    assert set(prefs.values_list("rank", flat=True)) == {1, 2, 3, 4, 5}
    assert MatchRound.objects.filter(district=district).count() == 1
    assert Company.objects.filter(district=district).exclude(verification="verified").count() == 0

    first = row_counts()
    output = seed("--students", "200", "--openings", "40", "--preferences", "5")
    assert "nothing changed" in output
    assert row_counts() == first
    assert District.objects.get(slug="synthetic").pk == district.pk

    # Other numbers replace the synthetic district as a whole.
    seed(students=50, openings=10, preferences=3)
    district = District.objects.get(slug="synthetic")
    assert Student.objects.filter(school__district=district).count() == 50
    assert Opening.objects.filter(company__district=district).count() == 10
    assert Preference.objects.filter(student__school__district=district).count() == 150
    assert District.objects.filter(slug="synthetic").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--students", "-5", "--openings", "10", "--preferences", "3"], "--students"),
        (["--students", "10", "--openings", "-1", "--preferences", "3"], "--openings"),
        (["--students", "10", "--openings", "10", "--preferences", "-3"], "negative"),
        (["--students", "10", "--openings", "40", "--preferences", "31"], "at most 30"),
        (["--students", "10", "--openings", "4", "--preferences", "5"], "cannot exceed --openings"),
        (["--students", "10"], "together"),
    ],
)
def test_bad_arguments_fail_with_one_clear_line(args, message):
    with pytest.raises(CommandError, match=re.escape(message)) as excinfo:
        seed(*args)
    assert "\n" not in str(excinfo.value)
    assert not District.objects.filter(slug="synthetic").exists()
