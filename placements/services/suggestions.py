"""The nightly suggestions: for each active student, the ten published openings that fit them best.

"Active" means enrolled or graduated without an active placement. Only openings that are
public (published, deadline not passed, company verified) in the student's own district
and for which the student holds every required certification count, minus those the
student already has an active application to. The fit is the matching's fit score
(`placements.matching.scoring`), and each suggestion keeps the facts behind it
(`placements.matching.explain.fit_explanation`) for its one-line reason.

Scoring every student against every opening would be 1.4 billion pairs at 70,000 × 20,000,
so the openings are grouped:

1. by the set of certifications they require (eligibility is one subset test per group,
   and a student holds only a few certifications, so only a few groups are open to them);
2. inside a group, by (segment, work area, priority of the company's district-wide
   agreement, the NCS units of the job role). Every opening of such a bucket has the same
   score for a given student, except for three sparse bonuses: a preferred department,
   field practice at the company, and an agreement of the company with the student's own
   school.

For a student, the buckets' scores are a handful of additions each: the group's points for
the certifications the school checked, and the job role's points for NCS units completed
(computed once per distinct set of role units). The buckets are taken best first until
they hold ten openings (whole buckets, so ties are all seen); the openings
that carry a bonus for this student are scored exactly and added. The ten best of those
candidates, ties by opening id, are provably the ten best overall (a test compares with
scoring every pair).

Writes go in chunks of students: delete their suggestions and insert the new ones in one
transaction, so a rerun gives the same rows and a reader never sees a student half done.
Suggestions of students who are no longer active are removed at the end.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from district.models import District
from placements.matching.explain import fit_explanation
from placements.matching.scoring import (
    POINTS_DEPARTMENT_SEGMENT,
    POINTS_INTEREST_SEGMENT,
    POINTS_PER_AGREEMENT_PRIORITY,
    POINTS_PER_REQUIRED_CERTIFICATION,
    OpeningProfile,
    ScoringContext,
    StudentProfile,
    commute_points,
    fit_score,
    ncs_points,
)
from placements.models import ACTIVE_APPLICATION_STATUSES, Application, Placement, Suggestion
from placements.selectors.scoring import (
    certification_names,
    ncs_unit_names,
    opening_profiles,
    public_openings,
    scoring_context,
    student_profiles,
)
from schools.models import Student

logger = logging.getLogger(__name__)

SUGGESTIONS_PER_STUDENT = 10
WRITE_CHUNK = 2_000
LOCK_KEY = "placements:suggestions-refresh"


@dataclass
class SuggestionsReport:
    students: int = 0
    suggestions: int = 0
    seconds: float = 0.0
    skipped: bool = False


def suggestions_refresh(*, today=None, progress=None) -> SuggestionsReport:
    """Recompute every active student's suggestions, district by district. Idempotent.

    One refresh at a time: a second one (a redelivered task while the first still runs)
    finds the lock taken and does nothing.
    """
    token = uuid.uuid4().hex
    if not cache.add(LOCK_KEY, token, timeout=settings.SUGGESTIONS_TIME_LIMIT):
        logger.info("suggestions refresh already running; skipped")
        return SuggestionsReport(skipped=True)
    started = time.perf_counter()
    report = SuggestionsReport()
    try:
        computed_at = timezone.now()
        today = today or timezone.localdate()
        for district in District.objects.order_by("pk"):
            students, written = _refresh_district(
                district, today=today, computed_at=computed_at, progress=progress
            )
            report.students += students
            report.suggestions += written
        # Students who are no longer active (placed, left) keep nothing from earlier nights.
        Suggestion.objects.filter(computed_at__lt=computed_at).delete()
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)
    report.seconds = round(time.perf_counter() - started, 2)
    logger.info(
        "suggestions: %d students, %d rows in %.1f s", report.students, report.suggestions, report.seconds
    )
    return report


# --- Loading ---------------------------------------------------------------------------------------


@dataclass
class _DistrictInputs:
    students: dict[int, StudentProfile]
    openings: dict[int, OpeningProfile]
    context: ScoringContext
    applied: dict[int, set[int]]
    certification_names: dict[int, str]
    ncs_unit_names: dict[int, str]


def _active_students(district: District):
    active_placement = Placement.objects.filter(student=OuterRef("pk"), status=Placement.Status.ACTIVE)
    return Student.objects.filter(
        school__district=district, status__in=[Student.Status.ENROLLED, Student.Status.GRADUATED]
    ).exclude(Exists(active_placement))


def _load(district: District, *, today) -> _DistrictInputs:
    """Thirteen queries: students, their certifications, their field practice, their
    departments' curricula, their active applications, the public openings
    (`placements.selectors.scoring`), their required certifications, preferred departments
    and job roles' NCS units, commutes, agreements, certification and NCS unit names."""
    students_qs = _active_students(district)
    students = student_profiles(students_qs, today=today)
    applied: dict[int, set[int]] = defaultdict(set)
    for sid, oid in Application.objects.filter(
        status__in=ACTIVE_APPLICATION_STATUSES, student__in=students_qs.values("pk")
    ).values_list("student_id", "opening_id"):
        applied[sid].add(oid)
    openings, _extras = opening_profiles(public_openings(district_id=district.pk, today=today))
    return _DistrictInputs(
        students=students,
        openings=openings,
        context=scoring_context(district_id=district.pk, today=today),
        applied=applied,
        certification_names=certification_names(),
        ncs_unit_names=ncs_unit_names(),
    )


# --- Choosing -----------------------------------------------------------------------------------------


