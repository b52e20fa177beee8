"""Load the Pohang demo district: real names, made-up people and numbers, idempotent.

Every row is found by its natural key (a slug, a code, a name within its parent, a
student number within a school) and created or updated, so a second run changes no
row counts. Rows that people create while trying the demo (preferences, applications,
placements) are only created for students who have none yet, so a re-run never undoes
a demo session's work on them. Synthetic students come from a fixed random seed, so
every run builds the same roster.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from companies.models import Agreement, Company, Opening
from district.demo import pohang_data as P
from district.demo.accounts import AccountResult, ensure_demo_users, ensure_memberships
from district.demo.util import commute_minutes, demo_business_number, korean_name
from district.demo.vocabulary import SEGMENTS, Vocabulary, ensure_vocabulary
from district.models import (
    Area,
    BudgetLine,
    CommuteTime,
    District,
    Expenditure,
    KpiTarget,
    Membership,
    User,
)
from placements.models import Application, ApplicationEvent, MatchRound, Pathway, Placement, Preference
from schools.models import (
    CourseUnit,
    Department,
    FieldPractice,
    School,
    Student,
    StudentCertification,
    Teacher,
    TeacherTraining,
    TrainingCompletion,
    guardian_consent_message,
)
from universities.models import CreditProgram, CreditRecord, ProgramEnrollment, University

R = Membership.Role
AS = Application.Status


def _rng(purpose: str) -> random.Random:
    """One independent, fixed random stream per purpose, so adding one never shifts another."""
    return random.Random(f"{P.SEED}:{purpose}")


def _aware(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass
class PohangReport:
    district: District
    counts: dict[str, int]
    accounts: list[AccountResult] = field(default_factory=list)


@dataclass
class _World:
    """What the later steps need from the earlier ones."""

    district: District
    vocab: Vocabulary
    users: dict[str, User]
    today: datetime.date
    now: datetime.datetime
    areas: dict[str, Area] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    schools: dict[str, School] = field(default_factory=dict)
    departments: dict[tuple[str, str], Department] = field(default_factory=dict)
    universities: dict[str, University] = field(default_factory=dict)
    programs: dict[tuple[str, str], CreditProgram] = field(default_factory=dict)
    openings: dict[tuple[str, str], Opening] = field(default_factory=dict)
    students: dict[tuple[str, str], Student] = field(default_factory=dict)
    plans: list[_StudentPlan] = field(default_factory=list)


def seed_pohang(*, reset_passwords: bool = False) -> PohangReport:
    """Create or refresh the Pohang demo district in one transaction."""
    with transaction.atomic():
        vocab = ensure_vocabulary()
        district, _ = District.objects.update_or_create(
            slug=P.DISTRICT["slug"], defaults={k: v for k, v in P.DISTRICT.items() if k != "slug"}
        )
        users, passwords = ensure_demo_users(reset_passwords=reset_passwords)
        w = _World(district, vocab, users, timezone.localdate(), timezone.now())

        _areas(w)
        _companies(w)
        _schools(w)
        _universities(w)
        _agreements(w)
        _openings(w)
        _pathways(w)
        _budget(w)
        _teachers(w)
        _students(w)
        demo_student = _demo_student(w)
        labels = ensure_memberships(
            district=district,
            users=users,
            school=w.schools[P.HEUNGHAE],
            company=w.companies[P.ECOPRO_BM],
            university=w.universities[P.POHANG_UNI],
        )
        _placements_2025(w)
        _field_practices(w, demo_student)
        _applications_2026(w, demo_student)
        _match_round(w, demo_student)

        accounts = [
            AccountResult(
                username=users[role].username,
                role=role,
                organisation=labels[role],
                password=passwords[role][0],
                created=passwords[role][1],
            )
            for role in users
        ]
        return PohangReport(district=district, counts=district_counts(district), accounts=accounts)


def district_counts(district: District) -> dict[str, int]:
    """Row counts of the district's main records, for the command's summary."""
    students = Student.objects.filter(school__district=district)
    return {
        "areas": Area.objects.filter(district=district).count(),
        "commute times": CommuteTime.objects.filter(origin__district=district).count(),
        "schools": School.objects.filter(district=district).count(),
        "departments": Department.objects.filter(school__district=district).count(),
        "curriculum units": CourseUnit.objects.filter(department__school__district=district).count(),
        "students": students.count(),
        "certifications held": StudentCertification.objects.filter(student__in=students).count(),
        "companies": Company.objects.filter(district=district).count(),
        "agreements": Agreement.objects.filter(district=district).count(),
        "openings": Opening.objects.filter(company__district=district).count(),
        "published openings": Opening.objects.filter(
            company__district=district, status=Opening.Status.PUBLISHED
        ).count(),
        "universities": University.objects.filter(district=district).count(),
        "credit programmes": CreditProgram.objects.filter(university__district=district).count(),
        "pathways": Pathway.objects.filter(district=district).count(),
        "applications": Application.objects.filter(student__in=students).count(),
        "placements": Placement.objects.filter(student__in=students).count(),
        "field practices": FieldPractice.objects.filter(student__in=students).count(),
        "preferences": Preference.objects.filter(student__in=students).count(),
        "budget lines": BudgetLine.objects.filter(district=district).count(),
        "expenditures": Expenditure.objects.filter(budget_line__district=district).count(),
    }


# --- places --------------------------------------------------------------------------------


def _areas(w: _World) -> None:
    for code, name, industrial, _pos in P.AREAS:
        w.areas[code], _ = Area.objects.update_or_create(
            district=w.district, code=code, defaults={"name": name, "is_industrial_complex": industrial}
        )
    wanted = {}
    for a_code, _n, _i, a_pos in P.AREAS:
        for b_code, _n2, _i2, b_pos in P.AREAS:
            wanted[(w.areas[a_code].pk, w.areas[b_code].pk)] = commute_minutes(a_pos, b_pos)
    existing = {
        (c.origin_id, c.destination_id): c
        for c in CommuteTime.objects.filter(origin__district=w.district, destination__district=w.district)
    }
    CommuteTime.objects.bulk_create(
        [
            CommuteTime(origin_id=o, destination_id=d, minutes=m)
            for (o, d), m in wanted.items()
            if (o, d) not in existing
        ]
    )
    changed = []
    for key, row in existing.items():
        if key in wanted and row.minutes != wanted[key]:
            row.minutes = wanted[key]
            changed.append(row)
    CommuteTime.objects.bulk_update(changed, ["minutes"])


# --- organisations -------------------------------------------------------------------------


def _companies(w: _World) -> None:
    verified_at = _aware(datetime.date(2025, 3, 10))
    official = w.users[R.OFFICIAL]
    for spec in P.COMPANIES:
        verification = Company.Verification.VERIFIED if spec.verified else Company.Verification.PENDING
        w.companies[spec.name], _ = Company.objects.update_or_create(
            district=w.district,
            name=spec.name,
            defaults={
                "business_number": demo_business_number(spec.number),
                "segment": w.vocab.segments[spec.segment],
                "area": w.areas[spec.area],
                "is_local": True,
                "description": spec.description,
                "website": spec.website,
                "verification": verification,
                "verified_by": official if spec.verified else None,
                "verified_at": verified_at if spec.verified else None,
                "rejection_reason": "",
            },
        )


def _schools(w: _World) -> None:
    for spec in P.SCHOOLS:
        school, _ = School.objects.update_or_create(
            district=w.district,
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "area": w.areas[spec.area],
                "is_agreement_type": spec.agreement_type,
                "is_hub": spec.hub,
                "description": spec.description,
            },
        )
        w.schools[spec.name] = school
        for dept in spec.departments:
            replaced = w.departments[(spec.name, dept.replaces)] if dept.replaces else None
            department, _ = Department.objects.update_or_create(
                school=school,
                name=dept.name,
                defaults={
                    "segment": w.vocab.segments[dept.segment] if dept.segment else None,
                    "classes": dept.classes,
                    "students_per_year": dept.students_per_year,
                    "established_year": dept.established,
                    "replaced": replaced,
                    "reorganised_year": dept.reorganised_year if replaced else None,
                    "is_active": dept.active,
                },
            )
            w.departments[(spec.name, dept.name)] = department
            for course in dept.courses:
                unit, _ = CourseUnit.objects.update_or_create(
                    department=department,
                    title=course.title,
                    defaults={
                        "ncs_unit": w.vocab.ncs_units[course.ncs],
                        "hours": course.hours,
                        "grade_year": course.grade_year,
                    },
                )
                unit.co_developers.set([w.companies[c] for c in course.co_developers])
                unit.certifications.set([w.vocab.certifications[c] for c in course.certifications])


def _universities(w: _World) -> None:
    for name, kind, area, website in P.UNIVERSITIES:
        w.universities[name], _ = University.objects.update_or_create(
            district=w.district, name=name, defaults={"kind": kind, "area": w.areas[area], "website": website}
        )
    for spec in P.PROGRAMS:
        program, _ = CreditProgram.objects.update_or_create(
            university=w.universities[spec.university],
            name=spec.name,
            defaults={
                "department_name": spec.department,
                "kind": spec.kind,
                "degree": spec.degree,
                "credits_required": spec.credits,
                "schedule": spec.schedule,
                "min_months_employed": spec.min_months,
                "description": spec.description,
                "eligibility": spec.eligibility,
                "is_active": True,
            },
        )
        program.partner_companies.set([w.companies[c] for c in spec.partners])
        w.programs[(spec.university, spec.name)] = program


def _agreements(w: _World) -> None:
    for spec in P.AGREEMENTS:
        Agreement.objects.update_or_create(
            district=w.district,
            company=w.companies[spec.company],
            title=spec.title,
            defaults={
                "school": w.schools[spec.school] if spec.school else None,
                "signed_on": spec.signed_on,
                "valid_from": spec.signed_on,
                "valid_until": datetime.date(2027, 12, 31),
                "pledged_hires_per_year": spec.pledged,
                "priority": spec.priority,
            },
        )


_SHIFT_TEXT = {
    Opening.Shift.DAY: "주간 근무(09:00~18:00)",
    Opening.Shift.TWO_SHIFTS: "2교대 근무",
    Opening.Shift.THREE_SHIFTS: "3교대 근무",
    Opening.Shift.FOUR_CREWS_TWO_SHIFTS: "4조 2교대 근무(12시간, 2일 근무 2일 휴무)",
}


_PERKS = "기숙사 또는 통근 버스를 지원합니다."


def _openings(w: _World) -> None:
    OS = Opening.Status
    official = w.users[R.OFFICIAL]
    recruiter = w.users[R.COMPANY_RECRUITER]
    published_index = 0
    for spec in P.OPENINGS:
        company = w.companies[spec.company]
        role = w.vocab.job_roles[spec.role]
        salary = role.typical_monthly_salary_krw + P.SHIFT_PREMIUM[spec.shift]
        if spec.company in (P.POSCO_FM, P.ECOPRO_BM):
            salary += 150_000
        if spec.employment == Opening.EmploymentType.FIXED_TERM:
            salary -= 100_000
        if spec.status == OS.CLOSED:
            apply_by, starts_on = spec.apply_by, spec.starts_on
            published_at = _aware(datetime.date(2025, 10, 13))
        elif spec.status == OS.PUBLISHED:
            i = published_index
            published_index += 1
            apply_by = w.today + datetime.timedelta(days=10 + (i * 7) % 36)
            starts_on = apply_by + datetime.timedelta(days=45 + (i % 3) * 15)
            published_at = _aware(w.today - datetime.timedelta(days=3 + i % 20))
        else:
            apply_by = w.today + datetime.timedelta(days=30)
            starts_on = w.today + datetime.timedelta(days=120)
            published_at = None
        reviewed = spec.status in (OS.PUBLISHED, OS.CLOSED, OS.REJECTED)
        opening, _ = Opening.objects.update_or_create(
            company=company,
            title=spec.title,
            defaults={
                "job_role": role,
                "description": f"{role.description}\n{_SHIFT_TEXT[spec.shift]}. {_PERKS}",
                "seats": spec.seats,
                "work_area": company.area,
                "shift_pattern": spec.shift,
                "monthly_salary_krw": salary,
                "employment_type": spec.employment,
                "starts_on": starts_on,
                "apply_by": apply_by,
                "status": spec.status,
                "rejection_reason": spec.rejection_reason,
                "created_by": recruiter if spec.company == P.ECOPRO_BM else None,
                "reviewed_by": official if reviewed else None,
                "reviewed_at": (published_at or w.now) if reviewed else None,
                "published_at": published_at,
            },
        )
        certs = P.ROLE_CERTS.get(spec.role, ()) + spec.extra_certs
        opening.required_certifications.set([w.vocab.certifications[c] for c in certs])
        opening.preferred_departments.set([w.departments[d] for d in P.ROLE_DEPARTMENTS.get(spec.role, ())])
        w.openings[(spec.company, spec.title)] = opening


def _pathways(w: _World) -> None:
    for spec in P.PATHWAYS:
        pathway, _ = Pathway.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "district": w.district,
                "title": spec.title,
                "summary": spec.summary,
                "department": w.departments[(spec.school, spec.department)],
                "segment": w.vocab.segments[spec.segment],
                "is_published": True,
            },
        )
        pathway.job_roles.set([w.vocab.job_roles[r] for r in spec.roles])
        pathway.certifications.set([w.vocab.certifications[c] for c in spec.certifications])
        pathway.practice_companies.set([w.companies[c] for c in spec.companies])
        pathway.credit_programs.set([w.programs[p] for p in spec.programs])


def _budget(w: _World) -> None:
    lines = {}
    for year, amounts in P.BUDGET.items():
        for category, planned in amounts.items():
            lines[(year, category)], _ = BudgetLine.objects.update_or_create(
                district=w.district,
                year=year,
                category=category,
                defaults={"planned_krw": planned, "description": P.BUDGET_DESCRIPTIONS[category]},
            )
    for year, category, day, amount, description in P.EXPENDITURES:
        Expenditure.objects.update_or_create(
            budget_line=lines[(year, category)],
            spent_on=day,
            description=description,
            defaults={"amount_krw": amount, "recorded_by": w.users[R.OFFICIAL]},
        )
    years = range(P.DISTRICT["program_start_year"], P.DISTRICT["program_end_year"] + 1)
    for indicator, targets in P.KPI_TARGETS.items():
        for year, target in zip(years, targets, strict=True):
            KpiTarget.objects.update_or_create(
                district=w.district, year=year, indicator=indicator, defaults={"target": target}
            )


def _teachers(w: _World) -> None:
    sizes = {P.HEUNGHAE: 5, P.POSCO_TECH: 4}
    teachers: dict[str, list[Teacher]] = {}
    for spec in P.SCHOOLS:
        rng = _rng(f"teachers:{spec.name}")
        names: list[str] = []
        while len(names) < sizes.get(spec.name, 2):
            name = korean_name(rng, female=rng.random() < 0.4)
            if name not in names:
                names.append(name)
        school = w.schools[spec.name]
        teachers[spec.name] = []
        for i, name in enumerate(names):
            teacher, _ = Teacher.objects.get_or_create(
                school=school,
                name=name,
                defaults={"subject": P.TEACHER_SUBJECTS[i % len(P.TEACHER_SUBJECTS)]},
            )
            teachers[spec.name].append(teacher)
    for spec in P.TRAININGS:
        training, _ = TeacherTraining.objects.update_or_create(
            district=w.district,
            title=spec.title,
            defaults={
                "provider": spec.provider,
                "hours": spec.hours,
                "starts_on": spec.starts_on,
                "ends_on": spec.ends_on,
            },
        )
        training.co_hosts.set([w.companies[c] for c in spec.co_hosts])
        for school in spec.schools:
            for teacher in teachers[school][:3]:
                TrainingCompletion.objects.get_or_create(
                    training=training,
                    teacher=teacher,
                    defaults={"completed_on": spec.ends_on, "hours": spec.hours},
                )


# --- students -------------------------------------------------------------------------------


@dataclass
class _StudentPlan:
    school: str
    department: str
    number: str
    name: str
    birth_date: datetime.date
    cohort: int
    status: str
    commute_area: str
    interest: str
    certifications: list[tuple[str, datetime.date]]

    @property
    def key(self) -> tuple[str, str]:
        return (self.school, self.number)


_RESIDENTIAL = [code for code, _n, industrial, _p in P.AREAS if not industrial]
_CERT_COUNTS = {2025: (0, 1, 1, 2, 2, 3), 2026: (0, 1, 1, 2, 2), 2027: (0, 0, 1, 1)}
_CERT_WINDOWS = {
    2025: (datetime.date(2024, 3, 1), datetime.date(2025, 11, 30)),
    2026: (datetime.date(2025, 3, 1), datetime.date(2026, 10, 31)),
    2027: (datetime.date(2025, 9, 1), datetime.date(2026, 10, 31)),
}


def student_plans() -> list[_StudentPlan]:
    """The demo roster, the same on every run: about 600 students in three cohorts."""
    rng = _rng("students")
    segment_codes = [code for code, _name in SEGMENTS]
    plans = []
    for school in P.SCHOOLS:
        for dept_no, dept in enumerate(school.departments, start=1):
            for cohort in dept.cohorts:
                for seq in range(1, dept.sample + 1):
                    female = rng.random() < school.female_share
                    name = korean_name(rng, female=female)
                    born = datetime.date(cohort - 18, 1, 1) + datetime.timedelta(days=rng.randrange(365))
                    if cohort < P.MATCH_ROUND_COHORT:
                        status = Student.Status.GRADUATED
                    else:
                        status = Student.Status.LEFT if rng.random() < 0.01 else Student.Status.ENROLLED
                    commute = school.area if rng.random() < 0.5 else rng.choice(_RESIDENTIAL)
                    interest = (
                        dept.segment if dept.segment and rng.random() < 0.7 else rng.choice(segment_codes)
                    )
                    how_many = min(rng.choice(_CERT_COUNTS[cohort]), len(dept.certifications))
                    start, end = _CERT_WINDOWS[cohort]
                    certs = [
                        (c, start + datetime.timedelta(days=rng.randrange((end - start).days)))
                        for c in rng.sample(dept.certifications, how_many)
                    ]
                    plans.append(
                        _StudentPlan(
                            school=school.name,
                            department=dept.name,
                            number=f"{cohort - 2}{dept_no:02d}{seq:03d}",
                            name=name,
                            birth_date=born,
                            cohort=cohort,
                            status=status,
                            commute_area=commute,
                            interest=interest,
                            certifications=certs,
                        )
                    )
    return plans


def _students(w: _World) -> None:
    w.plans = student_plans()
    existing = set(
        Student.objects.filter(school__district=w.district).values_list("school__name", "student_number")
    )
    Student.objects.bulk_create(
        [
            Student(
                school=w.schools[p.school],
                department=w.departments[(p.school, p.department)],
                student_number=p.number,
                name=p.name,
                birth_date=p.birth_date,
                graduation_year=p.cohort,
                status=p.status,
                commute_area=w.areas[p.commute_area],
                field_of_interest=w.vocab.segments[p.interest],
            )
            for p in w.plans
            if p.key not in existing
        ],
        batch_size=500,
    )
    w.students = {
        (s.school.name, s.student_number): s
        for s in Student.objects.filter(school__district=w.district).select_related("school")
    }
    held = set(
        StudentCertification.objects.filter(student__school__district=w.district).values_list(
            "student_id", "certification_id"
        )
    )
    new = []
    for p in w.plans:
        student = w.students[p.key]
        for cert_name, day in p.certifications:
            cert = w.vocab.certifications[cert_name]
            if (student.pk, cert.pk) not in held:
                new.append(StudentCertification(student=student, certification=cert, acquired_on=day))
    StudentCertification.objects.bulk_create(new, batch_size=500)


def _demo_student(w: _World) -> Student:
    """The demo student account belongs to the first 이차전지 시스템제어과 student of the 2026 cohort."""
    plan = next(
        p
        for p in w.plans
        if p.school == P.HEUNGHAE
        and p.department == "이차전지 시스템제어과"
        and p.cohort == P.MATCH_ROUND_COHORT
        and p.status == Student.Status.ENROLLED
    )
    student = w.students[plan.key]
    user = w.users[R.STUDENT]
    Student.objects.filter(user=user).exclude(pk=student.pk).update(user=None)
    if student.needs_guardian_consent():
        # PIPA art. 22-2: no account for a child under 14 without a guardian's consent, demo or not.
        raise ValidationError(guardian_consent_message(student))
    if student.user_id != user.pk:
        student.user = user
        student.email = user.email
        student.save(update_fields=["user", "email", "updated_at"])
    if user.name != student.name:
        user.name = student.name
        user.save(update_fields=["name"])
    return student


# --- hiring and the rest of the pathway ------------------------------------------------------

_HIRE_EVENTS = (
    ("", AS.SUBMITTED, datetime.date(2025, 11, 3)),
    (AS.SUBMITTED, AS.REVIEWING, datetime.date(2025, 11, 17)),
    (AS.REVIEWING, AS.INTERVIEW, datetime.date(2025, 11, 24)),
    (AS.INTERVIEW, AS.OFFERED, datetime.date(2025, 12, 1)),
    (AS.OFFERED, AS.ACCEPTED, datetime.date(2025, 12, 3)),
    (AS.ACCEPTED, AS.HIRED, datetime.date(2026, 1, 5)),
)
_LEAVE_REASONS = ("교대 근무 적응이 어려움", "다른 지역으로 이직", "진학 준비", "개인 사정")


def _suits(plan: _StudentPlan, role: str) -> bool:
    return (plan.school, plan.department) in P.ROLE_DEPARTMENTS.get(role, ())


def _placements_2025(w: _World) -> None:
    """The 2025 cohort graduated in February 2026; about half work at partner companies."""
    rng = _rng("placements")
    graduates = [p for p in w.plans if p.cohort == 2025]
    closed = [s for s in P.OPENINGS if s.status == Opening.Status.CLOSED]
    free = {(s.company, s.title): s.seats for s in closed}
    verified = [c.name for c in P.COMPANIES if c.verified]
    already = set(
        Placement.objects.filter(student__school__district=w.district).values_list("student_id", flat=True)
    )
    hired_apps: list[Application] = []
    for plan in graduates:
        draw, pick, left_draw, days = rng.random(), rng.random(), rng.random(), rng.randrange(30, 170)
        reason = rng.choice(_LEAVE_REASONS)
        student = w.students[plan.key]
        opening_spec = None
        if draw < 0.38:
            options = [s for s in closed if free[(s.company, s.title)] > 0]
            suited = [s for s in options if _suits(plan, s.role)] or options
            if suited:
                opening_spec = suited[int(pick * len(suited))]
                free[(opening_spec.company, opening_spec.title)] -= 1
        elif draw >= 0.58:
            continue
        if student.pk in already:
            continue
        if opening_spec is not None:
            company = w.companies[opening_spec.company]
            opening = w.openings[(opening_spec.company, opening_spec.title)]
            starts_on = opening.starts_on
        else:
            company = w.companies[verified[int(pick * len(verified))]]
            opening = None
            starts_on = datetime.date(2026, 3, 2)
        application = None
        if opening is not None:
            application = Application.objects.create(student=student, opening=opening, status=AS.HIRED)
            hired_apps.append(application)
        check_6m = starts_on + datetime.timedelta(days=183)
        left = left_draw < 0.12
        placement = Placement(
            student=student,
            company=company,
            opening=opening,
            application=application,
            starts_on=starts_on,
            is_local=company.is_local,
        )
        if left:
            placement.status = Placement.Status.ENDED
            placement.ends_on = starts_on + datetime.timedelta(days=days)
            placement.end_reason = reason
        if check_6m <= w.today:
            placement.retention_6m = Placement.Retention.LEFT if left else Placement.Retention.EMPLOYED
            placement.retention_6m_checked_on = check_6m
        check_12m = starts_on + datetime.timedelta(days=365)
        if check_12m <= w.today:
            placement.retention_12m = Placement.Retention.LEFT if left else Placement.Retention.EMPLOYED
            placement.retention_12m_checked_on = check_12m
        placement.save()
        already.add(student.pk)
    if hired_apps:
        _backdate_hires(hired_apps)
    _enrollments(w)


def _backdate_hires(applications: list[Application]) -> None:
    """Give the 2025 cohort's hires the timeline of their recruitment in late 2025."""
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(application=app, from_status=src, to_status=dst)
            for app in applications
            for src, dst, _day in _HIRE_EVENTS
        ]
    )
    ids = [a.pk for a in applications]
    for _src, dst, day in _HIRE_EVENTS:
        ApplicationEvent.objects.filter(application_id__in=ids, to_status=dst).update(at=_aware(day))
    Application.objects.filter(pk__in=ids).update(
        submitted_at=_aware(datetime.date(2025, 11, 3)),
        status_changed_at=_aware(datetime.date(2026, 1, 5)),
        offered_at=_aware(datetime.date(2025, 12, 1)),
        offer_expires_at=_aware(datetime.date(2025, 12, 8)),
        responded_at=_aware(datetime.date(2025, 12, 3)),
    )


