"""bench_pages's arithmetic: the pages it reads, the verdict and the table (no timing here)."""

import pytest

from demo.pagebench import PageResult, Side, parse_pages, table, verdict


def _result(path, base_ms, now_ms, *, base_templates=162, now_templates=7):
    return PageResult(
        path,
        base=Side(
            wall_ms=base_ms, cpu_ms=[1.0], counts={"templates": base_templates, "includes": 151, "queries": 9}
        ),
        now=Side(
            wall_ms=now_ms, cpu_ms=[0.5], counts={"templates": now_templates, "includes": 6, "queries": 9}
        ),
    )


def test_pages_are_read_with_their_slashes():
    assert parse_pages("openings, /pathways/,companies/,") == ("/openings/", "/pathways/", "/companies/")


def test_no_page_is_refused():
    with pytest.raises(ValueError, match="no page given"):
        parse_pages(" , ")


def test_the_verdict_compares_medians_of_the_gated_pages_only():
    results = [
        _result("/openings/", [20.0, 30.0, 24.0], [10.0, 13.0, 12.0]),  # 12 / 24 = 0.50: met
        _result("/pathways/", [20.0, 21.0, 22.0], [11.0, 10.0, 10.4]),  # 10.4 / 21 = 0.495: met
        _result("/companies/", [10.0], [9.0]),  # 0.9, but not gated
    ]
    assert verdict(results) == []
    assert [round(r.ratio, 3) for r in results] == [0.5, 0.495, 0.9]


def test_a_gated_page_over_half_is_a_miss():
    results = [_result("/openings/", [20.0], [10.2]), _result("/pathways/", [21.0], [8.0])]
    assert verdict(results) == [
        "/openings/: 10.2 ms now against 20.0 ms at the base, 0.51 × (target ≤ 0.50 ×)"
    ]
    assert verdict(results, max_ratio=0.6) == []
    assert verdict(results, gated=("/pathways/",)) == []


def test_the_table_gives_medians_ratio_and_counts():
    lines = table([_result("/openings/", [27.0, 25.0, 29.0], [11.0, 12.0, 13.0])]).splitlines()
    assert lines[0].split() == [
        "page", "base", "ms", "now", "ms", "ratio", "target", "base", "cpu", "now", "cpu",
        "templates", "includes", "queries",
    ]  # fmt: skip
    assert lines[2].split() == [
        "/openings/",
        "27.0",
        "12.0",
        "0.44",
        "≤",
        "0.50",
        "1.0",
        "0.5",
        "162→7",
        "151→6",
        "9→9",
    ]
