"""The transparent fit score with which an opening ranks its applicants (no Django imports).

A Django-side loader turns database rows into the plain values below; this module turns them
into the ``opening_prefs`` of :func:`placements.matching.deferred_acceptance`. The same score
serves the nightly suggestions, so a student sees one definition of "fit" everywhere.

The score reads only facts the school or the company recorded, never anything the student
wrote about themselves (자기소개서, activities, projects): a fit must not reward the best
writer, and a company cannot check free text. It is a sum of whole-number components, each
reported on its own:

============== ==========================================================================
certifications ``10`` for each certification the opening requires that the school has
               checked (``StudentCertification.verified_at`` set). A student missing a
               required certification is not acceptable to the opening at all; one
               holding it unchecked is acceptable but earns nothing for it, so checking
               a certificate is what makes it count (and only then does it tell
               applicants apart)
ncs            ``4`` for each NCS unit of the opening's job role that the student has
               completed (a unit of their department's curriculum in a grade finished
               by the run's date), at most ``20`` (five units); units outside the job
               role earn nothing
field          ``30`` when the student's department is one the opening prefers,
               ``15`` when the department's industry segment is the opening's,
               ``10`` when the student's field of interest is the opening's segment
practice       ``20`` when the student completed field practice at the opening's company
commute        ``15`` up to 20 minutes from the student's area to the work area,
               ``10`` up to 40, ``5`` up to 60, ``0`` beyond or when unknown
agreement      ``2 ×`` the priority (0-10) of the company's hiring agreement with the
               student's school or with the whole district, whichever is higher
============== ==========================================================================

docs/fit.md gives the reasons for these weights.

Equal scores are ordered by a lottery drawn from the run's seed: every opening draws one
number per applicant from ``random.Random(f"{seed}:{opening_id}")``, in increasing order of
student id, so the draw depends only on the seed, the opening and who applied, never on the
order in which the inputs arrive. The higher draw wins a tie.
"""

from __future__ import annotations

import hashlib
import random
from array import array
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# --- The weights ----------------------------------------------------------------------------

POINTS_PER_REQUIRED_CERTIFICATION = 10  # for each required certification the school checked
POINTS_PER_NCS_UNIT = 4  # for each completed NCS unit of the opening's job role …
MAX_NCS_POINTS = 20  # … up to five units
POINTS_PREFERRED_DEPARTMENT = 30
POINTS_DEPARTMENT_SEGMENT = 15
POINTS_INTEREST_SEGMENT = 10
POINTS_FIELD_PRACTICE = 20
POINTS_PER_AGREEMENT_PRIORITY = 2
# (up to this many minutes, points), checked in order; longer commutes score 0.
COMMUTE_BANDS: tuple[tuple[int, int], ...] = ((20, 15), (40, 10), (60, 5))

COMPONENTS = ("certifications", "ncs", "field", "practice", "commute", "agreement")


def commute_points(minutes: int | None) -> int:
    """Points for a commute of ``minutes`` (0 when unknown)."""
    if minutes is None:
        return 0
    for limit, points in COMMUTE_BANDS:
        if minutes <= limit:
            return points
    return 0


def ncs_points(matching_units: int) -> int:
    """Points for ``matching_units`` completed NCS units of the opening's job role."""
    return min(MAX_NCS_POINTS, POINTS_PER_NCS_UNIT * matching_units)


# --- Inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudentProfile:
    """What the score reads about a student: school-recorded facts only.

    ``certifications``: every certification held (eligibility); ``verified_certifications``:
    those the school has checked (points); ``ncs_units``: the NCS units completed by the
    run's date (points, when they belong to the opening's job role).
    """

    id: int
    school_id: int | None = None
    department_id: int | None = None
    department_segment_id: int | None = None
    interest_segment_id: int | None = None
    area_id: int | None = None
    certifications: frozenset[int] = frozenset()
    practice_companies: frozenset[int] = frozenset()
    verified_certifications: frozenset[int] = frozenset()
    ncs_units: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class OpeningProfile:
    """What the score reads about an opening (``role_ncs_units``: its job role's NCS units)."""

    id: int
    company_id: int
    segment_id: int | None = None
    area_id: int | None = None
    required_certifications: frozenset[int] = frozenset()
    preferred_departments: frozenset[int] = frozenset()
    role_ncs_units: frozenset[int] = frozenset()


