"""Reading a school's roster file: XLSX or CSV, recognised by content, every row checked before saving.

The columns are the Korean headers of the template (`COLUMNS`). The first row of the
first sheet is the header; row numbers in messages are the spreadsheet's own, so the
first student is on row 2. Blank rows are skipped. English header names are accepted as
well, so a file made from the English page still reads.

Cell formats:
- 학번 (student number), 이름 (name): text, required.
- 학과 (department): the exact name of one of the school's departments, required.
- 졸업 학년도 (the cohort): the school year of the student's final year, such as 2026 for
  those graduating in February 2027, required (`district.cohorts.Cohort`). The old column
  졸업연도 ("graduation year", the calendar year of the graduation) is still read, with its
  old meaning: 2027 there is saved as 2026, and the import says so.
- 생년월일 (date of birth): a date cell, or text as 2008-05-01, 2008.05.01, 2008/05/01 or 20080501.
- 통근지역 (commute area): the name or code of one of the district's areas.
- 자격증 (certifications): names or Q-Net codes separated by ";" or ",", each optionally
  followed by the date acquired in brackets, as in "전기기능사(2025-07-01)". Without a date
  the day of the import is recorded. Listed certifications are added, never removed.
- 이메일 (email): where the account invitation goes.
- 상태 (status): 재학 (enrolled), 졸업 (graduated) or 학업 중단 (left school; 자퇴, 퇴학 and
  전출 are read as 학업 중단, the one word the pages, filters and exports use).
- 출결 학년도, 결석, 지각, 조퇴 (attendance: the school year, days absent, times late, times
  left early), optional: when all four are empty the row records no attendance. Otherwise
  the school year is required and each count is a whole number from 0 to 366; the
  student's record of that school year is added or updated (an empty count leaves the
  recorded one alone, or is 0 on a new record).

On a re-import, an empty optional cell leaves what is recorded alone.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from district.cohorts import Cohort, school_year_of
from district.exports import FORMULA_PREFIXES  # exports prefix these with "'"; unescape_cell strips it

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# An XLSX is a zip; refuse one that unpacks to far more than any real roster (a zip bomb).
# MAX_ROWS students with every column filled, attendance included, unpack to 3,682,578 bytes
# (measured with `manage.py measure_roster_size`); the limit is about twice that, rounded up to
# whole MiB.
MAX_UNPACKED_BYTES = 8 * 1024 * 1024
# The import page lists this many problems, then says how many more there are.
MAX_LISTED_ERRORS = 100


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    english: str
    required: bool


COLUMNS = [
    Column("student_number", "학번", "student number", True),
    Column("name", "이름", "name", True),
    Column("department", "학과", "department", True),
    Column("cohort", "졸업 학년도", "cohort", True),
    Column("birth_date", "생년월일", "date of birth", False),
    Column("commute_area", "통근지역", "commute area", False),
    Column("certifications", "자격증", "certifications", False),
    Column("email", "이메일", "email", False),
    Column("status", "상태", "status", False),
    Column("attendance_year", "출결 학년도", "attendance school year", False),
    Column("absences", "결석", "days absent", False),
    Column("late", "지각", "times late", False),
    Column("left_early", "조퇴", "times left early", False),
]
# A school year has no more days than this, so no count of absences, lateness or early leave passes
# it; attendance is recorded from ATTENDANCE_FIRST_YEAR to the current school year. The roster
# import and staff's form (`schools.services.verification`) both read these.
ATTENDANCE_MAX = 366
ATTENDANCE_FIRST_YEAR = 2000
# The attendance columns' keys; the counts are the last three, named as AttendanceRecord's fields.
ATTENDANCE_KEYS = ("attendance_year", "absences", "late", "left_early")
ATTENDANCE_COUNTS = ATTENDANCE_KEYS[1:]
HEADERS = [c.header for c in COLUMNS]
# A header with more columns than this is refused before anything else is checked: a
# roster needs the template's columns, and a few spare ones may be left over from editing.
MAX_COLUMNS = len(COLUMNS) + 5
_BY_KEY = {c.key: c for c in COLUMNS}
# The column of rosters made before the cohort became the school year: the calendar year of
# the graduation, one more than the school year (졸업연도 2027 = 졸업 학년도 2026).
LEGACY_COHORT_HEADERS = ("졸업연도", "graduation year")
_BY_HEADER = (
    {c.header: c for c in COLUMNS}
    | {c.english: c for c in COLUMNS}
    | dict.fromkeys(LEGACY_COHORT_HEADERS, _BY_KEY["cohort"])
)

# The words a roster may use for each status, written without spaces ("학업 중단" and
# "학업중단" are one word here). 자퇴 (withdrew), 퇴학 (expelled) and 전출 (moved school) are all
# one status, 학업 중단 (left school).
STATUS_WORDS = {
    "재학": "enrolled",
    "졸업": "graduated",
    "학업중단": "left",
    "자퇴": "left",
    "퇴학": "left",
    "전출": "left",
    "enrolled": "enrolled",
    "graduated": "graduated",
    "left": "left",
    "leftschool": "left",
}
# What exports write: the Korean labels of Student.Status (a test keeps the two the same).
STATUS_LABELS = {"enrolled": "재학", "graduated": "졸업", "left": "학업 중단"}


def status_code(word: str) -> str | None:
    """The Student.Status value a roster's status word means, or None for an unknown word."""
    return STATUS_WORDS.get("".join(word.split()).lower())


