"""Spreadsheet and CSV downloads, safe against formula injection, and their access log.

`safe_cell` is the one cell writer every export uses: a text cell that begins with
= + - @, a tab, a carriage return or a line feed is prefixed with an apostrophe, so
that Excel, LibreOffice or Google Sheets show it as text instead of running it
(OWASP's advice on CSV injection). XLSX text cells are also typed as strings, so that
openpyxl never writes them as formulas.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse

from district.models import District, ExportLog

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value):
    """The value to write in a cell: text that could start a formula gets a leading apostrophe.

    Numbers, dates and None pass unchanged; anything else becomes text first (a lazy
    translation, for example), so that nothing escapes the check.
    """
    if value is None or isinstance(value, bool | int | float | datetime.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass(frozen=True)
class Sheet:
    """One table to write: a title, a header row and the data rows.

    `kinds` names each column's kind for the XLSX number format: "int" and "krw" get a
    thousands separator (1,234,000), "pct" and "decimal" one decimal place, "date" a date,
    "number" either of the first two by the value (a column of mixed figures); anything else
    (or a missing kind) is written as it is.
    """

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    kinds: Sequence[str] = ()


XLSX_NUMBER_FORMATS = {
    "int": "#,##0",
    "krw": "#,##0",
    "pct": "0.0",
    "decimal": "#,##0.0",
    "date": "yyyy-mm-dd",
    "number": "number",
}
XLSX_MAX_WIDTH = 60


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as UTF-8 CSV with a byte-order mark, which Excel needs to read Korean."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in sheet.header])
    for row in sheet.rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook with one worksheet per sheet, every text cell typed as text.

    Each worksheet keeps its header row in view (frozen), has columns wide enough for their
    longest value (Korean letters count double) and writes numbers with the format of
    their column's kind (`Sheet.kinds`).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, used))
        rows = [list(row) for row in sheet.rows]
        for index, width in enumerate(_column_widths([list(sheet.header), *rows]), 1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        header = []
        for value in sheet.header:
            cell = _cell(worksheet, value)
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        formats = [XLSX_NUMBER_FORMATS.get(kind) for kind in sheet.kinds]
        for row in rows:
            worksheet.append(
                [
                    _cell(worksheet, value, _number_format(formats[i] if i < len(formats) else None, value))
                    for i, value in enumerate(row)
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number_format(number_format: str | None, value) -> str | None:
    if number_format != "number":
        return number_format
    return XLSX_NUMBER_FORMATS["int" if isinstance(value, int) else "decimal"]


def _display_width(value) -> int:
    """Roughly how many Latin letters wide `value` is: wide (Korean) letters count two."""
    import unicodedata

    if isinstance(value, int | float) and not isinstance(value, bool):
        return len(f"{value:,}")
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_widths(rows: list[list]) -> list[int]:
    columns = max((len(row) for row in rows), default=0)
    return [
        min(XLSX_MAX_WIDTH, max(8, 2 + max(_display_width(row[i]) for row in rows if i < len(row))))
        for i in range(columns)
    ]


def _cell(worksheet, value, number_format: str | None = None):
    from openpyxl.cell import WriteOnlyCell

    safe = safe_cell(value)
    cell = WriteOnlyCell(worksheet, value=safe)
    if isinstance(safe, str):
        cell.data_type = "s"  # text, even if it looks like a number or a formula
    elif number_format and safe is not None:
        cell.number_format = number_format
    return cell


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate in used:
        suffix = f" ({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def attachment(
    content: bytes, *, filename: str, content_type: str, ascii_filename: str | None = None
) -> HttpResponse:
    """A download: never shown inline, never sniffed into another type, never cached by proxies."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, ascii_filename=ascii_filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_attachment(path, *, filename: str, content_type: str) -> FileResponse:
    """A stored upload streamed as a download, with the headers of `attachment`; 404 when the
    file is gone from disk (its row outlived it)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it once streamed
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def content_disposition(filename: str, *, ascii_filename: str | None = None) -> str:
    """`attachment` with a file name that no browser can misread (RFC 6266 with RFC 5987).

    Only the last path part is kept and control characters are dropped. `filename=` carries
    an ASCII fallback of letters, digits, dot, dash and underscore, so a quote, a semicolon
    or a line break in a name (a school's, a district's) cannot break out of the header;
    `filename*=UTF-8''...` carries the full name, percent-encoded, for Korean names.
    `ascii_filename`, when given, is the fallback to use instead of the name with its
    non-ASCII letters replaced (e.g. a school's id in place of its Korean name).
    """
    name = re.sub(r"[\x00-\x1f\x7f]", "", str(filename)).replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = name.lstrip(".") or "download"
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    if ascii_filename is not None:
        stem = ascii_filename.rpartition(".")[0] if "." in ascii_filename else ascii_filename
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "download"
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)
    if extension:
        fallback += "." + extension
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def client_ip(request) -> str | None:
    """The caller's address for the export and personal-data logs: the same rule as the login
    lockout and the API throttles (district.security.client_ip, which applies TRUSTED_PROXY_COUNT),
    so behind the TLS proxy the logs name the client, not the proxy."""
    from district.security import client_ip as trusted_client_ip

    return trusted_client_ip(request)


def export_log_record(
    *,
    user,
    district: District | None,
    what: str,
    format: str,
    filters: dict,
    ip_address: str | None,
    purpose: str = "",
) -> ExportLog:
    """Write the access-log row of one download: who (a person or a token), when, from where, what."""
    token = getattr(user, "dashboard_token", None)
    with transaction.atomic():
        return ExportLog.objects.create(
            district=district,
            user=user if token is None and getattr(user, "pk", None) else None,
            token=token,
            ip_address=ip_address,
            what=what[:100],
            format=format,
            filters={k: v for k, v in filters.items() if v not in (None, "")},
            purpose=purpose[:200],
        )
