"""The highest request rate each route sustains with p95 ≤ 200 ms and no failures, measured with wrk.

    python -m loadtest.capacity --route "NAME=URL" ... --host pohang.localhost
        [--healthz NAME] [--cache-hit NAME]... [--core 0] [--steps 1,2,4,8,16,32,64]
        [--seconds 5] [--max-p95-ms 200] [--min-ratio 0.5] [--log FILE]

wrk is closed-loop (each connection sends its next request when the last answer arrives), so
the rate is found by stepping the connections: for each route, in the order given, wrk runs
--seconds at 1, 2, 4, … connections, pinned with taskset to --core (scripts/loadtest pins
gunicorn to the other one), and stops at the first step whose p95 is above --max-p95-ms or that
had a failure (an answer other than 2xx, or a socket error). A route's figure is the highest
rate among the steps before that. Every request sends the district's Host header, Accept-Language
ko and the TLS proxy's X-Forwarded-Proto, and no cookie.

Prints a table (best req/s, the p95 and the connections of that step, the ratio to --healthz)
and exits 1 with one line when a --cache-hit route reaches less than --min-ratio of the
--healthz rate, or when a route passed at no step.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from loadtest.wrk import WrkResult, parse

LUA = Path(__file__).with_name("wrk_report.lua")


@dataclass(frozen=True)
class Step:
    connections: int
    result: WrkResult


def passes(result: WrkResult, *, max_p95_ms: float) -> bool:
    return result.failures == 0 and result.requests > 0 and result.p95_ms <= max_p95_ms


def best_step(steps: list[Step], *, max_p95_ms: float) -> Step | None:
    """The step with the highest rate among those before the first that fails, or None."""
    best = None
    for step in steps:
        if not passes(step.result, max_p95_ms=max_p95_ms):
            break
        if best is None or step.result.rate > best.result.rate:
            best = step
    return best


def table(best: dict[str, Step | None], *, healthz: str) -> str:
    base = best.get(healthz)
    header = ("route", "best req/s", "p95 ms", "connections", "÷ /healthz")
    rows = []
    for name, step in best.items():
        if step is None:
            rows.append((name, "-", "-", "-", "-"))
            continue
        ratio = f"{step.result.rate / base.result.rate:.2f}" if base is not None else "-"
        rows.append(
            (name, f"{step.result.rate:.0f}", f"{step.result.p95_ms:.1f}", str(step.connections), ratio)
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(cells):
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([fmt(header), "-" * len(fmt(header)), *(fmt(row) for row in rows)])


def verdict(
    best: dict[str, Step | None], *, healthz: str, cache_hits: list[str], min_ratio: float, max_p95_ms: float
) -> list[str]:
    """What missed the target, as sentences; empty when every route passed and the hits kept up."""
    broken = [
        f"{name} sustained no step with p95 ≤ {max_p95_ms:.0f} ms and no failures"
        for name, step in best.items()
        if step is None
    ]
    base = best.get(healthz)
    if base is None:
        return broken
    for name in cache_hits:
        step = best.get(name)
        if step is not None and step.result.rate < min_ratio * base.result.rate:
            broken.append(
                f"{name} reached {step.result.rate:.0f} req/s, less than {min_ratio:g} × /healthz's "
                f"{base.result.rate:.0f} req/s"
            )
    return broken


def headers(host: str) -> dict[str, str]:
    return {"Host": host, "Accept-Language": "ko", "X-Forwarded-Proto": "https"}


def preflight(url: str, host: str) -> tuple[str | None, bool]:
    """Why `url` cannot be measured (not a plain 200, or no answer) or None, and whether it set a cookie.

    An anonymous page served from the page cache sets no cookie (issue 17), so a cache-hit route
    that sets one is not being served from the cache: the run says so.
    """

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers=headers(host))
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            status, cookie = response.status, response.headers.get("Set-Cookie") is not None
    except urllib.error.HTTPError as error:
        status, cookie = error.code, False
    except OSError as error:
        return f"{url} does not answer: {error}", False
    return (None if status == 200 else f"{url} answers HTTP {status}, not 200"), cookie


def run_wrk(url: str, *, host: str, connections: int, seconds: int, core: int, log) -> WrkResult:
    command = ["taskset", "-c", str(core), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-s", str(LUA)]
    for key, value in headers(host).items():
        command += ["-H", f"{key}: {value}"]
    command.append(url)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    log.write(f"$ {' '.join(command)}\n{done.stdout}{done.stderr}\n")
    log.flush()
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited {done.returncode}: {done.stderr.strip() or done.stdout.strip()}")
    return parse(done.stdout)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--route", action="append", required=True, help="NAME=URL")
    parser.add_argument("--host", required=True, help="the Host header (the district's site)")
    parser.add_argument("--healthz", default="/healthz")
    parser.add_argument("--cache-hit", action="append", default=[])
    parser.add_argument("--core", type=int, default=0)
    parser.add_argument("--steps", default="1,2,4,8,16,32,64")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--max-p95-ms", type=float, default=200)
    parser.add_argument("--min-ratio", type=float, default=0.5)
    parser.add_argument("--log", type=Path, default=Path("/dev/null"))
    args = parser.parse_args(argv)
    routes = dict(route.split("=", 1) for route in args.route)
    steps = [int(n) for n in args.steps.split(",")]

    for name, url in routes.items():
        problem, sets_cookie = preflight(url, args.host)
        if problem is not None:
            print(f"FAIL: {name}: {problem}")
            return 1
        if name in args.cache_hit and sets_cookie:
            print(f"note: {name} sets a cookie on an anonymous GET, so the page cache does not serve it")
    best: dict[str, Step | None] = {}
    with args.log.open("a", encoding="utf-8") as log:
        for name, url in routes.items():
            measured: list[Step] = []
            for connections in steps:
                try:
                    result = run_wrk(
                        url,
                        host=args.host,
                        connections=connections,
                        seconds=args.seconds,
                        core=args.core,
                        log=log,
                    )
                except (RuntimeError, ValueError) as error:
                    print(f"FAIL: {name}: {error}")
                    return 1
                measured.append(Step(connections, result))
                print(
                    f"  {name:<24} c={connections:<3} {result.rate:8.0f} req/s  p95 {result.p95_ms:7.1f} ms  "
                    f"failures {result.failures}",
                    flush=True,
                )
                if not passes(result, max_p95_ms=args.max_p95_ms):
                    break
            best[name] = best_step(measured, max_p95_ms=args.max_p95_ms)
    print()
    print(table(best, healthz=args.healthz))
    broken = verdict(
        best,
        healthz=args.healthz,
        cache_hits=args.cache_hit,
        min_ratio=args.min_ratio,
        max_p95_ms=args.max_p95_ms,
    )
    if broken:
        print("FAIL: " + "; ".join(broken))
        return 1
    print(
        f"PASS: every route sustained p95 ≤ {args.max_p95_ms:.0f} ms with no failures; cache hits reach "
        f"at least {args.min_ratio:g} × /healthz"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