# Row errors are stored as data (the code and its values) and worded when shown, so a
# page renders them in the reader's language even when a worker checked the file.
ROW_MESSAGES = {
    "required": _("row %(row)s, %(column)s: a value is required"),
    "too_long": _("row %(row)s, %(column)s: '%(value)s' is longer than %(limit)s characters"),
    "unknown_department": _("row %(row)s, %(column)s: unknown department '%(value)s'"),
    "not_a_year": _("row %(row)s, %(column)s: '%(value)s' is not a year between %(low)s and %(high)s"),
    "not_a_date": _("row %(row)s, %(column)s: '%(value)s' is not a date (write it as YYYY-MM-DD)"),
    "implausible_birth_date": _("row %(row)s, %(column)s: %(value)s is not a plausible date of birth"),
    "unknown_area": _("row %(row)s, %(column)s: unknown commute area '%(value)s'"),
    "unknown_certification": _("row %(row)s, %(column)s: unknown certification '%(value)s'"),
    "bad_certification_date": _("row %(row)s, %(column)s: '%(value)s' has a date that is not a date"),
    "bad_email": _("row %(row)s, %(column)s: '%(value)s' is not an email address"),
    "unknown_status": _("row %(row)s, %(column)s: unknown status '%(value)s' (use 재학, 졸업 or 학업 중단)"),
    "duplicate_number": _("row %(row)s, %(column)s: student number '%(value)s' is already on row %(first)s"),
    "not_a_count": _("row %(row)s, %(column)s: '%(value)s' is not a whole number from 0 to %(limit)s"),
}


IMPORT_MESSAGES = {
    "conflict": _(
        "Someone changed these students while the file was being checked. Nothing was saved; upload it again."
    ),
    "crashed": _("The import stopped because of an unexpected error. Nothing was saved; try again later."),
    "legacy_graduation_year": _(
        "The file has the old column “졸업연도” (the calendar year of graduation). Each value was read "
        "that way and saved as the school year before it: 2027 became 2026학년도 (graduating in "
        "February 2027). The new template's column is “졸업 학년도”."
    ),
}


def describe_first(errors: list[dict], limit: int = MAX_LISTED_ERRORS) -> tuple[list[str], int]:
    """The first `limit` stored errors in words, and how many more there are."""
    return [describe(error) for error in errors[:limit]], max(len(errors) - limit, 0)


def describe(error: dict) -> str:
    """One stored error in words, in the active language."""
    if error.get("code") in IMPORT_MESSAGES:
        return str(IMPORT_MESSAGES[error["code"]])
    template = ROW_MESSAGES.get(error.get("code"), _("row %(row)s, %(column)s: '%(value)s' is not valid"))
    values = {"row": "", "column": "", "value": "", "limit": "", "low": "", "high": "", "first": ""}
    values.update(error)
    return str(template) % values


