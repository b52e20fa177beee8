"""Project files on the student's profile (issue 15): checked by content, stored outside the web root,
downloaded by their owner only, and deleted once nothing refers to them.

Every refusal asserts that nothing was stored: no project row, no file row, no file on disk."""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from schools.models import ProfileFile, ProfileSnapshot, Project
from schools.services import profile as services
from tests.builders import other_student
from tests.schools.test_upload_hardening import files_under

NEW = "/me/profile/projects/new/"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 60
GIF = b"GIF89a" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_directory(media_root):
    """Every test here stores under a fresh MEDIA_ROOT (tests/schools/conftest.py)."""
    return media_root


def post_project(
    client, data: bytes | None, *, name="작품.pdf", content_type="application/pdf", url=NEW, **fields
):
    payload = {"title": "스마트팜 제어반", "description": "졸업 작품", "date": "2026-10-15"} | fields
    if data is not None:
        payload["file"] = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(url, payload, HTTP_ACCEPT_LANGUAGE="en")


def file_errors(response) -> list[str]:
    assert response.status_code == 400, response.status_code
    return response.context["form"].errors["file"]


def assert_nothing_stored(media_root):
    assert (Project.objects.count(), ProfileFile.objects.count()) == (0, 0)
    assert files_under(media_root) == []


# --- Refused, and nothing stored -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "content_type", "error"),
    [
        (GIF, "그림.gif", "image/gif", "Only PDF, PNG and JPEG files can be uploaded."),
        (b"hello, world", "메모.txt", "text/plain", "Only PDF, PNG and JPEG files can be uploaded."),
        (
            b"<html><script>alert(1)</script>",
            "작품.pdf",
            "application/pdf",
            "Only PDF, PNG and JPEG files can be uploaded.",
        ),
        (EXE, "작품.pdf", "application/pdf", "This file is a program, not a document or a picture."),
        (ELF, "작품.pdf", "application/pdf", "This file is a program, not a document or a picture."),
        (
            EXE,
            "setup.exe",
            "application/octet-stream",
            "This file is a program, not a document or a picture.",
        ),
        (
            PNG,
            "작품.pdf",
            "application/pdf",
            "The file's name ends in .pdf but it is a PNG file. Choose the right file.",
        ),
        (
            PDF,
            "작품.png",
            "image/png",
            "The file's name ends in .png but it is a PDF file. Choose the right file.",
        ),
        (
            JPEG,
            "사진",
            "image/jpeg",
            "The file's name ends in .? but it is a JPEG file. Choose the right file.",
        ),
    ],
)
def test_a_wrong_file_is_refused_and_nothing_is_stored(
    student_user, world, media_root, data, name, content_type, error
):
    response = post_project(student_user, data, name=name, content_type=content_type)
    assert file_errors(response) == [error]
    assert response.context["form"]["title"].value() == "스마트팜 제어반"  # the rest is kept
    assert_nothing_stored(media_root)


def test_a_file_over_5_mb_gets_the_form_error_not_a_400_page(student_user, world, media_root):
    # Multipart files do not count towards DATA_UPLOAD_MAX_MEMORY_SIZE (only the other fields do)
    # and FILE_UPLOAD_MAX_MEMORY_SIZE only chooses memory or a temporary file, so the upload
    # reaches the form, which refuses it by its size before reading it.
    six_mb = PDF + b"0" * (6 * 1024 * 1024 - len(PDF))
    response = post_project(student_user, six_mb)
    assert file_errors(response) == ["The file must be 5 MB or smaller."]
    assert_nothing_stored(media_root)


def test_exactly_5_mb_is_accepted(student_user, world, media_root):
    five_mb = PDF + b"0" * (5 * 1024 * 1024 - len(PDF))
    assert post_project(student_user, five_mb).status_code == 302
    assert ProfileFile.objects.get().size == 5 * 1024 * 1024


