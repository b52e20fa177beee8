"""Writes for the roster: importing a school's students from a file, and exporting them.

A file of up to ROSTER_SYNC_ROWS students is checked and saved in the request; a larger
one is stored under MEDIA_ROOT and run by the task `schools.roster_import_run`, enqueued
by name after the transaction commits.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from district.models import ExportLog
from district.outbox import enqueue
from privacy.models import PersonalDataAccess
from privacy.services import clean_purpose, log_access
from schools import exports, imports
from schools.models import AttendanceRecord, RosterImport, School, Student, StudentCertification
from schools.selectors.roster import roster_for_export, roster_vocabulary
from schools.services.students import deactivate_students

logger = logging.getLogger(__name__)

# Files with more students than this are checked and saved by a Celery worker.
ROSTER_SYNC_ROWS = 500


def _setting(name: str, default):
    return getattr(settings, name, default)


def roster_import_start(*, school: School, data: bytes, file_name: str, by) -> RosterImport:
    """Take an uploaded roster file and import it, now or in the background.

    1. Read the file: its type by content, its size, its header and row count. A file
       that cannot be read at all is refused here with a `ValidationError`.
    2. Up to ROSTER_SYNC_ROWS students: check every row and, if all are good, save them,
       all in this request. The returned import holds the outcome.
    3. More: store the file under MEDIA_ROOT (outside the web root) and queue a task that
       does step 2 while the page shows its progress.
    """
    table = imports.read_table(data, max_rows=_setting("ROSTER_IMPORT_MAX_ROWS", imports.MAX_ROWS))
    record = RosterImport(
        school=school,
        created_by=by,
        original_name=Path(file_name).name[:255],
        file_format=table.file_format,
        total=len(table.rows),
    )
    if len(table.rows) <= _setting("ROSTER_IMPORT_SYNC_ROWS", ROSTER_SYNC_ROWS):
        record.status = RosterImport.Status.CHECKING
        record.started_at = timezone.now()
        record.save()
        _check_and_apply(record, table)
        return record

    relative = Path("rosters") / str(school.pk) / f"{uuid.uuid4().hex}.{table.file_format}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    record.file_path = str(relative)
    with transaction.atomic():
        record.save()
        transaction.on_commit(lambda: enqueue("schools.roster_import_run", record.pk))
    return record


def roster_import_run(*, roster_import_id: int) -> None:
    """Run a queued import (the task's body).

    A redelivered task finds the import claimed and does nothing, unless the run that
    claimed it is older than the hard time limit: that worker is dead, so this one
    takes over (the file is removed only when a run ends).
    """
    S = RosterImport.Status
    stale = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimed = (
        RosterImport.objects.filter(pk=roster_import_id)
        .filter(Q(status=S.QUEUED) | Q(status__in=[S.CHECKING, S.SAVING], started_at__lt=stale))
        .update(status=S.CHECKING, started_at=timezone.now(), processed=0)
    )
    if not claimed:
        return
    record = RosterImport.objects.select_related("school").get(pk=roster_import_id)
    path = Path(settings.MEDIA_ROOT) / record.file_path
    try:
        table = imports.read_table(path.read_bytes(), max_rows=record.total)
        _check_and_apply(record, table)
    except Exception:
        # Recorded on the import for the page; a redelivery finds it claimed and stops.
        logger.exception("roster import %s failed", record.pk)
        _finish(record, RosterImport.Status.FAILED, errors=[{"code": "crashed"}])
    finally:
        # The file holds personal data; once the import has ended nobody needs it.
        path.unlink(missing_ok=True)
        RosterImport.objects.filter(pk=record.pk).update(file_path="")


def _check_and_apply(record: RosterImport, table: imports.Table) -> None:
    """Check every row (showing progress), then save all of them in one transaction or none."""
    vocabulary = roster_vocabulary(school=record.school)

    def progress(done: int) -> None:
        RosterImport.objects.filter(pk=record.pk).update(processed=done)

    rows, errors = imports.check_rows(table, vocabulary, today=timezone.localdate(), progress=progress)
    record.processed = len(table.rows)
    if errors:
        _finish(record, RosterImport.Status.REJECTED, errors=errors)
        return
    RosterImport.objects.filter(pk=record.pk).update(status=RosterImport.Status.SAVING)
    try:
        with transaction.atomic():
            created, updated = roster_apply(school=record.school, rows=rows, by=record.created_by)
    except IntegrityError:
        # Another change to the same students committed between our check and our write.
        _finish(record, RosterImport.Status.FAILED, errors=[{"code": "conflict"}])
        return
    record.created_count, record.updated_count = created, updated
    # Stored with the errors, and shown on the result page as a note: the old column was read.
    notices = [{"code": "legacy_graduation_year"}] if table.legacy_cohort else []
    _finish(record, RosterImport.Status.SUCCEEDED, errors=notices)


def _finish(record: RosterImport, status: str, *, errors: list | None = None) -> None:
    record.status = status
    record.errors = errors or []
    record.finished_at = timezone.now()
    record.save(
        update_fields=["status", "errors", "finished_at", "processed", "created_count", "updated_count"]
    )


_ROW_FIELDS = ("name", "department_id", "cohort")


_OPTIONAL_FIELDS = ("birth_date", "commute_area_id", "email", "status")


def roster_apply(*, school: School, rows: list[imports.RosterRow], by=None) -> tuple[int, int]:
    """Save checked rows: add new student numbers, update known ones. Returns (added, updated).

    Runs inside the caller's transaction, with the school's matching students locked.
    Students whose status becomes "left" are deactivated.
    """
    numbers = [row.student_number for row in rows]
    existing = {
        s.student_number: s
        for s in Student.objects.select_for_update().filter(school=school, student_number__in=numbers)
    }
    new_students, changed, leaving = [], [], []
    changed_fields: set[str] = set()
    for row in rows:
        values = {name: getattr(row, name) for name in _ROW_FIELDS}
        values |= {
            name: getattr(row, name) for name in _OPTIONAL_FIELDS if getattr(row, name) is not imports.UNSET
        }
        student = existing.get(row.student_number)
        if student is None:
            new_students.append(Student(school=school, student_number=row.student_number, **values))
            continue
        differs = {name for name, value in values.items() if getattr(student, name) != value}
        if differs:
            student.updated_at = timezone.now()
            if "status" in differs and values["status"] == Student.Status.LEFT:
                leaving.append(student.pk)
            for name in differs:
                setattr(student, name, values[name])
            changed_fields |= differs
            changed.append(student)
    Student.objects.bulk_create(new_students)
    if changed:
        Student.objects.bulk_update(changed, sorted(changed_fields | {"updated_at"}))
    by_number = existing | {s.student_number: s for s in new_students}
    certified = _apply_certifications(school, rows, by_number)
    attended = _apply_attendance(rows, by_number, by=by)
    if leaving:
        deactivate_students(leaving)
    updated = {s.pk for s in changed} | certified | attended
    return len(new_students), len(updated - {s.pk for s in new_students})


def _apply_certifications(school, rows, students_by_number) -> set[int]:
    """Add listed certifications and correct their dates; never remove one. Returns the students changed."""
    wanted = {
        (students_by_number[row.student_number].pk, cert_id): acquired
        for row in rows
        for cert_id, acquired in row.certifications
    }
    if not wanted:
        return set()
    held = {
        (h.student_id, h.certification_id): h
        for h in StudentCertification.objects.filter(student_id__in={key[0] for key in wanted})
    }
    today = timezone.localdate()
    to_create, to_update = [], []
    for (student_id, cert_id), acquired in wanted.items():
        current = held.get((student_id, cert_id))
        if current is None:
            to_create.append(
                StudentCertification(
                    student_id=student_id, certification_id=cert_id, acquired_on=acquired or today
                )
            )
        elif acquired and current.acquired_on != acquired:
            current.acquired_on = acquired
            to_update.append(current)
    StudentCertification.objects.bulk_create(to_create)
    StudentCertification.objects.bulk_update(to_update, ["acquired_on"])
    return {c.student_id for c in to_create + to_update}


def _apply_attendance(rows, students_by_number, *, by) -> set[int]:
    """Add or update the school year's attendance of each row that has some. Returns the students changed.

    A count left empty keeps the recorded one (0 on a new record).
    """
    wanted = {
        (students_by_number[row.student_number].pk, row.attendance[0]): row.attendance[1]
        for row in rows
        if row.attendance is not None
    }
    if not wanted:
        return set()
    recorded = {
        (r.student_id, r.school_year): r
        for r in AttendanceRecord.objects.select_for_update().filter(
            student_id__in={key[0] for key in wanted}, school_year__in={key[1] for key in wanted}
        )
    }
    to_create, to_update = [], []
    for (student_id, school_year), counts in wanted.items():
        current = recorded.get((student_id, school_year))
        if current is None:
            to_create.append(
                AttendanceRecord(student_id=student_id, school_year=school_year, recorded_by=by, **counts)
            )
        elif any(getattr(current, name) != value for name, value in counts.items()):
            for name, value in counts.items():
                setattr(current, name, value)
            current.recorded_by = by
            current.updated_at = timezone.now()
            to_update.append(current)
    AttendanceRecord.objects.bulk_create(to_create)
    AttendanceRecord.objects.bulk_update(to_update, [*imports.ATTENDANCE_COUNTS, "recorded_by", "updated_at"])
    return {r.student_id for r in to_create + to_update}


def roster_export(*, school: School, by, purpose: str, ip_address: str | None = None) -> bytes:
    """The school's roster as XLSX; every export is logged, since it holds minors' personal data.

    The stated purpose is required. Besides the export log, each student on the roster gets
    a row in the personal-data access log (one INSERT).
    """
    purpose = clean_purpose(purpose)
    students = list(roster_for_export(school=school))
    data = exports.roster_xlsx(students)
    # Two INSERTs and no savepoint: the purpose is checked above, before anything is written.
    ExportLog.objects.create(
        district_id=school.district_id,
        user=by,
        ip_address=ip_address,
        what=f"school roster: {school.name}"[:100],
        format=ExportLog.Format.XLSX,
        filters={"school": school.pk},
        purpose=purpose,
    )
    log_access(
        user=by,
        ip_address=ip_address,
        students=students,
        what="schools:roster_export",
        kind=PersonalDataAccess.Kind.EXPORT,
        purpose=purpose,
    )
    return data
