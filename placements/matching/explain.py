"""Why each student got what they got in a run (no Django imports).

The result for a student is a plain dict, stored as ``Match.explanation`` and put into words
by the Django side (``placements.selectors.runs.explanation_lines``), so the words can be
translated and the stored record stays small. Its keys:

``outcome``
    ``"matched"`` or ``"unmatched"``.
``reason``
    For a matched student ``"matched"``. For an unmatched one the main reason:
    ``"ranked_nothing"``, ``"already_placed"``, ``"filled"`` (choices filled by students with
    a higher fit), ``"not_eligible"`` (missing required certifications) or ``"unavailable"``
    (the ranked openings closed or had no seat left).
``choice``, ``opening`` and the keys of :func:`fit_explanation`
    For a matched student: the rank of the choice they got, the opening, and the facts
    behind their fit (score, components, certifications, verified certifications, NCS units,
    field, practice, commute, agreement).
``choices``
    One entry per choice ranked above the one they got (every choice when unmatched), in
    rank order: ``{"rank", "opening", "why"}`` where ``why`` is

    - ``"filled"``, with ``score`` (theirs) and ``cutoff`` (the lowest fit among the students
      the opening took) and ``lottery`` (true when they tied the cutoff and lost the draw);
    - ``"not_eligible"``, with ``missing``: the names of the certifications they lack;
    - ``"no_seats"``: the opening had no seat left for the round;
    - ``"unavailable"``: the opening is no longer open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from placements.matching.scoring import (
    OpeningProfile,
    ScoringContext,
    StudentProfile,
    fit_components,
    matching_ncs_units,
    verified_required,
)

REASONS = ("matched", "ranked_nothing", "already_placed", "filled", "not_eligible", "unavailable")


def fit_explanation(
    student: StudentProfile,
    opening: OpeningProfile,
    context: ScoringContext,
    certification_names: Mapping[int, str],
    ncs_unit_names: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """The facts behind one student's fit for one opening, for a match or a suggestion.

    ``score`` and ``components`` as in :mod:`placements.matching.scoring`; ``certifications``:
    names of the required certifications (all held, or the pair would not be eligible);
    ``verified_certifications``: those of them the school has checked (the ones that scored);
    ``ncs_units``: names of the student's completed NCS units of the opening's job role (all
    of them, even past the cap), sorted by name; ``field``: which field parts scored
    (``preferred_department``, ``department_segment``, ``interest``); ``practice``: field
    practice at the company; ``commute_minutes`` (None when unknown); ``agreement``:
    ``"school"`` or ``"district"`` for the agreement that gave the priority, or None.
    """
    components = fit_components(student, opening, context)
    unit_names = ncs_unit_names or {}
    field_parts = []
    if student.department_id is not None and student.department_id in opening.preferred_departments:
        field_parts.append("preferred_department")
    if opening.segment_id is not None and student.department_segment_id == opening.segment_id:
        field_parts.append("department_segment")
    if opening.segment_id is not None and student.interest_segment_id == opening.segment_id:
        field_parts.append("interest")
    agreement = None
    if components["agreement"]:
        school_priority = context.agreement_priority.get((opening.company_id, student.school_id), 0)
        district_priority = context.agreement_priority.get((opening.company_id, None), 0)
        agreement = "school" if school_priority >= district_priority else "district"
    return {
        "score": sum(components.values()),
        "components": components,
        "certifications": sorted(certification_names.get(c, str(c)) for c in opening.required_certifications),
        "verified_certifications": sorted(
            certification_names.get(c, str(c)) for c in verified_required(student, opening)
        ),
        "ncs_units": sorted(unit_names.get(u, str(u)) for u in matching_ncs_units(student, opening)),
        "field": field_parts,
        "practice": bool(components["practice"]),
        "commute_minutes": context.minutes(student, opening),
        "agreement": agreement,
    }


def cutoffs(
    *,
    matching: Mapping[int, int],
    capacities: Mapping[int, int],
    opening_scores: Mapping[int, Mapping[int, int]],
) -> dict[int, int]:
    """For each opening that filled every seat, the lowest fit score among the students it took."""
    taken: dict[int, list[int]] = {}
    for student_id, opening_id in matching.items():
        taken.setdefault(opening_id, []).append(opening_scores[opening_id][student_id])
    return {
        opening_id: min(scores)
        for opening_id, scores in taken.items()
        if len(scores) >= capacities.get(opening_id, 0)
    }


def explain_outcomes(
    *,
    ranked: Mapping[int, Sequence[tuple[int, int]]],
    matching: Mapping[int, int],
    capacities: Mapping[int, int],
    opening_scores: Mapping[int, Mapping[int, int]],
    missing: Callable[[int, int], Sequence[str]],
    matched_detail: Callable[[int, int], dict[str, Any]],
    excluded: Mapping[int, str] | None = None,
) -> dict[int, dict[str, Any]]:
    """Explain every student's outcome.

    Args:
        ranked: every student of the round with their list as ``(rank, opening)`` pairs, first
            choice first (an empty list for a student who ranked nothing).
        matching: the engine's result.
        capacities: seats of every opening open in the round (missing: no longer open).
        opening_scores: per opening, the scores of its eligible applicants.
        missing: names of the required certifications a student lacks for an opening.
        matched_detail: extra facts for a matched pair (``score``, ``components``,
            ``commute_minutes``), merged into the explanation.
        excluded: students kept out of the matching, with their reason (``already_placed``).
    """
    excluded = excluded or {}
    cut = cutoffs(matching=matching, capacities=capacities, opening_scores=opening_scores)
    explanations: dict[int, dict[str, Any]] = {}
    for student_id, choices in ranked.items():
        if student_id in excluded:
            explanations[student_id] = {"outcome": "unmatched", "reason": excluded[student_id], "choices": []}
            continue
        if not choices:
            explanations[student_id] = {"outcome": "unmatched", "reason": "ranked_nothing", "choices": []}
            continue
        got = matching.get(student_id)
        above: list[dict[str, Any]] = []
        choice_rank = None
        for rank, opening_id in choices:
            if opening_id == got:
                choice_rank = rank
                break
            above.append(_why_not(student_id, rank, opening_id, capacities, opening_scores, cut, missing))
        if got is not None:
            explanation = {"outcome": "matched", "reason": "matched", "choice": choice_rank, "opening": got}
            explanation.update(matched_detail(student_id, got))
        else:
            explanation = {"outcome": "unmatched", "reason": _main_reason(above)}
        explanation["choices"] = above
        explanations[student_id] = explanation
    return explanations


def _why_not(student_id, rank, opening_id, capacities, opening_scores, cut, missing) -> dict[str, Any]:
    entry: dict[str, Any] = {"rank": rank, "opening": opening_id}
    seats = capacities.get(opening_id)
    if seats is None:
        entry["why"] = "unavailable"
    elif seats == 0:
        entry["why"] = "no_seats"
    else:
        score = opening_scores.get(opening_id, {}).get(student_id)
        if score is None:
            entry["why"] = "not_eligible"
            entry["missing"] = list(missing(student_id, opening_id))
        else:
            # Stability: an eligible student turned away by an opening means that the opening
            # filled every seat with students it ranks higher, so it has a cut-off.
            cutoff = cut.get(opening_id)
            entry.update(why="filled", score=score, cutoff=cutoff, lottery=score == cutoff)
    return entry


def _main_reason(choices: Sequence[Mapping[str, Any]]) -> str:
    whys = {c["why"] for c in choices}
    if "filled" in whys:
        return "filled"
    if "not_eligible" in whys:
        return "not_eligible"
    return "unavailable"


def reason_counts(explanations: Mapping[int, Mapping[str, Any]]) -> dict[str, int]:
    """How many unmatched students for each reason, in the order of ``REASONS``."""
    counts = Counter(e["reason"] for e in explanations.values() if e["outcome"] == "unmatched")
    return {reason: counts[reason] for reason in REASONS[1:] if counts[reason]}
