"""The pure-Python matching engine returns the student-optimal stable matching.

No database: these tests exercise `placements.matching` on plain dicts. Ids deliberately mix
types (ints, strings, tuples) that cannot be sorted together.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placements.matching import bench, deferred_acceptance

Market = tuple[dict, dict, dict]

STUDENT_IDS: list[Hashable] = [0, "s1", ("s", 2), 3, "s4", ("s", 5), 6, "s7", ("s", 8), 9]
OPENING_IDS: list[Hashable] = ["X", ("o", 1), 2, "Y", ("o", 4), 5]
OUTSIDER = "not-a-student"  # ranked by openings, never proposes


# --- Oracles ----------------------------------------------------------------------------------


def reference_da(student_prefs: Mapping, opening_prefs: Mapping, capacities: Mapping) -> dict:
    """Textbook student-proposing deferred acceptance, written for clarity rather than speed."""
    rank = {o: {s: i for i, s in enumerate(prefs)} for o, prefs in opening_prefs.items()}
    next_choice = dict.fromkeys(student_prefs, 0)
    held: dict[Hashable, list] = {o: [] for o in capacities}
    free = list(student_prefs)
    while free:
        student = free.pop()
        prefs = student_prefs[student]
        while next_choice[student] < len(prefs):
            opening = prefs[next_choice[student]]
            next_choice[student] += 1
            position = rank.get(opening, {}).get(student)
            if position is None or capacities[opening] == 0:
                continue
            if len(held[opening]) < capacities[opening]:
                held[opening].append(student)
                break
            worst = max(held[opening], key=rank[opening].__getitem__)
            if rank[opening][worst] > position:
                held[opening].remove(worst)
                held[opening].append(student)
                free.append(worst)
                break
    return {s: o for o, students in held.items() for s in students}


def assert_valid(student_prefs: Mapping, opening_prefs: Mapping, capacities: Mapping, matching: dict) -> None:
    """Only mutually acceptable pairs, only known students, capacities respected."""
    for student, opening in matching.items():
        assert student in student_prefs
        assert opening in student_prefs[student], (student, opening)
        assert student in opening_prefs.get(opening, ()), (student, opening)
    for opening, count in Counter(matching.values()).items():
        assert count <= capacities[opening], opening


def blocking_pairs(
    student_prefs: Mapping, opening_prefs: Mapping, capacities: Mapping, matching: dict
) -> Iterator[tuple]:
    """Pairs that would both rather be together (a free seat makes an opening want anyone acceptable)."""
    held: dict[Hashable, list] = {}
    for student, opening in matching.items():
        held.setdefault(opening, []).append(student)
    for student, prefs in student_prefs.items():
        current = matching.get(student)
        better = prefs if current is None else prefs[: list(prefs).index(current)]
        for opening in better:
            ranking = list(opening_prefs.get(opening, ()))
            if student not in ranking or capacities[opening] == 0:
                continue
            others = held.get(opening, [])
            if len(others) < capacities[opening] or any(
                ranking.index(student) < ranking.index(other) for other in others
            ):
                yield (student, opening)


def all_stable_matchings(student_prefs: Mapping, opening_prefs: Mapping, capacities: Mapping) -> list[dict]:
    options = []
    for student, prefs in student_prefs.items():
        acceptable = [o for o in prefs if student in opening_prefs.get(o, ()) and capacities[o] > 0]
        options.append([None, *acceptable])
    stable = []
    for choice in itertools.product(*options):
        matching = {s: o for s, o in zip(student_prefs, choice, strict=True) if o is not None}
        counts = Counter(matching.values())
        if any(counts[o] > capacities[o] for o in counts):
            continue
        if not any(blocking_pairs(student_prefs, opening_prefs, capacities, matching)):
            stable.append(matching)
    return stable


def utility(prefs: Sequence, opening: Hashable | None) -> int:
    """Higher is better: position from the end of the true list; unmatched or unlisted is -1."""
    prefs = list(prefs)
    return len(prefs) - prefs.index(opening) if opening in prefs else -1


# --- Strategies -------------------------------------------------------------------------------


@st.composite
def markets(
    draw, max_students: int = 6, max_openings: int = 4, max_capacity: int = 3, min_size: int = 0
) -> Market:
    students = STUDENT_IDS[: draw(st.integers(min_size, max_students))]
    openings = OPENING_IDS[: draw(st.integers(min_size, max_openings))]
    pool = [*students, OUTSIDER]

    def some(items: list) -> list:
        return draw(st.lists(st.sampled_from(items), unique=True)) if items else []

    student_prefs = {s: some(openings) for s in students}
    # Most openings rank a subset of the students; a few are missing from opening_prefs.
    opening_prefs = {o: some(pool) for o in openings if draw(st.integers(0, 5))}
    capacities = {o: draw(st.integers(0, max_capacity)) for o in openings}
    if draw(st.booleans()):
        capacities["spare"] = 1  # a capacity nobody uses is fine
    return student_prefs, opening_prefs, capacities


@st.composite
def correlated_markets(draw) -> Market:
    """Medium markets from the benchmark generator: long lists make the engine compact its dicts."""
    n_openings = draw(st.integers(1, 12))
    n_students = draw(st.integers(0, 250))
    seats = draw(st.integers(0, n_students + n_openings))
    prefs = draw(st.integers(0, n_openings))
    seed = draw(st.integers(0, 2**32 - 1))
    return bench.synthetic_instance(n_students, n_openings, seats, prefs, seed)


def shuffled(market: Market, seed: int) -> Market:
    """The same market with every mapping rebuilt in a random key order and lists as tuples."""
    rng = random.Random(seed)

    def reorder(mapping: Mapping, convert=lambda v: v) -> dict:
        keys = list(mapping)
        rng.shuffle(keys)
        return {k: convert(mapping[k]) for k in keys}

    student_prefs, opening_prefs, capacities = market
    return reorder(student_prefs, tuple), reorder(opening_prefs, tuple), reorder(capacities)


# --- Properties -------------------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(markets())
def test_result_is_valid_and_stable(market: Market) -> None:
    result = deferred_acceptance(*market)
    assert_valid(*market, result)
    assert list(blocking_pairs(*market, result)) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(correlated_markets())
def test_medium_correlated_markets_match_the_reference(market: Market) -> None:
    result = deferred_acceptance(*market)
    assert_valid(*market, result)
    assert list(blocking_pairs(*market, result)) == []
    assert result == reference_da(*market)


@pytest.mark.parametrize("seed", range(12))
def test_larger_correlated_markets_match_the_reference(seed: int) -> None:
    market = bench.synthetic_instance(600, 30, 640, 8, seed)
    result = deferred_acceptance(*market)
    assert_valid(*market, result)
    assert list(blocking_pairs(*market, result)) == []
    assert result == reference_da(*market)
    assert deferred_acceptance(*shuffled(market, seed)) == result


@settings(max_examples=300, deadline=None)
@given(markets(), st.integers(0, 2**32 - 1))
def test_result_does_not_depend_on_input_order(market: Market, seed: int) -> None:
    assert deferred_acceptance(*shuffled(market, seed)) == deferred_acceptance(*market)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(correlated_markets(), st.integers(0, 2**32 - 1))
def test_medium_result_does_not_depend_on_input_order(market: Market, seed: int) -> None:
    assert deferred_acceptance(*shuffled(market, seed)) == deferred_acceptance(*market)


@settings(max_examples=400, deadline=None)
@given(markets(max_students=4, max_openings=3, max_capacity=2))
def test_is_the_student_optimal_stable_matching(market: Market) -> None:
    """Brute force: ours is stable and every student likes it at least as much as any stable one."""
    student_prefs = market[0]
    result = deferred_acceptance(*market)
    stable = all_stable_matchings(*market)
    assert result in stable
    for other in stable:
        for student, prefs in student_prefs.items():
            assert utility(prefs, result.get(student)) >= utility(prefs, other.get(student))


@settings(max_examples=250, deadline=None)
@given(markets(max_students=4, max_openings=3, max_capacity=2, min_size=2))
def test_no_student_gains_by_misreporting(market: Market) -> None:
    """Strategy-proofness: try every ordered subset of the openings as a reported list."""
    student_prefs, opening_prefs, capacities = market
    truth = deferred_acceptance(*market)
    openings = list(capacities)
    reports = [list(p) for k in range(len(openings) + 1) for p in itertools.permutations(openings, k)]
    for student, true_list in student_prefs.items():
        honest = utility(true_list, truth.get(student))
        for report in reports:
            lied = deferred_acceptance({**student_prefs, student: report}, opening_prefs, capacities)
            assert utility(true_list, lied.get(student)) <= honest, (student, report)


# --- Known answers ----------------------------------------------------------------------------


def test_classic_three_by_three_gives_the_student_optimal_side() -> None:
    # Two stable matchings exist: {A: X, B: Y, C: Z} (students' favourite) and {A: Y, B: X, C: Z}.
    students = {"A": ["X", "Y", "Z"], "B": ["Y", "X", "Z"], "C": ["X", "Y", "Z"]}
    openings = {"X": ["B", "A", "C"], "Y": ["A", "B", "C"], "Z": ["A", "B", "C"]}
    capacities = {"X": 1, "Y": 1, "Z": 1}
    assert deferred_acceptance(students, openings, capacities) == {"A": "X", "B": "Y", "C": "Z"}


def test_opening_with_two_seats_keeps_its_two_favourites() -> None:
    students = {1: ["big", "small"], 2: ["big", "small"], 3: ["big", "small"], 4: ["big"]}
    openings = {"big": [3, 4, 1, 2], "small": [1, 2, 3]}
    capacities = {"big": 2, "small": 1}
    # big keeps 3 and 4; 1 and 2 fall to small, which prefers 1; 2 ends unmatched.
    assert deferred_acceptance(students, openings, capacities) == {3: "big", 4: "big", 1: "small"}


def test_opening_with_no_seats_takes_no_one() -> None:
    students = {"a": ["closed", "open"], "b": ["closed"]}
    openings = {"closed": ["a", "b"], "open": ["a", "b"]}
    assert deferred_acceptance(students, openings, {"closed": 0, "open": 5}) == {"a": "open"}


def test_release_chain_moves_students_down_their_lists() -> None:
    # s1 first holds X, is bumped by s2, bumps s3 from Y, and s3 ends at Z.
    students = {"s1": ["X", "Y"], "s2": ["X"], "s3": ["Y", "Z"]}
    openings = {"X": ["s2", "s1"], "Y": ["s1", "s3"], "Z": ["s3"]}
    capacities = {"X": 1, "Y": 1, "Z": 1}
    assert deferred_acceptance(students, openings, capacities) == {"s2": "X", "s1": "Y", "s3": "Z"}


def test_unlisted_student_is_not_acceptable_and_missing_opening_accepts_no_one() -> None:
    students = {"a": ["picky", "ghost", "easy"], "b": ["picky"]}
    openings = {"picky": ["b"], "easy": ["a"]}  # "ghost" has a capacity but no list
    capacities = {"picky": 3, "ghost": 3, "easy": 1}
    assert deferred_acceptance(students, openings, capacities) == {"b": "picky", "a": "easy"}


def test_empty_market_and_inputs_left_untouched() -> None:
    assert deferred_acceptance({}, {}, {}) == {}
    students = {1: ("X",), 2: ("X",)}
    openings = {"X": (2, 1)}
    capacities = {"X": 1}
    snapshot = (dict(students), dict(openings), dict(capacities))
    assert deferred_acceptance(students, openings, capacities) == {2: "X"}
    assert (students, openings, capacities) == snapshot


def test_large_capacity_and_integral_capacities() -> None:
    class Seats(int):
        """An int subclass stands in for other Integral types (e.g. numpy integers)."""

    students = {s: ["X"] for s in range(5)}
    openings = {"X": list(range(5))}
    assert deferred_acceptance(students, openings, {"X": 10**12}) == dict.fromkeys(range(5), "X")
    assert deferred_acceptance(students, openings, {"X": Seats(2)}) == {0: "X", 1: "X"}


# --- Errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("students", "openings", "capacities", "offending"),
    [
        pytest.param({"s": ["X", "ghost"]}, {"X": ["s"]}, {"X": 1}, ["ghost"], id="no-capacity-entry"),
        pytest.param({"s": ["X"]}, {"X": ["s"]}, {"X": -1}, ["X"], id="negative-capacity"),
        pytest.param({"s": ["X"]}, {"X": ["s"]}, {"X": 1.5}, ["X"], id="float-capacity"),
        pytest.param({"s": ["X"]}, {"X": ["s"]}, {"X": "2"}, ["X"], id="str-capacity"),
        pytest.param({"s": ["X"]}, {"X": ["s"]}, {"X": True}, ["X"], id="bool-capacity"),
        pytest.param({"s": ["X"]}, {"X": ["s"]}, {"X": None}, ["X"], id="none-capacity"),
        pytest.param({("s", 1): ["X", "Y", "X"]}, {}, {"X": 1, "Y": 1}, [("s", 1), "X"], id="student-dup"),
        pytest.param({"s": ["X"]}, {"X": ["s", 7, 7]}, {"X": 1}, ["X", 7], id="opening-dup"),
        pytest.param({}, {"Z": ["s", "s"]}, {}, ["Z", "s"], id="dup-in-unused-opening"),
    ],
)
def test_invalid_input_raises_value_error_naming_the_id(students, openings, capacities, offending) -> None:
    with pytest.raises(ValueError) as excinfo:
        deferred_acceptance(students, openings, capacities)
    for item in offending:
        assert repr(item) in str(excinfo.value)


def test_opening_without_capacity_is_fine_when_no_student_lists_it() -> None:
    assert deferred_acceptance({"s": ["X"]}, {"X": ["s"], "Z": ["s"]}, {"X": 1}) == {"s": "X"}


# --- Benchmark helpers ------------------------------------------------------------------------


def test_synthetic_instance_shape_and_determinism() -> None:
    student_prefs, opening_prefs, capacities = bench.synthetic_instance(300, 40, 330, 5, seed=7)
    assert len(student_prefs) == 300
    assert sum(capacities.values()) == 330
    assert min(capacities.values()) >= 1
    listers: dict[int, set] = {o: set() for o in opening_prefs}
    for student, prefs in student_prefs.items():
        assert len(prefs) == len(set(prefs)) == 5
        for opening in prefs:
            listers[opening].add(student)
    for opening, ranking in opening_prefs.items():
        assert len(ranking) == len(set(ranking))
        assert set(ranking) == listers[opening]  # every opening ranks exactly its applicants
    assert bench.synthetic_instance(300, 40, 330, 5, seed=7) == (student_prefs, opening_prefs, capacities)
    assert bench.synthetic_instance(300, 40, 330, 5, seed=8) != (student_prefs, opening_prefs, capacities)


def test_compare_to_baseline_reports_timings() -> None:
    instance = bench.synthetic_instance(500, 50, 550, 8, seed=1)
    figures = bench.compare_to_baseline(instance, repeat=1)
    assert figures["engine_seconds"] > 0 and figures["baseline_seconds"] > 0
    assert figures["ratio"] == pytest.approx(figures["engine_seconds"] / figures["baseline_seconds"])
    assert figures["matched"] == len(deferred_acceptance(*instance))


def test_peer_package_agrees_on_a_small_instance() -> None:
    try:
        import matching.games  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"the PyPI package 'matching' does not import: {exc}")
    figures = bench.peer_compare(200, 40, prefs=10, seed=3, repeat=1)
    assert figures["same_matching"] is True
    assert figures["matched"] > 0
