"""Measure how much a full roster workbook unpacks to, the figure behind MAX_UNPACKED_BYTES.

    python manage.py measure_roster_size            # MAX_ROWS students, every column filled
    python manage.py measure_roster_size --rows 500 --out /tmp/roster.xlsx

It writes a roster of plausible students in the template's columns, every optional column
filled (a date of birth, a commute area, one to three certifications with dates, an email, a
status, and a school year's attendance), in two ways: through the portal's own export writer
(the file a school downloads, edits and imports again) and through a plain openpyxl
workbook, which stores cells the way a spreadsheet program does. For each it prints the
bytes on the wire and the unpacked size (the sum of the zip members' sizes, what
`schools.imports.sniff` checks), and the limit in force. The limit should stay about twice
the larger unpacked size.
"""

from __future__ import annotations

import datetime
import io
import random
import zipfile

from django.core.management.base import BaseCommand

from district.exports import Sheet, xlsx_bytes
from schools.imports import HEADERS, MAX_ROWS, MAX_UNPACKED_BYTES, unpacked_size

SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민"
    "진나지엄변채원천방공현함염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
)
SYLLABLES = "민서준지현우예윤도하은수영진재성연주아유호승혜원희경태시동상정채린빈건규나다라한솔별찬"
DEPARTMENTS = [
    "이차전지 시스템제어과",
    "스마트전기과",
    "친환경 화학공업과",
    "기계설비자동화과",
    "전자통신과",
    "제철자동화설비과",
]
AREAS = [
    "포항시 북구 흥해읍",
    "포항시 남구 오천읍",
    "포항시 북구 양덕동",
    "포항시 남구 대송면",
    "경주시 안강읍",
]
CERTIFICATIONS = [
    "전기기능사",
    "전자기기기능사",
    "화학분석기능사",
    "공유압기능사",
    "용접기능사",
    "생산자동화기능사",
    "위험물기능사",
    "컴퓨터활용능력 2급",
]
MAIL_HOSTS = ["naver.com", "gmail.com", "daum.net", "hanmail.net", "kakao.com"]
STATUSES = ["재학", "졸업", "졸업", "자퇴"]


def sample_roster_rows(count: int = MAX_ROWS, *, seed: int = 12) -> list[list]:
    """`count` plausible students with every column of the template filled, the same for the same seed."""
    pick = random.Random(seed)
    rows = []
    for n in range(1, count + 1):
        year = pick.choice([2026, 2027, 2028])
        born = datetime.date(year - 18, 1, 1) + datetime.timedelta(days=pick.randrange(365))
        held = pick.sample(CERTIFICATIONS, pick.randint(1, 3))
        certifications = "; ".join(
            f"{name}({datetime.date(year - 1, 1, 1) + datetime.timedelta(days=pick.randrange(540))})"
            for name in held
        )
        rows.append(
            [
                f"{year}{n:05d}",
                pick.choice(SURNAMES) + pick.choice(SYLLABLES) + pick.choice(SYLLABLES),
                pick.choice(DEPARTMENTS),
                year,
                born.isoformat(),
                pick.choice(AREAS),
                certifications,
                f"student{year}{n:05d}.{pick.randrange(1000):03d}@{pick.choice(MAIL_HOSTS)}",
                pick.choice(STATUSES),
                # Attendance (출결) of the school year before the final one: the year and three counts.
                year - 1,
                pick.randrange(30),
                pick.randrange(30),
                pick.randrange(30),
            ]
        )
    return rows


def exported_workbook(rows: list[list]) -> bytes:
    """The rows as the portal's export writes them (a school's download, edited and uploaded again)."""
    return xlsx_bytes([Sheet(title="Roster", header=HEADERS, rows=rows)])


def spreadsheet_workbook(rows: list[list]) -> bytes:
    """The rows in an ordinary openpyxl workbook, stored as a spreadsheet program stores them."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Print how many bytes a full roster workbook unpacks to, against MAX_UNPACKED_BYTES."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=MAX_ROWS)
        parser.add_argument("--seed", type=int, default=12)
        parser.add_argument("--out", help="Also save the exported workbook here.")

    def handle(self, *args, rows: int, seed: int, out: str | None, **options):
        sample = sample_roster_rows(rows, seed=seed)
        largest = 0
        for label, data in [
            ("export writer", exported_workbook(sample)),
            ("openpyxl workbook", spreadsheet_workbook(sample)),
        ]:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                unpacked = unpacked_size(archive)
            largest = max(largest, unpacked)
            self.stdout.write(f"{label}: {rows:,} rows, {len(data):,} bytes, unpacks to {unpacked:,} bytes")
            if out and label == "export writer":
                with open(out, "wb") as file:
                    file.write(data)
        ratio = MAX_UNPACKED_BYTES / largest
        self.stdout.write(f"MAX_UNPACKED_BYTES: {MAX_UNPACKED_BYTES:,} bytes = {ratio:.2f} x the larger size")
