"""Writing the roster and its template as XLSX, through the district's one export writer.

`district.exports.xlsx_bytes` writes every cell through `district.exports.safe_cell`, so a
text cell that would start a formula gets a leading apostrophe (the roster import strips it
again, see `schools.imports.unescape_cell`) and is typed as text.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from district.exports import Sheet, xlsx_bytes
from schools.imports import COLUMNS, HEADERS, STATUS_LABELS


def roster_template_xlsx(*, departments: list[str], areas: list[str]) -> bytes:
    """The empty roster with its header, and a second sheet that explains each column."""
    notes = {
        "student_number": _("Required. The school's student number; a re-import updates the same number."),
        "name": _("Required."),
        "department": _("Required. One of: %(names)s") % {"names": ", ".join(departments) or "-"},
        "cohort": _(
            "Required. The school year (학년도) of the student's final year: 2026 for those graduating "
            "in February 2027."
        ),
        "birth_date": _("Optional. 2008-05-01. Decides whether field practice needs guardian consent."),
        "commute_area": _("Optional. One of: %(names)s") % {"names": ", ".join(areas) or "-"},
        "certifications": _(
            "Optional. Names separated by ';', each with the date acquired: 전기기능사(2025-07-01)"
        ),
        "email": _("Optional. Where the account invitation is sent."),
        "status": _("Optional. 재학, 졸업 or 학업 중단 (자퇴 is read as 학업 중단)."),
        "attendance_year": _(
            "Optional. The school year (학년도) of the attendance in the next three columns, such as 2025. "
            "Required when any of them is filled in."
        ),
        "absences": _("Optional. Days absent in that school year: a whole number from 0 to 366."),
        "late": _("Optional. Times late in that school year: a whole number from 0 to 366."),
        "left_early": _("Optional. Times left early in that school year: a whole number from 0 to 366."),
    }
    guide = [[c.header, notes[c.key]] for c in COLUMNS]
    return xlsx_bytes(
        [
            Sheet(title=_("Roster"), header=HEADERS, rows=[]),
            Sheet(title=_("Guide"), header=[_("Column"), _("How to fill it in")], rows=guide),
        ]
    )


def roster_xlsx(students: Iterable) -> bytes:
    """The school's roster in the template's columns, so that it can be edited and imported again.

    The attendance columns hold the latest school year on record (`attendance_records`,
    prefetched oldest first), so a re-import updates that same year.
    """
    rows: list[list] = []
    for student in students:
        records = list(student.attendance_records.all())
        attendance = ["", "", "", ""]
        if records:
            latest = records[-1]
            attendance = [latest.school_year, latest.absences, latest.late, latest.left_early]
        rows.append(
            [
                student.student_number,
                student.name,
                student.department.name,
                student.cohort,
                student.birth_date.isoformat() if student.birth_date else "",
                student.commute_area.name if student.commute_area else "",
                "; ".join(
                    f"{held.certification.name}({held.acquired_on.isoformat()})"
                    for held in student.held_certifications.all()
                ),
                student.email,
                STATUS_LABELS.get(student.status, student.status),
                *attendance,
            ]
        )
    return xlsx_bytes([Sheet(title=_("Roster"), header=HEADERS, rows=rows)])
