"""`bench_dashboard` at a tiny size: it measures /dashboard/ cold and gates on it (full size: by hand)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.builders import build_cohort
from tests.dashboard.test_dashboard_page import COLD_PAGE_QUERIES

PAGE_ONLY = ["--cohort", "2025", "--no-generate", "--page-only", "--runs", "3"]


def test_the_benchmark_measures_the_page_cold_and_warm(world, settings):
    build_cohort(world, 10)
    settings.DASHBOARD_CACHE_SECONDS = 60
    out = StringIO()
    call_command(
        "bench_dashboard", "--district", world.district.slug, *PAGE_ONLY, "--page-max-ms", "60000", stdout=out
    )
    text = out.getvalue()
    # The cold page's queries but the host map's two: creating the test's district cached the map.
    # Every timed request ran as cold, or the command would have stopped.
    found = re.search(
        r"^/dashboard/ \(page\), cache cold: (\d+) queries, median [\d.]+ ms \(CPU [\d.]+ ms\); "
        r"warm: median [\d.]+ ms; load average [\d.]+ [\d.]+ [\d.]+$",
        text,
        re.M,
    )
    assert found and int(found[1]) == COLD_PAGE_QUERIES - 2
    assert "Target: the page cold at most 60000 ms: ok" in text
    assert "The dashboard met its targets." in text


def test_the_benchmark_fails_when_the_cold_page_misses_its_target(world, settings):
    build_cohort(world, 10)
    settings.DASHBOARD_CACHE_SECONDS = 60
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "bench_dashboard",
            "--district",
            world.district.slug,
            *PAGE_ONLY,
            "--page-max-ms",
            "0",
            stdout=out,
            stderr=err,
        )
    assert exit_.value.code == 1
    assert re.search(r"^Target: the page cold at most 0 ms: MISSED \([\d.]+ ms\)$", err.getvalue(), re.M)
