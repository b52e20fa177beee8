"""The Pohang demo's student profiles (issue 15): what the schools hold and what the students wrote.

- Certifications: most have a certificate number and the school's check; those acquired in
  the last month, and a few others, wait for it (`certificate_check`, called by `students`).
- Attendance (출결) for every finished school year of each student still on the roll or
  graduated: mostly 0 to 3 days absent, a few more.
- The host's evaluation of field practice under way or done (`host_evaluation`, called by
  `hiring.field_practices`).
- 자기소개서 for about 85% of the final-year cohort, awards and activities for some
  students, projects (without files) for fewer; the demo student has all of them.
- A profile snapshot for each of the final-year cohort's applications, as the company saw it
  when the student applied.

Certificate numbers follow the look of a Q-Net number (two digits of the year, nine more
digits and a letter, as in "24201012345A"; a private certificate gets "BP-2025-12345") but
are made up: they are nobody's certificate.

Everything comes from fixed random streams, and rows are only added for students who have
none yet, so a second run on the same day changes nothing and keeps what people did while
trying the demo. Removing the students (`clear_if_moved`) removes all of it with them.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from demo.pohang import data as P
from demo.pohang import profile_texts as X
from demo.pohang import timeline as T
from demo.pohang.world import R, StudentPlan, World, aware, random_stream
from district.cohorts import school_year_of
from district.models import Certification, User
from placements.models import Application
from schools.models import (
    Activity,
    AttendanceRecord,
    FieldPractice,
    ProfileSnapshot,
    Project,
    SelfIntroduction,
    Student,
)
from schools.selectors.profile import own_content, verified_facts

DAY = datetime.timedelta(days=1)
SELF_INTRODUCTION_SHARE = 0.85
ACTIVITY_SHARE = 0.45
PROJECT_SHARE = 0.25
# A certification acquired this recently has not been checked by the school yet.
CHECK_TAKES = datetime.timedelta(days=30)
UNCHECKED_SHARE = 0.08
# Days absent in a school year, and how often: most students miss none or a few days.
_ABSENCES = ((0, 40), (1, 20), (2, 14), (3, 10), (4, 5), (5, 4), (6, 3), (8, 2), (11, 1), (15, 1))


def track(department: str) -> str:
    return X.TRACKS.get(department, "media")


def _checker(w: World, school: str) -> User | None:
    """Who checks a school's records: its demo staff account; the other schools have no user in the demo."""
    return w.users[R.SCHOOL_STAFF] if school == P.HEUNGHAE else None


# --- what the school holds -------------------------------------------------------------------


def certificate_check(
    w: World, *, plan: StudentPlan, certification: Certification, acquired_on: datetime.date
) -> dict:
    """The number and the school's check of a held certification, or {} while it waits for the check."""
    rng = random_stream(f"certificate:{plan.school}:{plan.number}:{certification.name}")
    checked_on = acquired_on + datetime.timedelta(days=rng.randrange(7, 26))
    recent = acquired_on > w.today - CHECK_TAKES or checked_on >= w.today
    if recent or rng.random() < UNCHECKED_SHARE:
        return {}
    if certification.qnet_code:
        # Made up, in the look of a Q-Net number: the year's two digits, "20", seven digits, a letter.
        number = f"{acquired_on.year % 100:02d}20{rng.randrange(10**6, 10**7)}{rng.choice('ABCDEFGHJK')}"
    else:
        number = f"BP-{acquired_on.year}-{rng.randrange(10**4, 10**5)}"
    return {
        "number": number,
        "verified_at": aware(checked_on, rng.randrange(9, 17), rng.randrange(60)),
        "verified_by": _checker(w, plan.school),
    }


def _absences(rng: random.Random) -> int:
    days, weights = zip(*_ABSENCES, strict=True)
    return rng.choices(days, weights)[0]