class SuggestionIndex:
    """The district's public openings, grouped so that a student's best ten are cheap to find."""

    def __init__(self, openings: dict[int, OpeningProfile], context: ScoringContext):
        self.openings = openings
        self.context = context
        district_priority = {
            company: value
            for (company, school), value in context.agreement_priority.items()
            if school is None
        }
        buckets: dict[frozenset, dict[tuple, list[int]]] = defaultdict(lambda: defaultdict(list))
        # The distinct sets of job-role NCS units, each scored once per student.
        self.role_unit_sets: list[frozenset[int]] = []
        role_index: dict[frozenset[int], int] = {}
        self.by_department: dict[int, list[int]] = defaultdict(list)
        self.by_company: dict[int, list[int]] = defaultdict(list)
        for oid in sorted(openings):
            opening = openings[oid]
            dwp = district_priority.get(opening.company_id, 0)
            units = opening.role_ncs_units
            role = role_index.get(units)
            if role is None:
                role = role_index[units] = len(self.role_unit_sets)
                self.role_unit_sets.append(units)
            buckets[opening.required_certifications][(opening.segment_id, opening.area_id, dwp, role)].append(
                oid
            )
            for dept in opening.preferred_departments:
                self.by_department[dept].append(oid)
            self.by_company[opening.company_id].append(oid)
        # Per certification set: its buckets as parallel tuples.
        self.groups = [
            (
                required,
                [
                    (seg, area, POINTS_PER_AGREEMENT_PRIORITY * dwp, role, ids)
                    for (seg, area, dwp, role), ids in inner.items()
                ],
            )
            for required, inner in buckets.items()
        ]
        # Openings whose company has an agreement with a school that beats its district-wide one.
        self.by_school: dict[int, list[int]] = defaultdict(list)
        for (company, school), value in context.agreement_priority.items():
            if school is not None and value > district_priority.get(company, 0):
                self.by_school[school].extend(self.by_company.get(company, ()))
        self._area_points: dict[int | None, dict[int | None, int]] = {}

    def _points_by_area(self, origin: int | None) -> dict:
        points = self._area_points.get(origin)
        if points is None:
            minutes = self.context.commute_minutes
            points = {}
            if origin is not None:
                for (a, b), m in minutes.items():
                    if a == origin:
                        points[b] = commute_points(m)
            self._area_points[origin] = points
        return points

    def best(
        self, student: StudentProfile, *, exclude=(), limit: int = SUGGESTIONS_PER_STUDENT
    ) -> list[tuple[int, int]]:
        """The student's best `limit` eligible openings as (score, opening id), best first."""
        certs, verified = student.certifications, student.verified_certifications
        dseg, iseg = student.department_segment_id, student.interest_segment_id
        area_points = self._points_by_area(student.area_id)
        units = student.ncs_units
        role_points = [
            ncs_points(len(role_units & units)) if units else 0 for role_units in self.role_unit_sets
        ]
        scored: list[tuple[int, list[int]]] = []
        for required, buckets in self.groups:
            if required and not required <= certs:
                continue
            cert_points = POINTS_PER_REQUIRED_CERTIFICATION * len(required & verified) if required else 0
            for seg, area, agreement_points, role, ids in buckets:
                score = cert_points + role_points[role] + agreement_points + area_points.get(area, 0)
                if seg is not None:
                    if seg == dseg:
                        score += POINTS_DEPARTMENT_SEGMENT
                    if seg == iseg:
                        score += POINTS_INTEREST_SEGMENT
                scored.append((score, ids))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        candidates: dict[int, int] = {}
        last = None
        for score, ids in scored:
            if len(candidates) >= limit and score != last:
                break
            for oid in ids:
                if oid not in exclude:
                    candidates[oid] = score
            last = score
        # The sparse bonuses, scored exactly (and checked for eligibility).
        bonus: set[int] = set()
        if student.department_id is not None:
            bonus.update(self.by_department.get(student.department_id, ()))
        for company in student.practice_companies:
            bonus.update(self.by_company.get(company, ()))
        if student.school_id is not None:
            bonus.update(self.by_school.get(student.school_id, ()))
        for oid in bonus:
            if oid in exclude:
                continue
            score = fit_score(student, self.openings[oid], self.context)
            if score is not None:
                candidates[oid] = score
        ranked = sorted(candidates.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [(score, oid) for oid, score in ranked]


def _refresh_district(district: District, *, today, computed_at, progress=None) -> tuple[int, int]:
    inputs = _load(district, today=today)
    if not inputs.students:
        return 0, 0
    index = SuggestionIndex(inputs.openings, inputs.context)
    student_ids = sorted(inputs.students)
    written = 0
    for start in range(0, len(student_ids), WRITE_CHUNK):
        chunk = student_ids[start : start + WRITE_CHUNK]
        rows = []
        for sid in chunk:
            student = inputs.students[sid]
            for rank, (score, oid) in enumerate(index.best(student, exclude=inputs.applied.get(sid, ())), 1):
                reason = fit_explanation(
                    student,
                    inputs.openings[oid],
                    inputs.context,
                    inputs.certification_names,
                    inputs.ncs_unit_names,
                )
                rows.append(
                    Suggestion(
                        student_id=sid,
                        opening_id=oid,
                        rank=rank,
                        score=score,
                        reason=reason,
                        computed_at=computed_at,
                    )
                )
        with transaction.atomic():
            Suggestion.objects.filter(student_id__in=chunk).delete()
            Suggestion.objects.bulk_create(rows, batch_size=5_000)
        written += len(rows)
        if progress:
            progress(district, start + len(chunk), len(student_ids))
    return len(student_ids), written
