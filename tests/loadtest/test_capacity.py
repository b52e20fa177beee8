"""The capacity scenario's choice of each route's rate and its verdict (no timing: made-up results)."""

from loadtest.capacity import Step, best_step, table, verdict
from loadtest.wrk import WrkResult


def level(connections: int, requests: int, p95_ms: float, *, non2xx: int = 0) -> Step:
    """A five-second step at `connections` with `requests` answered and the given p95."""
    result = WrkResult(
        requests=requests,
        duration_us=5_000_000,
        non2xx=non2xx,
        socket_errors=0,
        p50_us=int(p95_ms * 500),
        p95_us=int(p95_ms * 1000),
        p99_us=int(p95_ms * 1500),
        max_us=int(p95_ms * 2000),
    )
    return Step(connections, result)


def test_the_best_step_is_the_fastest_before_the_first_that_misses():
    steps = [
        level(1, 500, 10),
        level(2, 900, 20),
        level(4, 850, 60),
        level(8, 2000, 250),
        level(16, 3000, 90),
    ]
    best = best_step(steps, max_p95_ms=200)
    assert (best.connections, best.result.rate) == (2, 180.0)


def test_a_step_with_a_failure_ends_the_search():
    steps = [level(1, 500, 10), level(2, 1000, 12, non2xx=1), level(4, 2000, 15)]
    assert best_step(steps, max_p95_ms=200).connections == 1


def test_no_step_passing_gives_none():
    assert best_step([level(1, 100, 300)], max_p95_ms=200) is None


def test_cache_hits_below_half_of_healthz_miss_the_target():
    best = {
        "/healthz": level(16, 10_000, 30),  # 2,000 req/s
        "/ (cache hit)": level(16, 5_000, 40),  # 1,000 req/s: exactly half
        "/openings/ (cache hit)": level(8, 4_995, 40),  # 999 req/s
        "/openings/ (cache miss)": level(4, 500, 150),  # a miss has no ratio to meet
    }
    assert verdict(
        best,
        healthz="/healthz",
        cache_hits=["/ (cache hit)", "/openings/ (cache hit)"],
        min_ratio=0.5,
        max_p95_ms=200,
    ) == ["/openings/ (cache hit) reached 999 req/s, less than 0.5 × /healthz's 2000 req/s"]


def test_a_route_that_passed_no_step_misses_the_target():
    best = {"/healthz": level(1, 1000, 1), "/openings/ (cache miss)": None}
    assert verdict(best, healthz="/healthz", cache_hits=[], min_ratio=0.5, max_p95_ms=200) == [
        "/openings/ (cache miss) sustained no step with p95 ≤ 200 ms and no failures"
    ]


def test_the_table_gives_each_routes_rate_p95_connections_and_ratio():
    best = {"/healthz": level(16, 10_000, 30), "/ (cache hit)": level(8, 2_500, 45.5), "/x": None}
    assert table(best, healthz="/healthz").splitlines() == [
        "route          best req/s  p95 ms  connections  ÷ /healthz",
        "----------------------------------------------------------",
        "/healthz             2000    30.0           16        1.00",
        "/ (cache hit)         500    45.5            8        0.25",
        "/x                      -       -            -           -",
    ]
