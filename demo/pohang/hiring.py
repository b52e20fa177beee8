"""The rest of the Pohang demo's pathway, relative to the seed day (see `timeline`): the graduated
cohorts' jobs, retention and studies, field practice, the current cohort's applications and
its open matching round.

The graduated cohorts' outcomes are quotas over a fixed shuffle, so the numbers are exact
and realistic: for the latest surveyed cohort (L), 66% of graduates employed on the survey
date, 82% of those working in Pohang, 83% still employed at 6 months and 67% at 12
(nationally 82.2% and 66.2% in 2024). Anything dated after the seed day is left out (a
placement that has not started, a check still to come) or left open (a job that ends later).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from companies.models import Opening
from demo.pohang import data as P
from demo.pohang import timeline as T
from demo.pohang.places import opening_specs
from demo.pohang.profiles import host_evaluation
from demo.pohang.world import AS, R, StudentPlan, World, aware, random_stream
from demo.util import korean_name
from district.cohorts import Cohort, retention_dates
from placements.models import Application, ApplicationEvent, MatchRound, MatchRun, Placement, Preference
from placements.services.run_execution import match_run_execute
from placements.services.runs import match_run_start
from schools.models import FieldPractice, PracticeDiaryEntry, Student
from schools.services.practice import ADULT_AGE as PRACTICE_CONSENT_UNDER
from universities.models import CreditProgram, CreditRecord, ProgramEnrollment

D = datetime.date
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Outcomes:
    """A graduated cohort's outcomes, as shares (the counts are rounded)."""

    employed: float  # of graduates: employed on the survey date
    elsewhere: float  # of those employed: outside Pohang
    kept_6m: float  # of those employed: still employed at 6 months
    kept_12m: float  # ... and at 12 months
    left_early: float = 0.03  # of graduates: hired in January, left before the survey date
    late_start: float = 0.05  # of graduates: started after the survey date
    study_only: float = 0.06  # of graduates: studying (credit bank) without a job
    study_at_work: float = 0.2  # of those employed at a partner of a programme: also studying


# The programme's effect shows: each cohort does a little better than the one before.
OUTCOMES = {
    T.L_MINUS_2: Outcomes(employed=0.58, elsewhere=0.3, kept_6m=0.79, kept_12m=0.62),
    T.L_MINUS_1: Outcomes(employed=0.61, elsewhere=0.25, kept_6m=0.81, kept_12m=0.64),
    T.LATEST: Outcomes(employed=0.66, elsewhere=0.18, kept_6m=0.83, kept_12m=0.67),
    T.GRADUATING: Outcomes(employed=0.67, elsewhere=0.16, kept_6m=0.84, kept_12m=0.68),
}

_LEAVE_REASONS = ("교대 근무 적응이 어려움", "다른 지역으로 이직", "진학 준비", "개인 사정", "군 입대")


def _hire_events(school_year: int) -> tuple[tuple[str, str, datetime.date], ...]:
    """The recruitment of a cohort hired through its closed openings: November to January."""
    return (
        ("", AS.SUBMITTED, D(school_year, 11, 3)),
        (AS.SUBMITTED, AS.REVIEWING, D(school_year, 11, 17)),
        (AS.REVIEWING, AS.INTERVIEW, D(school_year, 11, 24)),
        (AS.INTERVIEW, AS.OFFERED, D(school_year, 12, 1)),
        (AS.OFFERED, AS.ACCEPTED, D(school_year, 12, 3)),
        (AS.ACCEPTED, AS.HIRED, D(school_year + 1, 1, 5)),
    )


def _suits(plan: StudentPlan, role: str) -> bool:
    return (plan.school, plan.department) in P.ROLE_DEPARTMENTS.get(role, ())


