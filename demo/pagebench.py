"""Public list pages timed side by side: this checkout against a base commit, in one run (`bench_pages`).

Two worker processes (demo/pagebench_worker.py), one in each tree, on the same database, take
turns: each round times a few requests of every page in one tree and then in the other, the
order swapped every round, so that a change in the machine's load falls on both alike. The
verdict compares the medians of all the samples of each page.

The figures that do not depend on load (template renders, `{% include %}` renders, SQL queries,
bytes) come from one extra request per page and tree, after the warm-up (as the timed ones are).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# The commit before issue 17's first one.
DEFAULT_BASE = "f94dc1f"
DEFAULT_PAGES = ("/openings/", "/pathways/", "/companies/", "/programs/")
# The pages held to the target, and the target: at most half of the base's median.
GATED_PAGES = ("/openings/", "/pathways/")
MAX_RATIO = 0.5
WORKER = Path(__file__).with_name("pagebench_worker.py")


@dataclass
class Side:
    """One page in one tree: its timings and its counts."""

    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def cpu_median_ms(self) -> float:
        return statistics.median(self.cpu_ms)


@dataclass
class PageResult:
    path: str
    base: Side = field(default_factory=Side)
    now: Side = field(default_factory=Side)

    @property
    def ratio(self) -> float:
        return self.now.median_ms / self.base.median_ms


def parse_pages(text: str) -> tuple[str, ...]:
    """`--pages /openings/,/pathways/` (a missing slash is added at either end)."""
    pages = []
    for item in text.split(","):
        item = item.strip().strip("/")
        if item:
            pages.append(f"/{item}/")
    if not pages:
        raise ValueError("no page given")
    return tuple(pages)


def verdict(results: list[PageResult], *, gated=GATED_PAGES, max_ratio: float = MAX_RATIO) -> list[str]:
    """The gated pages that miss the target, each as a sentence; empty when every one meets it."""
    misses = []
    for result in results:
        if result.path in gated and result.ratio > max_ratio:
            misses.append(
                f"{result.path}: {result.now.median_ms:.1f} ms now against {result.base.median_ms:.1f} ms "
                f"at the base, {result.ratio:.2f} × (target ≤ {max_ratio:.2f} ×)"
            )
    return misses


def table(results: list[PageResult], *, gated=GATED_PAGES, max_ratio: float = MAX_RATIO) -> str:
    """One row a page: medians (wall and CPU), the ratio, and the counts of both trees."""
    header = (
        f"{'page':<12} {'base ms':>8} {'now ms':>8} {'ratio':>6} {'target':>7} "
        f"{'base cpu':>9} {'now cpu':>8} {'templates':>11} {'includes':>10} {'queries':>9}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        target = f"≤ {max_ratio:.2f}" if r.path in gated else "-"
        lines.append(
            f"{r.path:<12} {r.base.median_ms:>8.1f} {r.now.median_ms:>8.1f} {r.ratio:>6.2f} {target:>7} "
            f"{r.base.cpu_median_ms:>9.1f} {r.now.cpu_median_ms:>8.1f} "
            f"{_pair(r, 'templates'):>11} {_pair(r, 'includes'):>10} {_pair(r, 'queries'):>9}"
        )
    return "\n".join(lines)


def _pair(result: PageResult, name: str) -> str:
    return f"{result.base.counts.get(name, '?')}→{result.now.counts.get(name, '?')}"


class Worker:
    """A worker process in one tree (demo/pagebench_worker.py), asked one JSON line at a time."""

    def __init__(self, tree: Path, env: dict):
        self.tree = tree
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)],
            cwd=tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._read()  # {"ready": true} once Django is set up

    def ask(self, **request) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._read()

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            status = self.process.wait()
            raise RuntimeError(f"the worker in {self.tree} exited ({status}); see its output above")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the worker in {self.tree}: {answer['error']}")
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


def measure(
    *, base_tree: Path, now_tree: Path, env: dict, pages, rounds: int, requests: int, warmup: int, log=print
) -> list[PageResult]:
    """Warm up, count, then alternate the trees for `rounds` rounds of `requests` requests a page."""
    results = [PageResult(path) for path in pages]
    workers = {}
    try:
        workers = {"base": Worker(base_tree, env), "now": Worker(now_tree, env)}
        for result in results:
            for name, worker in workers.items():
                worker.ask(op="time", path=result.path, requests=warmup)
                getattr(result, name).counts = worker.ask(op="count", path=result.path)
        for round_ in range(rounds):
            order = ("base", "now") if round_ % 2 == 0 else ("now", "base")
            for result in results:
                for name in order:
                    answer = workers[name].ask(op="time", path=result.path, requests=requests)
                    side = getattr(result, name)
                    side.wall_ms += answer["wall_ms"]
                    side.cpu_ms += answer["cpu_ms"]
            log(f"round {round_ + 1}/{rounds} done")
    finally:
        for worker in workers.values():
            worker.close()
    return results
