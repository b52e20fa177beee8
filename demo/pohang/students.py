"""The Pohang demo's students: the fixed roster, their certifications, and the demo student account."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from demo.pohang import data as P
from demo.pohang.world import R, StudentPlan, World, random_stream
from demo.util import korean_name
from demo.vocabulary import SEGMENTS
from schools.models import (
    Student,
    StudentCertification,
    guardian_consent_message,
)

_RESIDENTIAL = [code for code, _n, industrial, _p in P.AREAS if not industrial]
_CERT_COUNTS = {2025: (0, 1, 1, 2, 2, 3), 2026: (0, 1, 1, 2, 2), 2027: (0, 0, 1, 1)}
_CERT_WINDOWS = {
    2025: (datetime.date(2024, 3, 1), datetime.date(2025, 11, 30)),
    2026: (datetime.date(2025, 3, 1), datetime.date(2026, 10, 31)),
    2027: (datetime.date(2025, 9, 1), datetime.date(2026, 10, 31)),
}


def student_plans() -> list[StudentPlan]:
    """The demo roster, the same on every run: about 600 students in three cohorts."""
    rng = random_stream("students")
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
                        StudentPlan(
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


def roster(w: World) -> None:
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
                new.append(StudentCertification(student=student, certification=cert, acquired_on=day))
    StudentCertification.objects.bulk_create(new, batch_size=500)


def demo_student(w: World) -> Student:
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