def _between(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


@dataclass
class _Job:
    plan: StudentPlan
    company: str
    starts_on: datetime.date
    opening: P.OpeningSpec | None = None
    ends_on: datetime.date | None = None
    reason: str = ""


def graduates(w: World) -> None:
    """Jobs, retention and studies of every graduated cohort on the roster."""
    for role, year in w.timeline.graduated():
        jobs = _plan_jobs(w, role, year)
        hired = _save_jobs(w, jobs)
        if hired:
            _backdate_hires(hired, year)
        _studies(w, role, year)


def _plan_jobs(w: World, role: str, year: int) -> list[_Job]:
    cohort = Cohort(year)
    survey, six, twelve = cohort.survey_on, cohort.six_month_check_on, cohort.twelve_month_check_on
    quota = OUTCOMES[role]
    rng = random_stream(f"placements:{role}")
    order = w.plans_of(role)
    rng.shuffle(order)
    n = len(order)
    employed_n = round(quota.employed * n)
    early_n, late_n = round(quota.left_early * n), round(quota.late_start * n)
    employed = order[:employed_n]
    early = order[employed_n : employed_n + early_n]
    late = order[employed_n + early_n : employed_n + early_n + late_n]

    seats = {(s.company, s.title): s.seats for s in P.closed_openings(year)}
    closed = P.closed_openings(year)
    local = [c.name for c in P.COMPANIES if c.verified and c.local]
    elsewhere = [c.name for c in P.COMPANIES if not c.local]
    elsewhere_n = round(quota.elsewhere * employed_n)

    def local_job(plan: StudentPlan, *, direct_start: datetime.date) -> _Job:
        free = [s for s in closed if seats[(s.company, s.title)] > 0]
        suited = [s for s in free if _suits(plan, s.role)]
        if suited:
            spec = suited[rng.randrange(len(suited))]
            seats[(spec.company, spec.title)] -= 1
            return _Job(plan, spec.company, spec.starts_on, opening=spec)
        return _Job(plan, local[rng.randrange(len(local))], direct_start)

    jobs = []
    for i, plan in enumerate(employed):
        if i < elsewhere_n:
            jobs.append(_Job(plan, elsewhere[i % len(elsewhere)], D(year + 1, 3, 2)))
        else:
            jobs.append(local_job(plan, direct_start=D(year + 1, 3, 2)))
    # Who leaves after the survey date: a second shuffle, so leaving does not follow the employer.
    leavers = list(jobs)
    rng.shuffle(leavers)
    gone_by_6 = employed_n - round(quota.kept_6m * employed_n)
    gone_by_12 = round(quota.kept_6m * employed_n) - round(quota.kept_12m * employed_n)
    for k, job in enumerate(leavers[: gone_by_6 + gone_by_12]):
        if k < gone_by_6:
            job.ends_on = _between(rng, survey + 30 * DAY, six - DAY)
        else:
            job.ends_on = _between(rng, six + DAY, twelve - DAY)
        job.reason = _LEAVE_REASONS[rng.randrange(len(_LEAVE_REASONS))]
    for plan in early:
        job = local_job(plan, direct_start=D(year + 1, 1, 5))
        job.starts_on = min(job.starts_on, D(year + 1, 1, 5))
        job.ends_on = _between(rng, D(year + 1, 2, 2), survey - 7 * DAY)
        job.reason = _LEAVE_REASONS[rng.randrange(len(_LEAVE_REASONS))]
        jobs.append(job)
    for plan in late:
        starts_on = _between(rng, D(year + 1, 5, 4), D(year + 1, 7, 31))
        jobs.append(_Job(plan, local[rng.randrange(len(local))], starts_on))
    return jobs


def _save_jobs(w: World, jobs: list[_Job]) -> list[Application]:
    """Placements (and, through a closed opening, the hired application) up to the seed day."""
    already = set(
        Placement.objects.filter(student__school__district=w.district).values_list("student_id", flat=True)
    )
    hired_apps: list[Application] = []
    for job in jobs:
        student = w.students[job.plan.key]
        if student.pk in already or not w.timeline.has_passed(job.starts_on):
            continue
        company = w.companies[job.company]
        opening = w.openings[(job.opening.company, job.opening.title)] if job.opening else None
        application = None
        if opening is not None:
            application = Application.objects.create(student=student, opening=opening, status=AS.HIRED)
            hired_apps.append(application)
        ended = job.ends_on is not None and w.timeline.has_passed(job.ends_on)
        placement = Placement(
            student=student,
            company=company,
            opening=opening,
            application=application,
            starts_on=job.starts_on,
            is_local=company.is_local,
        )
        if ended:
            placement.status = Placement.Status.ENDED
            placement.ends_on = job.ends_on
            placement.end_reason = job.reason
        checks = retention_dates(job.starts_on)
        for months, check in ((6, checks.six_months), (12, checks.twelve_months)):
            if w.timeline.has_passed(check):
                still = not ended or job.ends_on >= check
                result = Placement.Retention.EMPLOYED if still else Placement.Retention.LEFT
                setattr(placement, f"retention_{months}m", result)
                setattr(placement, f"retention_{months}m_checked_on", check)
        placement.save()
        already.add(student.pk)
    return hired_apps


def _backdate_hires(applications: list[Application], year: int) -> None:
    """Give a cohort's hires the timeline of their recruitment in the autumn of its final year."""
    events = _hire_events(year)
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(application=app, from_status=src, to_status=dst)
            for app in applications
            for src, dst, _day in events
        ]
    )
    ids = [a.pk for a in applications]
    for _src, dst, day in events:
        ApplicationEvent.objects.filter(application_id__in=ids, to_status=dst).update(at=aware(day))
    when = {dst: day for _src, dst, day in events}
    Application.objects.filter(pk__in=ids).update(
        submitted_at=aware(when[AS.SUBMITTED]),
        status_changed_at=aware(when[AS.HIRED]),
        offered_at=aware(when[AS.OFFERED]),
        offer_expires_at=aware(when[AS.OFFERED] + 7 * DAY),
        responded_at=aware(when[AS.ACCEPTED]),
    )


