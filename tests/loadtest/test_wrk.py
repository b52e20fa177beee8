"""loadtest.wrk reads wrk's output (samples captured from wrk 4.1.0 with loadtest/wrk_report.lua)."""

from pathlib import Path

import pytest

from loadtest.wrk import WrkResult, parse

SAMPLES = Path(__file__).with_name("samples")


def test_a_clean_run_gives_its_counts_rate_and_percentiles():
    result = parse((SAMPLES / "wrk_ok.txt").read_text())
    assert result == WrkResult(
        requests=1965,
        duration_us=2048596,
        non2xx=0,
        socket_errors=0,
        p50_us=1099,
        p95_us=91595,
        p99_us=179763,
        max_us=206960,
    )
    assert round(result.rate, 1) == 959.2  # wrk's own summary says Requests/sec: 959.19
    assert result.p95_ms == 91.595
    assert result.failures == 0


def test_answers_other_than_2xx_are_failures():
    result = parse((SAMPLES / "wrk_404.txt").read_text())
    assert (result.requests, result.non2xx, result.socket_errors, result.failures) == (749, 749, 0, 749)


def test_socket_errors_count_as_failures():
    output = (
        "WRK_RESULT requests=10 duration_us=1000000 non2xx=1 connect=2 read=3 write=4 timeout=5 "
        "p50_us=1 p95_us=2 p99_us=3 max_us=4\n"
    )
    result = parse(output)
    assert (result.socket_errors, result.failures, result.rate) == (14, 15, 10.0)


def test_output_without_the_scripts_line_is_refused():
    text = (SAMPLES / "wrk_ok.txt").read_text().replace("WRK_RESULT", "SOMETHING")
    with pytest.raises(ValueError, match="no WRK_RESULT line"):
        parse(text)


def test_a_line_that_lacks_a_field_is_refused():
    with pytest.raises(ValueError, match="lacks p95_us, p99_us, max_us"):
        parse("WRK_RESULT requests=1 duration_us=1 non2xx=0 connect=0 read=0 write=0 timeout=0 p50_us=1\n")
