"""Each KPI against a hand-computed fixture, with the edge cases (dashboard/kpis/, docs/kpis.md).

The fixture, cohort 2025 (2025학년도: graduated in February 2026, survey date 1 April 2026,
checks on 1 October 2026 and 1 April 2027; programme year 2026), in school A (A) and school B (B):

| student | school | placements                                                  | counted as |
|---------|--------|-------------------------------------------------------------|------------|
| s0      | A      | none                                                        | cohort     |
| s1      | A      | company A, local, 2026-03-02 → active                        | employed, 6m, 12m |
| s2      | A      | company C, not local, 2026-02-15 → 2026-09-30                | employed only |
| s3      | A      | company A, local, 2026-03-01 → 2027-03-31 (day before 1 April) | employed, 6m, not 12m |
| s4      | B      | company B, 2026-05-01 → active (after the survey date)         | not employed |
| s5      | B      | company C, 2026-01-10 → 2026-03-31 (before 1 April); again 2026-06-01 → | not employed |
| s6      | B      | none; enrolled in a bachelor's programme                     | cohort |
| s9      | B      | company B, local, 2026-03-02 → 2026-10-01 (ends on the check day) | employed, 6m |
| s7      | A      | left school (company C)                                     | not in the cohort |
| s8      | A      | cohort 2024 (company A, 2025)                                | another cohort |

Cohort 8, employed 4 (s1, s2, s3, s9), local 3 (s1, s3, s9), retained at 6 months 3
(s1, s3, s9), at 12 months 1 (s1), in credit programmes 3 (s1, s6, s9).
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from dashboard import kpis
from district.cohorts import Cohort, retention_dates
from district.models import KpiTarget
from placements.models import Application, Placement
from schools.models import CourseUnit, FieldPractice, Student, Teacher, TeacherTraining, TrainingCompletion
from tests import factories as f
from universities.models import DEGREE_CREDITS, CreditProgram, CreditRecord

D = datetime.date
AFTER_BOTH_CHECKS = D(2027, 5, 1)
BETWEEN_CHECKS = D(2026, 11, 28)


def build_kpi_world(world) -> SimpleNamespace:
    """The fixture described in the module docstring."""
    company_a, company_b = world.company_a, world.company_b
    company_c = f.CompanyFactory(district=world.district, name="타지역전지", is_local=False)
    a, b = world.department_a, world.department_b

    def student(name, department, cohort=2025, **extra):
        return f.StudentFactory(name=name, department=department, cohort=cohort, **extra)

    s = SimpleNamespace(company_c=company_c)
    s.s0 = student("s0", a)
    s.s1, s.s2, s.s3 = student("s1", a), student("s2", a), student("s3", a)
    s.s4, s.s5, s.s6, s.s9 = student("s4", b), student("s5", b), student("s6", b), student("s9", b)
    s.s7 = student("s7", a, status=Student.Status.LEFT)
    s.s8 = student("s8", a, cohort=2024)

    # Openings: o1 open for the next cohort, o2 closed and started in 2026, o3 a draft.
    x, y, z = (
        f.CertificationFactory(name="전기기능사"),
        f.CertificationFactory(name="공유압기능사"),
        f.CertificationFactory(),
    )
    s.cert_x, s.cert_y, s.cert_z = x, y, z
    s.o1 = f.OpeningFactory(
        company=company_a, seats=3, apply_by=D(2027, 6, 1), starts_on=D(2027, 7, 1), status="published"
    )
    s.o2 = f.OpeningFactory(
        company=company_a, seats=4, apply_by=D(2026, 1, 15), starts_on=D(2026, 3, 1), status="closed"
    )
    f.OpeningFactory(
        company=company_b, seats=10, apply_by=D(2026, 1, 15), starts_on=D(2026, 3, 2), status="draft"
    )
    s.o1.required_certifications.add(x)
    s.o2.required_certifications.add(x)
    f.StudentCertificationFactory(student=s.s1, certification=x)
    f.StudentCertificationFactory(student=s.s2, certification=x)
    f.StudentCertificationFactory(student=s.s3, certification=y)
    f.StudentCertificationFactory(student=s.s7, certification=y)  # left school: not a holder

    def place(who, company, start, end=None, *, local=True, opening=None):
        return Placement.objects.create(
            student=who,
            company=company,
            opening=opening,
            starts_on=start,
            ends_on=end,
            status="ended" if end else "active",
            is_local=local,
        )

    place(s.s1, company_a, D(2026, 3, 2), opening=s.o2)
    place(s.s2, company_c, D(2026, 2, 15), D(2026, 9, 30), local=False)
    place(s.s3, company_a, D(2026, 3, 1), D(2027, 3, 31), opening=s.o2)
    place(s.s4, company_b, D(2026, 5, 1))
    place(s.s5, company_c, D(2026, 1, 10), D(2026, 3, 31), local=False)
    place(s.s5, company_c, D(2026, 6, 1), local=False)
    place(s.s9, company_b, D(2026, 3, 2), D(2026, 10, 1))
    place(s.s7, company_c, D(2026, 3, 2), local=False)
    place(s.s8, company_a, D(2025, 3, 2))

    # Agreements: company A with the district (4 a year), company B with school B (2 a year).
    f.AgreementFactory(company=company_a, pledged_hires_per_year=4)
    f.AgreementFactory(company=company_b, school=world.school_b, pledged_hires_per_year=2)
    f.AgreementFactory(
        company=company_c, pledged_hires_per_year=9, valid_from=D(2023, 1, 1), valid_until=D(2024, 12, 31)
    )

    # Credit programmes: s1 and s9 toward an associate degree, s6 toward a bachelor's.
    associate = f.CreditProgramFactory(university=world.university, degree="associate")
    bachelor = f.CreditProgramFactory(university=world.university, degree="bachelor", credits_required=140)
    s.associate, s.bachelor = associate, bachelor
    e1 = f.ProgramEnrollmentFactory(program=associate, student=s.s1, enrolled_on=D(2026, 3, 2))
    e9 = f.ProgramEnrollmentFactory(program=associate, student=s.s9, enrolled_on=D(2026, 3, 2))
    e6 = f.ProgramEnrollmentFactory(program=bachelor, student=s.s6, enrolled_on=D(2026, 3, 2))
    for enrolment, year, term, credits in [
        (e1, 2026, "1", 15),
        (e1, 2026, "2", 18),
        (e9, 2026, "1", 30),
        (e9, 2026, "S", 20),
        (e9, 2026, "2", 30),
        (e6, 2026, "1", 20),
        (e6, 2027, "1", 10),
    ]:
        CreditRecord.objects.create(enrollment=enrolment, year=year, term=term, credits=credits)

    # Budget 2026: 150 M planned, 40 M spent; a 2025 line that must not count.
    curriculum = f.BudgetLineFactory(
        district=world.district, year=2026, category="curriculum", planned_krw=100_000_000
    )
    f.BudgetLineFactory(
        district=world.district, year=2026, category="teacher_training", planned_krw=50_000_000
    )
    old = f.BudgetLineFactory(
        district=world.district, year=2025, category="curriculum", planned_krw=70_000_000
    )
    curriculum.expenditures.create(
        spent_on=D(2026, 3, 10), amount_krw=25_000_000, description="교육과정 개발"
    )
    curriculum.expenditures.create(spent_on=D(2026, 5, 20), amount_krw=15_000_000, description="=HYPERLINK()")
    old.expenditures.create(spent_on=D(2025, 5, 20), amount_krw=60_000_000, description="2025")
    f.KpiTargetFactory(
        district=world.district, year=2026, indicator=KpiTarget.Indicator.EMPLOYMENT_RATE, target=70
    )

    # Field practice: s2's completed practice in 2026 counts; s1's was in 2025; s3's is only planned.
    FieldPractice.objects.create(
        student=s.s2, company=company_a, starts_on=D(2026, 1, 5), ends_on=D(2026, 1, 30),
        supervisor_name="김현장", safety_checked_on=D(2026, 1, 2), status="completed",
    )  # fmt: skip
    FieldPractice.objects.create(
        student=s.s1, company=company_a, starts_on=D(2025, 7, 1), ends_on=D(2025, 8, 31),
        supervisor_name="김현장", safety_checked_on=D(2025, 6, 20), status="completed",
    )  # fmt: skip
    FieldPractice.objects.create(
        student=s.s3, company=company_a, starts_on=D(2026, 7, 1), ends_on=D(2026, 8, 31), status="planned"
    )

    # Teacher training: 30 hours in 2026 at school A; 12 hours in 2025 at school B.
    training = TeacherTraining.objects.create(
        district=world.district, title="이차전지 공정 연수", provider="포스코퓨처엠", hours=40,
        starts_on=D(2026, 7, 20), ends_on=D(2026, 7, 31),
    )  # fmt: skip
    old_training = TeacherTraining.objects.create(
        district=world.district, title="설비 연수", provider="에코프로", hours=12,
        starts_on=D(2025, 7, 20), ends_on=D(2025, 7, 31),
    )  # fmt: skip
    teacher_a = Teacher.objects.create(school=world.school_a, name="교사A")
    teacher_b = Teacher.objects.create(school=world.school_b, name="교사B")
    TrainingCompletion.objects.create(
        training=training, teacher=teacher_a, completed_on=D(2026, 8, 1), hours=30
    )
    TrainingCompletion.objects.create(
        training=old_training, teacher=teacher_b, completed_on=D(2025, 8, 1), hours=12
    )

    # Curriculum: one unit of school A co-developed with company A, one not co-developed.
    ncs = f.NcsUnitFactory()
    unit = CourseUnit.objects.create(department=a, ncs_unit=ncs, title="셀 조립 실무", hours=34)
    unit.co_developers.add(company_a)
    CourseUnit.objects.create(department=a, ncs_unit=ncs, title="전기 기초", hours=20)

    # Applications of the cohort: one hired, one submitted, one offered.
    Application.objects.create(student=s.s1, opening=s.o2, status="hired")
    Application.objects.create(student=s.s2, opening=s.o2, status="submitted")
    Application.objects.create(
        student=s.s3,
        opening=s.o1,
        status="offered",
        offered_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    )
    return s


def scope_of(world, *schools):
    reach = kpis.DashboardReach(
        role="official",
        districts=[world.district],
        schools=[world.school_a, world.school_b],
        school_locked=False,
    )
    return reach.scope(district_id=world.district.pk, school_id=schools[0].pk if schools else None)


@pytest.fixture
def data(world):
    return build_kpi_world(world)


def summary(world, *schools, cohort=2025, today=AFTER_BOTH_CHECKS):
    return kpis.dashboard_summary(scope=scope_of(world, *schools), cohort=cohort, today=today)


def test_employment_and_retention_follow_the_survey_dates(world, data):
    result = summary(world)
    assert result["survey_date"] == D(2026, 4, 1)
    assert (result["cohort"], result["programme_year"]) == (2025, 2026)
    assert (result["retention_6m_date"], result["retention_12m_date"]) == (D(2026, 10, 1), D(2027, 4, 1))
    assert result["cohort_size"] == 8  # s7 left school; s8 is the 2024 cohort
    assert result["employed"] == 4  # s5's placement ended on 31 March; s4 started in May
    assert result["employment_rate"] == 50.0
    assert result["local_employment_rate"] == 75.0  # s1, s3, s9 of 4
    assert result["retention_6m"] == 75.0  # s2 left on 30 September; s9 still there on 1 October
    assert result["retention_12m"] == 25.0  # s3 ended on 31 March 2027: not retained on 1 April
    assert result["progression_rate"] == 37.5  # s1, s6, s9


def test_retention_is_null_until_its_check_date(world, data):
    result = summary(world, today=BETWEEN_CHECKS)
    assert result["retention_6m"] == 75.0
    assert result["retention_12m"] is None


def test_an_empty_cohort_gives_null_rates_not_a_crash(world, data):
    result = summary(world, cohort=2030, today=D(2032, 5, 1))  # after its survey and both checks
    assert result["cohort_size"] == 0
    assert result["employed"] == 0
    for key in (
        "employment_rate",
        "local_employment_rate",
        "retention_6m",
        "retention_12m",
        "progression_rate",
    ):
        assert result[key] is None, key
    assert result["fill_rate"] is None
    assert result["mou_fulfilment"] is None
    assert result["budget_execution_rate"] is None


def test_a_cohort_not_yet_surveyed_shows_no_employment_yet(world, data):
    """Before 1 April after the graduation nothing is measured: null, never a 0 or a forecast."""
    result = summary(world, today=D(2026, 3, 31))
    assert (result["cohort_size"], result["progression_rate"]) == (8, 37.5)
    assert (result["employed"], result["employment_rate"], result["local_employment_rate"]) == (
        None,
        None,
        None,
    )
    assert (result["retention_6m"], result["retention_12m"]) == (None, None)
    rows = kpis.placements_by(scope=scope_of(world), cohort=2025, by="school", today=D(2026, 3, 31))
    assert [(row["placements"], row["employed"]) for row in rows] == [(4, None), (3, None)]  # B, A
    assert result["survey_date"] == D(2026, 4, 1)


def test_an_empty_district_gives_null_rates(db):
    district = f.DistrictFactory(slug="ansan", name="안산")
    reach = kpis.DashboardReach(role="official", districts=[district], schools=[], school_locked=False)
    result = kpis.dashboard_summary(scope=reach.scope(), cohort=2025, today=AFTER_BOTH_CHECKS)
    assert result["cohort_size"] == 0
    assert result["employment_rate"] is None
    assert result["retention_12m"] is None
    assert result["budget_planned_krw"] == 0
    assert result["budget_execution_rate"] is None
    assert result["targets"] == {}


def test_a_cohort_with_nobody_employed_gives_zero_not_null(world):
    result = summary(world, cohort=2026, today=D(2027, 4, 1))
    assert (result["cohort_size"], result["employment_rate"]) == (1, 0.0)  # 김하늘, 2026학년도
    assert result["local_employment_rate"] is None  # nobody employed: no denominator


def test_openings_fill_rate_mou_and_budget(world, data):
    result = summary(world, today=D(2027, 5, 1))
    assert (result["open_openings"], result["open_seats"]) == (1, 3)  # o1 only; o2 closed, o3 a draft
    assert result["fill_rate"] == 50.0  # 2 placements through o2 of its 4 seats; the draft does not count
    assert (result["mou_hires"], result["mou_fulfilment"]) == (4, 66.7)  # A: s1, s3; B: s4, s9 of 4 + 2
    assert result["budget_planned_krw"] == 150_000_000
    assert result["budget_executed_krw"] == 40_000_000
    assert result["budget_execution_rate"] == 26.7
    assert result["field_practice_participants"] == 1
    assert result["teacher_training_hours"] == 30
    assert result["co_developed_units"] == 1
    assert result["targets"] == {"employment_rate": 70.0}


def test_a_published_opening_of_an_unverified_company_is_not_open(world, data):
    """The open-openings KPI uses the public-opening rule (companies.models.public_opening_q)."""
    pending = f.CompanyFactory(
        district=world.district, name="심사중기업", verification="pending", verified_at=None
    )
    opening = f.OpeningFactory(
        company=pending, seats=5, apply_by=D(2027, 6, 1), starts_on=D(2027, 7, 1), status="published"
    )
    assert opening.is_public(today=D(2027, 5, 1)) is False
    result = summary(world, today=D(2027, 5, 1))
    assert (result["open_openings"], result["open_seats"]) == (1, 3)  # o1 only, as before
    pending.verification, pending.verified_at = "verified", timezone.now()
    pending.save()
    cache.clear()
    result = summary(world, today=D(2027, 5, 1))
    assert (result["open_openings"], result["open_seats"]) == (2, 8)  # o1 and the newly verified one


def test_a_school_scope_counts_only_that_school(world, data):
    school_a = summary(world, world.school_a)
    assert school_a["cohort_size"] == 4
    assert school_a["employment_rate"] == 75.0  # s1, s2, s3 of s0, s1, s2, s3
    assert school_a["mou_fulfilment"] is None  # no agreement with school A itself
    assert school_a["teacher_training_hours"] == 30
    school_b = summary(world, world.school_b)
    assert school_b["cohort_size"] == 4
    assert school_b["employment_rate"] == 25.0  # s9 only
    assert (school_b["mou_hires"], school_b["mou_fulfilment"]) == (2, 100.0)
    assert school_b["teacher_training_hours"] == 0
    assert school_b["co_developed_units"] == 0


def test_school_staff_scope_hides_the_budget(world, data):
    reach = kpis.DashboardReach(
        role="school_staff", districts=[world.district], schools=[world.school_a], school_locked=True
    )
    result = kpis.dashboard_summary(scope=reach.scope(), cohort=2025, today=AFTER_BOTH_CHECKS)
    assert result["budget_planned_krw"] is None
    assert result["budget_execution_rate"] is None
    assert result["cohort_size"] == 4


def test_placements_by_school_and_segment(world, data):
    scope = scope_of(world)
    by_school = {
        row["label"]: row
        for row in kpis.placements_by(scope=scope, cohort=2025, by="school", today=AFTER_BOTH_CHECKS)
    }
    # School A: s1, s2, s3 (s7 left school); school B: s4, s5 twice, s9.
    assert by_school[world.school_a.name]["placements"] == 3
    assert by_school[world.school_a.name]["local"] == 2
    assert by_school[world.school_b.name]["placements"] == 4
    assert by_school[world.school_b.name]["active"] == 2  # s4 and s5's second job
    months = [row["key"] for row in kpis.placements_by(scope=scope, cohort=2025, by="month")]
    assert months == ["2026-01", "2026-02", "2026-03", "2026-05", "2026-06"]
    with pytest.raises(ValueError):
        kpis.placements_by(scope=scope, cohort=2025, by="password")


def test_funnel_counts_each_state(world, data):
    funnel = {
        row["status"]: row["count"] for row in kpis.application_funnel(scope=scope_of(world), cohort=2025)
    }
    assert funnel["hired"] == 1
    assert funnel["submitted"] == 1
    assert funnel["offered"] == 1
    assert funnel["withdrawn"] == 0
    assert list(funnel)[:4] == ["submitted", "reviewing", "interview", "offered"]


def test_skills_gap_puts_the_largest_shortage_first(world, data):
    rows = kpis.skills_gap(scope=scope_of(world), cohort=2025)
    assert [(r["name"], r["seats"], r["holders"], r["gap"]) for r in rows] == [
        ("전기기능사", 4, 2, 2),  # o2's 4 seats (o1 starts in 2027, not programme year 2026); s1, s2 hold it
        ("공유압기능사", 0, 1, -1),  # s3 holds it; s7 left school
    ]


def test_retention_curve_month_by_month(world, data):
    curves = kpis.retention_curves(scope=scope_of(world), cohort=2025, today=BETWEEN_CHECKS)
    assert [c["cohort"] for c in curves] == [2023, 2024, 2025]
    months = curves[-1]["months"]
    assert curves[-1]["employed_on_survey"] == 4
    assert months[0]["rate"] == 100.0
    assert months[6]["date"] == D(2026, 10, 1)
    assert (months[6]["employed"], months[6]["rate"]) == (3, 75.0)
    assert months[7]["rate"] == 50.0  # s9 ended on 1 October
    assert months[8]["rate"] is None  # 1 December 2026 has not come yet
    assert curves[0]["employed_on_survey"] == 0
    assert curves[0]["months"][0]["rate"] is None


def test_the_retention_pass_counts_each_graduate_as_the_flags_do(world, data):
    """`employment_by_cohort` (on PostgreSQL one run of bits per placement, OR-ed per graduate) counts
    what the per-graduate flags of `employment_by_student` count, month by month, with two more
    graduates: t1 with two placements, a local one to 31 July and another from 1 August; t2 whose
    placement starts on the survey date and ends within its month."""
    from dashboard.kpis.cohorts import EMPLOYMENT_COUNTS, count_per_group, employment_by_student
    from dashboard.kpis.retention import employment_by_cohort

    t1 = f.StudentFactory(name="t1", department=world.department_a, cohort=2025)
    t2 = f.StudentFactory(name="t2", department=world.department_b, cohort=2025)
    for who, start, end, local in [
        (t1, D(2026, 3, 15), D(2026, 7, 31), True),
        (t1, D(2026, 8, 1), None, False),
        (t2, D(2026, 4, 1), D(2026, 4, 30), False),
    ]:
        Placement.objects.create(
            student=who, company=world.company_a, starts_on=start, ends_on=end,
            status="ended" if end else "active", is_local=local,
        )  # fmt: skip
    # Another district's graduate of the same cohort, employed on the survey date: only its own.
    gumi = f.DistrictFactory(name="구미", slug="gumi")
    school = f.SchoolFactory(district=gumi)
    other = f.StudentFactory(name="u1", department=f.DepartmentFactory(school=school), cohort=2025)
    Placement.objects.create(student=other, company=world.company_a, starts_on=D(2026, 3, 2), is_local=True)
    assert employment_by_cohort(scope=kpis.district_scope(gumi), cohorts=[2025])[2025]["employed"] == 1
    scope, cohorts = scope_of(world), [2023, 2024, 2025]
    found = employment_by_cohort(scope=scope, cohorts=cohorts)
    # s1, s2, s3, s9, t1 and t2 on 1 April; t2 gone on 1 May; s2 after September; s9 after 1 October.
    assert [found[2025][f"still{m}"] for m in range(13)] == [6, 5, 5, 5, 5, 5, 4, 3, 3, 3, 3, 3, 2]
    assert {k: found[2025][k] for k in EMPLOYMENT_COUNTS} == {
        "employed": 6,
        "employed_local": 4,  # s1, s3, s9, t1
        "retained_6m": 4,
        "retained_12m": 2,  # s1, t1
    }
    assert found[2024]["employed"] == 1 and found[2024]["still12"] == 1  # s8, still employed
    assert found[2023] == dict.fromkeys(found[2023], 0)
    flags = tuple(range(13))
    per_student = employment_by_student(scope=scope, cohorts=cohorts, months=flags).values(
        "student_id", "local0", *(f"m{m}" for m in flags), grp=F("student__cohort")
    )
    by_flags = count_per_group(
        per_student,
        {k: f"m0 = 1 AND m{k[5:]} = 1" for k in found[2025] if k.startswith("still")} | EMPLOYMENT_COUNTS,
    )
    assert {c: by_flags.get(c, dict.fromkeys(found[c], 0)) for c in cohorts} == found


def test_credits_toward_80_or_140(world, data):
    result = kpis.credit_progress(scope=scope_of(world), cohort=2025)
    degrees = {row["degree"]: row for row in result["degrees"]}
    assert degrees["associate"]["goal"] == 80
    assert (degrees["associate"]["enrolled"], degrees["associate"]["credits"]) == (2, 113)
    assert degrees["associate"]["average_credits"] == 56.5
    assert degrees["associate"]["reached_goal"] == 1  # s9: 80
    assert degrees["bachelor"]["goal"] == 140
    assert degrees["bachelor"]["credits"] == 20  # the 2027 credits are not counted for 2026
    assert len(result["programs"]) == 2


def test_credits_by_programme_and_degree_are_whole_numbers_from_one_query(world, data):
    """Both tables of `credit_progress` in one statement on PostgreSQL (GROUPING SETS), each row as
    its own grouped query gave it; credits are ints (PostgreSQL sums them as numeric)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = kpis.credit_progress(scope=scope_of(world), cohort=2025)
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
    measures = ("enrolled", "students", "active", "completed", "credits", "average_credits", "reached_goal")
    assert [(r["degree"], *(r[k] for k in measures), r["goal"]) for r in result["degrees"]] == [
        ("associate", 2, 2, 2, 0, 113, 56.5, 1, 80),
        ("bachelor", 1, 1, 1, 0, 20, 20.0, 0, 140),
    ]
    # Ordered by university, then programme name (a factory sequence here), then id.
    programs = sorted([data.associate, data.bachelor], key=lambda p: (p.name, p.pk))
    by_program = {data.associate.pk: ("associate", 2, 113), data.bachelor.pk: ("bachelor", 1, 20)}
    assert [(r["program_id"], r["degree"], r["enrolled"], r["credits"]) for r in result["programs"]] == [
        (p.pk, *by_program[p.pk]) for p in programs
    ]
    for row in result["programs"] + result["degrees"]:
        assert type(row["credits"]) is int and type(row["enrolled"]) is int