def test_an_empty_file_is_refused(student_user, world, media_root):
    response = post_project(student_user, b"")
    # Django's own FileField refuses an empty upload before our check.
    assert file_errors(response) == ["The submitted file is empty."]
    assert_nothing_stored(media_root)


def test_a_database_refusal_after_the_check_leaves_no_file_behind(world, media_root):
    with pytest.raises(ValidationError):
        services.project_create(
            student=world.student,
            by=world.student_user,
            title="가" * 201,  # longer than the column: full_clean refuses after the file was written
            date=datetime.date(2026, 10, 15),
            upload=services.Upload(data=PDF, name="작품.pdf"),
        )
    assert_nothing_stored(media_root)


# --- Stored, and downloaded by its owner only --------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "content_type", "extension"),
    [
        (PDF, "졸업 작품.pdf", "application/pdf", "pdf"),
        (PNG, "회로도.PNG", "image/png", "png"),
        (JPEG, "현장 사진.jpeg", "image/jpeg", "jpg"),
        (JPEG, "현장.jpg", "image/jpeg", "jpg"),
    ],
)
def test_a_good_file_is_stored_by_its_hash_outside_the_web_root(
    student_user, world, media_root, data, name, content_type, extension
):
    # The browser's claimed type is ignored: the stored type is the one the bytes show.
    response = post_project(student_user, data, name=name, content_type="application/octet-stream")
    assert (response.status_code, response["Location"]) == (302, "/me/profile/#projects")
    project = Project.objects.select_related("file").get()
    digest = hashlib.sha256(data).hexdigest()
    assert project.file.path == f"profiles/{world.student.pk}/{digest}.{extension}"
    assert (project.file.original_name, project.file.content_type, project.file.size) == (
        name,
        content_type,
        len(data),
    )
    stored = Path(media_root) / project.file.path
    assert files_under(media_root) == [stored]
    assert stored.read_bytes() == data


def test_the_owner_downloads_the_file_as_an_attachment(student_user, world, media_root):
    post_project(student_user, PDF, name="졸업 작품.pdf")
    file = ProfileFile.objects.get()
    response = student_user.get(f"/me/profile/files/{file.pk}/download/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    encoded = "%EC%A1%B8%EC%97%85%20%EC%9E%91%ED%92%88.pdf"  # 졸업 작품.pdf
    assert (
        response["Content-Disposition"]
        == f"attachment; filename=\"download.pdf\"; filename*=UTF-8''{encoded}"
    )
    assert "no-store" in response["Cache-Control"]


def test_the_profile_links_the_file_to_its_download(student_user, world, media_root):
    post_project(student_user, PNG, name="회로도.png", content_type="image/png")
    file = ProfileFile.objects.get()
    html = student_user.get("/me/profile/").content.decode()
    assert f'href="/me/profile/files/{file.pk}/download/">회로도.png</a>' in html


@pytest.mark.parametrize("persona", ["school_a_staff", "recruiter_a", "official"])
def test_nobody_else_downloads_the_file(request, student_user, world, media_root, persona):
    post_project(student_user, PDF)
    file = ProfileFile.objects.get()
    url = f"/me/profile/files/{file.pk}/download/"
    assert request.getfixturevalue(persona).get(url).status_code == 403
    stranger = Client()
    stranger.force_login(other_student(world).user)
    assert stranger.get(url).status_code == 404
    assert Client().get(url)["Location"] == f"/accounts/login/?next={url}"


def test_another_students_project_answers_404(student_user, world, media_root):
    post_project(student_user, None)
    project = Project.objects.get()
    stranger = Client()
    stranger.force_login(other_student(world).user)
    for url in (f"/me/profile/projects/{project.pk}/", f"/me/profile/projects/{project.pk}/delete/"):
        assert stranger.get(url).status_code == 404
        assert stranger.post(url).status_code == 404
    assert Project.objects.filter(pk=project.pk).exists()


def test_a_file_missing_from_disk_answers_404(student_user, world, media_root):
    post_project(student_user, PDF)
    file = ProfileFile.objects.get()
    (Path(media_root) / file.path).unlink()
    assert student_user.get(f"/me/profile/files/{file.pk}/download/").status_code == 404


# --- Replacing, removing, deleting: the file goes once nothing refers to it ---------------------------


def _project_with(student_user, data, **kwargs) -> Project:
    post_project(student_user, data, **kwargs)
    return Project.objects.select_related("file").latest("pk")


def _snapshot(world, *files) -> ProfileSnapshot:
    snapshot = ProfileSnapshot.objects.create(
        student=world.student, company=world.company_a, own={"projects": []}
    )
    snapshot.files.set(files)
    return snapshot


def test_replacing_the_file_deletes_the_old_one(
    student_user, world, media_root, django_capture_on_commit_callbacks
):
    project = _project_with(student_user, PDF)
    old_path = Path(media_root) / project.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = post_project(
            student_user, PNG, name="새 회로도.png", url=f"/me/profile/projects/{project.pk}/"
        )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.file.original_name == "새 회로도.png"
    assert ProfileFile.objects.count() == 1
    assert files_under(media_root) == [Path(media_root) / project.file.path]
    assert not old_path.exists()


def test_removing_the_file_deletes_it(student_user, world, media_root, django_capture_on_commit_callbacks):
    project = _project_with(student_user, PDF)
    with django_capture_on_commit_callbacks(execute=True):
        post_project(student_user, None, url=f"/me/profile/projects/{project.pk}/", remove_file="on")
    project.refresh_from_db()
    assert project.file is None
    assert (ProfileFile.objects.count(), files_under(media_root)) == (0, [])


def test_editing_without_a_new_file_keeps_the_file(student_user, world, media_root):
    project = _project_with(student_user, PDF)
    response = post_project(student_user, None, url=f"/me/profile/projects/{project.pk}/", title="바뀐 제목")
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.file.original_name) == ("바뀐 제목", "작품.pdf")
    assert len(files_under(media_root)) == 1


