"""Print Locust's per-route figures as a table and apply the load test's thresholds.

    python -m loadtest.report RUN_stats.csv [--max-fail-percent 0.5] [--max-p95-ms 500]

Exits 1 when the failure rate over all requests exceeds --max-fail-percent or the p95 over all
requests exceeds --max-p95-ms, naming which; 0 otherwise. Percentiles are Locust's (it rounds
response times above 100 ms to two significant figures).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path


def load(path: Path) -> tuple[list[dict], dict]:
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    routes = [row for row in rows if row["Name"] != "Aggregated"]
    total = next((row for row in rows if row["Name"] == "Aggregated"), None)
    if total is None or not int(total["Request Count"]):
        raise ValueError(f"{path} has no requests")
    return routes, total


def _ms(row: dict, column: str) -> str:
    value = row[column]
    return "-" if value in ("", "N/A") else f"{float(value):.0f}"


def table(routes: list[dict], total: dict) -> str:
    header = ("route", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "failures")
    lines = []
    for row in [*sorted(routes, key=lambda r: (r["Type"], r["Name"])), total]:
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        name = "ALL" if row is total else f"{row['Type']} {row['Name']}"
        lines.append(
            (
                name,
                str(count),
                f"{float(row['Requests/s']):.1f}",
                _ms(row, "50%"),
                _ms(row, "95%"),
                _ms(row, "99%"),
                f"{failed} ({100 * failed / count:.2f}%)" if count else "0",
            )
        )
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]

    def fmt(cells):
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "-" * len(fmt(header))
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines[:-1]), rule, fmt(lines[-1])])


def verdict(total: dict, *, max_fail_percent: float, max_p95_ms: float) -> list[str]:
    """The thresholds that the run broke, as sentences; empty when it passed."""
    count, failed = int(total["Request Count"]), int(total["Failure Count"])
    fail_percent = 100 * failed / count
    p95 = float(total["95%"])
    broken = []
    if fail_percent > max_fail_percent:
        broken.append(f"failure rate {fail_percent:.2f}% is above {max_fail_percent}%")
    if p95 > max_p95_ms:
        broken.append(f"p95 {p95:.0f} ms is above {max_p95_ms:.0f} ms")
    return broken


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stats", type=Path)
    parser.add_argument("--max-fail-percent", type=float, default=0.5)
    parser.add_argument("--max-p95-ms", type=float, default=500)
    args = parser.parse_args(argv)
    try:
        routes, total = load(args.stats)
    except (OSError, ValueError, KeyError) as error:
        print(f"loadtest report: {error}", file=sys.stderr)
        return 1
    print(table(routes, total))
    broken = verdict(total, max_fail_percent=args.max_fail_percent, max_p95_ms=args.max_p95_ms)
    if broken:
        print("FAIL: " + "; ".join(broken))
        return 1
    print(f"PASS: failures at most {args.max_fail_percent}%, p95 at most {args.max_p95_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