def test_budget_table_and_burn_down(world, data):
    scope = scope_of(world)
    lines = kpis.budget_table(scope=scope)
    assert [(r["year"], r["category"], r["executed"], r["remaining"]) for r in lines] == [
        (2025, "curriculum", 60_000_000, 10_000_000),
        (2026, "curriculum", 40_000_000, 60_000_000),
        (2026, "teacher_training", 0, 50_000_000),
    ]
    burn = kpis.budget_burn_down(scope=scope, year=Cohort(2025).programme_year)
    assert len(burn) == 12
    assert burn[2] == {
        "month": "2026-03",
        "spent": 25_000_000,
        "spent_to_date": 25_000_000,
        "remaining": 125_000_000,
        "planned": 150_000_000,
    }
    assert burn[11]["remaining"] == 110_000_000


def test_training_summary(world, data):
    result = kpis.training_summary(scope=scope_of(world), cohort=2025)
    assert (result["hours"], result["teachers"], result["completions"]) == (30, 1, 1)
    assert [t["title"] for t in result["trainings"]] == ["이차전지 공정 연수"]
    assert result["curriculum_units"] == 2
    assert result["co_developed_units"] == 1


def test_evaluation_rows(world, data):
    scope = scope_of(world)
    by_school = {
        r["school"]: r for r in kpis.retention_by_school(scope=scope, cohort=2025, today=AFTER_BOTH_CHECKS)
    }
    assert by_school[world.school_a.name]["retention_12m"] == pytest.approx(100 / 3, abs=0.1)
    assert by_school[world.school_b.name]["employed"] == 1
    participants = {
        r["department_name"]: r
        for r in kpis.participants_by_department(scope=scope, cohort=2025, today=AFTER_BOTH_CHECKS)
    }
    assert participants[world.department_a.name]["students"] == 4
    assert participants[world.department_a.name]["field_practice"] == 2  # s1 (2025) and s2: at any time
    assert {r["company"]: r["hires"] for r in kpis.mou_table(scope=scope, year=2026)} == {
        world.company_b.name: 2,
        world.company_a.name: 2,
    }


