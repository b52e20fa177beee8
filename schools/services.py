"""Writes for schools: the roster and its imports, invitations, departments, curricula, teacher
training, field practice with its gates, diaries and incidents, and the retention records.

Every service is keyword-only, runs in a transaction and refuses bad input with a
`ValidationError` whose message says exactly what is wrong. Emails go out through Celery
after the transaction commits.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from district import access
from district.cohorts import retention_dates
from district.models import Membership, User
from district.outbox import enqueue
from schools import exports, imports, selectors
from schools.models import (
    CourseUnit,
    Department,
    FieldPractice,
    PracticeDiaryEntry,
    PracticeIncident,
    RetentionReview,
    RosterImport,
    School,
    Student,
    StudentCertification,
    StudentInvitation,
    Teacher,
    TeacherTraining,
    TrainingCompletion,
    guardian_consent_message,
)

logger = logging.getLogger(__name__)

INVITATION_DAYS = 7
# Files with more students than this are checked and saved by a Celery worker.
ROSTER_SYNC_ROWS = 500
ADULT_AGE = 19


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- Roster import ------------------------------------------------------------------------


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
        from schools.tasks import run_roster_import

        transaction.on_commit(lambda: enqueue(run_roster_import, record.pk))
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
    vocabulary = selectors.roster_vocabulary(school=record.school)

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
            created, updated = roster_apply(school=record.school, rows=rows)
    except IntegrityError:
        # Another change to the same students committed between our check and our write.
        _finish(record, RosterImport.Status.FAILED, errors=[{"code": "conflict"}])
        return
    record.created_count, record.updated_count = created, updated
    _finish(record, RosterImport.Status.SUCCEEDED)


def _finish(record: RosterImport, status: str, *, errors: list | None = None) -> None:
    record.status = status
    record.errors = errors or []
    record.finished_at = timezone.now()
    record.save(
        update_fields=["status", "errors", "finished_at", "processed", "created_count", "updated_count"]
    )


_ROW_FIELDS = ("name", "department_id", "graduation_year")
_OPTIONAL_FIELDS = ("birth_date", "commute_area_id", "email", "status")


def roster_apply(*, school: School, rows: list[imports.RosterRow]) -> tuple[int, int]:
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
    certified = _apply_certifications(school, rows, existing | {s.student_number: s for s in new_students})
    if leaving:
        _deactivate_students(leaving)
    updated = {s.pk for s in changed} | certified
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


def roster_export(*, school: School, by, purpose: str, ip_address: str | None = None) -> bytes:
    """The school's roster as XLSX; every export is logged, since it holds minors' personal data.

    The stated purpose is required. Besides the export log, each student on the roster gets
    a row in the personal-data access log (one INSERT).
    """
    from district.models import ExportLog
    from privacy.models import PersonalDataAccess
    from privacy.services import clean_purpose, log_access

    purpose = clean_purpose(purpose)
    students = list(selectors.roster_for_export(school=school))
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


# --- Students and their accounts -------------------------------------------------------------


def student_update(*, student: Student, by, **fields) -> Student:
    """Change a student's record; a student marked as having left loses their account's access."""
    if "department" in fields and fields["department"].school_id != student.school_id:
        raise ValidationError({"department": _("Choose a department of the student's own school.")})
    with transaction.atomic():
        # Read the stored status: a bound form may already have changed the instance.
        was_left = Student.objects.filter(pk=student.pk, status=Student.Status.LEFT).exists()
        if "guardian_consent_on" in fields:
            # Who recorded a guardian's consent: the staff member who entered or changed its date.
            stored = (
                Student.objects.filter(pk=student.pk).values_list("guardian_consent_on", flat=True).first()
            )
            if fields["guardian_consent_on"] != stored:
                student.guardian_consent_by = by if fields["guardian_consent_on"] else None
        for name, value in fields.items():
            setattr(student, name, value)
        student.full_clean()
        student.save()
        if student.status == Student.Status.LEFT and not was_left:
            _deactivate_students([student.pk])
    return student


def student_deactivate(*, student: Student, by=None) -> None:
    """Close the account of a student who has left: no login, no memberships, no open invitations."""
    with transaction.atomic():
        _deactivate_students([student.pk])


def _deactivate_students(student_ids: list[int]) -> None:
    user_ids = list(
        Student.objects.filter(pk__in=student_ids, user__isnull=False).values_list("user_id", flat=True)
    )
    User.objects.filter(pk__in=user_ids).update(is_active=False)
    Membership.objects.filter(user_id__in=user_ids).update(is_active=False)
    now = timezone.now()
    StudentInvitation.objects.filter(
        student_id__in=student_ids, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)


def _login_id_for(student: Student, email: str) -> str:
    return student.user.username if student.user_id else email.lower()


def invitation_create(*, student: Student, by, base_url: str, email: str = "") -> StudentInvitation:
    """Invite a student to set their password; the email goes out once the transaction commits.

    An earlier invitation that has not been used stops working: only the newest link counts.
    """
    email = (email or student.email).strip()
    if student.status == Student.Status.LEFT:
        raise ValidationError(
            _("%(name)s has left school, so they cannot be invited."), params={"name": student}
        )
    if not email:
        raise ValidationError({"email": _("Record the student's email address first.")})
    if student.needs_guardian_consent():
        raise ValidationError(guardian_consent_message(student), code="guardian_consent")
    # An address that another account already logs in with is not refused here: the refusal would
    # tell the staff member that the address has an account. The email says what to do instead
    # (invitation_send), and the staff member reads the same answer either way.
    now = timezone.now()
    with transaction.atomic():
        if email != student.email:
            student.email = email
            student.save(update_fields=["email", "updated_at"])
        StudentInvitation.objects.filter(student=student, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        invitation = StudentInvitation.objects.create(
            student=student,
            email=email,
            created_by=by,
            created_at=now,
            expires_at=now + datetime.timedelta(days=_setting("STUDENT_INVITATION_DAYS", INVITATION_DAYS)),
        )
        from schools.tasks import send_student_invitation

        transaction.on_commit(lambda: enqueue(send_student_invitation, invitation.pk, base_url))
    return invitation


def invitation_send(*, invitation_id: int, base_url: str) -> bool:
    """Make the link's token, keep only its hash, and email the link. False when there is nothing to send.

    The token is made here, in the worker, so that it never travels through the broker;
    a redelivered task finds the invitation already sent and sends nothing.
    """
    with transaction.atomic():
        invitation = (
            StudentInvitation.objects.select_for_update(of=("self",))
            .select_related("student__school", "student__user")
            .filter(pk=invitation_id)
            .first()
        )
        if (
            invitation is None
            or invitation.sent_at
            or invitation.used_at
            or invitation.expires_at <= timezone.now()
        ):
            return False
        if _login_taken_by_another(invitation):
            # No link: tell the address's owner (who knows about their account) what to do next.
            invitation.sent_at = invitation.expires_at = timezone.now()
            invitation.save(update_fields=["sent_at", "expires_at"])
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(
                    subject=str(_("Your school's invitation to the Innovation District Portal")),
                    message=render_to_string(
                        "schools/email/invitation_address_in_use.txt", {"student": invitation.student}
                    ),
                    from_email=None,
                    recipient_list=[invitation.email],
                )
            return True
        token = secrets.token_urlsafe(32)
        invitation.token_hash = selectors.token_hash(token)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["token_hash", "sent_at"])
        context = {
            "student": invitation.student,
            "login_id": _login_id_for(invitation.student, invitation.email),
            "link": base_url.rstrip("/") + reverse("invitations:accept", args=[token]),
            "expires_at": invitation.expires_at,
        }
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=str(_("Set your password for the Innovation District Portal")),
                message=render_to_string("schools/email/invitation.txt", context),
                from_email=None,
                recipient_list=[invitation.email],
            )
    return True


def _login_taken_by_another(invitation: StudentInvitation) -> bool:
    """The invited address is the login ID of an account other than the student's own."""
    if invitation.student.user_id:
        return False
    return User.objects.filter(username__iexact=invitation.email.lower()).exists()


