"""Read what wrk prints when it runs with loadtest/wrk_report.lua.

wrk's own summary gives the 50/75/90/99th percentiles and counts only answers from 400 up as
errors; the Lua hooks add one line with the 95th percentile, every answer that was not 2xx,
and the socket errors:

    WRK_RESULT requests=1965 duration_us=2048596 non2xx=0 connect=0 read=0 write=0 timeout=0
        p50_us=1099 p95_us=91595 p99_us=179763 max_us=206960   (on one line)

`parse` turns wrk's whole output into a `WrkResult`; it raises ValueError when the line is
missing (wrk failed, or ran without the script).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RESULT_LINE = re.compile(r"^WRK_RESULT (?P<fields>.+)$", re.MULTILINE)
FIELDS = (
    "requests",
    "duration_us",
    "non2xx",
    "connect",
    "read",
    "write",
    "timeout",
    "p50_us",
    "p95_us",
    "p99_us",
    "max_us",
)


@dataclass(frozen=True)
class WrkResult:
    """One wrk run at one concurrency: its count, duration, errors and latency percentiles."""

    requests: int
    duration_us: int
    non2xx: int
    socket_errors: int
    p50_us: int
    p95_us: int
    p99_us: int
    max_us: int

    @property
    def rate(self) -> float:
        """Requests a second over the run."""
        return self.requests / (self.duration_us / 1_000_000) if self.duration_us else 0.0

    @property
    def failures(self) -> int:
        """Answers that were not 2xx, plus connections that failed, broke or timed out."""
        return self.non2xx + self.socket_errors

    @property
    def p95_ms(self) -> float:
        return self.p95_us / 1000


def parse(output: str) -> WrkResult:
    match = RESULT_LINE.search(output)
    if match is None:
        raise ValueError("wrk printed no WRK_RESULT line (did it run with -s loadtest/wrk_report.lua?)")
    values: dict[str, int] = {}
    for pair in match.group("fields").split():
        key, _, value = pair.partition("=")
        if key in FIELDS:
            values[key] = int(value)
    missing = [key for key in FIELDS if key not in values]
    if missing:
        raise ValueError(f"the WRK_RESULT line lacks {', '.join(missing)}")
    return WrkResult(
        requests=values["requests"],
        duration_us=values["duration_us"],
        non2xx=values["non2xx"],
        socket_errors=values["connect"] + values["read"] + values["write"] + values["timeout"],
        p50_us=values["p50_us"],
        p95_us=values["p95_us"],
        p99_us=values["p99_us"],
        max_us=values["max_us"],
    )
