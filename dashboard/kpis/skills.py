"""The skills gap: seats requiring a certification against cohort students holding it."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Sum

from companies.models import Opening
from dashboard.kpis.cohorts import in_cohort
from dashboard.kpis.openings import posted_in_year
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from district.models import Certification
from schools.models import StudentCertification


def skills_gap(*, scope: DashboardScope, cohort: int) -> list[dict]:
    """For each certification: seats requiring it against cohort students holding it (two queries).

    Seats: of the district's published or closed openings that start in the programme year the
    cohort is reported in (the year it graduates and starts work). Holders:
    students of the cohort holding the certification. Gap = seats − holders; the largest
    gaps first show where the curriculum should grow.

    Each side is one grouped query; they are joined on the certification here, over at
    most one row per certification.
    """
    year = Cohort(cohort).programme_year
    seats = (
        Opening.required_certifications.through.objects.filter(
            posted_in_year(year, prefix="opening__"), opening__company__district=scope.district
        )
        .order_by()
        .values("certification_id", "certification__name")
        .annotate(n=Sum("opening__seats"))
    )
    holders = _holders(scope=scope, cohort=cohort)
    rows: dict[int, dict] = {}
    for side, found in (("seats", seats), ("holders", holders)):
        for row in found:
            entry = rows.setdefault(
                row["certification_id"],
                {"id": row["certification_id"], "name": row["certification__name"], "seats": 0, "holders": 0},
            )
            entry[side] = row["n"]
    for entry in rows.values():
        entry["gap"] = entry["seats"] - entry["holders"]
    return sorted(rows.values(), key=lambda r: (-r["gap"], r["name"], r["id"]))


def _holders(*, scope: DashboardScope, cohort: int) -> list[dict]:
    """Cohort students holding each certification, with its name (one query).

    (student, certification) is unique, so a plain count counts students. The holdings are counted
    by certification id and the names joined to the grouped rows (a dozen), not to each holding
    (150,000 at 100,000 students).
    """
    counted = (
        StudentCertification.objects.filter(in_cohort(scope=scope, cohort=cohort, prefix="student__"))
        .order_by()
        .values("certification_id")
        .annotate(n=Count("pk"))
    )
    try:
        sql, params = counted.query.sql_with_params()
    except EmptyResultSet:  # no school in the scope
        return []
    connection = connections[counted.db]
    table = connection.ops.quote_name(Certification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT h.certification_id, c.name, h.n FROM ({sql}) h "
            f"JOIN {table} c ON c.id = h.certification_id",
            params,
        )
        return [
            {"certification_id": pk, "certification__name": name, "n": n} for pk, name, n in cursor.fetchall()
        ]
