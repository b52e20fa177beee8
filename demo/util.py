"""Small helpers for the demo data: names, demo business numbers, progress bars and fast inserts."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterable, Sequence

from django.db import connection, models

from companies.validators import business_number_checksum_ok
from demo.accounts import DemoDataError
from district.models import DistrictHost

# Common Korean surnames with rough shares of the population (Statistics Korea), in per cent.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("김", 21.5),
    ("이", 14.7),
    ("박", 8.4),
    ("최", 4.7),
    ("정", 4.3),
    ("강", 2.3),
    ("조", 2.1),
    ("윤", 2.1),
    ("장", 2.0),
    ("임", 1.7),
    ("한", 1.5),
    ("오", 1.5),
    ("서", 1.5),
    ("신", 1.4),
    ("권", 1.4),
    ("황", 1.4),
    ("안", 1.3),
    ("송", 1.3),
    ("전", 1.1),
    ("홍", 1.1),
    ("유", 1.1),
    ("고", 0.9),
    ("문", 0.9),
    ("양", 0.9),
    ("손", 0.9),
    ("배", 0.8),
    ("백", 0.8),
    ("허", 0.6),
    ("남", 0.5),
    ("노", 0.5),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Given names that were common for children born around 2007–2010.
MALE_NAMES = _words(
    "민준 서준 도윤 예준 시우 하준 주원 지호 지후 준우 현우 건우 우진 민재 현준 선우 서진 연우 "
    "유준 정우 승우 승현 시윤 준혁 은우 지환 승민 지훈 민성 동현 태윤 성민 재원 민혁 윤호 영민 "
    "상현 준서 재민 동건 한결 진우 태민 성현 도현 준영"
)
FEMALE_NAMES = _words(
    "서연 서윤 지우 서현 민서 하은 하윤 윤서 지유 채원 지민 수아 지아 지윤 은서 다은 예은 수빈 "
    "지원 유나 예린 소율 가은 수연 예지 민지 유진 혜원 다인 나연 시은 채윤 서영 예서 소연 하린 "
    "지수 수민 은비 연서"
)

_SURNAME_LIST = [s for s, _ in SURNAMES]
_SURNAME_CUM: list[float] = []
_total = 0.0
for _, share in SURNAMES:
    _total += share
    _SURNAME_CUM.append(_total)


def korean_name(rng: random.Random, *, female: bool) -> str:
    """A plausible synthetic Korean name: a common surname and a common given name."""
    surname = rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]
    return surname + rng.choice(FEMALE_NAMES if female else MALE_NAMES)


def demo_business_number(base: int) -> str:
    """A made-up business number with a valid check digit.

    Demo numbers start with 000, which no tax office issues, so they can never be
    mistaken for a real company's number: the Pohang demo uses 000000001…, the
    synthetic benchmark 0009xxxxx.
    """
    head = f"{base:09d}"
    if len(head) != 9 or not head.startswith("000"):
        raise ValueError(f"demo business number base out of range: {base}")
    for last in range(10):
        candidate = head + str(last)
        if business_number_checksum_ok(candidate):
            return candidate
    raise AssertionError("a check digit always exists")  # pragma: no cover


class Progress:
    """A plain progress bar on a stream (stderr by default); silent when disabled.

    On a terminal it redraws one line; elsewhere (logs, captured output) it writes a
    line at each quarter so the output stays short.
    """

    def __init__(self, label: str, total: int, *, stream=None, enabled: bool = True, width: int = 30):
        self.label = label
        self.total = max(total, 0)
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self._last = -1

    def _write(self, text: str) -> None:
        self.stream.write(text)
        flush = getattr(self.stream, "flush", None)
        if flush:
            flush()

    def update(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total) if self.total else self.done + n
        if not self.enabled:
            return
        fraction = self.done / self.total if self.total else 1.0
        step = int(fraction * 100) if self.tty else int(fraction * 4) * 25
        if step == self._last:
            return
        self._last = step
        filled = int(fraction * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"{self.label:<16} [{bar}] {fraction:6.1%} {self.done:>9,}/{self.total:,}"
        self._write(("\r" + line) if self.tty else (line + "\n"))

    def close(self) -> None:
        if not self.enabled:
            return
        if self.done < self.total:
            self.done = self.total
            self._last = -1
            self.update(0)
        elapsed = time.monotonic() - self.started
        self._write(f"  {elapsed:.1f}s\n" if self.tty else f"{self.label:<16} done in {elapsed:.1f}s\n")


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    progress: Progress | None = None,
    batch_size: int = 5000,
) -> int:
    """Insert plain tuples into `model`'s table, as fast as the database allows.

    `columns` are attribute names (``student_id``, not ``student``). On PostgreSQL the
    rows stream through ``COPY … FROM STDIN``; elsewhere they become model instances
    and go through ``bulk_create``. Returns the number of rows written.
    """
    count = 0
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        fields = {f.attname: f.column for f in model._meta.concrete_fields}
        cols = ", ".join(qn(fields[c]) for c in columns)
        statement = f"COPY {qn(model._meta.db_table)} ({cols}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
                if progress is not None and count % batch_size == 0:
                    progress.update(batch_size)
        if progress is not None:
            progress.update(count % batch_size)
        return count

    batch: list[models.Model] = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) >= batch_size:
            model.objects.bulk_create(batch, batch_size=batch_size)
            count += len(batch)
            if progress is not None:
                progress.update(len(batch))
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=batch_size)
        count += len(batch)
        if progress is not None:
            progress.update(len(batch))
    return count


def commute_minutes(a: tuple[float, float], b: tuple[float, float], *, same_area: int = 10) -> int:
    """Plausible door-to-door minutes by bus or shuttle between two points given in km."""
    if a == b:
        return same_area
    distance = ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
    minutes = 12 + distance * 2.4
    return int(round(minutes / 5.0) * 5)


def ensure_hosts(district, hosts: Sequence[str]) -> None:
    """Give the demo district `district` its host names; a host another district serves is an error."""
    for host in hosts:
        row, _ = DistrictHost.objects.get_or_create(host=host, defaults={"district": district})
        if row.district_id != district.pk:
            raise DemoDataError(f"Host name {host!r} is served by district {row.district}; remove it first.")
