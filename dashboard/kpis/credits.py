"""Credit programmes: graduates enrolled and their credits toward the degree (DEGREE_CREDITS)."""

from __future__ import annotations

import datetime
import itertools

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from universities.models import DEGREE_CREDITS, CreditProgram, CreditRecord, ProgramEnrollment


def credit_progress(*, scope: DashboardScope, cohort: int) -> dict:
    """Graduates of the scope in credit programmes, and their credits toward 80 or 140 (one query on
    PostgreSQL, two elsewhere: `_programs_and_degrees`).

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
    per_enrolment = enrolments.values(
        "student_id",
        "status",
        "earned",
        "goal",
        "program_id",
        program_name=F("program__name"),
        university_name=F("program__university__name"),
        degree=F("program__degree"),
    )
    programs, degrees = _programs_and_degrees(per_enrolment)
    degree_labels = dict(CreditProgram.Degree.choices)
    for row in itertools.chain(programs, degrees):
        row["goal"] = DEGREE_CREDITS[row["degree"]]
        row["degree_label"] = str(degree_labels.get(row["degree"], row["degree"]))
        # PostgreSQL sums whole numbers as numeric (Decimal); the API promises an integer.
        row["credits"] = int(row["credits"])
        row["average_credits"] = (
            round(float(row["average_credits"]), 1) if row["average_credits"] is not None else None
        )
    return {"programs": programs, "degrees": degrees}


# The measures of each group of enrolments, as SQL over the columns of `credit_progress`'s rows.
CREDIT_MEASURES = {
    "enrolled": "COUNT(*)",
    "students": "COUNT(DISTINCT e.student_id)",
    "active": "COUNT(*) FILTER (WHERE e.status = 'active')",
    "completed": "COUNT(*) FILTER (WHERE e.status = 'completed')",
    "credits": "COALESCE(SUM(e.earned), 0)",
    "average_credits": "AVG(e.earned)",
    "reached_goal": "COUNT(*) FILTER (WHERE e.earned >= e.goal)",
}


# The keys and order of each table: by programme, and by degree.
PROGRAM_KEYS = ("program_id", "program_name", "university_name", "degree")
PROGRAM_ORDER = ("university_name", "program_name", "program_id")
DEGREE_KEYS = ("degree",)


def _programs_and_degrees(per_enrolment) -> tuple[list[dict], list[dict]]:
    """The enrolments' measures by programme and by degree.

    On PostgreSQL one statement counts both (GROUPING SETS) over the enrolments read once: a
    MATERIALIZED common table expression, so that each enrolment's credits (a correlated
    subquery) are summed once, not once per measure that reads them, as an inlined subquery
    would repeat them. Elsewhere, one query per table (`_grouped`).
    """
    if connections[per_enrolment.db].vendor != "postgresql":
        return (
            _grouped(per_enrolment, PROGRAM_KEYS, order=PROGRAM_ORDER),
            _grouped(per_enrolment, DEGREE_KEYS, order=DEGREE_KEYS),
        )
    try:
        sql, params = per_enrolment.query.sql_with_params()
    except EmptyResultSet:  # no school in the scope
        return [], []
    db = connections[per_enrolment.db]
    qn = db.ops.quote_name
    program = ", ".join(f"e.{qn(key)}" for key in PROGRAM_KEYS)
    degree = ", ".join(f"e.{qn(key)}" for key in DEGREE_KEYS)
    # Programme rows first (GROUPING 0), each table in its own order.
    ordering = ", ".join(f"e.{qn(key)}" for key in (*PROGRAM_ORDER, *DEGREE_KEYS))
    measures = ", ".join(CREDIT_MEASURES.values())
    with db.cursor() as cursor:
        cursor.execute(
            f"WITH e AS MATERIALIZED ({sql}) "
            f"SELECT GROUPING(e.{qn('program_id')}), {program}, {measures} FROM e "
            f"GROUP BY GROUPING SETS (({program}), ({degree})) ORDER BY 1, {ordering}",
            params,
        )
        rows = cursor.fetchall()
    programs, degrees = [], []
    for by_degree, *values in rows:
        row = dict(zip((*PROGRAM_KEYS, *CREDIT_MEASURES), values, strict=True))
        if by_degree:
            degrees.append({key: row[key] for key in (*DEGREE_KEYS, *CREDIT_MEASURES)})
        else:
            programs.append(row)
    return programs, degrees


def _grouped(per_enrolment, keys: tuple[str, ...], *, order: tuple[str, ...]) -> list[dict]:
    """The enrolments' measures per group of `keys` (one query).

    Counted in an outer query over one row per enrolment, so that each enrolment's credits (a
    correlated subquery) are summed once, not once per measure that reads them, as the ORM's
    GROUP BY would repeat it.
    """
    try:
        sql, params = per_enrolment.query.sql_with_params()
    except EmptyResultSet:  # no school in the scope
        return []
    db = connections[per_enrolment.db]
    qn = db.ops.quote_name
    columns = ", ".join(f"e.{qn(key)}" for key in keys)
    measures = ", ".join(CREDIT_MEASURES.values())
    ordering = ", ".join(f"e.{qn(key)}" for key in order)
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, {measures} FROM ({sql}) e GROUP BY {columns} ORDER BY {ordering}", params
        )
        return [dict(zip((*keys, *CREDIT_MEASURES), row, strict=True)) for row in cursor.fetchall()]
