"""Why each student got what they got (placements.matching.explain), and the words for it."""

from __future__ import annotations

from django.utils import translation

from placements.matching import deferred_acceptance
from placements.matching.explain import explain_outcomes, fit_explanation, reason_counts
from placements.matching.scoring import OpeningProfile, ScoringContext, StudentProfile, build_market
from placements.selectors.runs import explanation_lines
from placements.selectors.suggestions import suggestion_reason

ELECTRIC = 1
NAMES = {ELECTRIC: "전기기능사"}
ELECTRODE, COATING, WELDING = 200, 201, 300  # NCS units
UNIT_NAMES = {ELECTRODE: "이차전지 전극 공정 관리", COATING: "전극 코팅", WELDING: "피복 아크 용접"}
CONTEXT = ScoringContext(commute_minutes={(100, 101): 15})


def run(students, openings, ranked, capacities, *, seed=1, placed=()):
    """Score, match and explain a small market the way a run does."""
    market = build_market(
        students=students,
        openings={o: openings[o] for o in capacities},
        ranked={s: [o for _r, o in lst] for s, lst in ranked.items() if s not in placed},
        context=CONTEXT,
        seed=seed,
    )
    matching = deferred_acceptance(market.student_prefs, market.opening_prefs, capacities)
    explanations = explain_outcomes(
        ranked=ranked,
        matching=matching,
        capacities=capacities,
        opening_scores=market.opening_scores,
        missing=lambda s, o: sorted(
            NAMES[c] for c in openings[o].required_certifications - students[s].certifications
        ),
        matched_detail=lambda s, o: fit_explanation(students[s], openings[o], CONTEXT, NAMES, UNIT_NAMES),
        excluded=dict.fromkeys(placed, "already_placed"),
    )
    return matching, explanations


# Opening 1 (one seat) requires 전기기능사, prefers department 5 and its job role has the units
# ELECTRODE and COATING; opening 2 has two seats.
OPENINGS = {
    1: OpeningProfile(
        id=1,
        company_id=7,
        area_id=101,
        required_certifications=frozenset({ELECTRIC}),
        preferred_departments=frozenset({5}),
        role_ncs_units=frozenset({ELECTRODE, COATING}),
    ),
    2: OpeningProfile(id=2, company_id=8, area_id=101),
    3: OpeningProfile(id=3, company_id=9),
}
STUDENTS = {
    # The best fit for opening 1: holds the certification (checked by the school), completed two
    # of its job role's units (and welding, which is not the role's), in its preferred
    # department, 15 minutes away.
    10: StudentProfile(
        id=10,
        department_id=5,
        area_id=100,
        certifications=frozenset({ELECTRIC}),
        verified_certifications=frozenset({ELECTRIC}),
        ncs_units=frozenset({ELECTRODE, COATING, WELDING}),
    ),
    # Holds the certification, not checked yet (eligible, no points), and fits less.
    11: StudentProfile(
        id=11, department_id=6, certifications=frozenset({ELECTRIC}), ncs_units=frozenset({WELDING})
    ),
    # Lacks the certification.
    12: StudentProfile(id=12, department_id=5),
    # Ranked nothing.
    13: StudentProfile(id=13),
}


def test_matched_to_a_lower_choice_because_a_higher_one_was_filled_by_a_higher_fit():
    ranked = {10: [(1, 1)], 11: [(1, 1), (2, 2)], 12: [(1, 1), (2, 2)], 13: []}
    matching, explanations = run(STUDENTS, OPENINGS, ranked, {1: 1, 2: 2})
    assert matching == {10: 1, 11: 2, 12: 2}

    first = explanations[10]
    assert (first["outcome"], first["choice"], first["opening"], first["choices"]) == ("matched", 1, 1, [])
    # The checked certification (10), two role units (2 × 4), preferred department (30), commute (15).
    assert first["score"] == 10 + 8 + 30 + 15 == 63
    assert first["certifications"] == ["전기기능사"]
    assert first["verified_certifications"] == ["전기기능사"]
    assert first["ncs_units"] == ["이차전지 전극 공정 관리", "전극 코팅"]  # not 피복 아크 용접
    assert first["commute_minutes"] == 15

    second = explanations[11]
    assert (second["choice"], second["opening"]) == (2, 2)
    assert second["choices"] == [
        {"rank": 1, "opening": 1, "why": "filled", "score": 0, "cutoff": 63, "lottery": False}
    ]

    lacking = explanations[12]
    assert lacking["choice"] == 2
    assert lacking["choices"] == [{"rank": 1, "opening": 1, "why": "not_eligible", "missing": ["전기기능사"]}]

    assert explanations[13] == {"outcome": "unmatched", "reason": "ranked_nothing", "choices": []}


