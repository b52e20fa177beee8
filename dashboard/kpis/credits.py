"""Credit programmes: graduates enrolled and their credits toward the degree (DEGREE_CREDITS)."""

from __future__ import annotations

import datetime
import itertools

from django.db.models import Avg, Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from universities.models import DEGREE_CREDITS, CreditProgram, CreditRecord, ProgramEnrollment


def credit_progress(*, scope: DashboardScope, cohort: int) -> dict:
    """Graduates of the scope in credit programmes, and their credits toward 80 or 140 (two queries).

    Enrolments made by the end of the programme year the cohort is reported in
    (`Cohort.programme_year`); credits recorded for that year or earlier. The
    goal is 80 credits for an associate degree and 140 for a bachelor's (Academic Credit
    Bank). Rows by programme and totals by degree.
    """
    year = Cohort(cohort).programme_year
    earned = (
        CreditRecord.objects.filter(enrollment=OuterRef("pk"), year__lte=year)
        .order_by()
        .values("enrollment")
        .annotate(s=Sum("credits"))
        .values("s")
    )
    goal = Case(
        *(When(program__degree=degree, then=Value(n)) for degree, n in DEGREE_CREDITS.items()),
        output_field=IntegerField(),
    )
    enrolments = (
        ProgramEnrollment.objects.filter(
            scope.students("student__"), enrolled_on__lte=datetime.date(year, 12, 31)
        )
        .order_by()
        .annotate(earned=Coalesce(Subquery(earned, output_field=IntegerField()), 0), goal=goal)
    )
    measures = {
        "enrolled": Count("pk"),
        "students": Count("student", distinct=True),
        "active": Count("pk", filter=Q(status="active")),
        "completed": Count("pk", filter=Q(status="completed")),
        "credits": Coalesce(Sum("earned"), 0),
        "average_credits": Avg("earned"),
        "reached_goal": Count("pk", filter=Q(earned__gte=F("goal"))),
    }
    programs = list(
        enrolments.values(
            "program_id",
            program_name=F("program__name"),
            university_name=F("program__university__name"),
            degree=F("program__degree"),
        )
        .annotate(**measures)
        .order_by("university_name", "program_name", "program_id")
    )
    degrees = list(enrolments.values(degree=F("program__degree")).annotate(**measures).order_by("degree"))
    degree_labels = dict(CreditProgram.Degree.choices)
    for row in itertools.chain(programs, degrees):
        row["goal"] = DEGREE_CREDITS[row["degree"]]
        row["degree_label"] = str(degree_labels.get(row["degree"], row["degree"]))
        row["average_credits"] = (
            round(row["average_credits"], 1) if row["average_credits"] is not None else None
        )
    return {"programs": programs, "degrees": degrees}