def invitation_problem(invitation: StudentInvitation | None) -> str:
    """Why a link cannot be used ("unknown", "used", "expired", "left"), or "" when it can."""
    if invitation is None:
        return "unknown"
    if invitation.used_at:
        return "used"
    if invitation.expires_at <= timezone.now():
        return "expired"
    if invitation.student.status == Student.Status.LEFT:
        return "left"
    return ""


def invitation_login_id(invitation: StudentInvitation) -> str:
    return _login_id_for(invitation.student, invitation.email)


def invitation_accept(*, invitation: StudentInvitation, password: str) -> User:
    """Set the student's password from their invitation.

    1. Lock the invitation and check again that it is unused, unexpired and that the
       student has not left.
    2. Create the user (login ID = the invited email) or reuse the student's, set the
       password and activate it.
    3. Link the student to the user and give the user an active student membership.
    4. Mark this invitation used; any other open invitation of the student stops working.
    """
    with transaction.atomic():
        invitation = StudentInvitation.objects.select_for_update().get(pk=invitation.pk)
        student = Student.objects.select_related("school", "user").get(pk=invitation.student_id)
        invitation.student = student
        problem = invitation_problem(invitation)
        if problem:
            raise ValidationError(_("This invitation link can no longer be used."), code=problem)
        if student.needs_guardian_consent():
            raise ValidationError(guardian_consent_message(student), code="guardian_consent")
        if _login_taken_by_another(invitation):  # an account made with the address since the email
            raise ValidationError(_("This invitation link can no longer be used."), code="login_taken")
        user = student.user or User(
            username=invitation.email.lower(), email=invitation.email, name=student.name
        )
        validate_password(password, user)
        user.set_password(password)
        user.is_active = True
        user.save()
        if student.user_id != user.pk:
            student.user = user
            student.save(update_fields=["user", "updated_at"])
        membership, _created = Membership.objects.get_or_create(
            user=user,
            role=Membership.Role.STUDENT,
            school=student.school,
            defaults={"district_id": student.school.district_id},
        )
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
        now = timezone.now()
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        StudentInvitation.objects.filter(student=student, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
    return user


# --- Departments and curriculum ---------------------------------------------------------------


def department_create(*, school: School, by, **fields) -> Department:
    return _department_save(Department(school=school), fields)


def department_update(*, department: Department, by, **fields) -> Department:
    return _department_save(department, fields)


def _department_save(department: Department, fields: dict) -> Department:
    """Save a department; naming the department it replaced closes that one (a reorganisation)."""
    replaced = fields.get("replaced")
    if replaced is not None:
        if replaced.school_id != department.school_id:
            raise ValidationError({"replaced": _("Choose a department of the same school.")})
        if department.pk and _replaces_itself(department, replaced):
            raise ValidationError(
                {"replaced": _("A department cannot replace itself or one that replaced it.")}
            )
    if (replaced is None) != (fields.get("reorganised_year") is None):
        raise ValidationError(
            {"reorganised_year": _("A reorganisation needs both the department it replaced and the year.")}
        )
    with transaction.atomic():
        for name, value in fields.items():
            setattr(department, name, value)
        department.full_clean()
        department.save()
        if replaced is not None and replaced.is_active:
            replaced.is_active = False
            replaced.save(update_fields=["is_active"])
    return department


def _replaces_itself(department: Department, replaced: Department) -> bool:
    seen = set()
    current = replaced
    while current is not None and current.pk not in seen:
        if current.pk == department.pk:
            return True
        seen.add(current.pk)
        current = current.replaced
    return False


def course_unit_create(
    *, department: Department, by, co_developers=(), certifications=(), **fields
) -> CourseUnit:
    return _course_unit_save(CourseUnit(department=department), fields, co_developers, certifications)


def course_unit_update(*, unit: CourseUnit, by, co_developers=(), certifications=(), **fields) -> CourseUnit:
    return _course_unit_save(unit, fields, co_developers, certifications)


def _course_unit_save(unit, fields, co_developers, certifications) -> CourseUnit:
    if "department" in fields and fields["department"].school_id != unit.department.school_id:
        raise ValidationError({"department": _("Choose a department of the same school.")})
    district_id = unit.department.school.district_id
    if any(company.district_id != district_id for company in co_developers):
        raise ValidationError({"co_developers": _("Choose companies of the school's district.")})
    with transaction.atomic():
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.full_clean()
        unit.save()
        unit.co_developers.set(co_developers)
        unit.certifications.set(certifications)
    return unit


# --- Teachers and training -------------------------------------------------------------------


def teacher_create(*, school: School, name: str, subject: str = "", by) -> Teacher:
    teacher = Teacher(school=school, name=name, subject=subject)
    teacher.full_clean()
    teacher.save()
    return teacher


def training_create(*, school: School, by, co_hosts=(), **fields) -> TeacherTraining:
    """Add a training programme to the school's district, where every school can record completions."""
    with transaction.atomic():
        training = TeacherTraining(district_id=school.district_id, **fields)
        training.full_clean()
        training.save()
        training.co_hosts.set(co_hosts)
    return training


def training_completion_record(
    *, training: TeacherTraining, teacher: Teacher, completed_on: datetime.date, hours: int, by
) -> TrainingCompletion:
    """Record that a teacher completed a training, with the hours they attended."""
    errors = {}
    if teacher.school.district_id != training.district_id:
        errors["teacher"] = _("Choose a teacher of a school in the training's district.")
    if hours > training.hours:
        errors["hours"] = _("The training has %(hours)s hours; a teacher cannot attend more.") % {
            "hours": training.hours
        }
    if completed_on < training.starts_on:
        errors["completed_on"] = _("The training starts on %(date)s; it cannot be completed before.") % {
            "date": training.starts_on
        }
    if TrainingCompletion.objects.filter(training=training, teacher=teacher).exists():
        errors["teacher"] = _("This teacher's completion is already recorded.")
    if errors:
        raise ValidationError(errors)
    return TrainingCompletion.objects.create(
        training=training, teacher=teacher, completed_on=completed_on, hours=hours
    )


# --- Field practice ---------------------------------------------------------------------------


def field_practice_create(
    *,
    student: Student,
    company,
    starts_on: datetime.date,
    ends_on: datetime.date,
    supervisor_name: str = "",
    by,
) -> FieldPractice:
    """Plan a field practice at a verified company of the student's district."""
    errors = {}
    if student.status == Student.Status.LEFT:
        errors["student"] = _("The student has left school.")
    if company.district_id != student.school.district_id or not company.is_verified:
        errors["company"] = _("Choose a verified company of the district.")
    if ends_on < starts_on:
        errors["ends_on"] = _("Field practice cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    return FieldPractice.objects.create(
        student=student,
        company=company,
        starts_on=starts_on,
        ends_on=ends_on,
        supervisor_name=supervisor_name,
    )


def field_practice_update(
    *, practice: FieldPractice, starts_on: datetime.date, ends_on: datetime.date, supervisor_name: str, by
) -> FieldPractice:
    """Change the dates (only before the start) or the company supervisor (a practice under way keeps one)."""
    S = FieldPractice.Status
    if practice.status in {S.COMPLETED, S.CANCELLED}:
        raise ValidationError(_("A finished practice cannot be changed."))
    if practice.status != S.PLANNED and starts_on != practice.starts_on:
        raise ValidationError({"starts_on": _("The practice has started; its start date is fixed.")})
    if practice.status != S.PLANNED and not supervisor_name.strip():
        raise ValidationError(
            {"supervisor_name": _("A practice under way needs a named company supervisor.")}
        )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Field practice cannot end before it starts.")})
    practice.starts_on, practice.ends_on, practice.supervisor_name = (
        starts_on,
        ends_on,
        supervisor_name.strip(),
    )
    practice.save(update_fields=["starts_on", "ends_on", "supervisor_name"])
    return practice


def field_practice_record_consent(
    *, practice: FieldPractice, consent_on: datetime.date, method: str, by
) -> FieldPractice:
    """Record the guardian's consent: the date it was given and how."""
    if method not in FieldPractice.ConsentMethod.values:
        raise ValidationError({"guardian_consent_method": _("Choose how the guardian consented.")})
    if consent_on > timezone.localdate():
        raise ValidationError({"guardian_consent_on": _("The consent date cannot be in the future.")})
    practice.guardian_consent_on, practice.guardian_consent_method = consent_on, method
    practice.save(update_fields=["guardian_consent_on", "guardian_consent_method"])
    return practice


def field_practice_sign_safety_check(
    *, practice: FieldPractice, checked_on: datetime.date, by
) -> FieldPractice:
    """The school signs off the safety check of the workplace; only the student's school staff may."""
    if practice.student.school_id not in access.school_ids(by):
        raise ValidationError(_("Only staff of the student's school can sign off the safety check."))
    if checked_on > timezone.localdate():
        raise ValidationError({"safety_checked_on": _("The safety check date cannot be in the future.")})
    practice.safety_checked_on, practice.safety_checked_by = checked_on, by
    practice.save(update_fields=["safety_checked_on", "safety_checked_by"])
    return practice


def needs_guardian_consent(practice: FieldPractice) -> bool:
    """Under 19 on the start date, or a birth date nobody recorded (we cannot tell, so we ask)."""
    age = practice.student.age_on(practice.starts_on)
    return age is None or age < ADULT_AGE


def field_practice_start_problems(practice: FieldPractice) -> dict[str, str]:
    """Every condition still missing before the practice may start, each with its own message."""
    problems: dict[str, str] = {}
    if needs_guardian_consent(practice):
        if practice.guardian_consent_on is None or not practice.guardian_consent_method:
            if practice.student.birth_date is None:
                problems["guardian_consent_on"] = str(
                    _(
                        "The student's date of birth is not recorded, so guardian consent is needed: "
                        "record the consent (date and method) or the date of birth."
                    )
                )
            else:
                problems["guardian_consent_on"] = str(
                    _(
                        "The student is under 19 on the start date: record the guardian's consent "
                        "(date and method) first."
                    )
                )
        elif practice.guardian_consent_on > practice.starts_on:
            problems["guardian_consent_on"] = str(_("Guardian consent must be given before the start date."))
    if practice.safety_checked_on is None or practice.safety_checked_by_id is None:
        problems["safety_checked_on"] = str(_("The school has not signed off the safety check."))
    if not practice.supervisor_name.strip():
        problems["supervisor_name"] = str(_("Name the company supervisor."))
    return problems


def field_practice_start(*, practice: FieldPractice, by) -> FieldPractice:
    """Start a planned practice once every gate is met; a refusal lists each missing condition."""
    with transaction.atomic():
        practice = FieldPractice.objects.select_for_update().select_related("student").get(pk=practice.pk)
        if practice.status != FieldPractice.Status.PLANNED:
            raise ValidationError(
                _("Only a planned practice can start; this one is %(status)s."),
                params={"status": practice.get_status_display()},
            )
        problems = field_practice_start_problems(practice)
        if problems:
            raise ValidationError(problems)
        current = FieldPractice.objects.filter(
            student_id=practice.student_id,
            status__in=[FieldPractice.Status.IN_PROGRESS, FieldPractice.Status.ON_HOLD],
        )
        if current.exists():
            raise ValidationError(_("The student already has a field practice under way."))
        practice.status = FieldPractice.Status.IN_PROGRESS
        practice.save(update_fields=["status"])
    return practice


def field_practice_complete(*, practice: FieldPractice, by) -> FieldPractice:
    """Mark a practice under way as completed; one on hold must have its incidents reviewed first."""
    with transaction.atomic():
        practice = FieldPractice.objects.select_for_update().get(pk=practice.pk)
        if practice.status == FieldPractice.Status.ON_HOLD:
            raise ValidationError(_("The practice is on hold: review its incidents first."))
        if practice.status != FieldPractice.Status.IN_PROGRESS:
            raise ValidationError(_("Only a practice under way can be completed."))
        practice.status = FieldPractice.Status.COMPLETED
        practice.save(update_fields=["status"])
    return practice


def field_practice_cancel(*, practice: FieldPractice, by) -> FieldPractice:
    """Cancel a practice that has not started; one under way ends through an incident review."""
    with transaction.atomic():
        practice = FieldPractice.objects.select_for_update().get(pk=practice.pk)
        if practice.status != FieldPractice.Status.PLANNED:
            raise ValidationError(_("Only a planned practice can be cancelled."))
        practice.status = FieldPractice.Status.CANCELLED
        practice.save(update_fields=["status"])
    return practice


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def diary_entry_save(
    *,
    practice: FieldPractice,
    week_starting: datetime.date,
    text: str,
    by,
    today: datetime.date | None = None,
) -> PracticeDiaryEntry:
    """The student writes (or rewrites) the diary of one week, until the supervisor acknowledges it."""
    today = today or timezone.localdate()
    week = week_start(week_starting)
    if practice.student.user_id != by.pk:
        raise ValidationError(_("Only the student in this practice writes its diary."))
    if practice.status not in {FieldPractice.Status.IN_PROGRESS, FieldPractice.Status.ON_HOLD}:
        raise ValidationError(_("The diary is open while the practice is under way."))
    if week > today or week + datetime.timedelta(days=6) < practice.starts_on or week > practice.ends_on:
        raise ValidationError({"week_starting": _("Choose a week of the practice that has begun.")})
    if not text.strip():
        raise ValidationError({"text": _("Write what you did this week.")})
    with transaction.atomic():
        entry = (
            PracticeDiaryEntry.objects.select_for_update()
            .filter(practice=practice, week_starting=week)
            .first()
        )
        if entry is not None and entry.acknowledged_at:
            raise ValidationError(
                _("The supervisor has acknowledged this week; it can no longer be changed.")
            )
        if entry is None:
            entry = PracticeDiaryEntry(practice=practice, week_starting=week)
        entry.text, entry.written_by = text.strip(), by
        entry.save()
    return entry


def diary_entry_acknowledge(*, entry: PracticeDiaryEntry, by) -> PracticeDiaryEntry:
    """The company supervisor (a recruiter of the host company) acknowledges a week's diary."""
    if entry.practice.company_id not in access.company_ids(by):
        raise ValidationError(_("Only the host company can acknowledge the diary."))
    updated = PracticeDiaryEntry.objects.filter(pk=entry.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=by
    )
    if not updated:
        raise ValidationError(_("This week is already acknowledged."))
    entry.refresh_from_db()
    return entry


def incident_report(
    *, practice: FieldPractice, reporter_role: str, description: str, by, base_url: str
) -> PracticeIncident:
    """Report an incident: the practice goes on hold and the school and officials are emailed at once."""
    if reporter_role not in PracticeIncident.ReporterRole.values:
        raise ValidationError(_("Unknown reporter."))
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    with transaction.atomic():
        practice = FieldPractice.objects.select_for_update().get(pk=practice.pk)
        if practice.status not in {FieldPractice.Status.IN_PROGRESS, FieldPractice.Status.ON_HOLD}:
            raise ValidationError(_("Incidents are reported for a practice under way."))
        incident = PracticeIncident.objects.create(
            practice=practice, reporter_role=reporter_role, reported_by=by, description=description.strip()
        )
        practice.status = FieldPractice.Status.ON_HOLD
        practice.save(update_fields=["status"])
        from schools.tasks import notify_practice_incident

        transaction.on_commit(lambda: enqueue(notify_practice_incident, incident.pk, base_url))
    return incident


def incident_notify(*, incident_id: int, base_url: str) -> int:
    """Email the school's staff and the district's officials about an incident. Returns the recipients.

    Each audience gets its own copy, linking to a page it can open: the school's staff the
    practice's page under /school/, the officials the practice's change page in the admin.
    """
    incident = PracticeIncident.objects.select_related(
        "practice__student__school", "practice__company", "reported_by"
    ).get(pk=incident_id)
    recipients = selectors.incident_recipients(practice=incident.practice)
    base_url = base_url.rstrip("/")
    copies = [
        (recipients.school_staff, base_url + reverse("schools:practice_detail", args=[incident.practice_id])),
        (
            recipients.officials,
            base_url + reverse("admin:schools_fieldpractice_change", args=[incident.practice_id]),
        ),
    ]
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("Field practice on hold: incident reported for %(student)s")) % {
            "student": incident.practice.student.name
        }
        messages = []
        for addresses, link in copies:
            if addresses:
                context = {"incident": incident, "practice": incident.practice, "link": link}
                body = render_to_string("schools/email/incident.txt", context)
                messages.append((subject, body, None, addresses))
    if messages:
        send_mass_mail(messages)
    return sum(len(addresses) for addresses, _link in copies)


