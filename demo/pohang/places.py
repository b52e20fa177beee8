"""The Pohang demo's places and organisations: areas, companies, schools, universities, agreements,
openings, pathways, the budget and the teachers. Each step creates or updates by natural key."""

from __future__ import annotations

import datetime

from companies.models import Agreement, Company, Opening
from demo.pohang import data as P
from demo.pohang.profile_texts import OWN_QUESTIONS
from demo.pohang.world import R, World, aware, random_stream
from demo.util import commute_minutes, demo_business_number, korean_name
from district.models import (
    Area,
    BudgetLine,
    CommuteTime,
    Expenditure,
    KpiTarget,
)
from placements.models import Pathway
from schools.models import (
    CourseUnit,
    Department,
    School,
    Teacher,
    TeacherTraining,
    TrainingCompletion,
)
from universities.models import CreditProgram, University

# --- places --------------------------------------------------------------------------------


def areas(w: World, data=P) -> None:
    """`data` is a district's demo data module: demo.pohang.data, or demo.ansan.data (the same names)."""
    for code, name, industrial, _pos in data.AREAS:
        w.areas[code], _ = Area.objects.update_or_create(
            district=w.district, code=code, defaults={"name": name, "is_industrial_complex": industrial}
        )
    wanted = {}
    for a_code, _n, _i, a_pos in data.AREAS:
        for b_code, _n2, _i2, b_pos in data.AREAS:
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


_COMPANY_NOTE = "※ 포털 시연용 자료입니다. 이 기업의 채용 공고와 채용 실적은 실제가 아닙니다."


def companies(w: World, data=P) -> None:
    verified_at = aware(datetime.date(w.timeline.program_years[0], 3, 10))
    official = w.users[R.OFFICIAL]
    for spec in data.COMPANIES:
        verification = Company.Verification.VERIFIED if spec.verified else Company.Verification.PENDING
        w.companies[spec.name], _ = Company.objects.update_or_create(
            district=w.district,
            name=spec.name,
            defaults={
                "business_number": demo_business_number(spec.number),
                "segment": w.vocab.segments[spec.segment],
                "area": w.areas[spec.area] if spec.area else None,
                "is_local": spec.local,
                "description": f"{spec.description}\n{_COMPANY_NOTE}",
                "website": spec.website,
                "verification": verification,
                "verified_by": official if spec.verified else None,
                "verified_at": verified_at if spec.verified else None,
                "rejection_reason": "",
            },
        )


def schools(w: World, data=P) -> None:
    for spec in data.SCHOOLS:
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


def universities(w: World, data=P) -> None:
    for name, kind, area, website in data.UNIVERSITIES:
        w.universities[name], _ = University.objects.update_or_create(
            district=w.district, name=name, defaults={"kind": kind, "area": w.areas[area], "website": website}
        )
    for spec in data.PROGRAMS:
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


