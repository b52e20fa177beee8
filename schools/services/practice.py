"""Writes for field practice: planning it, the gates before it starts, its end, and the weekly diary."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from district import access
from schools.models import FieldPractice, PracticeDiaryEntry, Student

ADULT_AGE = 19


def field_practice_plan_problems(
    *,
    student: Student | None = None,
    company=None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> dict[str, str]:
    """Every rule a planned practice breaks, keyed by field; values not given are skipped.

    The form calls it with what it could read, so that a refused form lists all its
    problems at once; `field_practice_create` calls it with everything.
    """
    problems: dict[str, str] = {}
    if student is not None and student.status == Student.Status.LEFT:
        problems["student"] = str(_("The student has left school."))
    if company is not None and (
        not company.is_verified or (student is not None and company.district_id != student.school.district_id)
    ):
        problems["company"] = str(_("Choose a verified company of the district."))
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = str(_("Field practice cannot end before it starts."))
    return problems


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
    problems = field_practice_plan_problems(
        student=student, company=company, starts_on=starts_on, ends_on=ends_on
    )
    if problems:
        raise ValidationError(problems)
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
    """Change the dates (only before the start) or the company supervisor (a practice under way keeps one).

    A refusal lists every problem at once, each on its field.
    """
    S = FieldPractice.Status
    if practice.status in {S.COMPLETED, S.CANCELLED}:
        raise ValidationError(_("A finished practice cannot be changed."))
    errors = {}
    if practice.status != S.PLANNED and starts_on != practice.starts_on:
        errors["starts_on"] = _("The practice has started; its start date is fixed.")
    if practice.status != S.PLANNED and not supervisor_name.strip():
        errors["supervisor_name"] = _("A practice under way needs a named company supervisor.")
    if ends_on < starts_on:
        errors["ends_on"] = _("Field practice cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
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
    return practice.student.needs_consent_to_work(practice.starts_on, under=ADULT_AGE)


def field_practice_start_problems(
    practice: FieldPractice, today: datetime.date | None = None
) -> dict[str, str]:
    """Every condition still missing before the practice may start, each with its own message.

    The start date is one of them: a practice starts on its start date or later, never before.
    """
    problems: dict[str, str] = {}
    if practice.starts_on > (today or timezone.localdate()):
        problems["starts_on"] = str(
            _("The practice starts on %(date)s; it cannot start before that day.")
            % {"date": formats.date_format(practice.starts_on)}
        )
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


def field_practice_start(*, practice: FieldPractice, by, today: datetime.date | None = None) -> FieldPractice:
    """Start a planned practice on or after its start date, once every gate is met.

    A refusal lists each missing condition.
    """
    with transaction.atomic():
        practice = FieldPractice.objects.select_for_update().select_related("student").get(pk=practice.pk)
        if practice.status != FieldPractice.Status.PLANNED:
            raise ValidationError(
                _("Only a planned practice can start; this one is %(status)s."),
                params={"status": practice.get_status_display()},
            )
        problems = field_practice_start_problems(practice, today=today)
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


def diary_weeks(practice: FieldPractice, today: datetime.date | None = None) -> list[datetime.date]:
    """The Mondays of the weeks the student may write about, newest first.

    They run from the week of the start date to this week (or the last week of the
    practice, once it has ended). A practice under way always has at least its first
    week, even one that was started before its start date by an earlier version.
    """
    today = today or timezone.localdate()
    first = week_start(practice.starts_on)
    last = max(first, week_start(min(today, practice.ends_on)))
    weeks = []
    while last >= first:
        weeks.append(last)
        last -= datetime.timedelta(days=7)
    return weeks


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
    if week not in diary_weeks(practice, today):
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


# Field practice that its host may evaluate: under way (or on hold during an incident review) or done.
EVALUABLE_STATUSES = (
    FieldPractice.Status.IN_PROGRESS,
    FieldPractice.Status.ON_HOLD,
    FieldPractice.Status.COMPLETED,
)


def field_practice_evaluate(*, practice: FieldPractice, evaluation: str, by) -> FieldPractice:
    """Save the host company's short evaluation of the student (at most 300 characters; empty removes it).

    Only once the practice has started: a planned or cancelled practice has nothing to evaluate.
    The student's profile shows it among what the school holds.
    """
    evaluation = evaluation.strip()
    limit = FieldPractice._meta.get_field("host_evaluation").max_length
    if len(evaluation) > limit:
        raise ValidationError(
            {"host_evaluation": _("The evaluation has at most %(limit)s characters.")},
            params={"limit": limit},
        )
    with transaction.atomic():
        practice = FieldPractice.objects.select_for_update().get(pk=practice.pk)
        if practice.status not in EVALUABLE_STATUSES:
            raise ValidationError(_("A practice can be evaluated once it has started."))
        practice.host_evaluation = evaluation
        practice.save(update_fields=["host_evaluation"])
    return practice
