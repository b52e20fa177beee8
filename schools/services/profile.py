"""Writes for the student's own profile: the 자기소개서, awards and activities, projects and their files.

What the school holds (certifications, attendance, field practice) is written by staff
elsewhere; a student changes only what they wrote. A project's file is checked by its bytes,
stored under MEDIA_ROOT/profiles/<student id>/<sha256>.<ext> (outside the web root, served
only by the owner's download view), and deleted once no project and no snapshot refers to it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Activity, ProfileFile, ProfileSnapshot, Project, SelfIntroduction, Student

logger = logging.getLogger(__name__)

PROFILE_DIRECTORY = "profiles"
ACTIVITY_DESCRIPTION_MAX_CHARS = 500


@dataclass(frozen=True)
class FileKind:
    """A type of file a project may carry: how its bytes start, its content type and its extensions."""

    magic: bytes
    content_type: str
    extension: str
    extensions: tuple[str, ...]


FILE_KINDS = (
    FileKind(b"%PDF-", "application/pdf", "pdf", ("pdf",)),
    FileKind(b"\x89PNG\r\n\x1a\n", "image/png", "png", ("png",)),
    FileKind(b"\xff\xd8\xff", "image/jpeg", "jpg", ("jpg", "jpeg")),
)
# Programs: Windows (MZ) and Linux (ELF) executables, named with an extension that hides them.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF")


def answer_length(text: str) -> int:
    """An answer's length as the counter shows it: characters, a line break counting as one."""
    return len(text.replace("\r\n", "\n"))


# --- The 자기소개서 ---------------------------------------------------------------------------


