"""The builder of the synthetic district: areas, schools, companies, openings, students, their
certifications, preferences, field practice, agreements and the matching round, in bulk.

So that the benchmark exercises every component of the fit, each department teaches a
curriculum of NCS units (some of them the job roles' units, in grades 1 to 3, so the
final-year cohort has finished grades 1 and 2), and the schools have checked about two
thirds of the certifications their students hold.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
import random
import time

from django.utils import timezone

from companies.models import Agreement, Company, Opening
from demo.synthetic.params import (
    MAX_COMPANIES,
    MAX_SEATS,
    NAME,
    OPENINGS_PER_COMPANY,
    SLUG,
    STUDENTS_PER_SCHOOL,
    ScaleParams,
)
from demo.util import Progress, commute_minutes, demo_business_number, insert_rows, korean_name
from demo.vocabulary import JOB_ROLES, ROLE_SEGMENT_HINTS, Vocabulary, ensure_vocabulary
from district.cohorts import Cohort
from district.models import Area, CommuteTime, District
from placements.models import (
    MatchRound,
    Preference,
)
from schools.models import CourseUnit, Department, FieldPractice, School, Student, StudentCertification

# Share of the certifications held that the school has checked (number and date recorded).
VERIFIED_SHARE = 0.65
# NCS units in each department's curriculum: (from the job roles of its segment, others).
CURRICULUM_UNITS = (4, 2)


class Builder:
    """Builds the synthetic district in one pass; `timings` records each step's seconds."""

    def __init__(
        self, params: ScaleParams, *, progress_stream, show_progress: bool, slug: str = SLUG, name: str = NAME
    ):
        self.p = params
        self.slug, self.name = slug, name
        self.vocab: Vocabulary | None = None
        # Another slug (the national benchmark's districts) draws its own data; `synthetic` keeps its seed.
        prefix = "synthetic" if slug == SLUG else f"synthetic:{slug}"
        self.rng = random.Random(f"{prefix}:{params.students}:{params.openings}:{params.preferences}")
        self.today = timezone.localdate()
        self.now = timezone.now()
        # The cohort in its final year today (school year; it graduates the next February).
        self.cohort = Cohort.in_final_year_on(self.today).school_year
        self.stream = progress_stream
        self.show = show_progress
        self.timings: dict[str, float] = {}

    def _progress(self, label: str, total: int) -> Progress:
        return Progress(label, total, stream=self.stream, enabled=self.show)

    def _timed(self, label: str, started: float) -> None:
        self.timings[label] = round(time.monotonic() - started, 2)

    def build(self) -> District:
        t = time.monotonic()
        self.district = District.objects.create(
            slug=self.slug,
            name=self.name,
            region="합성 데이터(벤치마크용)",
            industry_focus="이차전지",
            program_start_year=self.cohort,
            program_end_year=self.cohort,
            annual_budget_krw=0,
            description=f"벤치마크용 가상 지구입니다. 실제 사람이나 기업이 아닙니다. {self.p.marker}",
        )
        self.vocab = ensure_vocabulary(self.district)
        self._areas()
        self._schools()
        self._companies()
        self._timed("organisations", t)
        t = time.monotonic()
        self._openings()
        self._timed("openings", t)
        t = time.monotonic()
        self._students()
        self._timed("students", t)
        t = time.monotonic()
        self._certifications()
        self._timed("certifications held", t)
        t = time.monotonic()
        self._preferences()
        self._timed("preferences", t)
        t = time.monotonic()
        self._field_practice_and_agreements()
        MatchRound.objects.create(
            district=self.district,
            cohort=self.cohort,
            title=f"{self.cohort}학년도 합성 매칭",
            preferences_close_at=self.now + datetime.timedelta(days=14),
        )
        self._timed("field practice, agreements, round", t)
        return self.district

    # --- organisations -----------------------------------------------------------------

    def _areas(self) -> None:
        rng = self.rng
        specs = [(f"home-{i:02d}", f"합성 주거지 {i:02d}", False) for i in range(1, 13)]
        specs += [(f"complex-{c}", f"합성 산업단지 {c}", True) for c in "ABCD"]
        self.areas = Area.objects.bulk_create(
            [Area(district=self.district, code=c, name=n, is_industrial_complex=ind) for c, n, ind in specs]
        )
        positions = [(rng.uniform(0, 30), rng.uniform(0, 30)) for _ in self.areas]
        CommuteTime.objects.bulk_create(
            [
                CommuteTime(origin=a, destination=b, minutes=commute_minutes(pa, pb))
                for a, pa in zip(self.areas, positions, strict=True)
                for b, pb in zip(self.areas, positions, strict=True)
            ]
        )
        self.homes = [a for a in self.areas if not a.is_industrial_complex]
        self.complexes = [a for a in self.areas if a.is_industrial_complex]

    def _schools(self) -> None:
        rng = self.rng
        count = max(1, math.ceil(self.p.students / STUDENTS_PER_SCHOOL))
        self.schools = School.objects.bulk_create(
            [
                School(
                    district=self.district,
                    name=f"합성 {i:04d} {'마이스터고' if i % 10 == 0 else '공업고'}",
                    kind=School.Kind.MEISTER if i % 10 == 0 else School.Kind.SPECIALISED,
                    area=rng.choice(self.homes),
                )
                for i in range(1, count + 1)
            ],
            batch_size=1000,
        )
        segments = list(self.vocab.segments.values())
        departments = []
        for school in self.schools:
            for segment in rng.sample(segments, 4):
                departments.append(
                    Department(
                        school=school,
                        name=f"이차전지 {segment.name}과",
                        segment=segment,
                        classes=2,
                        students_per_year=40,
                    )
                )
        self.departments = Department.objects.bulk_create(departments, batch_size=1000)
        self.departments_by_school: dict[int, list[Department]] = {}
        for dept in self.departments:
            self.departments_by_school.setdefault(dept.school_id, []).append(dept)
        self._curricula()

    def _curricula(self) -> None:
        """Each department teaches a few NCS units of its segment's job roles, and a few others."""
        rng = self.rng
        units = self.vocab.ncs_units
        code_of_segment = {segment.pk: code for code, segment in self.vocab.segments.items()}
        role_units: dict[str, set[str]] = {}
        for spec in JOB_ROLES:
            for code in ROLE_SEGMENT_HINTS.get(spec.name) or self.vocab.segments:
                role_units.setdefault(code, set()).update(spec.ncs)
        every = sorted(units)
        rows = []
        for dept in self.departments:
            own = sorted(role_units.get(code_of_segment.get(dept.segment_id), ()))
            chosen = rng.sample(own, min(CURRICULUM_UNITS[0], len(own)))
            others = [code for code in every if code not in chosen]
            chosen += rng.sample(others, min(CURRICULUM_UNITS[1], len(others)))
            for code in chosen:
                unit = units[code]
                rows.append(
                    CourseUnit(
                        department=dept,
                        ncs_unit=unit,
                        title=unit.name[:200],
                        hours=rng.choice((34, 51, 68)),
                        grade_year=rng.choice((1, 2, 2, 3)),
                    )
                )
        CourseUnit.objects.bulk_create(rows, batch_size=2000)

    def _companies(self) -> None:
        rng = self.rng
        count = min(MAX_COMPANIES, max(1, math.ceil(self.p.openings / OPENINGS_PER_COMPANY)))
        segment_codes = list(self.vocab.segments)
        seg_weights = [4 if code in ("cathode", "precursor", "recycling") else 1 for code in segment_codes]
        self.companies = Company.objects.bulk_create(
            [
                Company(
                    district=self.district,
                    name=f"합성 기업 {i:05d}",
                    business_number=demo_business_number(900_000 + i),
                    segment=self.vocab.segments[rng.choices(segment_codes, seg_weights)[0]],
                    area=rng.choice(self.complexes) if rng.random() < 0.85 else rng.choice(self.homes),
                    verification=Company.Verification.VERIFIED,
                    verified_at=self.now,
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        # Part of an opening's popularity comes from its company (a well-known brand).
        self.company_pull = [rng.gauss(0, 0.9) for _ in self.companies]

    # --- openings ------------------------------------------------------------------------

    def _seat_counts(self) -> list[int]:
        rng = self.rng
        m = self.p.openings
        target = 1.1 * self.p.students
        raw = [rng.lognormvariate(0, 0.6) for _ in range(m)]
        scale = target / sum(raw)
        seats = [min(MAX_SEATS, max(1, round(r * scale))) for r in raw]
        # Nudge the total towards the target where the 1..200 bounds allow it.
        diff = round(target) - sum(seats)
        order = list(range(m))
        rng.shuffle(order)
        for i in itertools.cycle(order):
            if diff == 0:
                break
            if diff > 0 and seats[i] < MAX_SEATS:
                seats[i] += 1
                diff -= 1
            elif diff < 0 and seats[i] > 1:
                seats[i] -= 1
                diff += 1
            elif all(s == MAX_SEATS for s in seats) or all(s == 1 for s in seats):
                break
        return seats

    def _openings(self) -> None:
        rng = self.rng
        m = self.p.openings
        roles = list(self.vocab.job_roles.values())
        roles_by_segment: dict[int, list] = {}
        for role in roles:
            hint = ROLE_SEGMENT_HINTS.get(role.name)
            for code in hint or self.vocab.segments:
                roles_by_segment.setdefault(self.vocab.segments[code].pk, []).append(role)
        seats = self._seat_counts()
        shifts = list(Opening.Shift.values)
        premium = {"day": 0, "two_shifts": 150_000, "three_shifts": 300_000, "four_crews_two_shifts": 400_000}
        now = self.now
        company_of: list[int] = []
        weights: list[float] = []
        rows = []
        for i in range(m):
            ci = i % len(self.companies)
            company = self.companies[ci]
            role = rng.choice(roles_by_segment.get(company.segment_id) or roles)
            shift = rng.choice(shifts)
            apply_by = self.today + datetime.timedelta(days=rng.randint(14, 60))
            rows.append(
                (
                    company.pk,
                    role.pk,
                    f"합성 공고 {i + 1:06d} · {role.name}",
                    "",
                    seats[i],
                    company.area_id,
                    shift,
                    (role.typical_monthly_salary_krw or 2_500_000)
                    + premium[shift]
                    + rng.randrange(0, 300_000, 10_000),
                    Opening.EmploymentType.PERMANENT
                    if rng.random() < 0.9
                    else Opening.EmploymentType.WORK_STUDY,
                    apply_by + datetime.timedelta(days=rng.randint(30, 120)),
                    apply_by,
                    Opening.Status.PUBLISHED,
                    "",
                    now,
                    now,
                    now,
                    now,
                )
            )
            company_of.append(ci)
            weights.append(math.exp(self.company_pull[ci] + rng.gauss(0, 0.8)))
        progress = self._progress("openings", m)
        insert_rows(
            Opening,
            (
                "company_id",
                "job_role_id",
                "title",
                "description",
                "seats",
                "work_area_id",
                "shift_pattern",
                "monthly_salary_krw",
                "employment_type",
                "starts_on",
                "apply_by",
                "status",
                "rejection_reason",
                "reviewed_at",
                "published_at",
                "created_at",
                "updated_at",
            ),
            rows,
            progress=progress,
        )
        progress.close()
        ids = dict(Opening.objects.filter(company__district=self.district).values_list("title", "id"))
        self.opening_ids = [ids[row[2]] for row in rows]
        self.opening_weights = weights
        self.opening_segment = [self.companies[ci].segment_id for ci in company_of]

        certs = list(self.vocab.certifications.values())
        required = [(oid, rng.choice(certs).pk) for oid in self.opening_ids if rng.random() < 0.3]
        insert_rows(Opening.required_certifications.through, ("opening_id", "certification_id"), required)
        preferred = []
        for oid in self.opening_ids:
            if rng.random() < 0.4:
                for dept in rng.sample(self.departments, min(len(self.departments), rng.randint(1, 2))):
                    preferred.append((oid, dept.pk))
        insert_rows(Opening.preferred_departments.through, ("opening_id", "department_id"), preferred)

    # --- students --------------------------------------------------------------------------

    def _students(self) -> None:
        rng = self.rng
        n = self.p.students
        now = self.now
        born_from = datetime.date(self.cohort - 18, 1, 1)
        segment_ids = [s.pk for s in self.vocab.segments.values()]
        self.student_numbers: list[str] = []
        self.student_dept: list[Department] = []

        def rows():
            for i in range(n):
                school = self.schools[i % len(self.schools)]
                dept = rng.choice(self.departments_by_school[school.pk])
                number = f"{self.cohort}{i + 1:07d}"
                self.student_numbers.append(number)
                self.student_dept.append(dept)
                area = school.area if rng.random() < 0.5 else rng.choice(self.homes)
                interest = dept.segment_id if rng.random() < 0.7 else rng.choice(segment_ids)
                yield (
                    school.pk,
                    dept.pk,
                    number,
                    korean_name(rng, female=rng.random() < 0.2),
                    born_from + datetime.timedelta(days=rng.randrange(365)),
                    self.cohort,
                    Student.Status.ENROLLED,
                    area.pk,
                    interest,
                    "",
                    "",
                    now,
                    now,
                )

        progress = self._progress("students", n)
        insert_rows(
            Student,
            (
                "school_id",
                "department_id",
                "student_number",
                "name",
                "birth_date",
                "cohort",
                "status",
                "commute_area_id",
                "field_of_interest_id",
                "email",
                "phone",
                "created_at",
                "updated_at",
            ),
            rows(),
            progress=progress,
        )
        progress.close()
        ids = dict(Student.objects.filter(school__district=self.district).values_list("student_number", "id"))
        self.student_ids = [ids[number] for number in self.student_numbers]

    def _certifications(self) -> None:
        rng = self.rng
        certs = [c.pk for c in self.vocab.certifications.values()]
        counts = (0, 1, 1, 2, 2, 3)
        start = datetime.date(self.cohort - 1, 3, 1)

        now = self.now

        def row(sid: int, cert: int) -> tuple:
            acquired = start + datetime.timedelta(days=rng.randrange(540))
            if rng.random() < VERIFIED_SHARE:
                return (sid, cert, acquired, f"{acquired.year % 100:02d}-{sid:09d}-{cert}", now)
            return (sid, cert, acquired, "", None)

        rows = [row(sid, cert) for sid in self.student_ids for cert in rng.sample(certs, rng.choice(counts))]
        progress = self._progress("certifications", len(rows))
        insert_rows(
            StudentCertification,
            ("student_id", "certification_id", "acquired_on", "number", "verified_at"),
            rows,
            progress=progress,
        )
        progress.close()

    def _preferences(self) -> None:
        k = self.p.preferences
        n = len(self.student_ids)
        if k == 0:
            return
        rng = self.rng
        rand = rng.random
        m = len(self.opening_ids)
        weights = self.opening_weights
        everyone = list(range(m))
        global_cum = list(itertools.accumulate(weights))
        pools: dict[int, tuple[list[int], list[float]]] = {}
        for j, seg in enumerate(self.opening_segment):
            pools.setdefault(seg, ([], []))[0].append(j)
        for _seg, (members, cum) in pools.items():
            cum.extend(itertools.accumulate(weights[j] for j in members))
        dense = k * 2 > m  # rejection sampling would struggle: draw a weighted permutation instead
        now = self.now
        opening_ids = self.opening_ids

        def weighted_order(candidates: list[int], count: int) -> list[int]:
            keyed = sorted(candidates, key=lambda j: rand() ** (1.0 / weights[j]), reverse=True)
            return keyed[:count]

        def rows():
            for s, sid in enumerate(self.student_ids):
                if dense:
                    picked = weighted_order(everyone, k)
                else:
                    members, cum = pools.get(self.student_dept[s].segment_id, ((), ()))
                    use_own = len(members) >= 3 * k
                    seen: set[int] = set()
                    picked = []
                    attempts = 0
                    while len(picked) < k and attempts < 40 * k:
                        attempts += 1
                        if use_own and rand() < 0.5:
                            j = members[bisect.bisect(cum, rand() * cum[-1])]
                        else:
                            j = bisect.bisect(global_cum, rand() * global_cum[-1])
                        if j >= m or j in seen:
                            continue
                        seen.add(j)
                        picked.append(j)
                    if len(picked) < k:
                        rest = [j for j in everyone if j not in seen]
                        picked += weighted_order(rest, k - len(picked))
                for rank, j in enumerate(picked, start=1):
                    yield (sid, opening_ids[j], rank, now)

        progress = self._progress("preferences", n * k)
        insert_rows(
            Preference,
            ("student_id", "opening_id", "rank", "updated_at"),
            rows(),
            progress=progress,
            batch_size=20_000,
        )
        progress.close()

    def _field_practice_and_agreements(self) -> None:
        rng = self.rng
        now = self.now
        start = datetime.date(self.cohort, 7, 6)
        end = datetime.date(self.cohort, 8, 28)
        # The final year's summer practice: completed once it is over, planned before.
        done = end < self.today
        status = FieldPractice.Status.COMPLETED if done else FieldPractice.Status.PLANNED
        rows = []
        for sid in self.student_ids:
            if rng.random() < 0.05:
                company = rng.choice(self.companies)
                rows.append(
                    (
                        sid,
                        company.pk,
                        start,
                        end,
                        korean_name(rng, female=False),
                        start - datetime.timedelta(days=14) if done else None,
                        FieldPractice.ConsentMethod.WRITTEN if done else "",
                        start - datetime.timedelta(days=7) if done else None,
                        status,
                        now,
                    )
                )
        insert_rows(
            FieldPractice,
            (
                "student_id",
                "company_id",
                "starts_on",
                "ends_on",
                "supervisor_name",
                "guardian_consent_on",
                "guardian_consent_method",
                "safety_checked_on",
                "status",
                "created_at",
            ),
            rows,
        )
        agreements = []
        for i, company in enumerate(self.companies):
            if rng.random() < 0.1:
                school = rng.choice(self.schools) if rng.random() < 0.5 else None
                agreements.append(
                    Agreement(
                        company=company,
                        district=self.district,
                        school=school,
                        title=f"합성 채용 협약 {i:05d}",
                        signed_on=datetime.date(self.cohort, 3, 2),
                        valid_from=datetime.date(self.cohort, 3, 2),
                        valid_until=datetime.date(self.cohort + 2, 12, 31),
                        pledged_hires_per_year=rng.randint(1, 10),
                        priority=rng.randint(1, 10),
                    )
                )
        Agreement.objects.bulk_create(agreements, batch_size=2000)