def test_a_tie_at_the_cutoff_is_explained_as_a_lost_lottery():
    twins = {20: StudentProfile(id=20), 21: StudentProfile(id=21)}
    ranked = {20: [(1, 3)], 21: [(1, 3)]}
    matching, explanations = run(twins, OPENINGS, ranked, {3: 1}, seed=4)
    loser = ({20, 21} - set(matching)).pop()
    assert explanations[loser]["reason"] == "filled"
    assert explanations[loser]["choices"] == [
        {"rank": 1, "opening": 3, "why": "filled", "score": 0, "cutoff": 0, "lottery": True}
    ]


def test_unmatched_reasons_and_their_counts():
    ranked = {
        10: [(1, 1)],  # filled? no: 10 is the best fit, matched
        11: [(1, 1)],  # filled by a higher fit
        12: [(1, 1), (3, 2)],  # not eligible for 1, and 2 has no seat left
        13: [(1, 3)],  # opening 3 is no longer open (not in the capacities)
        14: [(2, 2)],  # already employed
    }
    students = {**STUDENTS, 14: StudentProfile(id=14)}
    _matching, explanations = run(students, OPENINGS, ranked, {1: 1, 2: 0}, placed={14})
    assert {s: e["reason"] for s, e in explanations.items()} == {
        10: "matched",
        11: "filled",
        12: "not_eligible",
        13: "unavailable",
        14: "already_placed",
    }
    assert explanations[12]["choices"][1] == {"rank": 3, "opening": 2, "why": "no_seats"}
    assert reason_counts(explanations) == {
        "already_placed": 1,
        "filled": 1,
        "not_eligible": 1,
        "unavailable": 1,
    }


def test_explanations_in_words():
    ranked = {10: [(1, 1)], 11: [(1, 1), (2, 2)], 12: [(1, 1), (2, 2)], 13: []}
    _matching, explanations = run(STUDENTS, OPENINGS, ranked, {1: 1, 2: 2})
    titles = {1: "전극 공정 운영", 2: "설비 보전"}
    with translation.override("en"):
        assert explanation_lines(explanations[11], titles) == [
            "Matched to their choice no. 2 with a fit of 0.",
            "Choice no. 1, “전극 공정 운영”: filled by students with a higher fit (cut-off 63, theirs 0).",
        ]
        assert explanation_lines(explanations[12], titles)[1] == (
            "Choice no. 1, “전극 공정 운영”: not eligible without the required certification 전기기능사."
        )
        assert explanation_lines(explanations[13], titles) == ["Ranked no openings."]
        assert explanation_lines(explanations[10], titles) == [
            "Matched to their choice no. 1 with a fit of 63.",
            "Fit: school-checked certifications 10, NCS units for the job 8, department and field 30, "
            "commute 15.",
            "School-checked certifications: 전기기능사.",
            "NCS units completed for this job: 이차전지 전극 공정 관리 and 1 more.",
        ]
        # An explanation stored before these facts existed names neither.
        older = {
            k: v for k, v in explanations[10].items() if k not in ("verified_certifications", "ncs_units")
        }
        assert len(explanation_lines(older, titles)) == 2


def test_the_same_facts_give_the_suggestion_its_one_line_reason():
    facts = fit_explanation(STUDENTS[10], OPENINGS[1], CONTEXT, NAMES, UNIT_NAMES)
    unchecked = fit_explanation(STUDENTS[11], OPENINGS[1], CONTEXT, NAMES, UNIT_NAMES)
    assert (unchecked["certifications"], unchecked["verified_certifications"]) == (["전기기능사"], [])
    with translation.override("en"):
        assert suggestion_reason(facts) == (
            "School-checked certifications: 전기기능사; "
            "NCS units completed for this job: 이차전지 전극 공정 관리 and 1 more; 15 minutes from your area"
        )
        # Held but not checked: still named, as the student's own.
        assert suggestion_reason(unchecked) == "you hold 전기기능사, which it requires"
        assert suggestion_reason({"certifications": ["전기기능사"], "commute_minutes": 15}) == (
            "you hold 전기기능사, which it requires; 15 minutes from your area"
        )
        assert suggestion_reason({}) == "it is open to you"