@dataclass(slots=True)
class ScoringContext:
    """District-wide facts the score reads.

    ``commute_minutes`` maps ``(origin area, destination area)`` to minutes.
    ``agreement_priority`` maps ``(company, school)`` to a priority, and ``(company, None)``
    to the priority of an agreement with the whole district (the loader keeps the highest
    of several agreements).
    """

    commute_minutes: Mapping[tuple[int, int], int] = field(default_factory=dict)
    agreement_priority: Mapping[tuple[int, int | None], int] = field(default_factory=dict)

    def minutes(self, student: StudentProfile, opening: OpeningProfile) -> int | None:
        if student.area_id is None or opening.area_id is None:
            return None
        return self.commute_minutes.get((student.area_id, opening.area_id))

    def priority(self, company_id: int, school_id: int | None) -> int:
        get = self.agreement_priority.get
        return max(get((company_id, None), 0), get((company_id, school_id), 0) if school_id else 0)


# --- The score ------------------------------------------------------------------------------


def is_eligible(student: StudentProfile, opening: OpeningProfile) -> bool:
    """A student is acceptable to an opening only with every certification it requires."""
    return opening.required_certifications <= student.certifications


def missing_certifications(student: StudentProfile, opening: OpeningProfile) -> frozenset[int]:
    return opening.required_certifications - student.certifications


def verified_required(student: StudentProfile, opening: OpeningProfile) -> frozenset[int]:
    """The opening's required certifications that the school has checked for the student."""
    return opening.required_certifications & student.verified_certifications


def matching_ncs_units(student: StudentProfile, opening: OpeningProfile) -> frozenset[int]:
    """The student's completed NCS units that belong to the opening's job role."""
    return opening.role_ncs_units & student.ncs_units


def fit_components(
    student: StudentProfile, opening: OpeningProfile, context: ScoringContext
) -> dict[str, int]:
    """Each component of the fit, in the order of ``COMPONENTS`` (eligibility is not checked)."""
    segment = opening.segment_id
    field_points = 0
    if student.department_id is not None and student.department_id in opening.preferred_departments:
        field_points += POINTS_PREFERRED_DEPARTMENT
    if segment is not None:
        if student.department_segment_id == segment:
            field_points += POINTS_DEPARTMENT_SEGMENT
        if student.interest_segment_id == segment:
            field_points += POINTS_INTEREST_SEGMENT
    return {
        "certifications": POINTS_PER_REQUIRED_CERTIFICATION * len(verified_required(student, opening)),
        "ncs": ncs_points(len(matching_ncs_units(student, opening))),
        "field": field_points,
        "practice": POINTS_FIELD_PRACTICE if opening.company_id in student.practice_companies else 0,
        "commute": commute_points(context.minutes(student, opening)),
        "agreement": POINTS_PER_AGREEMENT_PRIORITY * context.priority(opening.company_id, student.school_id),
    }


def fit_score(student: StudentProfile, opening: OpeningProfile, context: ScoringContext) -> int | None:
    """The total fit, or None when the student is not eligible for the opening."""
    if not opening.required_certifications <= student.certifications:
        return None
    return sum(fit_components(student, opening, context).values())


# --- Ranking applicants ---------------------------------------------------------------------


def lottery_draws(seed: int, opening_id: Hashable, student_ids: Iterable[int]) -> dict[int, float]:
    """One draw in [0, 1) per student for this opening, independent of the input order."""
    draw = random.Random(f"{seed}:{opening_id}").random
    return {student_id: draw() for student_id in sorted(student_ids)}


def rank_applicants(seed: int, opening_id: Hashable, scores: Mapping[int, int]) -> list[int]:
    """The applicants of one opening, best first: higher score, then higher lottery draw."""
    draws = lottery_draws(seed, opening_id, scores)
    # Scores are whole numbers and draws lie in [0, 1), so one float orders by score first.
    return sorted(draws, key=lambda s: scores[s] + draws[s], reverse=True)


@dataclass(slots=True)
class RankedMarket:
    """What the engine needs, plus each opening's scores (kept for the explanations)."""

    student_prefs: dict[int, list[int]]
    opening_prefs: dict[int, list[int]]
    opening_scores: dict[int, dict[int, int]]


