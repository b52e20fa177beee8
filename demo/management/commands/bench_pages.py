"""Time the public list pages against a base commit, side by side in one run.

    scripts/bench-pages [BASE_COMMIT] [options]     (or: make bench-pages)

The script checks the base commit out in a worktree (var/bench-base), prepares a PostgreSQL
database with the demo data and settings like production's (DEBUG off), and runs this command
with `--base-tree var/bench-base`. The command starts one worker process in each tree
(demo/pagebench.py), alternates them round by round, and prints for each page the median of
both trees (wall clock, and the worker's CPU time), their ratio, and the template renders,
`{% include %}` renders and queries of one request in each tree. Every request is a cache miss.

What is measured: an anonymous visitor's request with no cookie, the anonymous page cache off
(PUBLIC_PAGE_CACHE_SECONDS=0). Anonymous visitors are who the page cache serves, and this is
what each of them costs whenever the cache misses (the first request after an expiry or after
a change moved the district's version); signed-in users are never served from it. The base
commit has no page cache at all, so there the same request, with the same headers, is the page
itself: both trees are measured identically. `--signed-in` measures instead a request carrying
the cookie of a real session (one more query in both trees: loading it).

It exits with status 1 when /openings/ or /pathways/ takes more than half of the base's median
(issue 17). Timings depend on the machine's load, so the load average is printed before and
after; the counts do not.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import pagebench


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


class Command(BaseCommand):
    help = "Time /openings/, /pathways/, /companies/ and /programs/ against a base tree; exit 1 on a miss."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-tree",
            default=str(settings.BASE_DIR / "var" / "bench-base"),
            help="A checkout of the base commit (scripts/bench-pages makes it). Default: var/bench-base.",
        )
        parser.add_argument(
            "--pages",
            type=pagebench.parse_pages,
            default=pagebench.DEFAULT_PAGES,
            help="Comma-separated paths. Default: " + ",".join(pagebench.DEFAULT_PAGES),
        )
        parser.add_argument("--rounds", type=int, default=10, help="Rounds of alternation (default 10).")
        parser.add_argument("--requests", type=int, default=5, help="Requests a page, tree and round (5).")
        parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first (5).")
        parser.add_argument(
            "--signed-in",
            action="store_true",
            help="Send a real session's cookie with every request (default: anonymous, no cookie).",
        )
        parser.add_argument(
            "--max-ratio",
            type=float,
            default=pagebench.MAX_RATIO,
            help=f"The target for {' and '.join(pagebench.GATED_PAGES)}: now ≤ this × base "
            f"(default {pagebench.MAX_RATIO}).",
        )

    def handle(self, *args, base_tree, pages, rounds, requests, warmup, max_ratio, signed_in, **options):
        base_tree = Path(base_tree).resolve()
        if not (base_tree / "manage.py").exists():
            raise CommandError(f"{base_tree} is not a checkout of the portal; run scripts/bench-pages")
        env = {**os.environ, "PUBLIC_PAGE_CACHE_SECONDS": "0"}
        env["BENCH_PAGES_SIGNED_IN"] = "1" if signed_in else "0"
        who = "signed in (a session cookie)" if signed_in else "anonymous (no cookie)"
        self.stdout.write(
            f"base: {base_tree}\nnow:  {settings.BASE_DIR}\n"
            f"DEBUG={settings.DEBUG}, database {settings.DATABASES['default']['NAME']}; requests {who}, "
            f"page cache off; "
            f"{rounds} rounds × {requests} requests a page and tree, after {warmup} untimed\n"
            f"load average before: {_load_average()}"
        )
        results = pagebench.measure(
            base_tree=base_tree,
            now_tree=Path(settings.BASE_DIR),
            env=env,
            pages=pages,
            rounds=rounds,
            requests=requests,
            warmup=warmup,
            log=lambda line: self.stderr.write(line),
        )
        self.stdout.write(f"load average after: {_load_average()}\n")
        self.stdout.write(pagebench.table(results, max_ratio=max_ratio))
        misses = pagebench.verdict(results, max_ratio=max_ratio)
        for miss in misses:
            self.stdout.write(self.style.ERROR(f"MISS {miss}"))
        if misses:
            sys.exit(1)
        gated = " and ".join(pagebench.GATED_PAGES)
        self.stdout.write(self.style.SUCCESS(f"{gated} cost at most {max_ratio:.2f} × the base."))