def incident_review(*, incident: PracticeIncident, outcome: str, note: str = "", by) -> PracticeIncident:
    """The school reviews an incident: resume the practice (once no incident is open) or end it."""
    if outcome not in PracticeIncident.Outcome.values:
        raise ValidationError({"outcome": _("Choose whether the practice resumes or ends.")})
    with transaction.atomic():
        practice = FieldPractice.objects.select_for_update().get(pk=incident.practice_id)
        incident = PracticeIncident.objects.select_for_update().get(pk=incident.pk)
        if incident.reviewed_at:
            raise ValidationError(_("This incident is already reviewed."))
        if outcome == PracticeIncident.Outcome.RESUME and practice.status != FieldPractice.Status.ON_HOLD:
            raise ValidationError({"outcome": _("The practice is no longer on hold, so it cannot resume.")})
        incident.outcome, incident.review_note = outcome, note.strip()
        incident.reviewed_at, incident.reviewed_by = timezone.now(), by
        incident.save()
        if outcome == PracticeIncident.Outcome.END:
            practice.status = FieldPractice.Status.CANCELLED
            practice.save(update_fields=["status"])
        elif not practice.incidents.filter(reviewed_at__isnull=True).exists():
            practice.status = FieldPractice.Status.IN_PROGRESS
            practice.save(update_fields=["status"])
    return incident