def attendance(w: World) -> None:
    """One record for each finished school year of each student still on the roll or graduated."""
    this_year = school_year_of(w.today)
    have = set(
        AttendanceRecord.objects.filter(student__school__district=w.district).values_list(
            "student_id", "school_year"
        )
    )
    rows = []
    for plan in w.plans:
        if plan.status == Student.Status.LEFT:
            continue
        student = w.students[plan.key]
        rng = random_stream(f"attendance:{plan.school}:{plan.number}")
        # One student in ten has a harder year; the rest have few absences.
        careless = rng.random() < 0.1
        for school_year in range(plan.cohort - 2, min(plan.cohort, this_year - 1) + 1):
            absences = _absences(rng) + (rng.randrange(2, 6) if careless else 0)
            late = rng.choices((0, 1, 2, 3, 5), (50, 22, 14, 9, 5))[0]
            left_early = rng.choices((0, 1, 2, 4), (62, 22, 11, 5))[0]
            if (student.pk, school_year) in have:
                continue
            rows.append(
                AttendanceRecord(
                    student=student,
                    school_year=school_year,
                    absences=absences,
                    late=late,
                    left_early=left_early,
                    recorded_by=_checker(w, plan.school),
                )
            )
    AttendanceRecord.objects.bulk_create(rows, batch_size=500)


def host_evaluation(rng: random.Random, status: str) -> str:
    """The supervisor's short evaluation (at most 300 characters) of a practice under way or done."""
    if status not in (FieldPractice.Status.COMPLETED, FieldPractice.Status.IN_PROGRESS):
        return ""
    parts = [rng.choice(X.EVALUATION_WORK), rng.choice(X.EVALUATION_ATTITUDE), rng.choice(X.EVALUATION_CLOSE)]
    text = " ".join(parts)
    return X.EVALUATION_MIDWAY + text if status == FieldPractice.Status.IN_PROGRESS else text


# --- what the students wrote ----------------------------------------------------------------


def _answer(rng: random.Random, *banks: tuple[str, ...]) -> str:
    return " ".join(rng.choice(bank) for bank in banks)


def self_introduction_text(rng: random.Random, department: str) -> dict[str, str]:
    """The four answers, each a few sentences from the banks of the department's track."""
    kind = track(department)
    return {
        "growth": _answer(rng, *X.GROWTH),
        "motivation": _answer(rng, X.MOTIVATION_FIELD[kind], X.MOTIVATION_CLOSE),
        "competence": " ".join([*rng.sample(X.COMPETENCE_FIELD[kind], 2), rng.choice(X.COMPETENCE_TRAIT)]),
        "aspiration": _answer(rng, *X.ASPIRATION),
    }


def _writers(w: World, demo_student: Student) -> tuple[list[StudentPlan], set, set, set]:
    """The final-year cohort on the roll, and the keys of who has a 자기소개서, activities, projects."""
    cohort = w.plans_of(T.CURRENT, enrolled=True)
    rng = random_stream("profiles")
    order = list(cohort)
    rng.shuffle(order)
    demo = next(p for p in cohort if w.students[p.key].pk == demo_student.pk)
    intro = {p.key for p in order[: round(SELF_INTRODUCTION_SHARE * len(order))]} | {demo.key}
    rng.shuffle(order)
    active = {p.key for p in order[: round(ACTIVITY_SHARE * len(order))]} | {demo.key}
    rng.shuffle(order)
    makers = {p.key for p in order[: round(PROJECT_SHARE * len(order))]} | {demo.key}
    return cohort, intro, active, makers


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange(max((last - first).days, 0) + 1))


def own_profiles(w: World, demo_student: Student) -> None:
    """자기소개서, awards and activities, and projects of the final-year cohort (see the module docstring)."""
    cohort, intro, active, makers = _writers(w, demo_student)
    written = set(
        SelfIntroduction.objects.filter(student__school__district=w.district).values_list(
            "student_id", flat=True
        )
    )
    listed = set(
        Activity.objects.filter(student__school__district=w.district).values_list("student_id", flat=True)
    )
    made = set(
        Project.objects.filter(student__school__district=w.district).values_list("student_id", flat=True)
    )
    intros, activities, projects = [], [], []
    for plan in cohort:
        student = w.students[plan.key]
        rng = random_stream(f"profile:{plan.school}:{plan.number}")
        texts = self_introduction_text(rng, plan.department)
        is_demo = student.pk == demo_student.pk
        if plan.key in intro and student.pk not in written:
            intros.append(SelfIntroduction(student=student, **texts))
        # From the spring of the first year to ten days ago.
        first, last = datetime.date(plan.cohort - 2, 4, 1), w.today - 10 * DAY
        if plan.key in active and student.pk not in listed:
            activities += _activities(rng, student, plan, first, last, full=is_demo)
        if plan.key in makers and student.pk not in made:
            projects += _projects(
                rng, student, plan, datetime.date(plan.cohort - 1, 3, 2), last, full=is_demo
            )
    SelfIntroduction.objects.bulk_create(intros, batch_size=500)
    Activity.objects.bulk_create(activities, batch_size=500)
    Project.objects.bulk_create(projects, batch_size=500)


