"""The rest of the Pohang demo's pathway: the 2025 cohort's hires and their studies, field practice,
the 2026 cohort's applications, and its open matching round."""

from __future__ import annotations

import datetime

from companies.models import Opening
from demo.pohang import data as P
from demo.pohang.world import AS, R, StudentPlan, World, aware, random_stream
from demo.util import korean_name
from placements.models import Application, ApplicationEvent, MatchRound, Placement, Preference
from schools.models import (
    FieldPractice,
    Student,
)
from universities.models import CreditProgram, CreditRecord, ProgramEnrollment

_HIRE_EVENTS = (
    ("", AS.SUBMITTED, datetime.date(2025, 11, 3)),
    (AS.SUBMITTED, AS.REVIEWING, datetime.date(2025, 11, 17)),
    (AS.REVIEWING, AS.INTERVIEW, datetime.date(2025, 11, 24)),
    (AS.INTERVIEW, AS.OFFERED, datetime.date(2025, 12, 1)),
    (AS.OFFERED, AS.ACCEPTED, datetime.date(2025, 12, 3)),
    (AS.ACCEPTED, AS.HIRED, datetime.date(2026, 1, 5)),
)
_LEAVE_REASONS = ("교대 근무 적응이 어려움", "다른 지역으로 이직", "진학 준비", "개인 사정")


def _suits(plan: StudentPlan, role: str) -> bool:
    return (plan.school, plan.department) in P.ROLE_DEPARTMENTS.get(role, ())


def placements_2025(w: World) -> None:
    """The 2025 cohort graduated in February 2026; about half work at partner companies."""
    rng = random_stream("placements")
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
        ApplicationEvent.objects.filter(application_id__in=ids, to_status=dst).update(at=aware(day))
    Application.objects.filter(pk__in=ids).update(
        submitted_at=aware(datetime.date(2025, 11, 3)),
        status_changed_at=aware(datetime.date(2026, 1, 5)),
        offered_at=aware(datetime.date(2025, 12, 1)),
        offer_expires_at=aware(datetime.date(2025, 12, 8)),
        responded_at=aware(datetime.date(2025, 12, 3)),
    )


def _enrollments(w: World) -> None:
    """Some of the 2025 hires study on the side: contract departments, work-study, credit bank."""
    rng = random_stream("enrollments")
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


def field_practices(w: World, demo_student: Student) -> None:
    FP = FieldPractice.Status
    rng = random_stream("field-practice")
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


def _published(w: World) -> list[P.OpeningSpec]:
    return [s for s in P.OPENINGS if s.status == Opening.Status.PUBLISHED]


def applications_2026(w: World, demo_student: Student) -> None:
    """Direct applications of the 2026 cohort to today's openings, in every state of review."""
    rng = random_stream("applications")
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


def match_round(w: World, demo_student: Student) -> MatchRound:
    """The 2026 cohort's round is open; about 120 students have ranked openings already."""
    close = aware(w.today + datetime.timedelta(days=14), 18)
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
    rng = random_stream("preferences")
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
