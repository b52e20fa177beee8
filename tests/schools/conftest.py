"""Helpers for the schools tests: roster files in memory and a field practice ready to start."""

import csv
import datetime
import io

import pytest
from openpyxl import Workbook

from tests import factories as f

HEADER = ["학번", "이름", "학과", "졸업 학년도", "생년월일", "통근지역", "자격증", "이메일", "상태"]
# The optional attendance columns (issue 15): the template and the export end with them.
ATTENDANCE_HEADER = ["출결 학년도", "결석", "지각", "조퇴"]
TEMPLATE_HEADER = HEADER + ATTENDANCE_HEADER


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def roster_rows(department_name, count, *, start=1, year=2026):
    return [
        [f"26{n:06d}", f"학생{n}", department_name, year, "2008-05-01", "", "", f"s{n}@example.kr", "재학"]
        for n in range(start, start + count)
    ]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def ready_practice(world):
    """A planned practice of the world's student (under 19) at company A with every gate met."""
    return f.FieldPracticeFactory(
        student=world.student,
        company=world.company_a,
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 8, 31),
        supervisor_name="김현장",
        guardian_consent_on=datetime.date(2026, 6, 1),
        guardian_consent_method="written",
        safety_checked_on=datetime.date(2026, 6, 10),
        safety_checked_by=world.school_a_staff,
    )
