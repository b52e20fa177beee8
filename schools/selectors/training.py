"""Reads of teachers and their training: the district's programmes and the hours each teacher completed."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from district import access
from schools.models import School, Teacher, TeacherTraining, TrainingCompletion
from schools.selectors.schools import get_or_404


def teacher_list(*, user) -> QuerySet[Teacher]:
    return (
        Teacher.objects.filter(school_id__in=access.school_ids(user))
        .select_related("school")
        .order_by("school__name", "name")
    )


def training_list(*, user) -> QuerySet[TeacherTraining]:
    """The district's trainings, with how many of the staff member's teachers completed each."""
    schools = access.school_ids(user)
    return (
        TeacherTraining.objects.filter(district__in=_district_ids_of(schools))
        .prefetch_related("co_hosts")
        .annotate(own_completions=Count("completions", filter=Q(completions__teacher__school_id__in=schools)))
        .order_by("-starts_on", "title")
    )


def get_training_for_user(user, pk) -> TeacherTraining:
    return get_or_404(
        TeacherTraining.objects.filter(district__in=_district_ids_of(access.school_ids(user))), pk
    )


def _district_ids_of(school_ids):
    return School.objects.filter(pk__in=school_ids).values("district_id")


def training_hours_by_teacher(*, user) -> tuple[list[int], list[dict]]:
    """Hours of completed training per teacher per year (of completion), for the staff member's teachers."""
    rows = (
        TrainingCompletion.objects.filter(teacher__school_id__in=access.school_ids(user))
        .annotate(year=ExtractYear("completed_on"))
        .values("teacher_id", "year")
        .annotate(hours=Sum("hours"))
    )
    by_teacher: dict[int, dict[int, int]] = defaultdict(dict)
    years: set[int] = set()
    for row in rows:
        by_teacher[row["teacher_id"]][row["year"]] = row["hours"]
        years.add(row["year"])
    ordered_years = sorted(years, reverse=True)
    table = [
        {
            "teacher": teacher,
            "hours": [by_teacher.get(teacher.pk, {}).get(year, 0) for year in ordered_years],
            "total": sum(by_teacher.get(teacher.pk, {}).values()),
        }
        for teacher in teacher_list(user=user)
    ]
    return ordered_years, table
