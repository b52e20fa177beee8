"""The Pohang demo tells the same true story whatever the day it is seeded (`seed_demo --today`).

Every figure is computed here from the rows themselves (placements against the cohort's
survey date from `district.cohorts.Cohort`), not through the dashboard's code, and
compared with the exact values the fixed random streams give.
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from companies.models import Agreement, Opening
from district.cohorts import Cohort
from district.models import BudgetLine, District, Expenditure, KpiTarget
from placements.models import Application, ApplicationEvent, MatchRound, MatchRun, Placement, Preference
from schools.models import FieldPractice, PracticeDiaryEntry, Student, TeacherTraining
from tests.builders import built_once
from universities.models import CreditRecord, ProgramEnrollment

pytestmark = pytest.mark.django_db

D = datetime.date
POHANG = "pohang"


def seed(day: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--today", day, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded_in_may(django_db_setup, django_db_blocker) -> str:
    """What `seed("2027-05-20")` printed, with its rows in the database (tests.builders.built_once)."""
    yield from built_once(django_db_blocker, lambda: seed("2027-05-20"))


def graduates(year: int):
    return Student.objects.filter(school__district__slug=POHANG, cohort=year).exclude(
        status=Student.Status.LEFT
    )


def employed_on(year: int, day: datetime.date, *, local: bool = False) -> set[int]:
    """Graduates of the cohort with a placement covering `day` (the KPI's rule, written out)."""
    placements = Placement.objects.filter(student__in=graduates(year), starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    if local:
        placements = placements.filter(is_local=True)
    return set(placements.values_list("student_id", flat=True))


def outcomes(year: int) -> dict:
    cohort = Cohort(year)
    employed = employed_on(year, cohort.survey_on)
    return {
        "graduates": graduates(year).count(),
        "employed": len(employed),
        "local": len(employed & employed_on(year, cohort.survey_on, local=True)),
        "kept_6m": len(employed & employed_on(year, cohort.six_month_check_on)),
        "kept_12m": len(employed & employed_on(year, cohort.twelve_month_check_on)),
        "studying": ProgramEnrollment.objects.filter(student__in=graduates(year))
        .values("student")
        .distinct()
        .count(),
    }


def share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


def checked(year: int, months: int) -> dict[str, int]:
    """The schools' recorded retention checks at `months` of the cohort's jobs that started by the
    survey date (later starters are checked from the next survey date)."""
    field = f"retention_{months}m"
    rows = (
        Placement.objects.filter(
            student__cohort=year,
            student__school__district__slug=POHANG,
            starts_on__lte=Cohort(year).survey_on,
        )
        .exclude(**{field: ""})
        .values(field)
        .annotate(n=Count("id"))
    )
    return {row[field]: row["n"] for row in rows}


# The latest surveyed cohort (L) and the ones before it (L-1, L-2) in their roles: the same
# figures on any seed day.
LATEST = {"graduates": 196, "employed": 129, "local": 106, "kept_6m": 107}
BEFORE = {"graduates": 196, "employed": 120, "local": 90, "kept_6m": 97, "kept_12m": 77}
TWO_BEFORE = {"graduates": 196, "employed": 114, "local": 80, "kept_6m": 90, "kept_12m": 71}


def assert_latest_story(year: int, *, six_months_due: bool) -> None:
    got = outcomes(year)
    assert {k: got[k] for k in ("graduates", "employed", "local")} == {
        k: LATEST[k] for k in ("graduates", "employed", "local")
    }
    rate = share(got["employed"], got["graduates"])
    assert rate == 65.8
    assert 60 <= rate <= 70  # the "about 60–70%"
    assert share(got["local"], got["employed"]) == 82.2
    if six_months_due:
        assert got["kept_6m"] == 107
        assert share(got["kept_6m"], got["employed"]) == 82.9  # nationally 82.2% (2024)


def assert_before_story(year: int) -> None:
    got = outcomes(year)
    assert {k: got[k] for k in BEFORE} == BEFORE
    assert share(got["employed"], got["graduates"]) == 61.2
    assert share(got["local"], got["employed"]) == 75.0
    assert share(got["kept_6m"], got["employed"]) == 80.8
    assert share(got["kept_12m"], got["employed"]) == 64.2  # nationally 66.2% (2024)
    assert got["studying"] == 25
    # The schools' checks agree: every graduate employed on 1 April was checked twice.
    assert checked(year, 6)[Placement.Retention.EMPLOYED] == 97
    assert checked(year, 12)[Placement.Retention.EMPLOYED] == 77


def assert_nothing_after(today: datetime.date) -> None:
    district = {"student__school__district__slug": POHANG}
    assert not Placement.objects.filter(starts_on__gt=today, **district).exists()
    assert not Placement.objects.filter(ends_on__gt=today, **district).exists()
    assert not Placement.objects.filter(retention_6m_checked_on__gt=today, **district).exists()
    assert not Placement.objects.filter(retention_12m_checked_on__gt=today, **district).exists()
    assert not ProgramEnrollment.objects.filter(enrolled_on__gt=today, **district).exists()
    assert not CreditRecord.objects.filter(
        year__gt=today.year, enrollment__student__school__district__slug=POHANG
    )
    assert not Expenditure.objects.filter(budget_line__district__slug=POHANG, spent_on__gt=today).exists()
    assert not TeacherTraining.objects.filter(district__slug=POHANG, ends_on__gt=today).exists()
    assert not Agreement.objects.filter(district__slug=POHANG, signed_on__gt=today).exists()
    latest_event = ApplicationEvent.objects.filter(
        application__student__school__district__slug=POHANG
    ).aggregate(at=Max("at"))["at"]
    assert timezone.localdate(latest_event) < today
    for practice in FieldPractice.objects.filter(**district):
        if practice.starts_on > today:
            assert practice.status == FieldPractice.Status.PLANNED
        elif practice.ends_on < today:
            assert practice.status == FieldPractice.Status.COMPLETED
        else:
            assert practice.status in (FieldPractice.Status.IN_PROGRESS, FieldPractice.Status.ON_HOLD)
    assert not PracticeDiaryEntry.objects.filter(week_starting__gt=today).exists()


def assert_mid_round(today: datetime.date, current: int) -> None:
    round_ = MatchRound.objects.get(district__slug=POHANG)
    assert round_.cohort == current
    assert round_.title == f"{current}학년도 졸업 예정자 1차 매칭"
    closes = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=14), datetime.time(18))
    )
    assert round_.preferences_close_at == closes
    rankers = Preference.objects.filter(student__school__district__slug=POHANG).values("student")
    assert rankers.distinct().count() == 121
    assert set(rankers.values_list("student__cohort", flat=True).distinct()) == {current}
    demo = Student.objects.get(user__username="demo_student")
    assert demo.cohort == current
    assert list(demo.preferences.order_by("rank").values_list("opening__title", flat=True)) == [
        "하이니켈 양극재 소성 공정 운영원",
        "양극재 소성 공정 운영원 (4조 2교대)",
        "일학습병행 양극재 공정 운영원",
    ]
    # Every ranked opening is public and still open when the rankings close (a run reads only those).
    published = Opening.objects.filter(company__district__slug=POHANG, status=Opening.Status.PUBLISHED)
    assert published.count() == 45
    assert published.aggregate(first=Min("apply_by"))["first"] == today + datetime.timedelta(days=21)
    assert (
        not Preference.objects.filter(student__school__district__slug=POHANG)
        .exclude(opening__in=published)
        .exists()
    )
    assert published.aggregate(first=Min("starts_on"))["first"] >= D(current + 1, 1, 5)
    # Direct applications of the cohort, in every state of review.
    direct = Application.objects.filter(student__cohort=current, student__school__district__slug=POHANG)
    assert direct.count() == 89
    assert set(direct.values_list("status", flat=True)) == {
        Application.Status.SUBMITTED,
        Application.Status.REVIEWING,
        Application.Status.INTERVIEW,
        Application.Status.OFFERED,
        Application.Status.REJECTED,
        Application.Status.WITHDRAWN,
    }
    # Offers were made yesterday, so the students still have six days to answer.
    offers = direct.filter(status=Application.Status.OFFERED)
    assert offers.count() == 7
    assert {timezone.localdate(o.offered_at) for o in offers} == {today - datetime.timedelta(days=1)}
    assert {o.offer_expires_at - o.offered_at for o in offers} == {datetime.timedelta(days=7)}
    assert not Placement.objects.filter(student__cohort=current).exists()
    # The official's trial run on the rankings so far; it cannot be published while they are open.
    (run,) = round_.runs.all()
    assert run.status == MatchRun.Status.SUCCEEDED
    assert (run.stats["students_who_ranked"], run.stats["openings"], run.stats["seats"]) == (121, 45, 141)
    # The lottery breaks ties by the students' row ids, which differ between databases, so the
    # number matched is checked against the run's own matches and the seats, not a fixed count.
    matched = run.matches.filter(opening__isnull=False).count()
    assert run.stats["matched"] == matched
    assert run.matches.count() == run.stats["students"] == graduates(current).count()
    assert 85 <= matched <= 100  # about two thirds of the 141 seats, four in five of those who ranked
    assert timezone.localdate(run.created_at) == today


