"""Synthetic data at scale for benchmarks, in its own district (slug ``synthetic``, or any slug given).

``seed_synthetic(ScaleParams(students=N, openings=M, preferences=K))`` builds, on top of
the shared vocabulary, N students of one cohort, M published openings with about
1.1 × N seats in all (1 to 200 each), K ranked preferences per student, certifications
held (about two thirds checked by the school), the departments' curricula of NCS units,
some field practice and agreements, and the cohort's matching round.

Preferences follow a latent popularity: each opening has a weight drawn from a
log-normal distribution (shared in part by all openings of a company), and each
student draws K distinct openings with probability proportional to weight, half the
time from their own field's openings. A few openings end up far more popular than
the rest, as in a real round.

Re-running: the district's description records the parameters. A run with the same
parameters that finds the district complete (the expected numbers of students,
published openings and preferences) changes nothing. Any other run deletes the
synthetic district and everything in it and builds it again, in one transaction, so
a failed run leaves the previous data as it was.

On PostgreSQL the large tables (students, openings, certifications held, field
practice, preferences and the openings' many-to-many rows) stream in through
``COPY … FROM STDIN``; elsewhere they go through ``bulk_create`` in large batches.

Modules: `params` (the scale asked for and its limits), `builder` (the bulk build);
this one decides whether to build, deletes the previous district and counts the result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q

from companies.models import Agreement, Company, Opening
from demo.synthetic.builder import Builder
from demo.synthetic.params import NAME, SLUG, ScaleParams
from district.models import District, Expenditure, IndustrySegment, JobRole
from placements.models import (
    Application,
    Match,
    MatchRound,
    MatchRun,
    Pathway,
    Placement,
    Preference,
    Suggestion,
)
from schools.models import CourseUnit, Department, FieldPractice, School, Student, StudentCertification
from universities.models import ProgramEnrollment

__all__ = ["ScaleParams", "SyntheticReport", "seed_synthetic", "synthetic_counts"]


@dataclass
class SyntheticReport:
    district: District
    created: bool
    counts: dict[str, int]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def seed_synthetic(
    params: ScaleParams,
    *,
    progress_stream=None,
    show_progress: bool = True,
    log=None,
    slug: str = SLUG,
    name: str = NAME,
) -> SyntheticReport:
    """Build the synthetic district `slug` (named `name`) at the scale of `params`, unless it is complete.

    `slug` and `name` let the national benchmark (`bench_dashboard --national`) build several
    such districts side by side; each is built, or kept, on its own.
    """
    params.validate()
    started = time.monotonic()
    say = log or (lambda message: None)
    with transaction.atomic():
        district = District.objects.filter(slug=slug).first()
        if district is not None and _is_complete(district, params):
            return SyntheticReport(district, False, synthetic_counts(district), time.monotonic() - started)
        if district is not None:
            say("Deleting the previous synthetic district…")
            _delete_district(district)
        builder = Builder(
            params, progress_stream=progress_stream, show_progress=show_progress, slug=slug, name=name
        )
        district = builder.build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Student, Opening, Preference, StudentCertification):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    counts = synthetic_counts(district)
    return SyntheticReport(district, True, counts, time.monotonic() - started, builder.timings)


def synthetic_counts(district: District) -> dict[str, int]:
    return {
        "schools": School.objects.filter(district=district).count(),
        "departments": Department.objects.filter(school__district=district).count(),
        "students": Student.objects.filter(school__district=district).count(),
        "certifications held": StudentCertification.objects.filter(
            student__school__district=district
        ).count(),
        "certifications checked": StudentCertification.objects.filter(
            student__school__district=district, verified_at__isnull=False
        ).count(),
        "curriculum units": CourseUnit.objects.filter(department__school__district=district).count(),
        "companies": Company.objects.filter(district=district).count(),
        "openings": Opening.objects.filter(company__district=district).count(),
        "seats": sum(Opening.objects.filter(company__district=district).values_list("seats", flat=True)),
        "preferences": Preference.objects.filter(student__school__district=district).count(),
        "field practices": FieldPractice.objects.filter(student__school__district=district).count(),
        "agreements": Agreement.objects.filter(district=district).count(),
        "match rounds": MatchRound.objects.filter(district=district).count(),
    }


def _is_complete(district: District, params: ScaleParams) -> bool:
    if params.marker not in district.description:
        return False
    return (
        Student.objects.filter(school__district=district).count() == params.students
        and Opening.objects.filter(company__district=district, status=Opening.Status.PUBLISHED).count()
        == params.openings
        and Preference.objects.filter(student__school__district=district).count()
        == params.students * params.preferences
        and MatchRound.objects.filter(district=district).exists()
    )


def _raw_delete(queryset) -> None:
    """DELETE … WHERE pk IN (subquery): no rows are loaded into Python. Only for leaf tables."""
    model = queryset.model
    qn = connection.ops.quote_name
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} IN ({sql})", params
        )


def _delete_district(district: District) -> None:
    """Remove the synthetic district and everything that hangs off it.

    The two largest leaf tables go first with a plain DELETE; then the rows that other
    rows PROTECT are removed in order, and the district's own cascade does the rest.
    """
    d = district
    _raw_delete(Preference.objects.filter(Q(student__school__district=d) | Q(opening__company__district=d)))
    _raw_delete(StudentCertification.objects.filter(student__school__district=d))
    # Nightly suggestions are a large leaf table too (ten a student).
    _raw_delete(Suggestion.objects.filter(Q(student__school__district=d) | Q(opening__company__district=d)))
    Placement.objects.filter(Q(student__school__district=d) | Q(company__district=d)).delete()
    ProgramEnrollment.objects.filter(
        Q(student__school__district=d) | Q(program__university__district=d)
    ).delete()
    Application.objects.filter(Q(student__school__district=d) | Q(opening__company__district=d)).delete()
    FieldPractice.objects.filter(Q(student__school__district=d) | Q(company__district=d)).delete()
    # A run's matches (one a student) go in one statement; the applications that pointed
    # at them are gone by now.
    _raw_delete(Match.objects.filter(Q(run__district=d) | Q(student__school__district=d)))
    MatchRun.objects.filter(Q(district=d) | Q(round__district=d)).delete()
    Expenditure.objects.filter(budget_line__district=d).delete()
    Pathway.objects.filter(Q(district=d) | Q(department__school__district=d)).delete()
    Student.objects.filter(Q(school__district=d) | Q(department__school__district=d)).delete()
    # Companies, schools and openings PROTECT the district's vocabulary, so they go before it.
    Company.objects.filter(district=d).delete()
    School.objects.filter(district=d).delete()
    JobRole.objects.filter(district=d).delete()
    IndustrySegment.objects.filter(district=d).delete()
    d.delete()
