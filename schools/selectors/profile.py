"""Reads for the student's profile: one document for every page that shows it.

`profile_document` builds the profile as plain JSON values (dates as ISO strings). The
student's own page, the school's read-only view, the A4 print layout and a company's
snapshot all render this one document with `templates/schools/includes/profile_document.html`,
so the student sees exactly what a company sees. A snapshot (`ProfileSnapshot`) stores
the document's two halves as they were when it was taken:

- ``verified``: what the school holds and checked ("학교 확인"): school, department, cohort,
  certifications (with number and check date once checked), NCS units from the
  department's curriculum, attendance per school year, and field practice with the
  host's evaluation;
- ``own``: what the student wrote: the 자기소개서 answers, awards and activities, and
  projects (with their file's name, type and size, never its path). A snapshot adds the
  answer to the opening's own question.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from district.cohorts import Cohort
from schools.models import (
    AttendanceRecord,
    CourseUnit,
    FieldPractice,
    ProfileSnapshot,
    SelfIntroduction,
    Student,
    StudentCertification,
)

# Field practice that a profile shows: under way or done (never planned or cancelled).
PROFILE_PRACTICE_STATUSES = (
    FieldPractice.Status.IN_PROGRESS,
    FieldPractice.Status.ON_HOLD,
    FieldPractice.Status.COMPLETED,
)


def _iso(day: datetime.date | datetime.datetime | None) -> str | None:
    if day is None:
        return None
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    return day.isoformat()


def completed_ncs_units(*, students: Iterable[Student], today: datetime.date) -> dict[int, set[int]]:
    """For each student, the NCS units of their department's curriculum in grades they have finished.

    A grade's units count as completed once the next school year has started (see
    `Cohort.grade_on`). One query for all the students' departments. The fit score reads
    this (never anything the student wrote).
    """
    students = list(students)
    units: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for department_id, ncs_unit_id, grade_year in CourseUnit.objects.filter(
        department_id__in={s.department_id for s in students}
    ).values_list("department_id", "ncs_unit_id", "grade_year"):
        units[department_id].append((ncs_unit_id, grade_year))
    found: dict[int, set[int]] = {}
    for student in students:
        grade = Cohort(student.cohort).grade_on(today)
        found[student.pk] = {
            unit for unit, grade_year in units.get(student.department_id, ()) if grade_year < grade
        }
    return found


def _certifications(student: Student) -> list[dict]:
    rows = StudentCertification.objects.filter(student=student).select_related("certification")
    return [
        {
            "id": held.certification_id,
            "name": held.certification.name,
            "acquired_on": _iso(held.acquired_on),
            "number": held.number if held.is_verified else "",
            "verified_on": _iso(held.verified_at),
        }
        for held in rows.order_by("acquired_on", "pk")
    ]


def _ncs_units(student: Student, today: datetime.date) -> list[dict]:
    """The department's curriculum units with an NCS unit, each marked completed or not yet."""
    grade = Cohort(student.cohort).grade_on(today)
    rows = (
        CourseUnit.objects.filter(department_id=student.department_id)
        .select_related("ncs_unit")
        .order_by("grade_year", "ncs_unit__code", "pk")
    )
    seen: set[int] = set()
    units = []
    for unit in rows:
        if unit.ncs_unit_id in seen:
            continue
        seen.add(unit.ncs_unit_id)
        units.append(
            {
                "id": unit.ncs_unit_id,
                "code": unit.ncs_unit.code,
                "name": unit.ncs_unit.name,
                "grade_year": unit.grade_year,
                "completed": unit.grade_year < grade,
            }
        )
    return units


def _attendance(student: Student) -> list[dict]:
    return [
        {
            "school_year": row.school_year,
            "absences": row.absences,
            "late": row.late,
            "left_early": row.left_early,
        }
        for row in AttendanceRecord.objects.filter(student=student).order_by("school_year")
    ]


def _field_practice(student: Student) -> list[dict]:
    rows = (
        FieldPractice.objects.filter(student=student, status__in=PROFILE_PRACTICE_STATUSES)
        .select_related("company")
        .order_by("-starts_on", "-pk")
    )
    return [
        {
            "company": practice.company.name,
            "starts_on": _iso(practice.starts_on),
            "ends_on": _iso(practice.ends_on),
            "status": practice.status,
            "evaluation": practice.host_evaluation,
        }
        for practice in rows
    ]


def verified_facts(*, student: Student, today: datetime.date | None = None) -> dict:
    """The half of the profile that the school holds and only staff change ("학교 확인")."""
    today = today or timezone.localdate()
    return {
        "school": student.school.name,
        "department": student.department.name,
        "cohort": student.cohort,
        "certifications": _certifications(student),
        "ncs_units": _ncs_units(student, today),
        "attendance": _attendance(student),
        "field_practice": _field_practice(student),
    }


def self_introduction_of(student: Student) -> SelfIntroduction:
    """The student's 자기소개서, or an empty unsaved one."""
    try:
        return student.self_introduction
    except SelfIntroduction.DoesNotExist:
        return SelfIntroduction(student=student)


def own_content(*, student: Student) -> dict:
    """The half of the profile that the student wrote and controls."""
    intro = self_introduction_of(student)
    return {
        "self_introduction": {name: getattr(intro, name) for name in SelfIntroduction.ANSWERS},
        "activities": [
            {
                "kind": activity.kind,
                "title": activity.title,
                "organiser": activity.organiser,
                "date": _iso(activity.date),
                "description": activity.description,
            }
            for activity in student.activities.order_by("-date", "pk")
        ],
        "projects": [
            {
                "title": project.title,
                "description": project.description,
                "date": _iso(project.date),
                "file": None
                if project.file is None
                else {
                    "id": project.file.pk,
                    "name": project.file.original_name,
                    "content_type": project.file.content_type,
                    "size": project.file.size,
                },
            }
            for project in student.projects.select_related("file").order_by("-date", "pk")
        ],
    }


def profile_document(*, student: Student, today: datetime.date | None = None) -> dict:
    """The whole profile as it stands now: ``{"verified": …, "own": …}`` (see the module docstring)."""
    return {"verified": verified_facts(student=student, today=today), "own": own_content(student=student)}


def snapshot_document(snapshot: ProfileSnapshot) -> dict:
    """A snapshot as the same document; ``own`` is None once the student withdrew the application."""
    return {"verified": snapshot.verified, "own": snapshot.own, "taken_at": snapshot.taken_at}


def has_self_introduction(student: Student) -> bool:
    return not self_introduction_of(student).is_empty


# --- Issue 15 (school): who has no 자기소개서 yet ----------------------------------------------


def self_introduction_written():
    """An expression, true for a student whose 자기소개서 has at least one non-empty answer.

    The queryset form of `has_self_introduction`: an answer counts once it has a character that
    is not white space, as `SelfIntroduction.is_empty` judges it.
    """
    answered = Q()
    for name in SelfIntroduction.ANSWERS:
        answered |= Q(**{f"{name}__regex": r"\S"})
    return Exists(SelfIntroduction.objects.filter(answered, student=OuterRef("pk")))


def students_without_self_introduction(queryset):
    """The students of `queryset` with no 자기소개서, or one whose every answer is empty."""
    return queryset.filter(~self_introduction_written())