def agreements(w: World, data=P) -> None:
    start, _middle, end = w.timeline.program_years
    for spec in data.AGREEMENTS:
        signed_on = datetime.date(start, *spec.signed)
        Agreement.objects.update_or_create(
            district=w.district,
            company=w.companies[spec.company],
            title=spec.title,
            defaults={
                "school": w.schools[spec.school] if spec.school else None,
                "signed_on": signed_on,
                "valid_from": signed_on,
                "valid_until": datetime.date(end, 12, 31),
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


_DEMO_NOTE = "※ 포털 시연용으로 만든 공고입니다. 실제 채용 공고가 아닙니다."


def opening_specs(w: World, data=P) -> list[P.OpeningSpec]:
    """Today's openings, and the closed ones through which each graduated cohort was hired."""
    specs = list(data.OPENINGS)
    for _role, year in w.timeline.graduated():
        specs.extend(data.closed_openings(year))
    return specs


def openings(w: World, data=P) -> None:
    """Published openings are open on the seed day and stay open after the round's rankings close
    (a matching run reads only openings whose deadline has not passed); their jobs start after
    the current cohort's winter graduation, like the closed openings of the cohorts before."""
    OS = Opening.Status
    official = w.users[R.OFFICIAL]
    recruiter = w.users[R.COMPANY_RECRUITER]
    first_start = datetime.date(w.timeline.current.graduation_year, 1, 5)
    published_index = 0
    for spec in opening_specs(w, data):
        company = w.companies[spec.company]
        role = w.vocab.job_roles[spec.role]
        salary = role.typical_monthly_salary_krw + P.SHIFT_PREMIUM[spec.shift]
        if spec.company in data.PREMIUM_COMPANIES:
            salary += 150_000
        if spec.employment == Opening.EmploymentType.FIXED_TERM:
            salary -= 100_000
        if spec.status == OS.CLOSED:
            apply_by, starts_on = spec.apply_by, spec.starts_on
            published_at = aware(datetime.date(apply_by.year, 10, 13))
        elif spec.status == OS.PUBLISHED:
            i = published_index
            published_index += 1
            apply_by = w.today + datetime.timedelta(days=21 + (i * 7) % 36)
            starts_on = max(apply_by + datetime.timedelta(days=30), first_start)
            starts_on += datetime.timedelta(days=(i % 3) * 7)
            published_at = aware(w.today - datetime.timedelta(days=3 + i % 20))
        else:
            apply_by = w.today + datetime.timedelta(days=30)
            starts_on = max(w.today + datetime.timedelta(days=120), first_start)
            published_at = None
        reviewed = spec.status in (OS.PUBLISHED, OS.CLOSED, OS.REJECTED)
        opening, _ = Opening.objects.update_or_create(
            company=company,
            title=spec.title,
            defaults={
                "job_role": role,
                "description": f"{role.description}\n{_SHIFT_TEXT[spec.shift]}. {_PERKS}\n{_DEMO_NOTE}",
                "seats": spec.seats,
                "work_area": company.area,
                "shift_pattern": spec.shift,
                "monthly_salary_krw": salary,
                "employment_type": spec.employment,
                "starts_on": starts_on,
                "apply_by": apply_by,
                "status": spec.status,
                "rejection_reason": spec.rejection_reason,
                "created_by": recruiter if spec.company == data.RECRUITER_COMPANY else None,
                "reviewed_by": official if reviewed else None,
                "reviewed_at": (published_at or w.now) if reviewed else None,
                "published_at": published_at,
                "own_question": OWN_QUESTIONS.get((spec.company, spec.title), ""),
            },
        )
        certs = data.ROLE_CERTS.get(spec.role, ()) + spec.extra_certs
        opening.required_certifications.set([w.vocab.certifications[c] for c in certs])
        opening.preferred_departments.set(
            [w.departments[d] for d in data.ROLE_DEPARTMENTS.get(spec.role, ())]
        )
        w.openings[(spec.company, spec.title)] = opening


def pathways(w: World, data=P) -> None:
    for spec in data.PATHWAYS:
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


def budget(w: World, data=P) -> None:
    """Budget lines for each programme year, expenditures up to the seed day, KPI targets."""
    official = w.users[R.OFFICIAL]
    years = w.timeline.program_years
    lines = {}
    for index, year in enumerate(years):
        for category, planned in data.BUDGET[index].items():
            lines[(index, category)], _ = BudgetLine.objects.update_or_create(
                district=w.district,
                year=year,
                category=category,
                defaults={"planned_krw": planned, "description": data.BUDGET_DESCRIPTIONS[category]},
            )
    for index, category, month, day, amount, description in data.EXPENDITURES:
        spent_on = datetime.date(years[index], month, day)
        if not w.timeline.has_passed(spent_on):
            continue
        Expenditure.objects.update_or_create(
            budget_line=lines[(index, category)],
            spent_on=spent_on,
            description=description.format(year=years[index]),
            defaults={"amount_krw": amount, "recorded_by": official},
        )
    for indicator, targets in data.KPI_TARGETS.items():
        for year, target in zip(years, targets, strict=True):
            KpiTarget.objects.update_or_create(
                district=w.district, year=year, indicator=indicator, defaults={"target": target}
            )


def teachers(w: World) -> None:
    sizes = {P.HEUNGHAE: 5, P.POSCO_TECH: 4}
    teachers: dict[str, list[Teacher]] = {}
    for spec in P.SCHOOLS:
        rng = random_stream(f"teachers:{spec.name}")
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
        starts_on, ends_on = spec.dates(w.timeline.program_years[0])
        if not w.timeline.has_passed(ends_on):
            continue
        training, _ = TeacherTraining.objects.update_or_create(
            district=w.district,
            title=spec.title,
            defaults={
                "provider": spec.provider,
                "hours": spec.hours,
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
        )
        training.co_hosts.set([w.companies[c] for c in spec.co_hosts])
        for school in spec.schools:
            for teacher in teachers[school][:3]:
                TrainingCompletion.objects.get_or_create(
                    training=training,
                    teacher=teacher,
                    defaults={"completed_on": ends_on, "hours": spec.hours},
                )


# --- students -------------------------------------------------------------------------------
