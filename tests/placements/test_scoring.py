"""The fit score that orders each opening's applicants (placements.matching.scoring, no database)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from placements.matching import deferred_acceptance
from placements.matching.scoring import (
    OpeningProfile,
    ScoringContext,
    StudentProfile,
    build_market,
    commute_points,
    fit_components,
    fit_score,
    input_fingerprint,
    is_eligible,
    lottery_draws,
    rank_applicants,
)
from tests.builders import random_market

ELECTRIC, HYDRAULIC = 1, 2  # certification ids: 전기기능사, 공유압기능사
CATHODE, RECYCLING = 10, 11  # segment ids
HOME, COMPLEX = 100, 101  # area ids
SCHOOL_A, SCHOOL_B = 1000, 1001
DEPT_A = 500
COMPANY = 77
UNIT_ELECTRODE, UNIT_COATING, UNIT_ASSEMBLY, UNIT_WELDING = 200, 201, 202, 203  # NCS unit ids

CONTEXT = ScoringContext(
    commute_minutes={(HOME, COMPLEX): 15, (COMPLEX, COMPLEX): 5, (HOME, HOME): 50},
    agreement_priority={(COMPANY, None): 3, (COMPANY, SCHOOL_A): 8},
)


def student(sid: int, **kwargs) -> StudentProfile:
    defaults = {"school_id": SCHOOL_B, "department_id": 999, "area_id": None}
    return StudentProfile(id=sid, **{**defaults, **kwargs})


def opening(oid: int, **kwargs) -> OpeningProfile:
    return OpeningProfile(id=oid, **{"company_id": COMPANY, **kwargs})


# --- Components -----------------------------------------------------------------------------------


def test_a_student_missing_a_required_certification_is_not_acceptable():
    job = opening(1, required_certifications=frozenset({ELECTRIC, HYDRAULIC}))
    holds_one = student(
        1, certifications=frozenset({ELECTRIC}), verified_certifications=frozenset({ELECTRIC})
    )
    holds_both = student(
        2,
        certifications=frozenset({ELECTRIC, HYDRAULIC, 3}),
        verified_certifications=frozenset({ELECTRIC, HYDRAULIC}),
    )
    assert not is_eligible(holds_one, job)
    assert fit_score(holds_one, job, CONTEXT) is None
    # Both required certifications, checked by the school (10 each), and the district's
    # agreement with the company (2 × 3).
    assert fit_score(holds_both, job, CONTEXT) == 2 * 10 + 2 * 3 == 26

    market = build_market(
        students={1: holds_one, 2: holds_both},
        openings={1: job},
        ranked={1: [1], 2: [1]},
        context=CONTEXT,
        seed=1,
    )
    assert market.opening_prefs == {1: [2]}  # the student without 공유압기능사 is not on the list
    assert market.student_prefs == {1: [], 2: [1]}
    assert deferred_acceptance(market.student_prefs, market.opening_prefs, {1: 5}) == {2: 1}


def test_each_component_is_reported_and_the_score_is_their_sum():
    job = opening(
        1,
        segment_id=CATHODE,
        area_id=COMPLEX,
        required_certifications=frozenset({ELECTRIC}),
        preferred_departments=frozenset({DEPT_A}),
        role_ncs_units=frozenset({UNIT_ELECTRODE, UNIT_COATING, UNIT_ASSEMBLY}),
    )
    strong = student(
        1,
        school_id=SCHOOL_A,
        department_id=DEPT_A,
        department_segment_id=CATHODE,
        interest_segment_id=CATHODE,
        area_id=HOME,
        certifications=frozenset({ELECTRIC}),
        verified_certifications=frozenset({ELECTRIC}),
        ncs_units=frozenset({UNIT_ELECTRODE, UNIT_COATING, UNIT_WELDING}),
        practice_companies=frozenset({COMPANY}),
    )
    components = fit_components(strong, job, CONTEXT)
    assert components == {
        "certifications": 10,  # one required certification, checked by the school
        "ncs": 2 * 4,  # two of the job role's units completed (welding is not the role's)
        "field": 30 + 15 + 10,  # preferred department, its segment, the student's interest
        "practice": 20,  # completed field practice at the company
        "commute": 15,  # 15 minutes
        "agreement": 2 * 8,  # the school's agreement (8) beats the district's (3)
    }
    # 10 + 8 + 55 + 20 + 15 + 16
    assert fit_score(strong, job, CONTEXT) == sum(components.values()) == 124

    plain = student(2, certifications=frozenset({ELECTRIC}), interest_segment_id=RECYCLING)
    assert fit_components(plain, job, CONTEXT) == {
        "certifications": 0,  # held, so eligible, but not checked by the school yet
        "ncs": 0,
        "field": 0,
        "practice": 0,
        "commute": 0,  # no commute area: unknown, no points
        "agreement": 2 * 3,  # only the district-wide agreement applies to school B
    }


def test_a_checked_certification_earns_points_and_an_unchecked_one_only_makes_the_student_eligible():
    job = opening(1, required_certifications=frozenset({ELECTRIC, HYDRAULIC}))
    held = frozenset({ELECTRIC, HYDRAULIC})
    unchecked = student(1, certifications=held)
    one_checked = student(2, certifications=held, verified_certifications=frozenset({ELECTRIC}))
    both_checked = student(3, certifications=held, verified_certifications=held)
    # Every one of them is eligible; the district's agreement gives each 2 × 3 = 6.
    assert [fit_score(s, job, CONTEXT) for s in (unchecked, one_checked, both_checked)] == [6, 16, 26]
    # A checked certification the opening does not require earns nothing.
    extra = student(4, certifications=held | {3}, verified_certifications=frozenset({3}))
    assert fit_components(extra, job, CONTEXT)["certifications"] == 0


def test_ncs_units_count_only_when_they_are_the_job_roles_and_at_most_five():
    role = frozenset(range(200, 208))  # eight units
    job = opening(1, role_ncs_units=role)
    cases = {
        frozenset(): 0,
        frozenset({203}): 4,
        frozenset({300, 301, 302}): 0,  # completed, but none of them is the job role's
        frozenset({200, 201, 300}): 8,
        frozenset(range(200, 205)): 20,  # five units: the cap
        frozenset(range(200, 208)): 20,  # eight units: still the cap
    }
    for units, points in cases.items():
        assert fit_components(student(1, ncs_units=units), job, CONTEXT)["ncs"] == points
    # An opening without a job role (or a role without units) gives nobody NCS points.
    assert fit_components(student(1, ncs_units=role), opening(2), CONTEXT)["ncs"] == 0


@pytest.mark.parametrize(
    ("minutes", "points"), [(None, 0), (0, 15), (20, 15), (21, 10), (40, 10), (41, 5), (60, 5), (61, 0)]
)
def test_commute_bands(minutes, points):
    assert commute_points(minutes) == points


# --- Ties and the seeded lottery ------------------------------------------------------------------


def test_a_tie_is_broken_by_the_seed_and_the_same_seed_reproduces_it():
    scores = {11: 40, 12: 40, 13: 55}
    orders = {tuple(rank_applicants(seed, 1, scores)) for seed in range(40)}
    # The higher fit always comes first; the two tied students come in either order.
    assert orders == {(13, 11, 12), (13, 12, 11)}
    for seed in range(10):
        assert rank_applicants(seed, 1, scores) == rank_applicants(seed, 1, dict(reversed(scores.items())))
    assert lottery_draws(7, 1, [12, 11]) == lottery_draws(7, 1, [11, 12])


def test_the_seed_decides_who_gets_a_contested_seat():
    job = opening(1)
    students = {1: student(1), 2: student(2)}
    winners = set()
    for seed in range(30):
        market = build_market(
            students=students, openings={1: job}, ranked={1: [1], 2: [1]}, context=CONTEXT, seed=seed
        )
        matching = deferred_acceptance(market.student_prefs, market.opening_prefs, {1: 1})
        winners.add(next(iter(matching)))
        again = build_market(
            students=dict(reversed(students.items())),
            openings={1: job},
            ranked={2: [1], 1: [1]},
            context=CONTEXT,
            seed=seed,
        )
        assert deferred_acceptance(again.student_prefs, again.opening_prefs, {1: 1}) == matching
    assert winners == {1, 2}


# --- The fast path agrees with the definition --------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_build_market_scores_every_pair_as_fit_score_does(seed):
    students, openings, ranked, context = random_market(random.Random(seed))
    market = build_market(students=students, openings=openings, ranked=ranked, context=context, seed=seed)
    for sid, opening_ids in ranked.items():
        eligible = [o for o in opening_ids if fit_score(students[sid], openings[o], context) is not None]
        assert market.student_prefs[sid] == eligible
        for o in eligible:
            assert market.opening_scores[o][sid] == fit_score(students[sid], openings[o], context)
    for o, applicants in market.opening_prefs.items():
        scores = [market.opening_scores[o][s] for s in applicants]
        assert scores == sorted(scores, reverse=True)


def test_the_market_does_not_depend_on_the_order_of_the_inputs():
    rng = random.Random(5)
    students, openings, ranked, context = random_market(rng)
    market = build_market(students=students, openings=openings, ranked=ranked, context=context, seed=99)
    shuffled_ids = list(ranked)
    rng.shuffle(shuffled_ids)
    shuffled = build_market(
        students=dict(reversed(list(students.items()))),
        openings=dict(reversed(list(openings.items()))),
        ranked={s: ranked[s] for s in shuffled_ids},
        context=context,
        seed=99,
    )
    assert shuffled.opening_prefs == market.opening_prefs


# --- The fingerprint ----------------------------------------------------------------------------------


def test_the_fingerprint_ignores_input_order_and_sees_every_change():
    students, openings, ranked, context = random_market(random.Random(3))
    capacities = dict.fromkeys(openings, 2)

    def fp(**changes):
        args = {
            "students": students,
            "openings": openings,
            "capacities": capacities,
            "ranked": ranked,
            "context": context,
        }
        return input_fingerprint(**{**args, **changes})

    base = fp()
    assert len(base) == 64
    assert (
        fp(students=dict(reversed(list(students.items()))), ranked=dict(reversed(list(ranked.items()))))
        == base
    )
    someone = next(s for s, lst in ranked.items() if len(lst) >= 2)
    swapped = {**ranked, someone: list(reversed(ranked[someone]))}
    assert fp(ranked=swapped) != base
    assert fp(capacities={**capacities, 0: 3}) != base
    assert (
        fp(context=ScoringContext(commute_minutes={}, agreement_priority=context.agreement_priority)) != base
    )


def test_the_fingerprint_sees_a_checked_certification_a_completed_unit_and_the_role_units():
    students, openings, ranked, context = random_market(random.Random(4))
    capacities = dict.fromkeys(openings, 2)

    def fp(students=students, openings=openings) -> str:
        return input_fingerprint(
            students=students, openings=openings, capacities=capacities, ranked=ranked, context=context
        )

    base = fp()
    # Equal inputs, built afresh: the same fingerprint.
    assert fp(students={s: replace(p) for s, p in students.items()}) == base
    holder = next(p for p in students.values() if p.certifications - p.verified_certifications)
    newly_checked = replace(
        holder,
        verified_certifications=holder.verified_certifications
        | {min(holder.certifications - holder.verified_certifications)},
    )
    assert fp(students={**students, holder.id: newly_checked}) != base
    anyone = students[1000]
    assert fp(students={**students, 1000: replace(anyone, ncs_units=anyone.ncs_units | {999})}) != base
    job = openings[0]
    assert fp(openings={**openings, 0: replace(job, role_ncs_units=job.role_ncs_units | {999})}) != base
