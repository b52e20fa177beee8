"""The scoring inputs of the matching, loaded one way for the matching runs and the nightly suggestions.

Both `placements.selectors.runs.round_inputs` and `placements.services.suggestions` read
students, openings and the district's shared facts as plain values for
`placements.matching.scoring`, through these loaders. The openings are the district's
public openings only (`companies.models.public_opening_q`: published, deadline not passed,
company verified): a run never offers, and a suggestion never shows, an opening that no
one may apply to.

The students' loader reads school-recorded facts only (certifications and which of them the
school checked, the curriculum completed, field practice), never the profile's free text:
the fit must not depend on what a student wrote (issue 15).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import NamedTuple

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from companies.models import Agreement, Opening, public_opening_q
from district.models import Certification, CommuteTime, JobRole, NcsUnit
from placements.matching.scoring import OpeningProfile, ScoringContext, StudentProfile, fit_score
from schools.models import Student, StudentCertification
from schools.selectors.profile import completed_ncs_units
from schools.selectors.students import completed_practice_company_ids


class _Curriculum(NamedTuple):
    """The three fields of a student that `completed_ncs_units` reads, without a model instance."""

    pk: int
    department_id: int | None
    cohort: int


def student_profiles(
    students: QuerySet[Student], *, today: datetime.date | None = None
) -> dict[int, StudentProfile]:
    """The students' scoring profiles, in four queries: the students (with their department's
    segment), the certifications they hold (with whether the school checked them), their
    completed field practice, and their departments' curricula.

    `today` (default: the local date) decides which grades are finished, so which NCS units
    count as completed (`schools.selectors.profile.completed_ncs_units`). A matching run passes
    its own date, so a re-run of the same inputs reads the same units.
    """
    today = today or timezone.localdate()
    held: dict[int, set[int]] = defaultdict(set)
    verified: dict[int, set[int]] = defaultdict(set)
    for student_id, certification_id, verified_at in StudentCertification.objects.filter(
        student__in=students.values("pk")
    ).values_list("student_id", "certification_id", "verified_at"):
        held[student_id].add(certification_id)
        if verified_at is not None:
            verified[student_id].add(certification_id)
    rows = list(
        students.values_list(
            "id",
            "school_id",
            "department_id",
            "department__segment_id",
            "field_of_interest_id",
            "commute_area_id",
            "cohort",
        )
    )
    practice = completed_practice_company_ids(student_ids=[row[0] for row in rows])
    completed = completed_ncs_units(
        students=[_Curriculum(row[0], row[2], row[6]) for row in rows], today=today
    )
    # Students of one department and grade share one set object: the score caches by it.
    interned: dict[frozenset[int], frozenset[int]] = {}

    def units_of(sid: int) -> frozenset[int]:
        units = frozenset(completed.get(sid, ()))
        return interned.setdefault(units, units)

    return {
        sid: StudentProfile(
            id=sid,
            school_id=school,
            department_id=dept,
            department_segment_id=dseg,
            interest_segment_id=interest,
            area_id=area,
            certifications=frozenset(held.get(sid, ())),
            practice_companies=frozenset(practice.get(sid, ())),
            verified_certifications=frozenset(verified.get(sid, ())),
            ncs_units=units_of(sid),
        )
        for sid, school, dept, dseg, interest, area, _cohort in rows
    }


def public_openings(*, district_id: int, today: datetime.date) -> QuerySet[Opening]:
    """The district's public openings: the only ones a matching run or a suggestion may use."""
    return Opening.objects.filter(public_opening_q(today=today), company__district_id=district_id)


def opening_profiles(
    openings: QuerySet[Opening], *, extra_fields: tuple[str, ...] = (), **annotations
) -> tuple[dict[int, OpeningProfile], dict[int, tuple]]:
    """The openings' scoring profiles, in four queries: the openings, the certifications they
    require, the departments they prefer and the NCS units of their job roles.

    `extra_fields` (fields, or names of `annotations`) are read in the same query and
    returned as a tuple for each opening id, in that order.
    """
    required: dict[int, set[int]] = defaultdict(set)
    for opening_id, certification_id in Opening.required_certifications.through.objects.filter(
        opening__in=openings.values("pk")
    ).values_list("opening_id", "certification_id"):
        required[opening_id].add(certification_id)
    preferred: dict[int, set[int]] = defaultdict(set)
    for opening_id, department_id in Opening.preferred_departments.through.objects.filter(
        opening__in=openings.values("pk")
    ).values_list("opening_id", "department_id"):
        preferred[opening_id].add(department_id)
    role_units: dict[int, set[int]] = defaultdict(set)
    for role_id, unit_id in JobRole.ncs_units.through.objects.filter(
        jobrole_id__in=openings.values("job_role_id")
    ).values_list("jobrole_id", "ncsunit_id"):
        role_units[role_id].add(unit_id)
    rows = openings.annotate(segment=Coalesce("job_role__segment_id", "company__segment_id"), **annotations)
    profiles: dict[int, OpeningProfile] = {}
    extras: dict[int, tuple] = {}
    for oid, company, segment, area, role, *extra in rows.values_list(
        "id", "company_id", "segment", "work_area_id", "job_role_id", *extra_fields
    ):
        profiles[oid] = OpeningProfile(
            id=oid,
            company_id=company,
            segment_id=segment,
            area_id=area,
            required_certifications=frozenset(required.get(oid, ())),
            preferred_departments=frozenset(preferred.get(oid, ())),
            role_ncs_units=frozenset(role_units.get(role, ())),
        )
        extras[oid] = tuple(extra)
    return profiles, extras


def scoring_context(*, district_id: int, today: datetime.date) -> ScoringContext:
    """The district's shared facts, in two queries: commute times between its areas, and the
    priorities of its agreements valid on `today` (the highest per company and school)."""
    commutes = {
        (origin, destination): minutes
        for origin, destination, minutes in CommuteTime.objects.filter(
            origin__district_id=district_id
        ).values_list("origin_id", "destination_id", "minutes")
    }
    priority: dict[tuple[int, int | None], int] = {}
    for company, school, value in Agreement.objects.filter(
        district_id=district_id, valid_from__lte=today, valid_until__gte=today, priority__gt=0
    ).values_list("company_id", "school_id", "priority"):
        key = (company, school)
        priority[key] = max(priority.get(key, 0), value)
    return ScoringContext(commute_minutes=commutes, agreement_priority=priority)


def certification_names() -> dict[int, str]:
    """Every certification's name by id (one query), for the explanations."""
    return dict(Certification.objects.values_list("id", "name"))


def ncs_unit_names() -> dict[int, str]:
    """Every NCS unit's name by id (one query), for the explanations."""
    return dict(NcsUnit.objects.values_list("id", "name"))


def applicant_fit_scores(
    *, opening: Opening, students: QuerySet[Student], today: datetime.date
) -> dict[int, int | None]:
    """Each student's fit for one opening, by student id, as a matching run scores it (None: not
    eligible, a required certification missing). Eight queries, however many students."""
    profiles = student_profiles(students, today=today)
    openings, _extras = opening_profiles(Opening.objects.filter(pk=opening.pk))
    context = scoring_context(district_id=opening.company.district_id, today=today)
    target = openings[opening.pk]
    return {student_id: fit_score(profile, target, context) for student_id, profile in profiles.items()}