# The terms of a credit programme's year, with the day their credits are recorded.
_TERMS = (
    (CreditRecord.Term.SPRING, 6, 30),
    (CreditRecord.Term.SUMMER, 8, 20),
    (CreditRecord.Term.AUTUMN, 12, 22),
)


def _studies(w: World, role: str, year: int) -> None:
    """Some graduates study (후학습): at work through a partner's programme, or at the credit bank."""
    rng = random_stream(f"enrollments:{role}")
    quota = OUTCOMES[role]
    coordinator = w.users[R.UNIVERSITY_COORDINATOR]
    starts = D(year + 1, 3, 2)
    if not w.timeline.has_passed(starts):
        return
    placements = {
        p.student_id: p
        for p in Placement.objects.filter(
            student__school__district=w.district, student__cohort=year, starts_on__lte=starts
        ).select_related("company")
    }
    programs = [p for p in P.PROGRAMS if p.kind != CreditProgram.Kind.SPECIAL_ADMISSION]
    credit_bank = next(
        p for p in programs if p.kind == CreditProgram.Kind.CREDIT_BANK and p.university == P.POLYTECH
    )
    order = w.plans_of(role)
    rng.shuffle(order)
    jobless = [p for p in order if w.students[p.key].pk not in placements]
    chosen: list[tuple[StudentPlan, P.ProgramSpec]] = [
        (plan, credit_bank) for plan in jobless[: round(quota.study_only * len(order))]
    ]
    for plan in order:
        placement = placements.get(w.students[plan.key].pk)
        if placement is None or placement.ends_on is not None:
            continue
        partnered = [p for p in programs if placement.company.name in p.partners]
        if partnered and rng.random() < quota.study_at_work:
            chosen.append((plan, partnered[rng.randrange(len(partnered))]))
    for plan, spec in chosen:
        student = w.students[plan.key]
        enrollment, created = ProgramEnrollment.objects.get_or_create(
            program=w.programs[(spec.university, spec.name)],
            student=student,
            defaults={"placement": placements.get(student.pk), "enrolled_on": starts},
        )
        credits = [rng.randrange(12, 19), rng.choice((0, 3, 3, 6)), rng.randrange(12, 19)]
        for calendar_year in range(year + 1, w.today.year + 1):
            for (term, month, day), earned in zip(_TERMS, credits, strict=True):
                if earned and w.timeline.has_passed(D(calendar_year, month, day)):
                    CreditRecord.objects.get_or_create(
                        enrollment=enrollment,
                        year=calendar_year,
                        term=term,
                        defaults={"credits": earned, "recorded_by": coordinator},
                    )


# --- field practice -------------------------------------------------------------------------

_BATTERY_DEPARTMENTS = {
    (P.HEUNGHAE, "이차전지 시스템제어과"),
    (P.HEUNGHAE, "이차전지 전기설비과"),
    (P.HEUNGHAE, "기계설비과"),
    (P.HEUNGHAE, "전자기계과"),
    (P.HEUNGHAE, "전기과"),
    (P.POSCO_TECH, "제철자동화설비과"),
    (P.POSCO_TECH, "제철전자제어과"),
}
_HOSTS = (P.ECOPRO_BM, P.POSCO_FM, P.ECOPRO_MAT, P.ECOPRO_CNG, P.CNGR)
_DIARY = (
    "안전 교육을 받고 공정 설비의 위치와 비상 정지 절차를 익혔습니다.",
    "소성로 온도 기록을 점검하고 교대 인수인계 방법을 배웠습니다.",
    "원료 투입량을 확인하고 작업 일지를 작성하는 방법을 배웠습니다.",
    "설비 예방 점검에 참여해 공유압 장치의 누유를 확인했습니다.",
    "품질 검사실에서 입도 분석 시료를 준비하는 과정을 보았습니다.",
    "선배 작업자와 함께 포장 공정의 라벨 확인 절차를 실습했습니다.",
    "현장 개선 제안서를 쓰고 담당 멘토에게 피드백을 받았습니다.",
    "실습 내용을 정리해 학교 담당 교사와 중간 면담을 했습니다.",
)


