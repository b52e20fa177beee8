"""The skills gap: seats requiring a certification against cohort students holding it."""

from __future__ import annotations

from django.db.models import Count, Sum

from companies.models import Opening
from dashboard.kpis.cohorts import in_cohort
from dashboard.kpis.openings import posted_in_year
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
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
    # (student, certification) is unique, so a plain count counts students.
    holders = (
        StudentCertification.objects.filter(in_cohort(scope=scope, cohort=cohort, prefix="student__"))
        .order_by()
        .values("certification_id", "certification__name")
        .annotate(n=Count("pk"))
    )
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