def _activities(rng, student, plan, first, last, *, full: bool) -> list[Activity]:
    school = plan.school
    club = X.CLUBS.get(track(plan.department), X.CLUB_DEFAULT)
    picks = [("award", *rng.choice(X.AWARDS))] if full or rng.random() < 0.4 else []
    how_many = 2 if full else rng.choice((1, 1, 2))
    chosen = rng.sample(X.ACTIVITIES, how_many)
    head, member = X.ACTIVITIES[0], X.ACTIVITIES[1]
    if head in chosen and member in chosen:  # the club's head is not also listed as a member
        chosen.remove(member)
    picks += [("activity", *spec) for spec in chosen]
    return [
        Activity(
            student=student,
            kind=kind,
            title=title.format(club=club),
            organiser=organiser or school,
            date=_day_between(rng, first, last),
            description=description,
        )
        for kind, title, organiser, description in picks
    ]


def _projects(rng, student, plan, first, last, *, full: bool) -> list[Project]:
    bank = X.PROJECTS.get(track(plan.department), X.PROJECTS_DEFAULT)
    return [
        Project(student=student, title=title, description=description, date=_day_between(rng, first, last))
        for title, description in rng.sample(bank, 2 if full else 1)
    ]


# --- what the companies saw ------------------------------------------------------------------


def _as_of(verified: dict, day: datetime.date) -> dict:
    """The school's facts as they stood on `day`: later certifications, checks and practice left out."""
    iso = day.isoformat()
    certifications = []
    for held in verified["certifications"]:
        if held["acquired_on"] > iso:
            continue
        if held["verified_on"] and held["verified_on"] > iso:
            held = {**held, "number": "", "verified_on": None}
        certifications.append(held)
    return {
        **verified,
        "certifications": certifications,
        "field_practice": [p for p in verified["field_practice"] if p["starts_on"] <= iso],
    }


def snapshots(w: World) -> None:
    """A snapshot for each of the final-year cohort's applications that has none, taken when it was submitted.

    Issue 15 takes a snapshot when a student applies; the demo's applications were made
    before it is seeded, so it takes them here with the profile selectors, as they stood on
    the day of the application. A withdrawn application keeps the school's facts only. The
    graduated cohorts applied before profiles existed, so their applications have none.
    """
    applications = list(
        Application.objects.filter(
            student__school__district=w.district,
            student__cohort=w.timeline.current.school_year,
            profile_snapshot__isnull=True,
        )
        .select_related("student__school", "student__department", "opening")
        .order_by("pk")
    )
    taken = []
    for app in applications:
        student = app.student
        day = timezone.localdate(app.submitted_at)
        verified = verified_facts(student=student, today=day)
        own = own_content(student=student)
        question = app.opening.own_question
        if question:
            rng = random_stream(
                f"own-answer:{student.school.name}:{student.student_number}:{app.opening.title}"
            )
            own["question"] = {"question": question, "answer": rng.choice(X.OWN_ANSWERS[question])}
        withdrawn = app.status == Application.Status.WITHDRAWN
        taken.append(
            ProfileSnapshot(
                student=student,
                company_id=app.opening.company_id,
                taken_at=app.submitted_at,
                verified=_as_of(verified, day),
                own=None if withdrawn else own,
                own_removed_at=app.status_changed_at if withdrawn else None,
            )
        )
    ProfileSnapshot.objects.bulk_create(taken, batch_size=200)
    for app, snapshot in zip(applications, taken, strict=True):
        app.profile_snapshot = snapshot
    Application.objects.bulk_update(applications, ["profile_snapshot"], batch_size=200)