def _summer(school_year: int) -> tuple[datetime.date, datetime.date]:
    """Eight weeks of summer practice from the first Monday of July, Monday to Friday."""
    start = T.first_monday(school_year, 7)
    return start, start + datetime.timedelta(weeks=8, days=-3)


def _status(w: World, start: datetime.date, end: datetime.date) -> str:
    FP = FieldPractice.Status
    if start > w.today:
        return FP.PLANNED
    return FP.COMPLETED if end < w.today else FP.IN_PROGRESS


def field_practices(w: World, demo_student: Student) -> None:
    """Summer practice in each cohort's final year; in the second semester, employment-linked practice
    of the final-year students (three in progress, one on hold); next summer's, planned."""
    FP = FieldPractice.Status
    rng = random_stream("field-practice")
    timeline = w.timeline
    pool = {
        role: [
            p
            for p in w.plans_of(role)
            if (p.school, p.department) in _BATTERY_DEPARTMENTS
            and p.status != Student.Status.LEFT
            and w.students[p.key].pk != demo_student.pk
        ]
        for role in timeline.roles
    }
    current = timeline.current.school_year
    summer = _summer(current)
    groups = [(role, 5, *_summer(year)) for role, year in timeline.graduated()]
    groups.append((T.CURRENT, 4, *summer))
    if timeline.second_semester:
        start = T.monday_on_or_before(w.today - datetime.timedelta(days=28))
        groups.append((T.CURRENT, 3, start, start + datetime.timedelta(weeks=8, days=-3)))
        held = T.monday_on_or_before(w.today - datetime.timedelta(days=49))
        groups.append((T.CURRENT, 1, held, held + datetime.timedelta(weeks=9, days=-3), FP.ON_HOLD))
    groups.append((T.JUNIOR, 3, *_summer(current + 1)))

    rows = [(demo_student, P.ECOPRO_BM, *summer, _status(w, *summer), korean_name(rng, female=False))]
    used: set[tuple[str, str]] = set()
    for role, n, start, end, *fixed in groups:
        status = fixed[0] if fixed else _status(w, start, end)
        candidates = [p for p in pool[role] if p.key not in used]
        for plan in rng.sample(candidates, n):
            used.add(plan.key)
            host = _HOSTS[rng.randrange(len(_HOSTS))]
            rows.append((w.students[plan.key], host, start, end, status, korean_name(rng, female=False)))
    # The demo student's two weeks in the winter of grade 2, so their profile shows a host's
    # evaluation on any seed day (their summer practice is still planned in the spring).
    winter = T.first_monday(current, 1)
    winter_end = winter + datetime.timedelta(weeks=2, days=-3)
    supervisor = korean_name(random_stream("field-practice:demo-student"), female=True)
    rows.append((demo_student, P.ECOPRO_MAT, winter, winter_end, _status(w, winter, winter_end), supervisor))
    staff = w.users[R.SCHOOL_STAFF]
    heunghae = w.schools[P.HEUNGHAE].pk
    for student, company, start, end, status, supervisor in rows:
        started = status != FP.PLANNED
        # A started practice of a minor has the guardian's consent on record (field practice's rule).
        consent = started and student.needs_consent_to_work(start, under=PRACTICE_CONSENT_UNDER)
        practice, _ = FieldPractice.objects.get_or_create(
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
                "safety_checked_by": staff if started and student.school_id == heunghae else None,
                "host_evaluation": host_evaluation(
                    random_stream(f"evaluation:{student.school.name}:{student.student_number}:{start}"),
                    status,
                ),
            },
        )
        if started:
            _diary(w, practice)


def _diary(w: World, practice: FieldPractice) -> None:
    """One diary entry a week up to the seed day; the supervisor has acknowledged all but the last."""
    weeks = []
    week = practice.starts_on
    while week <= min(practice.ends_on, w.today):
        weeks.append(week)
        week += datetime.timedelta(weeks=1)
    have = set(practice.diary_entries.values_list("week_starting", flat=True))
    user = practice.student.user
    entries = [
        PracticeDiaryEntry(
            practice=practice,
            week_starting=week,
            text=_DIARY[i % len(_DIARY)],
            written_by=user,
            acknowledged_at=aware(week + datetime.timedelta(days=5), 17)
            if i < len(weeks) - 1 or practice.ends_on < w.today
            else None,
        )
        for i, week in enumerate(weeks)
        if week not in have
    ]
    PracticeDiaryEntry.objects.bulk_create(entries)