def build_market(
    *,
    students: Mapping[int, StudentProfile],
    openings: Mapping[int, OpeningProfile],
    ranked: Mapping[int, Sequence[int]],
    context: ScoringContext,
    seed: int,
) -> RankedMarket:
    """Score every (student, ranked opening) pair and order each opening's applicants.

    1. Keep, for each student, the openings of their list that are in ``openings`` (those
       open in this round) and for which they hold every required certification.
    2. Score each kept pair; collect the scores per opening.
    3. Order each opening's applicants by score, ties by the seeded lottery.
    """
    student_prefs: dict[int, list[int]] = {}
    opening_scores: dict[int, dict[int, int]] = {}
    opening_get = openings.get
    minutes = context.commute_minutes.get
    priority = context.priority
    pref_dept, dept_seg, interest_seg = (
        POINTS_PREFERRED_DEPARTMENT,
        POINTS_DEPARTMENT_SEGMENT,
        POINTS_INTEREST_SEGMENT,
    )
    ncs_cache: dict[tuple[frozenset[int], frozenset[int]], int] = {}
    # Step 2 inlines fit_components (2 million pairs at full scale); a test checks the two agree.
    for student_id, opening_ids in ranked.items():
        student = students[student_id]
        certs = student.certifications
        verified = student.verified_certifications
        units = student.ncs_units
        dept = student.department_id
        dseg = student.department_segment_id
        iseg = student.interest_segment_id
        area = student.area_id
        school = student.school_id
        practice = student.practice_companies
        kept: list[int] = []
        for opening_id in opening_ids:
            opening = opening_get(opening_id)
            if opening is None:
                continue
            required = opening.required_certifications
            if required and not required <= certs:
                continue
            seg = opening.segment_id
            score = POINTS_PER_REQUIRED_CERTIFICATION * len(required & verified) if required else 0
            role_units = opening.role_ncs_units
            if role_units and units:
                # Few distinct (role, curriculum) pairs: one per department, grade and job role.
                key = (role_units, units)
                points = ncs_cache.get(key)
                if points is None:
                    points = ncs_cache[key] = ncs_points(len(role_units & units))
                score += points
            if dept is not None and dept in opening.preferred_departments:
                score += pref_dept
            if seg is not None:
                if dseg == seg:
                    score += dept_seg
                if iseg == seg:
                    score += interest_seg
            company = opening.company_id
            if company in practice:
                score += POINTS_FIELD_PRACTICE
            if area is not None and opening.area_id is not None:
                score += commute_points(minutes((area, opening.area_id)))
            score += POINTS_PER_AGREEMENT_PRIORITY * priority(company, school)
            kept.append(opening_id)
            scores = opening_scores.get(opening_id)
            if scores is None:
                scores = opening_scores[opening_id] = {}
            scores[student_id] = score
        student_prefs[student_id] = kept
    opening_prefs = {
        opening_id: rank_applicants(seed, opening_id, scores) for opening_id, scores in opening_scores.items()
    }
    return RankedMarket(student_prefs, opening_prefs, opening_scores)


# --- The inputs' fingerprint ------------------------------------------------------------------


def input_fingerprint(
    *,
    students: Mapping[int, StudentProfile],
    openings: Mapping[int, OpeningProfile],
    capacities: Mapping[int, int],
    ranked: Mapping[int, Sequence[int]],
    context: ScoringContext,
) -> str:
    """SHA-256 over every input of a run, sorted, so that equal inputs give equal fingerprints.

    Two runs with the same fingerprint and the same seed produce the same matches.
    """
    digest = hashlib.sha256()

    def feed(label: str, rows: Iterable[tuple]) -> None:
        digest.update(label.encode())
        for row in rows:
            digest.update(repr(row).encode())

    feed(
        "students",
        (
            (
                s.id,
                s.school_id,
                s.department_id,
                s.department_segment_id,
                s.interest_segment_id,
                s.area_id,
                sorted(s.certifications),
                sorted(s.practice_companies),
                sorted(s.verified_certifications),
                sorted(s.ncs_units),
            )
            for s in sorted(students.values(), key=lambda s: s.id)
        ),
    )
    feed(
        "openings",
        (
            (
                o.id,
                o.company_id,
                o.segment_id,
                o.area_id,
                capacities.get(o.id, 0),
                sorted(o.required_certifications),
                sorted(o.preferred_departments),
                sorted(o.role_ncs_units),
            )
            for o in sorted(openings.values(), key=lambda o: o.id)
        ),
    )
    # The rankings are the bulk (2 million ids at full scale): hash them as packed integers.
    digest.update(b"rankings")
    for student_id in sorted(ranked):
        opening_ids = ranked[student_id]
        digest.update(array("q", (student_id, len(opening_ids), *opening_ids)).tobytes())
    feed("commutes", sorted(context.commute_minutes.items()))
    feed("agreements", sorted(context.agreement_priority.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)))
    return digest.hexdigest()
