"""Print Locust's per-route figures as a table and apply the load test's thresholds.

    python -m loadtest.report RUN_stats.csv [--max-fail-percent 0.5] [--max-p95-ms 500]
        [--per-route [--exempt "POST /accounts/login/ [POST]"]...]
        [--published PUBLISHED.json --offer-views OFFER_VIEWS.json]

Without --per-route the thresholds apply to all requests together (the default scenario): the
failure rate and the overall p95. With --per-route (results day) the p95 applies to every route
except the --exempt ones (by "TYPE name", as the table shows them). With --published and
--offer-views it also prints how long after the publication the last offered student first saw
their offer, and counts a student who never did as a miss.

Exits 1 when a threshold is broken, with one line naming which; 0 otherwise. Percentiles are
Locust's (it rounds response times above 100 ms to two significant figures).
"""

from __future__ import annotations

import argparse
import csv
import json
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
        broken.append(f"failure rate {fail_percent:.2f}% is above {max_fail_percent:g}%")
    if p95 > max_p95_ms:
        broken.append(f"p95 {p95:.0f} ms is above {max_p95_ms:.0f} ms")
    return broken


def route_verdict(routes: list[dict], *, max_p95_ms: float, exempt: tuple[str, ...] = ()) -> list[str]:
    """The routes whose p95 is above `max_p95_ms` (all but the `exempt` ones), as one sentence each."""
    broken = []
    for row in sorted(routes, key=lambda r: (r["Type"], r["Name"])):
        name = f"{row['Type']} {row['Name']}"
        if name in exempt or row["95%"] in ("", "N/A"):
            continue
        if float(row["95%"]) > max_p95_ms:
            broken.append(f"{name} p95 {float(row['95%']):.0f} ms is above {max_p95_ms:.0f} ms")
    return broken


def offer_views(published: dict, views: dict) -> tuple[str, list[str]]:
    """How long until every offered student had seen their offer, and the miss when some never did.

    `published`: what `loadtest.results_day publish` wrote (the publication's time, the offers);
    `views`: what the results-day locustfile wrote when it stopped.
    """
    offers, seen = published["offers"], views["saw_offer"]
    if views["last_view"] is None:
        return f"0 of {offers} offered students saw their offer", [f"no student saw an offer ({offers} made)"]
    first = views["first_view"] - published["published_at"]
    last = views["last_view"] - published["published_at"]
    line = (
        f"{seen} of {offers} offered students saw their offer; after the publication the first "
        f"looked at {first:.1f} s, the last at {last:.1f} s ({views['signed_in']} of "
        f"{views['students']} students signed in)"
    )
    return line, ([] if seen >= offers else [f"{offers - seen} offered students never saw their offer"])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stats", type=Path)
    parser.add_argument("--max-fail-percent", type=float, default=0.5)
    parser.add_argument("--max-p95-ms", type=float, default=500)
    parser.add_argument("--per-route", action="store_true", help="apply the p95 to each route")
    parser.add_argument("--exempt", action="append", default=[], help='a route the p95 skips: "TYPE name"')
    parser.add_argument("--published", type=Path)
    parser.add_argument("--offer-views", type=Path)
    args = parser.parse_args(argv)
    try:
        routes, total = load(args.stats)
        views = None
        if args.published and args.offer_views:
            views = offer_views(
                json.loads(args.published.read_text()), json.loads(args.offer_views.read_text())
            )
    except (OSError, ValueError, KeyError) as error:
        print(f"loadtest report: {error}", file=sys.stderr)
        return 1
    print(table(routes, total))
    if args.per_route:
        broken = verdict(total, max_fail_percent=args.max_fail_percent, max_p95_ms=float("inf"))
        broken += route_verdict(routes, max_p95_ms=args.max_p95_ms, exempt=tuple(args.exempt))
        scope = "every route's p95" + (f" (except {', '.join(args.exempt)})" if args.exempt else "")
    else:
        broken = verdict(total, max_fail_percent=args.max_fail_percent, max_p95_ms=args.max_p95_ms)
        scope = "p95"
    if views is not None:
        line, missed = views
        print(line)
        broken += missed
    if broken:
        print("FAIL: " + "; ".join(broken))
        return 1
    print(f"PASS: failures at most {args.max_fail_percent:g}%, {scope} at most {args.max_p95_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
