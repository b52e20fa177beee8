"""The scoring inputs of the matching, loaded one way for the matching runs and the nightly suggestions.

Both `placements.selectors.runs.round_inputs` and `placements.services.suggestions` read
students, openings and the district's shared facts as plain values for
`placements.matching.scoring`, through these loaders. The openings are the district's
public openings only (`companies.models.public_opening_q`: published, deadline not passed,
company verified): a run never offers, and a suggestion never shows, an opening that no
one may apply to.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from companies.models import Agreement, Opening, public_opening_q
from district.models import Certification, CommuteTime
from placements.matching.scoring import OpeningProfile, ScoringContext, StudentProfile, fit_score
from schools.models import Student, StudentCertification
from schools.selectors.students import completed_practice_company_ids


def student_profiles(students: QuerySet[Student]) -> dict[int, StudentProfile]:
    """The students' scoring profiles, in three queries: the students (with their department's
    segment), the certifications they hold, and their completed field practice."""
    held: dict[int, set[int]] = defaultdict(set)
    for student_id, certification_id in StudentCertification.objects.filter(
        student__in=students.values("pk")
    ).values_list("student_id", "certification_id"):
        held[student_id].add(certification_id)
    rows = list(
        students.values_list(
            "id",
            "school_id",
            "department_id",
            "department__segment_id",
            "field_of_interest_id",
            "commute_area_id",
        )
    )
    practice = completed_practice_company_ids(student_ids=[row[0] for row in rows])
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
        )
        for sid, school, dept, dseg, interest, area in rows
    }


def public_openings(*, district_id: int, today: datetime.date) -> QuerySet[Opening]:
    """The district's public openings: the only ones a matching run or a suggestion may use."""
    return Opening.objects.filter(public_opening_q(today=today), company__district_id=district_id)


def opening_profiles(
    openings: QuerySet[Opening], *, extra_fields: tuple[str, ...] = (), **annotations
) -> tuple[dict[int, OpeningProfile], dict[int, tuple]]:
    """The openings' scoring profiles, in three queries: the openings, the certifications they
    require and the departments they prefer.

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
    rows = openings.annotate(segment=Coalesce("job_role__segment_id", "company__segment_id"), **annotations)
    profiles: dict[int, OpeningProfile] = {}
    extras: dict[int, tuple] = {}
    for oid, company, segment, area, *extra in rows.values_list(
        "id", "company_id", "segment", "work_area_id", *extra_fields
    ):
        profiles[oid] = OpeningProfile(
            id=oid,
            company_id=company,
            segment_id=segment,
            area_id=area,
            required_certifications=frozenset(required.get(oid, ())),
            preferred_departments=frozenset(preferred.get(oid, ())),
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


def applicant_fit_scores(
    *, opening: Opening, students: QuerySet[Student], today: datetime.date
) -> dict[int, int | None]:
    """Each student's fit for one opening, by student id, as a matching run scores it (None: not
    eligible, a required certification missing). Eight queries, however many students."""
    profiles = student_profiles(students)
    openings, _extras = opening_profiles(Opening.objects.filter(pk=opening.pk))
    context = scoring_context(district_id=opening.company.district_id, today=today)
    target = openings[opening.pk]
    return {student_id: fit_score(profile, target, context) for student_id, profile in profiles.items()}
