"""Dashboard activity for a district seeded at scale: applications, placements, credits, budget, training.

`seed_demo --students N --openings M --preferences K` builds students, openings and
preferences but no outcomes. `ensure_dashboard_activity` adds outcomes that match them,
so that every dashboard aggregate has realistic rows to count:

- about 72% of the cohort is placed, each at the first of their top three choices that
  still has a seat (never more placements than seats); most start before the 1 April
  survey, some after; some leave before the survey, before 1 October, or before the
  next 1 April;
- an application for each of a student's top three choices: hired where they were
  placed, otherwise a realistic spread of states;
- credit programmes at three universities, 8% of those placed enrolled, with credits;
- the year's budget lines with monthly expenditures, KPI targets;
- five teachers per school, training completions, and curriculum units, 40% of them
  co-developed with companies.

It does nothing when the district already has placements, and it runs in one
transaction with bulk inserts.
"""

from __future__ import annotations

import datetime
import random
import time

from django.db import connection, transaction

from companies.models import Company, Opening
from district.models import BudgetLine, District, Expenditure, KpiTarget, NcsUnit
from placements.models import Application, Placement, Preference
from schools.models import (
    CourseUnit,
    Department,
    School,
    Student,
    Teacher,
    TeacherTraining,
    TrainingCompletion,
)
from universities.models import CreditProgram, CreditRecord, ProgramEnrollment, University

D = datetime.date
BATCH = 5000
OTHER_STATES = (
    ("submitted", 15),
    ("reviewing", 10),
    ("interview", 10),
    ("rejected", 40),
    ("declined", 10),
    ("withdrawn", 15),
)


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def ensure_dashboard_activity(
    *, district: District, year: int, seed: int = 2026, log=print
) -> dict[str, int]:
    """Generate the outcomes described in the module docstring, unless the district has placements.

    1. Load the cohort, the openings' seats and companies, and the top three choices.
    2. Place students in choice order while seats remain; write placements and applications.
    3. Add universities, programmes, enrolments and credits; budget and targets; teachers,
       training and curriculum.
    4. ANALYZE the tables so that the planner sees the new rows.
    """
    if Placement.objects.filter(student__school__district=district).exists():
        return {}
    rng = random.Random(seed)
    started = time.monotonic()
    counts: dict[str, int] = {}
    with transaction.atomic():
        students = list(
            Student.objects.filter(school__district=district, cohort=year).values_list("id", flat=True)
        )
        openings = {
            pk: [company, seats]
            for pk, company, seats in Opening.objects.filter(company__district=district).values_list(
                "pk", "company_id", "seats"
            )
        }
        local = dict(
            Company.objects.filter(district=district).values_list("pk", "area__is_industrial_complex")
        )
        choices: dict[int, list[int]] = {}
        for student, opening in (
            Preference.objects.filter(student__school__district=district, rank__lte=3)
            .order_by("student_id", "rank")
            .values_list("student_id", "opening_id")
            .iterator(chunk_size=20_000)
        ):
            choices.setdefault(student, []).append(opening)
        log(f"  {len(students):,} students, {len(openings):,} openings, {len(choices):,} with choices")

        placements, applications = [], []
        survey = D(year, 4, 1)
        for student in students:
            placed_at = None
            if rng.random() < 0.72:
                for opening in choices.get(student, []):
                    if openings[opening][1] > 0:
                        openings[opening][1] -= 1
                        placed_at = opening
                        break
            for opening in choices.get(student, []):
                status = "hired" if opening == placed_at else rng.choices(*zip(*OTHER_STATES, strict=True))[0]
                applications.append(Application(student_id=student, opening_id=opening, status=status))
            if placed_at is None:
                continue
            company = openings[placed_at][0]
            starts = (
                _day(rng, D(year, 2, 16), D(year, 3, 31))
                if rng.random() < 0.8
                else _day(rng, D(year, 4, 2), D(year, 7, 31))
            )
            roll, ends = rng.random(), None
            if roll < 0.08 and starts < survey:
                ends = _day(rng, starts, D(year, 3, 31))
            elif roll < 0.20:
                ends = _day(rng, max(starts, D(year, 4, 2)), D(year, 9, 30))
            elif roll < 0.30:
                ends = _day(rng, max(starts, D(year, 10, 2)), D(year + 1, 3, 31))
            placements.append(
                Placement(
                    student_id=student,
                    company_id=company,
                    opening_id=placed_at,
                    starts_on=starts,
                    ends_on=ends,
                    status="ended" if ends else "active",
                    is_local=bool(local.get(company)) or rng.random() < 0.3,
                )
            )
        Placement.objects.bulk_create(placements, batch_size=BATCH)
        Application.objects.bulk_create(applications, batch_size=BATCH)
        counts.update(placements=len(placements), applications=len(applications))
        log(f"  {len(placements):,} placements, {len(applications):,} applications")

        counts.update(_credits(district, year, rng, [p.student_id for p in placements]))
        counts.update(_budget_and_targets(district, year, rng))
        counts.update(_teaching(district, year, rng))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (
                Placement,
                Application,
                ProgramEnrollment,
                CreditRecord,
                CourseUnit,
                TrainingCompletion,
            ):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    log(f"  generated in {time.monotonic() - started:.1f} s")
    return counts


