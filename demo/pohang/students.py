"""The Pohang demo's students: the fixed roster, their certifications, and the demo student account."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from demo.pohang import data as P
from demo.pohang import timeline as T
from demo.pohang.profiles import certificate_check
from demo.pohang.world import R, StudentPlan, World, random_stream
from demo.util import korean_name
from demo.vocabulary import SEGMENTS
from schools.models import (
    Student,
    StudentCertification,
    guardian_consent_message,
)

# How many certifications a student of each role may hold, drawn from this list.
_CERT_COUNTS = {
    T.L_MINUS_2: (0, 1, 1, 2, 2, 3),
    T.L_MINUS_1: (0, 1, 1, 2, 2, 3),
    T.LATEST: (0, 1, 1, 2, 2, 3),
    T.GRADUATING: (0, 1, 1, 2, 2, 3),
    T.CURRENT: (0, 1, 1, 2, 2),
    T.JUNIOR: (0, 0, 1, 1),
}


def _cert_window(cohort: int, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """Certifications come from the autumn of the second year to the end of the final year's exams."""
    start = datetime.date(cohort - 2, 9, 1)
    end = min(datetime.date(cohort, 11, 30), today - datetime.timedelta(days=7))
    return (start, end) if end > start else None


def student_plans(
    timeline: T.Timeline, data=P, segments: tuple[tuple[str, str], ...] = SEGMENTS
) -> list[StudentPlan]:
    """The demo roster, the same for the same seed day: about 200 students a cohort in Pohang.

    Each department's cohort in a role (L-2, L-1, L, G, C, C+1; see timeline) draws from its own
    random stream, so the latest surveyed cohort has the same names and draws on any day.
    `data` and `segments` are the district's demo data and industry segments (Pohang's by default).
    """
    segment_codes = [code for code, _name in segments]
    residential = [code for code, _n, industrial, _p in data.AREAS if not industrial]
    plans = []
    for school in data.SCHOOLS:
        for dept_no, dept in enumerate(school.departments, start=1):
            for role, cohort in timeline.roles.items():
                if role not in dept.cohorts:
                    continue
                rng = random_stream(f"students:{school.name}:{dept.name}:{role}")
                window = _cert_window(cohort, timeline.today)
                for seq in range(1, dept.sample + 1):
                    female = rng.random() < school.female_share
                    name = korean_name(rng, female=female)
                    born = datetime.date(cohort - 18, 1, 1) + datetime.timedelta(days=rng.randrange(365))
                    left = rng.random() < 0.01
                    if role in T.GRADUATED_ROLES:
                        status = Student.Status.GRADUATED
                    else:
                        status = Student.Status.LEFT if left else Student.Status.ENROLLED
                    commute = school.area if rng.random() < 0.5 else rng.choice(residential)
                    interest = (
                        dept.segment if dept.segment and rng.random() < 0.7 else rng.choice(segment_codes)
                    )
                    how_many = min(rng.choice(_CERT_COUNTS[role]), len(dept.certifications))
                    picked = rng.sample(dept.certifications, how_many)
                    offsets = [rng.random() for _ in picked]
                    certs = []
                    if window is not None:
                        start, end = window
                        span = (end - start).days
                        certs = [
                            (c, start + datetime.timedelta(days=int(f * span)))
                            for c, f in zip(picked, offsets, strict=True)
                        ]
                    plans.append(
                        StudentPlan(
                            school=school.name,
                            department=dept.name,
                            number=f"{cohort - 2}{dept_no:02d}{seq:03d}",
                            name=name,
                            birth_date=born,
                            cohort=cohort,
                            role=role,
                            status=status,
                            commute_area=commute,
                            interest=interest,
                            certifications=certs,
                        )
                    )
    return plans


def roster(w: World, data=P, segments: tuple[tuple[str, str], ...] = SEGMENTS) -> None:
    w.plans = student_plans(w.timeline, data, segments)
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
                cohort=p.cohort,
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
                check = certificate_check(w, plan=p, certification=cert, acquired_on=day)
                new.append(
                    StudentCertification(student=student, certification=cert, acquired_on=day, **check)
                )
    StudentCertification.objects.bulk_create(new, batch_size=500)


def demo_student(w: World) -> Student:
    """The demo student account belongs to the first 이차전지 시스템제어과 student in the final year."""
    plan = next(
        p
        for p in w.plans
        if p.school == P.HEUNGHAE
        and p.department == "이차전지 시스템제어과"
        and p.role == T.CURRENT
        and p.status == Student.Status.ENROLLED
    )
    student = link_demo_student(w, plan)
    _demo_student_certifications(w, plan, student)
    return student


def link_demo_student(w: World, plan: StudentPlan) -> Student:
    """Give the demo student account to the student of `plan` (and to no other student)."""
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


def _demo_student_certifications(w: World, plan: StudentPlan, student: Student) -> None:
    """The demo student's profile shows a certification the school checked and one it has not yet."""
    held = set(student.held_certifications.values_list("certification__name", flat=True))
    wanted = (
        ("위험물기능사", datetime.date(plan.cohort - 1, 10, 17)),  # grade 2's autumn exams
        ("화학분석기능사", w.today - datetime.timedelta(days=12)),  # too recent to be checked
    )
    StudentCertification.objects.bulk_create(
        [
            StudentCertification(
                student=student,
                certification=w.vocab.certifications[name],
                acquired_on=day,
                **certificate_check(
                    w, plan=plan, certification=w.vocab.certifications[name], acquired_on=day
                ),
            )
            for name, day in wanted
            if name not in held
        ]
    )