def _enrollments(w: _World) -> None:
    """Some of the 2025 hires study on the side: contract departments, work-study, credit bank."""
    rng = _rng("enrollments")
    coordinator = w.users[R.UNIVERSITY_COORDINATOR]
    placements = list(
        Placement.objects.filter(student__school__district=w.district, status=Placement.Status.ACTIVE)
        .select_related("company", "student")
        .order_by("student__school__name", "student__student_number")
    )
    programs = [p for p in P.PROGRAMS if p.kind != CreditProgram.Kind.SPECIAL_ADMISSION]
    for placement in placements:
        draw = rng.random()
        credits_spring, credits_summer = rng.randrange(12, 19), rng.choice((0, 3, 3, 6))
        partnered = [p for p in programs if placement.company.name in p.partners]
        if partnered and draw < 0.2:
            spec = partnered[int(draw * 1000) % len(partnered)]
        elif draw > 0.95:
            spec = next(p for p in programs if p.kind == CreditProgram.Kind.CREDIT_BANK)
        else:
            continue
        program = w.programs[(spec.university, spec.name)]
        enrollment, created = ProgramEnrollment.objects.get_or_create(
            program=program,
            student=placement.student,
            defaults={"placement": placement, "enrolled_on": datetime.date(2026, 3, 2)},
        )
        terms = [(CreditRecord.Term.SPRING, credits_spring)]
        if credits_summer:
            terms.append((CreditRecord.Term.SUMMER, credits_summer))
        for term, credits in terms:
            CreditRecord.objects.get_or_create(
                enrollment=enrollment,
                year=2026,
                term=term,
                defaults={"credits": credits, "recorded_by": coordinator},
            )