def test_seeded_in_december():
    today = D(2026, 12, 7)
    output = seed(today.isoformat())
    assert "as on 2026-12-07" in output
    assert "latest surveyed cohort: school year 2025 (surveyed 2026-04-01)" in output
    district = District.objects.get(slug=POHANG)
    assert (district.program_start_year, district.program_end_year) == (2025, 2027)
    assert set(
        Student.objects.filter(school__district=district).values_list("cohort", flat=True).distinct()
    ) == {2023, 2024, 2025, 2026, 2027}

    assert_latest_story(2025, six_months_due=True)
    assert_before_story(2024)
    assert {k: v for k, v in outcomes(2023).items() if k in TWO_BEFORE} == TWO_BEFORE
    # L's 12-month check (1 April 2027) has not come: none recorded.
    assert checked(2025, 12) == {}
    assert checked(2025, 6) == {Placement.Retention.EMPLOYED: 107, Placement.Retention.LEFT: 28}
    assert outcomes(2025)["studying"] == 20

    assert_mid_round(today, 2026)
    # Second semester: employment-linked field practice is in progress, with its diary.
    practices = FieldPractice.objects.filter(student__school__district=district)
    assert dict(practices.values_list("status").annotate(n=Count("id"))) == {
        FieldPractice.Status.COMPLETED: 21,  # with the demo student's two weeks last January
        FieldPractice.Status.IN_PROGRESS: 3,
        FieldPractice.Status.ON_HOLD: 1,
        FieldPractice.Status.PLANNED: 3,
    }
    in_progress = practices.filter(status=FieldPractice.Status.IN_PROGRESS)
    assert {p.diary_entries.count() for p in in_progress} == {5}
    assert set(BudgetLine.objects.filter(district=district).values_list("year", flat=True)) == {
        2025,
        2026,
        2027,
    }
    assert set(KpiTarget.objects.filter(district=district).values_list("year", flat=True)) == {
        2025,
        2026,
        2027,
    }
    assert_nothing_after(today)