def test_the_tables_by_school_agree_with_the_totals(world, data):
    scope = scope_of(world)
    totals = kpis.cohort_counts(scope=scope, cohort=2025, today=AFTER_BOTH_CHECKS)
    rows = kpis.retention_by_school(scope=scope, cohort=2025, today=AFTER_BOTH_CHECKS)
    assert sum(r["employed"] for r in rows) == totals.employed
    assert sum(r["retained_6m"] for r in rows) == totals.retained_6m
    assert sum(r["retained_12m"] for r in rows) == totals.retained_12m
    participants = kpis.participants_by_department(scope=scope, cohort=2025, today=AFTER_BOTH_CHECKS)
    assert sum(r["students"] for r in participants) == totals.cohort
    assert sum(r["employed"] for r in participants) == totals.employed
    assert sum(r["progressed"] for r in participants) == totals.progressed


@pytest.mark.parametrize("cohort", [2023, 2024, 2025, 2026])
def test_six_and_twelve_months_after_the_survey_are_the_schools_retention_check_dates(cohort):
    """The month-by-month curves (add_months), the cohort's check dates and the schools' retention
    checks (district.cohorts.retention_dates) agree."""
    dates = Cohort(cohort)
    survey = dates.survey_on
    checks = retention_dates(survey)
    assert survey == D(cohort + 1, 4, 1)
    assert (checks.six_months, checks.twelve_months) == (D(cohort + 1, 10, 1), D(cohort + 2, 4, 1))
    assert (dates.six_month_check_on, dates.twelve_month_check_on) == (
        checks.six_months,
        checks.twelve_months,
    )
    assert (kpis.add_months(survey, 6), kpis.add_months(survey, 12)) == (
        checks.six_months,
        checks.twelve_months,
    )