def _field_practices(w: _World, demo_student: Student) -> None:
    FP = FieldPractice.Status
    rng = _rng("field-practice")
    staff = w.users[R.SCHOOL_STAFF]
    battery = {
        (P.HEUNGHAE, "이차전지 시스템제어과"),
        (P.HEUNGHAE, "이차전지 전기설비과"),
        (P.HEUNGHAE, "기계설비과"),
        (P.HEUNGHAE, "전자기계과"),
        (P.HEUNGHAE, "전기과"),
        (P.POSCO_TECH, "제철자동화설비과"),
        (P.POSCO_TECH, "제철전자제어과"),
    }
    pool = {
        cohort: [
            p
            for p in w.plans
            if p.cohort == cohort
            and (p.school, p.department) in battery
            and p.status != Student.Status.LEFT
            and w.students[p.key].pk != demo_student.pk
        ]
        for cohort in (2025, 2026, 2027)
    }
    d = datetime.date
    groups = [
        (2025, 5, FP.COMPLETED, d(2025, 7, 7), d(2025, 8, 29)),
        (2026, 4, FP.COMPLETED, d(2026, 7, 6), d(2026, 8, 28)),
        (2026, 3, FP.IN_PROGRESS, d(2026, 11, 2), d(2026, 12, 24)),
        (2026, 1, FP.ON_HOLD, d(2026, 10, 12), d(2026, 12, 18)),
        (2027, 3, FP.PLANNED, d(2027, 7, 5), d(2027, 8, 27)),
    ]
    hosts = [P.ECOPRO_BM, P.POSCO_FM, P.ECOPRO_MAT, P.ECOPRO_CNG, P.CNGR]
    rows: list[tuple[Student, str, str, datetime.date, datetime.date, str]] = [
        (
            demo_student,
            P.ECOPRO_BM,
            FP.COMPLETED,
            d(2026, 7, 6),
            d(2026, 8, 28),
            korean_name(rng, female=False),
        )
    ]
    used: set[tuple[str, str]] = set()
    for cohort, n, status, start, end in groups:
        candidates = [p for p in pool[cohort] if p.key not in used]
        for plan in rng.sample(candidates, n):
            used.add(plan.key)
            rows.append(
                (w.students[plan.key], rng.choice(hosts), status, start, end, korean_name(rng, female=False))
            )
    for student, company, status, start, end, supervisor in rows:
        started = status != FP.PLANNED
        minor = student.age_on(start) is not None and student.age_on(start) < 19
        consent = started and minor
        FieldPractice.objects.get_or_create(
            student=student,
            company=w.companies[company],
            starts_on=start,
            defaults={
                "ends_on": end,
                "status": status,
                "supervisor_name": supervisor,
                "guardian_consent_on": start - datetime.timedelta(days=14) if consent else None,
                "guardian_consent_method": FieldPractice.ConsentMethod.WRITTEN if consent else "",
                "safety_checked_on": start - datetime.timedelta(days=7) if started else None,
                "safety_checked_by": staff
                if started and student.school_id == w.schools[P.HEUNGHAE].pk
                else None,
            },
        )


