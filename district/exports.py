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
from django.http import HttpResponse

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
    """One table to write: a title, a header row and the data rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as UTF-8 CSV with a byte-order mark, which Excel needs to read Korean."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in sheet.header])
    for row in sheet.rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook with one worksheet per sheet, every text cell typed as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, used))
        header = []
        for value in sheet.header:
            cell = _cell(worksheet, value)
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        for row in sheet.rows:
            worksheet.append([_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(worksheet, value):
    from openpyxl.cell import WriteOnlyCell

    safe = safe_cell(value)
    cell = WriteOnlyCell(worksheet, value=safe)
    if isinstance(safe, str):
        cell.data_type = "s"  # text, even if it looks like a number or a formula
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


def attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A download: never shown inline, never sniffed into another type, never cached by proxies."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def content_disposition(filename: str) -> str:
    """`attachment` with a file name that no browser can misread (RFC 6266 with RFC 5987).

    Only the last path part is kept and control characters are dropped. `filename=` carries
    an ASCII fallback of letters, digits, dot, dash and underscore, so a quote, a semicolon
    or a line break in a name (a school's, a district's) cannot break out of the header;
    `filename*=UTF-8''...` carries the full name, percent-encoded, for Korean names.
    """
    name = re.sub(r"[\x00-\x1f\x7f]", "", str(filename)).replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = name.lstrip(".") or "download"
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
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
