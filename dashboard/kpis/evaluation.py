"""Rows of the Ministry's evaluation pack that no dashboard endpoint already gives."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from dashboard.kpis.activity import practice_started
from dashboard.kpis.cohorts import cohort_students, employed_ids, progressed_ids
from dashboard.kpis.dates import percent
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from schools.models import FieldPractice


def participants_by_department(
    *, scope: DashboardScope, cohort: int, today: datetime.date | None = None
) -> list[dict]:
    """The cohort by school and department (one query).

    Students, those who took part in field practice, those employed on 1 April and
    those enrolled in a credit programme. Employment is None before the survey date.
    """
    today = today or timezone.localdate()
    survey = Cohort(cohort).survey_on
    practised = Q(pk__in=FieldPractice.objects.filter(practice_started()).order_by().values("student_id"))
    working = Q(pk__in=employed_ids(survey))
    enrolled = Q(pk__in=progressed_ids())
    rows = (
        cohort_students(scope=scope, cohort=cohort)
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
    if today < survey:
        return [{**row, "employed": None, "employment_rate": None} for row in rows]
    return [{**row, "employment_rate": percent(row["employed"], row["students"])} for row in rows]