_OPEN_STATUSES = (
    (AS.SUBMITTED, 30),
    (AS.REVIEWING, 20),
    (AS.INTERVIEW, 15),
    (AS.OFFERED, 10),
    (AS.REJECTED, 15),
    (AS.WITHDRAWN, 10),
)
_PATH = {
    AS.SUBMITTED: (AS.SUBMITTED,),
    AS.REVIEWING: (AS.SUBMITTED, AS.REVIEWING),
    AS.INTERVIEW: (AS.SUBMITTED, AS.REVIEWING, AS.INTERVIEW),
    AS.OFFERED: (AS.SUBMITTED, AS.REVIEWING, AS.INTERVIEW, AS.OFFERED),
    AS.REJECTED: (AS.SUBMITTED, AS.REVIEWING, AS.REJECTED),
    AS.WITHDRAWN: (AS.SUBMITTED, AS.WITHDRAWN),
}


def _published(w: _World) -> list[P.OpeningSpec]:
    return [s for s in P.OPENINGS if s.status == Opening.Status.PUBLISHED]


def _applications_2026(w: _World, demo_student: Student) -> None:
    """Direct applications of the 2026 cohort to today's openings, in every state of review."""
    rng = _rng("applications")
    published = _published(w)
    cohort = [p for p in w.plans if p.cohort == P.MATCH_ROUND_COHORT and p.status == Student.Status.ENROLLED]
    statuses = [s for s, _ in _OPEN_STATUSES]
    weights = [wt for _, wt in _OPEN_STATUSES]
    wanted: list[tuple[Student, P.OpeningSpec, str]] = [
        (demo_student, next(s for s in published if s.company == P.ECOPRO_BM), AS.REVIEWING)
    ]
    for plan in rng.sample(cohort, 70):
        suited = [s for s in published if _suits(plan, s.role)] or published
        for spec in rng.sample(suited, min(len(suited), rng.choice((1, 1, 2)))):
            wanted.append((w.students[plan.key], spec, rng.choices(statuses, weights)[0]))
    existing = set(
        Application.objects.filter(student__school__district=w.district).values_list(
            "student_id", "opening_id"
        )
    )
    recruiter = w.users[R.COMPANY_RECRUITER]
    for student, spec, status in wanted:
        opening = w.openings[(spec.company, spec.title)]
        if (student.pk, opening.pk) in existing:
            continue
        existing.add((student.pk, opening.pk))
        offered_at = w.now - datetime.timedelta(days=1) if status == AS.OFFERED else None
        app = Application.objects.create(
            student=student,
            opening=opening,
            status=status,
            offered_at=offered_at,
            offer_expires_at=offered_at + datetime.timedelta(days=7) if offered_at else None,
            feedback="이번 채용에서는 관련 자격증 보유자를 우선 선발했습니다."
            if status == AS.REJECTED
            else "",
        )
        path = _PATH[status]
        by = recruiter if spec.company == P.ECOPRO_BM else None
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application=app,
                    from_status=path[i - 1] if i else "",
                    to_status=to,
                    by=None if to in (AS.SUBMITTED, AS.WITHDRAWN) else by,
                )
                for i, to in enumerate(path)
            ]
        )