def unescape_cell(value: str) -> str:
    """Undo the "'" that exports put before formula characters, so an exported file re-imports unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


# --- Reading the file -------------------------------------------------------------------


@dataclass
class Table:
    """The header and the non-blank rows of a roster file, cells as Python values."""

    file_format: str
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)

    @property
    def legacy_cohort(self) -> bool:
        """True when the cohort comes from the old 졸업연도 column (the calendar graduation year)."""
        return any(h in LEGACY_COHORT_HEADERS or h.lower() in LEGACY_COHORT_HEADERS for h in self.headers)


def unpacked_size(archive: zipfile.ZipFile) -> int:
    """What a zip archive (an XLSX) unpacks to: the sum of its members' sizes, without unpacking.

    The sizes are the ones the archive declares; zipfile never reads a member past its
    declared size, so a lie makes the workbook unreadable rather than bigger.
    """
    return sum(info.file_size for info in archive.infolist())


def sniff(data: bytes) -> str:
    """'xlsx' or 'csv', judged by the bytes and never by the file name."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                unpacked = unpacked_size(archive)
        except zipfile.BadZipFile:
            names, unpacked = set(), 0
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            if unpacked > MAX_UNPACKED_BYTES:
                raise ValidationError(_("This workbook unpacks to far more data than a roster has."))
            return "xlsx"
        raise ValidationError(_("This file is a zip archive but not an Excel workbook (.xlsx)."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError(_("This is an old Excel file (.xls). Save it as .xlsx and upload it again."))
    if _decode_text(data) is not None:
        return "csv"
    raise ValidationError(
        _("This file is neither an Excel workbook (.xlsx) nor a CSV text file. Use the template.")
    )


def _decode_text(data: bytes) -> str | None:
    """The text of a CSV file in UTF-8 (with or without BOM) or CP949, or None for binary data."""
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Text has no control characters other than tab and line ends.
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
            return None
        return text
    return None


def read_table(data: bytes, *, max_rows: int = MAX_ROWS) -> Table:
    """Read a roster file into a `Table`, refusing wrong types, oversized files and unknown columns."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)s MB."),
            params={"size": len(data) / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024},
        )
    file_format = sniff(data)
    raw_rows = _xlsx_rows(data) if file_format == "xlsx" else _csv_rows(_decode_text(data) or "")
    try:
        header_row = next(raw_rows)
    except StopIteration:
        raise ValidationError(_("The file is empty: it has no header row.")) from None
    headers = [_header_text(cell) for cell in header_row]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ValidationError(_("The first row is empty: it must hold the column names of the template."))
    if len(headers) > MAX_COLUMNS:
        # One refusal, not one per column: a file of thousands of stray columns must not
        # turn into a page of thousands of errors.
        raise ValidationError(
            _("The first row has %(count)s columns; the template has %(template)s. Use its columns."),
            params={"count": f"{len(headers):,}", "template": len(COLUMNS)},
        )
    check_headers(headers)
    table = Table(file_format=file_format, headers=headers)
    for number, cells in enumerate(raw_rows, start=2):
        cells = list(cells[: len(headers)]) + [None] * (len(headers) - len(cells))
        if all(_is_blank(cell) for cell in cells):
            continue
        if len(table.rows) >= max_rows:
            raise ValidationError(
                _("The file has more than %(limit)s students. Split it into smaller files."),
                params={"limit": f"{max_rows:,}"},
            )
        table.rows.append((number, cells))
    if not table.rows:
        raise ValidationError(_("The file has a header but no students."))
    return table


def _xlsx_rows(data: bytes) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise ValidationError(
            _("The workbook could not be read. Open it in Excel and save it again.")
        ) from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except ValidationError:
        raise
    except Exception as exc:  # a sheet can be damaged, or hold XML that defusedxml refuses
        raise ValidationError(
            _("The workbook could not be read. Open it in Excel and save it again.")
        ) from exc
    finally:
        workbook.close()


def _csv_rows(text: str) -> Iterator[list]:
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as exc:  # a cell over the csv module's 131,072-character limit
        raise ValidationError(
            _("The CSV file could not be read: a cell is far longer than a roster needs. Use the template.")
        ) from exc


def _header_text(cell) -> str:
    return "" if cell is None else unescape_cell(str(cell)).strip()


def _is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def check_headers(headers: list[str]) -> None:
    """Refuse unknown, repeated or missing columns, listing every problem at once."""
    problems = []
    seen = set()
    expected = ", ".join(HEADERS)
    for header in headers:
        column = _BY_HEADER.get(header) or _BY_HEADER.get(header.lower())
        if column is None:
            problems.append(
                ValidationError(
                    _("Unknown column '%(name)s'. The columns are: %(columns)s."),
                    params={"name": header or "-", "columns": expected},
                )
            )
        elif column.key in seen:
            problems.append(
                ValidationError(_("The column '%(name)s' appears twice."), params={"name": header})
            )
        else:
            seen.add(column.key)
    for column in COLUMNS:
        if column.required and column.key not in seen:
            problems.append(
                ValidationError(
                    _("The required column '%(name)s' is missing."), params={"name": column.header}
                )
            )
    if problems:
        raise ValidationError(problems)


# --- Checking the rows ------------------------------------------------------------------


UNSET = object()


@dataclass
class RosterRow:
    """One checked row: ids resolved, optional values UNSET when the cell was empty."""

    row: int
    student_number: str
    name: str
    department_id: int
    cohort: int
    birth_date: object = UNSET
    commute_area_id: object = UNSET
    certifications: list[tuple[int, datetime.date | None]] = field(default_factory=list)
    email: object = UNSET
    status: object = UNSET
    # (school year, {count name: value}) when the row has attendance; counts left empty are absent.
    attendance: tuple[int, dict[str, int]] | None = None


@dataclass
class Vocabulary:
    """What a school's cells may name: its departments, its district's areas, the certifications."""

    departments: dict[str, int]
    areas: dict[str, int]
    certifications: dict[str, int]


def check_rows(
    table: Table,
    vocabulary: Vocabulary,
    *,
    today: datetime.date,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 100,
) -> tuple[list[RosterRow], list[dict]]:
    """Check every row; return the good rows and every error found (use the rows only if there is none)."""
    keys = [(_BY_HEADER.get(h) or _BY_HEADER[h.lower()]).key for h in table.headers]
    errors: list[dict] = []
    rows: list[RosterRow] = []
    first_seen: dict[str, int] = {}
    for done, (number, cells) in enumerate(table.rows, start=1):
        values = dict(zip(keys, cells, strict=True))
        row = _check_row(number, values, vocabulary, today, errors, first_seen, legacy=table.legacy_cohort)
        if row is not None:
            rows.append(row)
        if progress and done % progress_every == 0:
            progress(done)
    if progress:
        progress(len(table.rows))
    return rows, errors


def _check_row(number, values, vocabulary, today, errors, first_seen, *, legacy=False) -> RosterRow | None:
    found_error = False

    def error(key, code, value="", **extra):
        nonlocal found_error
        found_error = True
        errors.append({"row": number, "column": _BY_KEY[key].header, "code": code, "value": value, **extra})

    def text(key, limit):
        raw = values.get(key)
        if _is_blank(raw):
            return ""
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        value = unescape_cell(str(raw)).strip()
        if len(value) > limit:
            error(key, "too_long", value[:40], limit=limit)
        return value

    student_number = text("student_number", 20)
    if not student_number:
        error("student_number", "required")
    elif student_number in first_seen:
        error("student_number", "duplicate_number", student_number, first=first_seen[student_number])
    else:
        first_seen[student_number] = number

    name = text("name", 50)
    if not name:
        error("name", "required")

    department_name = text("department", 100)
    department_id = vocabulary.departments.get(department_name)
    if not department_name:
        error("department", "required")
    elif department_id is None:
        error("department", "unknown_department", department_name)

    cohort = _year(values.get("cohort"))
    low, high = (2001, 2101) if legacy else (2000, 2100)
    if _is_blank(values.get("cohort")):
        error("cohort", "required")
    elif cohort is None or not low <= cohort <= high:
        error("cohort", "not_a_year", _shown(values.get("cohort")), low=low, high=high)
    elif legacy:
        cohort = Cohort.graduating_in(cohort).school_year

    row = RosterRow(number, student_number, name, department_id or 0, cohort or 0)

    raw_birth = values.get("birth_date")
    if not _is_blank(raw_birth):
        birth = _date(raw_birth)
        if birth is None:
            error("birth_date", "not_a_date", _shown(raw_birth))
        elif not datetime.date(1900, 1, 1) <= birth <= today:
            error("birth_date", "implausible_birth_date", birth.isoformat())
        else:
            row.birth_date = birth

    area = text("commute_area", 100)
    if area:
        area_id = vocabulary.areas.get(area) or vocabulary.areas.get(area.lower())
        if area_id is None:
            error("commute_area", "unknown_area", area)
        else:
            row.commute_area_id = area_id

    for item in _split_list(text("certifications", 1000)):
        match = re.fullmatch(r"(?P<name>.+?)\s*(?:\((?P<date>[^)]*)\))?", item)
        cert_name, cert_date = match["name"].strip(), match["date"]
        cert_id = vocabulary.certifications.get(cert_name)
        acquired = _date(cert_date.strip()) if cert_date else None
        if cert_id is None:
            error("certifications", "unknown_certification", cert_name)
        elif cert_date and acquired is None:
            error("certifications", "bad_certification_date", item)
        else:
            row.certifications.append((cert_id, acquired))

    email = text("email", 254)
    if email:
        try:
            validate_email(email)
            row.email = email
        except ValidationError:
            error("email", "bad_email", email)

    status = text("status", 20)
    if status:
        code = status_code(status)
        if code is None:
            error("status", "unknown_status", status)
        else:
            row.status = code

    _check_attendance(values, row, today, error)
    return None if found_error else row


def _check_attendance(values, row: RosterRow, today: datetime.date, error) -> None:
    """Read the optional attendance columns into `row.attendance`; all empty means no attendance."""
    if all(_is_blank(values.get(key)) for key in ATTENDANCE_KEYS):
        return
    raw_year = values.get("attendance_year")
    year = _year(raw_year)
    high = school_year_of(today)
    if _is_blank(raw_year):
        error("attendance_year", "required")
    elif year is None or not ATTENDANCE_FIRST_YEAR <= year <= high:
        error("attendance_year", "not_a_year", _shown(raw_year), low=ATTENDANCE_FIRST_YEAR, high=high)
    counts = {}
    for key in ATTENDANCE_COUNTS:
        raw = values.get(key)
        if _is_blank(raw):
            continue
        count = _count(raw)
        if count is None or not 0 <= count <= ATTENDANCE_MAX:
            error(key, "not_a_count", _shown(raw), limit=ATTENDANCE_MAX)
        else:
            counts[key] = count
    if year is not None:
        row.attendance = (year, counts)


def _count(value) -> int | None:
    """A whole number from a number cell or from digits in a text cell; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,4}\s*", unescape_cell(value)):
        return int(value)
    return None


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", value) if part.strip()]


def _shown(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return unescape_cell(str(value)).strip()[:40]


def _year(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        return int(value)
    return None


_DATE_PATTERN = re.compile(r"(\d{4})[-./]\s*(\d{1,2})[-./]\s*(\d{1,2})\.?|(\d{4})(\d{2})(\d{2})")


def _date(value) -> datetime.date | None:
    """A date from a date cell or from text in one of the accepted forms; None when it is not a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    match = _DATE_PATTERN.fullmatch(unescape_cell(value).strip())
    if not match:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    try:
        return datetime.date(*parts)
    except ValueError:
        return None
