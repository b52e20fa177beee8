"""Rows of the Ministry's evaluation pack that no dashboard endpoint already gives."""

from __future__ import annotations

from django.db.models import Count, F, Q

from dashboard.kpis.activity import practice_started
from dashboard.kpis.cohorts import cohort_students, employed_ids, progressed_ids
from dashboard.kpis.dates import percent
from dashboard.kpis.scope import DashboardScope
from district.cohorts import survey_date
from schools.models import FieldPractice


def participants_by_department(*, scope: DashboardScope, year: int) -> list[dict]:
    """The cohort by school and department (one query).

    Students, those who took part in field practice, those employed on 1 April and
    those enrolled in a credit programme.
    """
    practised = Q(pk__in=FieldPractice.objects.filter(practice_started()).order_by().values("student_id"))
    working = Q(pk__in=employed_ids(survey_date(year)))
    enrolled = Q(pk__in=progressed_ids())
    rows = (
        cohort_students(scope=scope, year=year)
        .order_by()
        .values(school_name=F("school__name"), department_name=F("department__name"))
        .annotate(
            students=Count("pk"),
            field_practice=Count("pk", filter=practised),
            employed=Count("pk", filter=working),
            progressed=Count("pk", filter=enrolled),
        )
        .order_by("school_name", "department_name")
    )
    return [{**row, "employment_rate": percent(row["employed"], row["students"])} for row in rows]