def _credits(district, year, rng, placed: list[int]) -> dict[str, int]:
    universities = University.objects.bulk_create(
        University(district=district, name=f"합성 대학 {i}", kind=kind)
        for i, kind in enumerate(("four_year", "junior_college", "polytechnic"))
    )
    programs = CreditProgram.objects.bulk_create(
        CreditProgram(
            university=u,
            name=f"{u.name} 재직자 과정 {degree}",
            kind="special_admission",
            degree=degree,
            credits_required=80 if degree == "associate" else 140,
            schedule="evening",
        )
        for u in universities
        for degree in ("associate", "bachelor")
    )
    enrolments = ProgramEnrollment.objects.bulk_create(
        (
            ProgramEnrollment(
                program=rng.choice(programs),
                student_id=student,
                enrolled_on=_day(rng, D(year, 3, 2), D(year, 9, 1)),
            )
            for student in placed
            if rng.random() < 0.08
        ),
        batch_size=BATCH,
    )
    records = CreditRecord.objects.bulk_create(
        (
            CreditRecord(enrollment=e, year=year, term=term, credits=rng.randint(9, 21))
            for e in enrolments
            for term in ("1", "2")[: rng.randint(1, 2)]
        ),
        batch_size=BATCH,
    )
    return {"enrolments": len(enrolments), "credit records": len(records)}


def _budget_and_targets(district, year, rng) -> dict[str, int]:
    lines = [
        BudgetLine.objects.get_or_create(
            district=district, year=year, category=category, defaults={"planned_krw": 40_000_000}
        )[0]
        for category in BudgetLine.Category.values
    ]
    spent = Expenditure.objects.bulk_create(
        Expenditure(
            budget_line=line,
            spent_on=D(year, month, rng.randint(1, 28)),
            amount_krw=rng.randint(500_000, 3_000_000),
            description=f"{month}월 집행",
        )
        for line in lines
        for month in range(1, 13)
    )
    for indicator, target in (("employment_rate", 70), ("local_employment_rate", 60), ("retention_6m", 80)):
        KpiTarget.objects.get_or_create(
            district=district, year=year, indicator=indicator, defaults={"target": target}
        )
    return {"expenditures": len(spent)}


def _teaching(district, year, rng) -> dict[str, int]:
    schools = list(School.objects.filter(district=district).values_list("pk", flat=True))
    teachers = Teacher.objects.bulk_create(
        (Teacher(school_id=school, name=f"교사 {school}-{i}") for school in schools for i in range(5)),
        batch_size=BATCH,
    )
    trainings = TeacherTraining.objects.bulk_create(
        TeacherTraining(
            district=district,
            title=f"이차전지 연수 {i}",
            provider="합성 기업",
            hours=rng.choice((8, 16, 30, 40)),
            starts_on=D(year, 1 + i % 12, 3),
            ends_on=D(year, 1 + i % 12, 20),
        )
        for i in range(20)
    )
    completions = TrainingCompletion.objects.bulk_create(
        (
            TrainingCompletion(training=t, teacher=teacher, completed_on=t.ends_on, hours=t.hours)
            for teacher in teachers
            if rng.random() < 0.4
            for t in rng.sample(trainings, 2)
        ),
        batch_size=BATCH,
    )
    ncs, _created = NcsUnit.objects.get_or_create(
        code="1901020306_22v1", defaults={"name": "리튬이온전지 셀 조립", "level": 3}
    )
    departments = list(Department.objects.filter(school__district=district).values_list("pk", flat=True))
    units = CourseUnit.objects.bulk_create(
        (
            CourseUnit(
                department_id=dept, ncs_unit=ncs, title=f"전지 실무 {i}", hours=rng.choice((34, 51, 68))
            )
            for dept in departments
            for i in range(3)
        ),
        batch_size=BATCH,
    )
    companies = list(Company.objects.filter(district=district).values_list("pk", flat=True)[:200])
    through = CourseUnit.co_developers.through
    through.objects.bulk_create(
        (through(courseunit_id=u.pk, company_id=rng.choice(companies)) for u in units if rng.random() < 0.4),
        batch_size=BATCH,
    )
    return {
        "teachers": len(teachers),
        "training completions": len(completions),
        "curriculum units": len(units),
    }