def test_deleting_the_project_asks_first_then_deletes_its_file(
    student_user, world, media_root, django_capture_on_commit_callbacks
):
    project = _project_with(student_user, PDF)
    url = f"/me/profile/projects/{project.pk}/delete/"
    assert "Delete this project?" in student_user.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert Project.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert student_user.post(url)["Location"] == "/me/profile/#projects"
    assert_nothing_stored(media_root)


def test_a_file_a_snapshot_refers_to_stays(
    student_user, world, media_root, django_capture_on_commit_callbacks
):
    project = _project_with(student_user, PDF)
    _snapshot(world, project.file)
    with django_capture_on_commit_callbacks(execute=True):
        student_user.post(f"/me/profile/projects/{project.pk}/delete/")
    assert Project.objects.count() == 0
    file = ProfileFile.objects.get()
    assert files_under(media_root) == [Path(media_root) / file.path]


def test_a_file_another_project_refers_to_stays(
    student_user, world, media_root, django_capture_on_commit_callbacks
):
    first = _project_with(student_user, PDF)
    second = _project_with(student_user, PDF, title="같은 파일")
    assert first.file_id == second.file_id  # the same bytes are stored once
    with django_capture_on_commit_callbacks(execute=True):
        student_user.post(f"/me/profile/projects/{first.pk}/delete/")
    assert ProfileFile.objects.get().pk == second.file_id
    assert len(files_under(media_root)) == 1


def test_the_same_bytes_of_two_students_are_two_files(world, media_root):
    other = other_student(world)
    for student in (world.student, other):
        services.project_create(
            student=student,
            by=None,
            title="작품",
            date=datetime.date(2026, 1, 1),
            upload=services.Upload(data=PDF, name="a.pdf"),
        )
    paths = sorted(ProfileFile.objects.values_list("path", flat=True))
    assert [re.sub(r"/[0-9a-f]{64}\.", "/<hash>.", p) for p in paths] == sorted(
        [f"profiles/{world.student.pk}/<hash>.pdf", f"profiles/{other.pk}/<hash>.pdf"]
    )
