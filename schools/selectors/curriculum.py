"""Reads of departments (with their reorganisations) and of the curriculum's course units.

Departments are also public (`department_list_public`, read by the API), and so is each
department's curriculum on the pathway pages (`curriculum_for_departments`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from district import access
from schools.models import CourseUnit, Department, Student
from schools.selectors.schools import get_or_404


def department_list(*, user) -> QuerySet[Department]:
    return (
        Department.objects.filter(school_id__in=access.school_ids(user))
        .select_related("school", "segment", "replaced")
        .annotate(student_count=Count("students", filter=Q(students__status=Student.Status.ENROLLED)))
        .order_by("school__name", "-is_active", "name")
    )


def get_department_for_user(user, pk) -> Department:
    return get_or_404(Department.objects.filter(school_id__in=access.school_ids(user)), pk)


def department_list_public() -> QuerySet[Department]:
    """Every department of every school in the programme."""
    return Department.objects.select_related("school", "segment").order_by("school__name", "name", "pk")


@dataclass(frozen=True)
class TimelineEvent:
    year: int
    kind: str  # "established" or "reorganised"
    department: Department
    replaced: Department | None = None


def department_timeline(departments) -> list[tuple[int, list[TimelineEvent]]]:
    """Years with what happened in each: departments opened, and which department replaced which."""
    events: dict[int, list[TimelineEvent]] = defaultdict(list)
    for department in departments:
        if department.replaced_id and department.reorganised_year:
            events[department.reorganised_year].append(
                TimelineEvent(department.reorganised_year, "reorganised", department, department.replaced)
            )
        elif department.established_year:
            events[department.established_year].append(
                TimelineEvent(department.established_year, "established", department)
            )
    return sorted(events.items(), reverse=True)


def course_unit_list(*, user, filters: dict | None = None) -> QuerySet[CourseUnit]:
    filters = filters or {}
    queryset = (
        CourseUnit.objects.filter(department__school_id__in=access.school_ids(user))
        .select_related("department__school", "ncs_unit")
        .prefetch_related("co_developers", "certifications")
        .order_by("department__school__name", "department__name", "grade_year", "title")
    )
    if filters.get("department"):
        queryset = queryset.filter(department_id=filters["department"])
    return queryset


def get_course_unit_for_user(user, pk) -> CourseUnit:
    return get_or_404(CourseUnit.objects.filter(department__school_id__in=access.school_ids(user)), pk)


def curriculum_for_departments(*, department_ids) -> dict[int, list[CourseUnit]]:
    """Course units by department, with co-developers and the certifications they prepare for.

    For the public pathway pages (issue 4): three queries however many departments.
    """
    found: dict[int, list[CourseUnit]] = defaultdict(list)
    units = (
        CourseUnit.objects.filter(department_id__in=list(department_ids))
        .select_related("ncs_unit")
        .prefetch_related("co_developers", "certifications")
        .order_by("grade_year", "title")
    )
    for unit in units:
        found[unit.department_id].append(unit)
    return dict(found)
