"""Uploads and downloads (issue 8): what a file is comes from its bytes, uploads are kept out of
every served directory under random names, and every download is an attachment that the browser
neither renders nor sniffs.

The roster import is the portal's only upload; the download views are found by walking the URL
configuration, so a new download that is not checked here fails `test_every_download_is_covered`.
"""

import functools
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from dashboard.tables import TABLE_LIST
from district.exports import attachment, content_disposition
from schools.imports import MAX_BYTES, MAX_ROWS, MAX_UNPACKED_BYTES, sniff, unpacked_size
from schools.management.commands.measure_roster_size import exported_workbook, sample_roster_rows
from schools.models import RosterImport, Student
from tests.schools.conftest import csv_bytes, roster_rows, xlsx_bytes

IMPORT_URL = reverse("schools:roster_import")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, data: bytes, *, name: str, content_type: str):
    """Post a file as a browser would, with the name and Content-Type the client claims."""
    payload = {"file": SimpleUploadedFile(name, data, content_type=content_type)}
    return client.post(IMPORT_URL, payload, HTTP_ACCEPT_LANGUAGE="en")


def file_errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors["file"]


def files_under(root) -> list[Path]:
    root = Path(root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_written(media_root) -> None:
    assert not RosterImport.objects.exists()
    assert not Student.objects.filter(student_number__startswith="26").exists()
    assert files_under(media_root) == []


# --- The type comes from the content ----------------------------------------------------------


def test_an_xlsx_named_and_sent_as_csv_is_read_as_xlsx(school_a_staff, world, media_root):
    data = xlsx_bytes(roster_rows(world.department_a.name, 2))
    upload(school_a_staff, data, name="roster.csv", content_type="text/csv")
    record = RosterImport.objects.get()
    assert (record.file_format, record.status, record.created_count) == ("xlsx", "succeeded", 2)


def test_a_csv_named_and_sent_as_xlsx_is_read_as_csv(school_a_staff, world, media_root):
    data = csv_bytes(roster_rows(world.department_a.name, 2))
    upload(school_a_staff, data, name="roster.xlsx", content_type=XLSX_TYPE)
    record = RosterImport.objects.get()
    assert (record.file_format, record.status, record.created_count) == ("csv", "succeeded", 2)


def test_a_text_file_named_and_sent_as_xlsx_is_refused(school_a_staff, media_root):
    letter = b"Dear teacher,\nhere is the list you asked for.\n"
    errors = file_errors(upload(school_a_staff, letter, name="roster.xlsx", content_type=XLSX_TYPE))
    assert errors[0].startswith("Unknown column 'Dear teacher'")
    assert_nothing_written(media_root)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
        b"\x7fELF\x02\x01\x01",
    ],
    ids=["png", "windows-exe", "elf"],
)
def test_binary_files_with_an_xlsx_name_and_type_are_refused(school_a_staff, media_root, data):
    errors = file_errors(upload(school_a_staff, data, name="roster.xlsx", content_type=XLSX_TYPE))
    assert "neither an Excel workbook (.xlsx) nor a CSV text file" in errors[0]
    assert_nothing_written(media_root)


def _zip_bomb_workbook(world) -> bytes:
    """A real roster workbook plus one member of zeros that unpacks past MAX_UNPACKED_BYTES."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes(roster_rows(world.department_a.name, 1))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in good.infolist():
            bomb.writestr(item, good.read(item.filename))
        chunk = b"\x00" * (1024 * 1024)
        with bomb.open("xl/media/padding.bin", "w") as member:
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                member.write(chunk)
    return buffer.getvalue()


def test_a_workbook_that_unpacks_to_a_zip_bomb_is_refused(school_a_staff, world, media_root):
    data = _zip_bomb_workbook(world)
    assert len(data) < MAX_BYTES  # small on the wire: only the unpacked size gives it away
    errors = file_errors(upload(school_a_staff, data, name="roster.xlsx", content_type=XLSX_TYPE))
    assert errors == ["This workbook unpacks to far more data than a roster has."]
    assert_nothing_written(media_root)


def _padded(data: bytes, unpacked: int) -> bytes:
    """The workbook with one more member, so that the whole unpacks to exactly `unpacked` bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as padded:
        for item in source.infolist():
            padded.writestr(item, source.read(item.filename))
        padded.writestr("xl/media/padding.bin", b"\x00" * (unpacked - unpacked_size(source)))
    return buffer.getvalue()