def self_introduction_save(*, student: Student, by, **answers: str) -> SelfIntroduction:
    """Save the student's answers (any of SelfIntroduction.ANSWERS); each is at most
    settings.PROFILE_ANSWER_MAX_CHARS characters, or nothing is saved."""
    unknown = set(answers) - set(SelfIntroduction.ANSWERS)
    if unknown:
        raise ValueError(f"Not an answer of the self-introduction: {sorted(unknown)}")
    limit = settings.PROFILE_ANSWER_MAX_CHARS
    cleaned = {name: (text or "").replace("\r\n", "\n").strip() for name, text in answers.items()}
    errors = {
        name: ValidationError(
            _("Keep this answer to %(limit)s characters; it has %(count)s."),
            code="too_long",
            params={"limit": f"{limit:,}", "count": f"{answer_length(text):,}"},
        )
        for name, text in cleaned.items()
        if answer_length(text) > limit
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        intro, _created = SelfIntroduction.objects.select_for_update().get_or_create(student=student)
        for name, text in cleaned.items():
            setattr(intro, name, text)
        intro.save()
    return intro


# --- Awards and activities --------------------------------------------------------------------


def _check_activity(fields: dict) -> None:
    if len(fields.get("description") or "") > ACTIVITY_DESCRIPTION_MAX_CHARS:
        raise ValidationError(
            {
                "description": ValidationError(
                    _("Keep the description to %(limit)s characters."),
                    params={"limit": ACTIVITY_DESCRIPTION_MAX_CHARS},
                )
            }
        )


def activity_create(*, student: Student, by, **fields) -> Activity:
    _check_activity(fields)
    activity = Activity(student=student, **fields)
    activity.full_clean()
    activity.save()
    return activity


def activity_update(*, activity: Activity, by, **fields) -> Activity:
    _check_activity(fields)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    return activity


def activity_delete(*, activity: Activity, by) -> None:
    activity.delete()


# --- Project files ----------------------------------------------------------------------------


def profile_file_kind(*, head: bytes, file_name: str, size: int) -> FileKind:
    """The kind of an uploaded file, judged by its first bytes; its name's extension must agree.

    Refused (`ValidationError`): over settings.PROFILE_FILE_MAX_BYTES, a program whatever its
    name, anything that is not a PDF, PNG or JPEG, and a name whose extension says another type.
    """
    limit = settings.PROFILE_FILE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file must be %(limit)s MB or smaller."),
            code="too_big",
            params={"limit": limit // 1024 // 1024},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError(_("This file is a program, not a document or a picture."), code="program")
    kind = next((k for k in FILE_KINDS if head.startswith(k.magic)), None)
    if kind is None:
        raise ValidationError(_("Only PDF, PNG and JPEG files can be uploaded."), code="type")
    extension = Path(file_name).suffix.lower().lstrip(".")
    if extension not in kind.extensions:
        raise ValidationError(
            _("The file's name ends in .%(extension)s but it is a %(kind)s file. Choose the right file."),
            code="extension",
            params={"extension": extension or "?", "kind": kind.extension.upper().replace("JPG", "JPEG")},
        )
    return kind


def _stored_path(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def _store_file(*, student: Student, data: bytes, file_name: str, on_failure: list[Path]) -> ProfileFile:
    """Check the bytes, write them once per content, and return the file's row (call inside a transaction).

    A file written here is added to `on_failure`, so that the caller removes it if the
    transaction does not commit.
    """
    kind = profile_file_kind(head=data[:16], file_name=file_name, size=len(data))
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{PROFILE_DIRECTORY}/{student.pk}/{digest}.{kind.extension}"
    # Locked, so that a project releasing the same file at the same time waits and then sees this one.
    existing = ProfileFile.objects.select_for_update().filter(path=relative).first()
    if existing is not None:
        return existing
    target = _stored_path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_bytes(data)
        on_failure.append(target)
    return ProfileFile.objects.create(
        student=student,
        path=relative,
        original_name=Path(file_name.replace("\\", "/")).name[:255] or f"file.{kind.extension}",
        content_type=kind.content_type,
        size=len(data),
        sha256=digest,
    )


def profile_file_delete_if_unused(file: ProfileFile | None) -> bool:
    """Delete a stored file, row and bytes, when no project and no snapshot refers to it any more.

    Returns whether it was deleted. Call inside a transaction: the row goes now, the bytes on
    disk once the transaction commits, so a rollback never leaves a row without its file.
    The one rule for releasing a file: projects (here) and snapshots (`schools.services.snapshots`)
    both call it.
    """
    if file is None:
        return False
    # Locked first: a project taking the same file at the same time holds this lock until it commits.
    file = ProfileFile.objects.select_for_update().filter(pk=file.pk).first()
    if file is None or file.projects.exists() or file.snapshots.exists():
        return False
    target = _stored_path(file.path)
    file.delete()
    transaction.on_commit(lambda: target.unlink(missing_ok=True))
    return True


@contextlib.contextmanager
def _removed_on_failure():
    """Yield a list for the paths a write stores; if the write fails, those files are removed."""
    written: list[Path] = []
    try:
        yield written
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Upload:
    """An uploaded file's bytes and the name the student gave it."""

    data: bytes
    name: str


def project_create(
    *, student: Student, by, title: str, date, description: str = "", upload: Upload | None = None
):
    """Add a project, with its file if one was uploaded; a refused file leaves nothing behind."""
    with _removed_on_failure() as written, transaction.atomic():
        project = Project(student=student, title=title, description=description, date=date)
        if upload is not None:
            project.file = _store_file(
                student=student, data=upload.data, file_name=upload.name, on_failure=written
            )
        project.full_clean()
        project.save()
    return project


def project_update(
    *,
    project: Project,
    by,
    title: str,
    date,
    description: str = "",
    upload: Upload | None = None,
    remove_file: bool = False,
) -> Project:
    """Change a project; a new file replaces the old one, and `remove_file` takes it away.

    The old file is deleted only if no other project and no snapshot refers to it.
    """
    with _removed_on_failure() as written, transaction.atomic():
        old = project.file
        project.title, project.description, project.date = title, description, date
        if upload is not None:
            project.file = _store_file(
                student=project.student, data=upload.data, file_name=upload.name, on_failure=written
            )
        elif remove_file:
            project.file = None
        project.full_clean()
        project.save()
        if old is not None and old.pk != project.file_id:
            profile_file_delete_if_unused(old)
    return project


def project_delete(*, project: Project, by) -> None:
    with transaction.atomic():
        file = project.file
        project.delete()
        profile_file_delete_if_unused(file)


# --- Anonymisation ----------------------------------------------------------------------------


def profile_remove_own(*, student: Student) -> None:
    """Remove everything the student wrote or uploaded, and the own half of every snapshot.

    For anonymisation: runs inside its transaction; the stored files go once it commits.
    """
    files = list(ProfileFile.objects.filter(student=student))
    ProfileSnapshot.objects.filter(student=student).update(own=None, own_removed_at=timezone.now())
    ProfileSnapshot.files.through.objects.filter(profilesnapshot__student=student).delete()
    Project.objects.filter(student=student).delete()
    Activity.objects.filter(student=student).delete()
    SelfIntroduction.objects.filter(student=student).delete()
    ProfileFile.objects.filter(student=student).delete()
    targets = [_stored_path(file.path) for file in files]

    def unlink():
        for target in targets:
            target.unlink(missing_ok=True)

    transaction.on_commit(unlink)
