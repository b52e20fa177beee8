"""Writing the roster and its template as XLSX, safe from formula injection."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from schools.imports import COLUMNS, FORMULA_PREFIXES, HEADERS, STATUS_LABELS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """A cell value that a spreadsheet shows as text, never runs as a formula.

    A string that starts with = + - @, a tab or a line end is prefixed with "'" (OWASP's
    advice for CSV and spreadsheet injection); the roster import strips it again.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _workbook_bytes(sheets: Iterable[tuple[str, list[list]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=safe_cell(value))
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even if it looks like a number or a formula
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_template_xlsx(*, departments: list[str], areas: list[str]) -> bytes:
    """The empty roster with its header, and a second sheet that explains each column."""
    notes = {
        "student_number": _("Required. The school's student number; a re-import updates the same number."),
        "name": _("Required."),
        "department": _("Required. One of: %(names)s") % {"names": ", ".join(departments) or "-"},
        "graduation_year": _("Required. A year such as 2026."),
        "birth_date": _("Optional. 2008-05-01. Decides whether field practice needs guardian consent."),
        "commute_area": _("Optional. One of: %(names)s") % {"names": ", ".join(areas) or "-"},
        "certifications": _(
            "Optional. Names separated by ';', each with the date acquired: 전기기능사(2025-07-01)"
        ),
        "email": _("Optional. Where the account invitation is sent."),
        "status": _("Optional. 재학, 졸업 or 자퇴."),
    }
    guide = [[_("Column"), _("How to fill it in")]] + [[c.header, notes[c.key]] for c in COLUMNS]
    return _workbook_bytes([(_("Roster"), [HEADERS]), (_("Guide"), guide)])


def roster_xlsx(students: Iterable) -> bytes:
    """The school's roster in the template's columns, so that it can be edited and imported again."""
    rows: list[list] = [HEADERS]
    for student in students:
        rows.append(
            [
                student.student_number,
                student.name,
                student.department.name,
                student.graduation_year,
                student.birth_date.isoformat() if student.birth_date else "",
                student.commute_area.name if student.commute_area else "",
                "; ".join(
                    f"{held.certification.name}({held.acquired_on.isoformat()})"
                    for held in student.held_certifications.all()
                ),
                student.email,
                STATUS_LABELS.get(student.status, student.status),
            ]
        )
    return _workbook_bytes([(_("Roster"), rows)])