# --- Retention (KEDI: employment on the survey date) --------------------------------------------


def employed_on(day: datetime.date, placement, student_placements) -> bool:
    """Employed on `day` in this placement or a later one: KEDI counts employment, not the same employer."""
    return any(
        p.starts_on >= placement.starts_on and p.starts_on <= day and (p.ends_on is None or p.ends_on >= day)
        for p in student_placements
    )


def retention_record_due(*, today: datetime.date | None = None, batch_size: int = 1000) -> dict[str, int]:
    """Record every 6- and 12-month status whose check date has come and that is still blank.

    Idempotent: only blank records are filled, with conditional UPDATEs, so a rerun or a
    school's correction is never overwritten.
    """
    from placements.models import Placement

    today = today or timezone.localdate()
    counts = {"six_months": 0, "twelve_months": 0}
    # Six months is the shortest way from a start to a check date; the exact test is below.
    candidates = (
        Placement.objects.filter(Q(retention_6m="") | Q(retention_12m=""))
        .filter(starts_on__lte=today - datetime.timedelta(days=180))
        .only("pk", "student_id", "starts_on", "retention_6m", "retention_12m")
        .order_by("pk")
    )
    last_pk = 0
    while True:
        batch = list(candidates.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return counts
        last_pk = batch[-1].pk
        by_student: dict[int, list] = {}
        for p in Placement.objects.filter(student_id__in={p.student_id for p in batch}).only(
            "pk", "student_id", "starts_on", "ends_on"
        ):
            by_student.setdefault(p.student_id, []).append(p)
        updates: dict[tuple[str, str, datetime.date], list[int]] = {}
        for placement in batch:
            dates = retention_dates(placement.starts_on)
            for field, day in (("retention_6m", dates.six_months), ("retention_12m", dates.twelve_months)):
                if getattr(placement, field) or day > today:
                    continue
                employed = employed_on(day, placement, by_student[placement.student_id])
                status = Placement.Retention.EMPLOYED if employed else Placement.Retention.LEFT
                updates.setdefault((field, status, day), []).append(placement.pk)
        with transaction.atomic():
            for (field, status, day), pks in updates.items():
                counts["six_months" if field == "retention_6m" else "twelve_months"] += (
                    Placement.objects.filter(pk__in=pks, **{field: ""}).update(
                        **{field: status, f"{field}_checked_on": day}
                    )
                )


def retention_review_save(
    *,
    placement,
    milestone: int,
    status: str,
    by,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> RetentionReview:
    """School staff confirm or correct a placement's 6- or 12-month record.

    1. The check date must have come.
    2. "Left" on a placement still open on the check date ends it: the date the graduate
       left (before the check date) and the reason are required and recorded.
    3. The record on the placement is set, and the review keeps what was recorded before.
    """
    from placements.models import Placement

    today = today or timezone.localdate()
    if milestone not in RetentionReview.Milestone.values:
        raise ValidationError({"milestone": _("Choose the 6- or 12-month record.")})
    if status not in RetentionReview.Status.values:
        raise ValidationError({"status": _("Choose whether the graduate was still employed.")})
    check_date = retention_dates(placement.starts_on).for_milestone(milestone)
    if check_date > today:
        raise ValidationError(
            _("The %(months)s-month check date, %(date)s, has not come yet."),
            params={"months": milestone, "date": check_date.isoformat()},
        )
    field = f"retention_{milestone}m"
    with transaction.atomic():
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        open_on_check_date = placement.ends_on is None or placement.ends_on >= check_date
        if status == RetentionReview.Status.LEFT and open_on_check_date:
            errors = {}
            if ended_on is None:
                errors["ended_on"] = _("Give the date the graduate left this job.")
            elif not placement.starts_on <= ended_on < check_date:
                errors["ended_on"] = _(
                    "The job ended between its start, %(start)s, and the check date, %(date)s."
                ) % {
                    "start": placement.starts_on.isoformat(),
                    "date": check_date.isoformat(),
                }
            if not end_reason.strip():
                errors["end_reason"] = _("Give the reason for leaving.")
            if errors:
                raise ValidationError(errors)
            placement.status, placement.ends_on = Placement.Status.ENDED, ended_on
            placement.end_reason = end_reason.strip()[:200]
        recorded = getattr(placement, field)
        setattr(placement, field, status)
        setattr(placement, f"{field}_checked_on", check_date)
        placement.save()
        review, _created = RetentionReview.objects.update_or_create(
            placement=placement,
            milestone=milestone,
            defaults={
                "status": status,
                "recorded_status": recorded,
                "note": note.strip()[:200],
                "reviewed_by": by,
            },
        )
    return review