@functools.cache
def full_roster() -> bytes:
    """MAX_ROWS plausible students, every column filled, as the portal's export writes them."""
    return exported_workbook(sample_roster_rows(MAX_ROWS))


def test_a_full_roster_workbook_is_within_the_unpacked_limit(
    school_a_staff, world, media_root, django_capture_on_commit_callbacks
):
    unpacked = unpacked_size(zipfile.ZipFile(io.BytesIO(full_roster())))
    # The measured figure behind the limit (manage.py measure_roster_size); about half of it.
    assert (unpacked, MAX_UNPACKED_BYTES) == (3_682_578, 8_388_608)
    with django_capture_on_commit_callbacks(execute=False):
        response = upload(school_a_staff, full_roster(), name="roster.xlsx", content_type=XLSX_TYPE)
    assert response.status_code == 302
    record = RosterImport.objects.get()
    assert (record.file_format, record.status, record.total) == ("xlsx", "queued", MAX_ROWS)


def test_a_workbook_one_byte_over_the_unpacked_limit_is_refused():
    assert sniff(_padded(full_roster(), MAX_UNPACKED_BYTES)) == "xlsx"
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            sniff(_padded(full_roster(), MAX_UNPACKED_BYTES + 1))
        assert refused.value.messages == ["This workbook unpacks to far more data than a roster has."]


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_written(school_a_staff, world, media_root):
    rows = csv_bytes(roster_rows(world.department_a.name, 3))
    data = rows + b"#" * (MAX_BYTES + 1 - len(rows))
    errors = file_errors(upload(school_a_staff, data, name="roster.csv", content_type="text/csv"))
    assert errors == ["The file is 5.0 MB; the limit is 5 MB."]
    assert_nothing_written(media_root)


# --- Storage: outside the web root, under a name of our own ------------------------------------


def _queue_large_import(client, world, settings, captured, *, name: str) -> RosterImport:
    """Upload more rows than the page imports itself, so the file is stored for the task."""
    settings.ROSTER_IMPORT_SYNC_ROWS = 2
    with captured(execute=False):
        response = upload(
            client, csv_bytes(roster_rows(world.department_a.name, 5)), name=name, content_type="text/csv"
        )
    assert response.status_code == 302
    return RosterImport.objects.get()


@pytest.mark.parametrize(
    "client_name", ["우리학교 명단.csv", "../../static/css/site.csv", "roster.csv;.html", "..\\..\\evil.csv"]
)
def test_a_stored_upload_is_under_media_root_with_a_random_name(
    school_a_staff, world, media_root, settings, django_capture_on_commit_callbacks, client_name
):
    record = _queue_large_import(
        school_a_staff, world, settings, django_capture_on_commit_callbacks, name=client_name
    )
    stored = (Path(settings.MEDIA_ROOT) / record.file_path).resolve()
    assert stored.is_file() and files_under(media_root) == [stored]
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert re.fullmatch(r"[0-9a-f]{32}\.csv", stored.name)  # ours, never the client's
    assert record.file_path == f"rosters/{world.school_a.pk}/{stored.name}"
    assert "/" not in record.original_name and "\\" not in record.original_name  # kept only to show


def _served_directories() -> list[Path]:
    """Every directory whose files a URL of this deployment can return."""
    dirs = [Path(django_settings.STATIC_ROOT)]
    dirs += [Path(d[1] if isinstance(d, tuple) else d) for d in django_settings.STATICFILES_DIRS]
    if getattr(django_settings, "WHITENOISE_ROOT", None):
        dirs.append(Path(django_settings.WHITENOISE_ROOT))
    return [d.resolve() for d in dirs]


def test_media_root_is_outside_every_served_directory():
    media = Path(django_settings.MEDIA_ROOT).resolve()
    for served in _served_directories():
        assert not media.is_relative_to(served), f"uploads under served {served}"
        assert not served.is_relative_to(media), f"served {served} under the uploads"
    # The default, when MEDIA_ROOT is not set, is var/uploads in the checkout: git-ignored, not served.
    assert Path(django_settings.BASE_DIR, "var", "uploads").resolve() not in _served_directories()


def _all_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_no_url_serves_the_uploads(settings):
    from django.views.static import serve

    served = [route for route, entry in _all_patterns() if entry.callback is serve]
    assert served == []
    media_url = (settings.MEDIA_URL or "").strip("/")
    if media_url:
        assert not [route for route, _ in _all_patterns() if route.lstrip("^").startswith(media_url)]