_BRAND = {P.POSCO_FM: 3.0, P.ECOPRO_BM: 3.0, P.ECOPRO_MAT: 2.0, P.CNGR: 1.5}


_DEMO_STUDENT_RANKING = (
    (P.ECOPRO_BM, "하이니켈 양극재 소성 공정 운영원"),
    (P.POSCO_FM, "양극재 소성 공정 운영원 (4조 2교대)"),
    (P.ECOPRO_BM, "일학습병행 양극재 공정 운영원"),
)


def _match_round(w: _World, demo_student: Student) -> MatchRound:
    """The 2026 cohort's round is open; about 120 students have ranked openings already."""
    close = _aware(w.today + datetime.timedelta(days=14), 18)
    match_round, _ = MatchRound.objects.update_or_create(
        district=w.district,
        cohort=P.MATCH_ROUND_COHORT,
        defaults={
            "title": P.MATCH_ROUND_TITLE,
            "preferences_close_at": close,
            "offer_response_days": 7,
            "created_by": w.users[R.OFFICIAL],
        },
    )
    rng = _rng("preferences")
    published = [s for s in _published(w) if s.employment != Opening.EmploymentType.FIXED_TERM]
    cohort = [p for p in w.plans if p.cohort == P.MATCH_ROUND_COHORT and p.status == Student.Status.ENROLLED]
    by_key = {(s.company, s.title): s for s in published}
    lists: list[tuple[Student, list[P.OpeningSpec]]] = [
        (demo_student, [by_key[key] for key in _DEMO_STUDENT_RANKING])
    ]
    for plan in rng.sample(cohort, 120):
        k = rng.randint(3, 8)
        # Weighted sampling without replacement (Efraimidis–Spirakis): popular, suitable openings first.
        keyed = []
        for spec in published:
            weight = _BRAND.get(spec.company, 1.0) * (3.0 if _suits(plan, spec.role) else 1.0)
            keyed.append((rng.random() ** (1.0 / weight), spec))
        keyed.sort(key=lambda pair: pair[0], reverse=True)
        lists.append((w.students[plan.key], [spec for _key, spec in keyed[:k]]))
    have = set(
        Preference.objects.filter(student__school__district=w.district).values_list("student_id", flat=True)
    )
    rows = []
    for student, specs in lists:
        if student.pk in have:
            continue
        have.add(student.pk)
        for rank, spec in enumerate(specs, start=1):
            rows.append(
                Preference(student=student, opening=w.openings[(spec.company, spec.title)], rank=rank)
            )
    Preference.objects.bulk_create(rows, batch_size=500)
    return match_round