@pytest.mark.xdist_group("demo_story_may")  # one worker seeds once for the class
class TestFromOneSeedInMay:
    """Each test starts from one seed on 20 May 2027, built once for the class (`seeded_in_may`)."""

    def test_seeded_in_may_tells_the_same_story_a_year_on(self, seeded_in_may):
        today = D(2027, 5, 20)
        district = District.objects.get(slug=POHANG)
        assert (district.program_start_year, district.program_end_year) == (2026, 2028)
        assert set(
            Student.objects.filter(school__district=district).values_list("cohort", flat=True).distinct()
        ) == {2024, 2025, 2026, 2027, 2028}

        assert_latest_story(2026, six_months_due=False)
        assert checked(2026, 6) == {}  # 1 October 2027 is still to come
        assert_before_story(2025)
        assert {k: v for k, v in outcomes(2024).items() if k in TWO_BEFORE} == TWO_BEFORE

        assert_mid_round(today, 2027)
        # First semester: this summer's practice is planned, last summer's completed.
        practices = FieldPractice.objects.filter(student__school__district=district)
        assert dict(practices.values_list("status").annotate(n=Count("id"))) == {
            FieldPractice.Status.COMPLETED: 16,  # with the demo student's two weeks last January
            FieldPractice.Status.PLANNED: 8,
        }
        spent = Expenditure.objects.filter(budget_line__district=district, budget_line__year=2027)
        assert spent.count() == 4
        assert_nothing_after(today)

    def test_a_later_day_rebuilds_the_district_as_a_fresh_seed_would(self, seeded_in_may):
        fresh = row_counts()
        seed("2027-05-20")
        assert row_counts() == fresh

        seed("2026-12-07")
        assert row_counts() != fresh
        seed("2027-05-20")
        assert row_counts() == fresh
        assert MatchRound.objects.get(district__slug=POHANG).cohort == 2027


def test_seeded_in_march_shows_the_graduates_awaiting_their_survey():
    today = D(2027, 3, 15)
    seed(today.isoformat())
    assert set(
        Student.objects.filter(school__district__slug=POHANG).values_list("cohort", flat=True).distinct()
    ) == {2023, 2024, 2025, 2026, 2027, 2028}
    assert_latest_story(2025, six_months_due=True)
    # The cohort of 2026 graduated in February; its survey (1 April 2027) is still to come.
    assert not Student.objects.filter(
        school__district__slug=POHANG, cohort=2026, status=Student.Status.ENROLLED
    ).exists()
    assert graduates(2026).count() == 196
    assert checked(2026, 6) == {}
    assert_mid_round(today, 2027)
    assert_nothing_after(today)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for label in ("district", "schools", "companies", "universities", "placements")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