def test_a_stored_upload_cannot_be_fetched(
    school_a_staff, world, media_root, settings, django_capture_on_commit_callbacks, client
):
    record = _queue_large_import(
        school_a_staff, world, settings, django_capture_on_commit_callbacks, name="roster.csv"
    )
    relative = record.file_path
    assert (Path(settings.MEDIA_ROOT) / relative).is_file()
    for url in [
        f"/media/{relative}",
        f"/uploads/{relative}",
        f"/{relative}",
        f"/static/{relative}",
        f"/static/../var/uploads/{relative}",
    ]:
        for who in (client, school_a_staff):
            response = who.get(url)
            assert response.status_code == 404, (url, response.status_code)
            assert b"26000001" not in b"".join(getattr(response, "streaming_content", [response.content]))


# --- Downloads: attachments with a safe file name ------------------------------------------------

DOWNLOAD_ROUTE = re.compile(r"(\.(csv|xlsx|xls|pdf|zip|json)\$?$|export|download|template)")
COVERED_DOWNLOADS = {
    "schools:roster_template",
    "schools:roster_export",
    "dashboard-export",
    "dashboard-evaluation-pack",
    "dashboard-national-pack",  # the Ministry's pack of every district
    "me:profile_file",  # a student's project file, to its owner (tests/schools/test_profile_uploads.py)
}


def _download_names() -> set[str]:
    names = set()
    for route, entry in _all_patterns():
        if DOWNLOAD_ROUTE.search(route) and not route.startswith(("admin/", "api/")):
            namespace = route.split("/")[0]
            names.add(entry.name if entry.name.startswith("dashboard") else f"{namespace}:{entry.name}")
    return names


def test_every_download_is_covered():
    """A new download view must be added to COVERED_DOWNLOADS, and so to the checks below."""
    found = {name.replace("school:", "schools:") for name in _download_names()}
    assert found == COVERED_DOWNLOADS


def _assert_attachment(response):
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    plain = re.fullmatch(
        r'attachment; filename="([A-Za-z0-9._-]+)"(; filename\*=UTF-8\'\'[^\s";]+)?', disposition
    )
    assert plain, disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_school_downloads_are_attachments(school_a_staff, world):
    for name in ("schools:roster_template", "schools:roster_export"):
        # A personal-data export asks for its purpose (PIPA); the template ignores it.
        query = {"school": world.school_a.pk, "purpose": "upload hardening check"}
        _assert_attachment(school_a_staff.get(reverse(name), query))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dashboard_downloads_are_attachments(official, world, fmt):
    for table in TABLE_LIST:
        _assert_attachment(official.get(reverse("dashboard-export", kwargs={"slug": table.slug, "fmt": fmt})))
    _assert_attachment(official.get(reverse("dashboard-evaluation-pack")))


def test_the_national_pack_is_an_attachment(world):
    """The Ministry's pack of every district, as a national official downloads it."""
    from django.test import Client

    from district.models import Membership
    from tests import factories as f

    ministry = f.UserFactory(username="ministry")
    Membership.objects.create(user=ministry, role=Membership.Role.NATIONAL_OFFICIAL, district=None)
    client = Client()
    client.force_login(ministry)
    _assert_attachment(client.get(reverse("dashboard-national-pack")))


@pytest.mark.parametrize(
    ("name", "fallback", "full"),
    [
        ("roster-3-20261128.xlsx", "roster-3-20261128.xlsx", None),
        ("흥해공고 명단.xlsx", "download.xlsx", "흥해공고 명단.xlsx"),
        ('evil".xlsx', "evil.xlsx", 'evil".xlsx'),
        ("a;b=c.csv", "a_b_c.csv", "a;b=c.csv"),
        ("line\r\nSet-Cookie: x=1.csv", "lineSet-Cookie_x_1.csv", "lineSet-Cookie: x=1.csv"),
        ("../../etc/passwd", "passwd", None),
        ("..\\..\\boot.ini", "boot.ini", None),
        (".htaccess", "htaccess", None),
    ],
)
def test_the_file_name_is_rfc_5987_encoded_and_cannot_break_the_header(name, fallback, full):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header
    match = re.fullmatch(r'attachment; filename="([^"\\]*)"(?:; filename\*=UTF-8\'\'(\S+))?', header)
    assert match, header
    assert match[1] == fallback
    assert (unquote(match[2]) if match[2] else None) == full
    response = attachment(b"x", filename=name, content_type="text/csv")
    assert response["Content-Disposition"] == header