def test_the_dashboard_opens_on_the_latest_surveyed_cohort():
    assert Cohort.latest_surveyed(D(2026, 3, 31)).school_year == 2024  # surveyed 1 April 2025
    assert Cohort.latest_surveyed(D(2026, 4, 1)).school_year == 2025  # surveyed 1 April 2026
    assert kpis.add_months(D(2026, 4, 1), 12) == D(2027, 4, 1)
    assert kpis.add_months(D(2026, 11, 1), 3) == D(2027, 2, 1)


def _words(text) -> str:
    return " ".join(str(text).split())


def test_every_kpi_has_one_definition_in_its_docstring_and_in_the_docs():
    from pathlib import Path

    from django.utils import translation

    docs = _words(Path(__file__).resolve().parents[2].joinpath("docs", "kpis.md").read_text())
    assert kpis.KPIS
    # docs/kpis.md is in English, the msgids' language.
    with translation.override("en"):
        definitions = [(d.key, str(d.formula), d.docstring) for d in kpis.KPIS.values()]
    for key, formula_text, docstring in definitions:
        formula = _words(formula_text)
        assert formula in _words(docstring), key
        assert f"`{key}`" in docs, key
        assert formula in docs, key


def test_field_practice_participant_is_counted_once(world, data):
    FieldPractice.objects.create(
        student=data.s2, company=world.company_b, starts_on=D(2026, 3, 5), ends_on=D(2026, 3, 30),
        supervisor_name="이현장", safety_checked_on=D(2026, 3, 1), status="completed",
    )  # fmt: skip
    assert summary(world)["field_practice_participants"] == 1


def test_credit_program_degree_credits_are_the_kpi_constants():
    assert kpis.credits.DEGREE_CREDITS is DEGREE_CREDITS  # the credits KPI reads the one copy
    assert DEGREE_CREDITS == {
        CreditProgram.Degree.ASSOCIATE: 80,
        CreditProgram.Degree.BACHELOR: 140,
    }
