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
    Activity,
    AttendanceRecord,
    CourseUnit,
    FieldPractice,
    ProfileSnapshot,
    Project,
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


# Each part of the document is read for many students at once (a snapshot for each offer of a
# published round); the one-student functions below are the same reads for a list of one.


def _by_student(rows, build) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        found[row.student_id].append(build(row))
    return found


def _certifications(student_ids: list[int]) -> dict[int, list[dict]]:
    rows = StudentCertification.objects.filter(student_id__in=student_ids).select_related("certification")
    return _by_student(
        rows.order_by("acquired_on", "pk"),
        lambda held: {
            "id": held.certification_id,
            "name": held.certification.name,
            "acquired_on": _iso(held.acquired_on),
            "number": held.number if held.is_verified else "",
            "verified_on": _iso(held.verified_at),
        },
    )


def _ncs_units(students: list[Student], today: datetime.date) -> dict[int, list[dict]]:
    """The department's curriculum units with an NCS unit, each marked completed or not yet."""
    by_department: dict[int, list[CourseUnit]] = defaultdict(list)
    rows = (
        CourseUnit.objects.filter(department_id__in={s.department_id for s in students})
        .select_related("ncs_unit")
        .order_by("grade_year", "ncs_unit__code", "pk")
    )
    for unit in rows:
        by_department[unit.department_id].append(unit)
    found: dict[int, list[dict]] = {}
    for student in students:
        grade = Cohort(student.cohort).grade_on(today)
        seen: set[int] = set()
        units = []
        for unit in by_department.get(student.department_id, ()):
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
        found[student.pk] = units
    return found


def _attendance(student_ids: list[int]) -> dict[int, list[dict]]:
    return _by_student(
        AttendanceRecord.objects.filter(student_id__in=student_ids).order_by("school_year"),
        lambda row: {
            "school_year": row.school_year,
            "absences": row.absences,
            "late": row.late,
            "left_early": row.left_early,
        },
    )


def _field_practice(student_ids: list[int]) -> dict[int, list[dict]]:
    rows = (
        FieldPractice.objects.filter(student_id__in=student_ids, status__in=PROFILE_PRACTICE_STATUSES)
        .select_related("company")
        .order_by("-starts_on", "-pk")
    )
    return _by_student(
        rows,
        lambda practice: {
            "company": practice.company.name,
            "starts_on": _iso(practice.starts_on),
            "ends_on": _iso(practice.ends_on),
            "status": practice.status,
            "evaluation": practice.host_evaluation,
        },
    )


def verified_facts_of(*, students: Iterable[Student], today: datetime.date | None = None) -> dict[int, dict]:
    """The half of the profile that the school holds and only staff change ("학교 확인"), by student id.

    Four queries for any number of students (their school and department must be loaded with them).
    """
    today = today or timezone.localdate()
    students = list(students)
    ids = [s.pk for s in students]
    certifications, units = _certifications(ids), _ncs_units(students, today)
    attendance, practice = _attendance(ids), _field_practice(ids)
    return {
        s.pk: {
            "school": s.school.name,
            "department": s.department.name,
            "cohort": s.cohort,
            "certifications": certifications.get(s.pk, []),
            "ncs_units": units[s.pk],
            "attendance": attendance.get(s.pk, []),
            "field_practice": practice.get(s.pk, []),
        }
        for s in students
    }


def verified_facts(*, student: Student, today: datetime.date | None = None) -> dict:
    """The half of the profile that the school holds and only staff change ("학교 확인")."""
    return verified_facts_of(students=[student], today=today)[student.pk]


def self_introduction_of(student: Student) -> SelfIntroduction:
    """The student's 자기소개서, or an empty unsaved one."""
    try:
        return student.self_introduction
    except SelfIntroduction.DoesNotExist:
        return SelfIntroduction(student=student)


def _self_introductions(students: list[Student]) -> dict[int, SelfIntroduction | None]:
    """Each student's 자기소개서, reusing one a page has loaded already (one query for the rest)."""
    cache = Student.self_introduction.related  # the reverse one-to-one's cache on each student
    found = {s.pk: cache.get_cached_value(s) for s in students if cache.is_cached(s)}
    missing = [s.pk for s in students if s.pk not in found]
    if missing:
        found.update({i.student_id: i for i in SelfIntroduction.objects.filter(student_id__in=missing)})
    return found


def own_content_of(*, students: Iterable[Student]) -> dict[int, dict]:
    """The half of the profile that each student wrote and controls, by student id (three queries)."""
    students = list(students)
    ids = [s.pk for s in students]
    intros = _self_introductions(students)
    activities = _by_student(
        Activity.objects.filter(student_id__in=ids).order_by("-date", "pk"),
        lambda activity: {
            "kind": activity.kind,
            "title": activity.title,
            "organiser": activity.organiser,
            "date": _iso(activity.date),
            "description": activity.description,
        },
    )
    projects = _by_student(
        Project.objects.filter(student_id__in=ids).select_related("file").order_by("-date", "pk"),
        lambda project: {
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
        },
    )
    empty = SelfIntroduction()
    return {
        pk: {
            "self_introduction": {
                name: getattr(intros.get(pk) or empty, name) for name in SelfIntroduction.ANSWERS
            },
            "activities": activities.get(pk, []),
            "projects": projects.get(pk, []),
        }
        for pk in ids
    }


def own_content(*, student: Student) -> dict:
    """The half of the profile that the student wrote and controls."""
    return own_content_of(students=[student])[student.pk]


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