# --- the current cohort: applications and the matching round ---------------------------------

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
    return [s for s in opening_specs(w) if s.status == Opening.Status.PUBLISHED]


def applications(w: World, demo_student: Student) -> None:
    """Direct applications of the final-year students to today's openings, in every state of review,
    made in the weeks before the seed day."""
    rng = random_stream("applications")
    published = _published(w)
    cohort = w.plans_of(T.CURRENT, enrolled=True)
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
    for n, (student, spec, status) in enumerate(wanted):
        opening = w.openings[(spec.company, spec.title)]
        if (student.pk, opening.pk) in existing:
            continue
        existing.add((student.pk, opening.pk))
        path = _PATH[status]
        # Submitted 2 to 3 weeks ago, one step every two days, the last step yesterday at the latest;
        # offers were made yesterday.
        submitted = w.now - datetime.timedelta(days=14 + n % 8, hours=n % 5)
        times = [min(submitted + datetime.timedelta(days=2 * i), w.now - DAY) for i in range(len(path))]
        offered_at = None
        if status == AS.OFFERED:
            # Offered yesterday: the student has six more days to answer.
            offered_at = times[-1] = w.now - DAY
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
        Application.objects.filter(pk=app.pk).update(submitted_at=times[0], status_changed_at=times[-1])
        by = recruiter if spec.company == P.ECOPRO_BM else None
        events = ApplicationEvent.objects.bulk_create(
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
        for event, at in zip(events, times, strict=True):
            event.at = at
        ApplicationEvent.objects.bulk_update(events, ["at"])


_BRAND = {P.POSCO_FM: 3.0, P.ECOPRO_BM: 3.0, P.ECOPRO_MAT: 2.0, P.CNGR: 1.5}

_DEMO_STUDENT_RANKING = (
    (P.ECOPRO_BM, "하이니켈 양극재 소성 공정 운영원"),
    (P.POSCO_FM, "양극재 소성 공정 운영원 (4조 2교대)"),
    (P.ECOPRO_BM, "일학습병행 양극재 공정 운영원"),
)
ROUND_RANKERS = 120
ROUND_SEED = 2025_0401
ROUND_OPEN_FOR = datetime.timedelta(days=14)  # rankings close two weeks after the seed day


def match_round(w: World, demo_student: Student) -> MatchRound:
    """The final-year cohort's round takes rankings for two more weeks; 121 students have ranked."""
    close = aware(w.today + ROUND_OPEN_FOR, 18)
    year = w.timeline.current.school_year
    match_round, _ = MatchRound.objects.update_or_create(
        district=w.district,
        cohort=year,
        defaults={
            "title": P.MATCH_ROUND_TITLE.format(year=year),
            "preferences_close_at": close,
            "offer_response_days": 7,
            "created_by": w.users[R.OFFICIAL],
        },
        # A fixed lottery seed, so that the demo's trial run matches the same way on every seed.
        create_defaults={
            "title": P.MATCH_ROUND_TITLE.format(year=year),
            "preferences_close_at": close,
            "offer_response_days": 7,
            "created_by": w.users[R.OFFICIAL],
            "seed": ROUND_SEED,
        },
    )
    rng = random_stream("preferences")
    published = [s for s in _published(w) if s.employment != Opening.EmploymentType.FIXED_TERM]
    cohort = w.plans_of(T.CURRENT, enrolled=True)
    by_key = {(s.company, s.title): s for s in published}
    lists: list[tuple[Student, list[P.OpeningSpec]]] = [
        (demo_student, [by_key[key] for key in _DEMO_STUDENT_RANKING])
    ]
    others = [p for p in cohort if w.students[p.key].pk != demo_student.pk]
    for plan in rng.sample(others, ROUND_RANKERS):
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
    if not match_round.runs.exists():
        _trial_run(w, match_round)
    return match_round


def _trial_run(w: World, match_round: MatchRound) -> None:
    """The official tried the matching two hours ago on the rankings so far: a trial, since the
    rankings are still open, so it cannot be published (its results only show what would happen)."""
    official = w.users[R.OFFICIAL]
    run = match_run_start(district=w.district, cohort=match_round.cohort, by=official, enqueue=False)
    match_run_execute(run_id=run.pk)
    started = w.now - datetime.timedelta(hours=2)
    MatchRun.objects.filter(pk=run.pk).update(
        created_at=started, started_at=started, finished_at=started + datetime.timedelta(seconds=3)
    )
