"""Writes of what the school holds on a student's profile ("학교 확인"): a certification's checked
number and issue date, and the attendance of each school year (출결).

Only staff of the student's school reach these (the views find the student through
`schools.selectors.students.get_student_for_user`, which answers 404 for anyone else).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from district.cohorts import school_year_of
from schools.imports import ATTENDANCE_FIRST_YEAR, ATTENDANCE_MAX
from schools.models import AttendanceRecord, Student, StudentCertification

# The longest a certificate number may be (the model's column).
NUMBER_MAX_LENGTH = StudentCertification._meta.get_field("number").max_length


def clean_certificate_number(number: str) -> str:
    """The certificate number as stored: trimmed, required, at most NUMBER_MAX_LENGTH characters."""
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": _("Enter the number printed on the certificate.")})
    if len(number) > NUMBER_MAX_LENGTH:
        raise ValidationError(
            {"number": _("A certificate number has at most %(limit)s characters.")},
            params={"limit": NUMBER_MAX_LENGTH},
        )
    return number


def _check_issue_date(acquired_on: datetime.date) -> None:
    if acquired_on > timezone.localdate():
        raise ValidationError({"acquired_on": _("The issue date cannot be in the future.")})


def certification_verify(
    *, held: StudentCertification, number: str, acquired_on: datetime.date, by
) -> StudentCertification:
    """Record a certification's number and issue date as the school checked them on the certificate.

    Checking again corrects the number or the date and renews who checked it and when.
    """
    number = clean_certificate_number(number)
    _check_issue_date(acquired_on)
    with transaction.atomic():
        held = StudentCertification.objects.select_for_update().get(pk=held.pk)
        held.number = number
        held.acquired_on = acquired_on
        held.verified_at = timezone.now()
        held.verified_by = by
        held.save(update_fields=["number", "acquired_on", "verified_at", "verified_by"])
    return held


def certification_unverify(*, held: StudentCertification, by) -> StudentCertification:
    """Take back the school's check: the certification shows as not yet checked (the number is kept)."""
    with transaction.atomic():
        held = StudentCertification.objects.select_for_update().get(pk=held.pk)
        held.verified_at = None
        held.verified_by = None
        held.save(update_fields=["verified_at", "verified_by"])
    return held


def attendance_problems(*, school_year: int | None, absences, late, left_early) -> dict[str, str]:
    """What is wrong with one school year's attendance, by field (empty when it is fine).

    The one rule for staff's form and the roster import: counts are whole numbers from 0 to
    ATTENDANCE_MAX, and the school year runs from ATTENDANCE_FIRST_YEAR to the current one.
    """
    problems: dict[str, str] = {}
    if school_year is None:
        problems["school_year"] = "required"
    elif not ATTENDANCE_FIRST_YEAR <= school_year <= school_year_of(timezone.localdate()):
        problems["school_year"] = "not_a_year"
    for name, value in (("absences", absences), ("late", late), ("left_early", left_early)):
        is_count = isinstance(value, int) and not isinstance(value, bool)
        if not is_count or not 0 <= value <= ATTENDANCE_MAX:
            problems[name] = "not_a_count"
    return problems


_ATTENDANCE_MESSAGES = {
    "required": _("Enter the school year."),
    "not_a_year": _("Enter a school year from 2000 to the current one."),
    "not_a_count": _("Enter a whole number from 0 to 366."),
}


def attendance_record_save(
    *, student: Student, school_year: int, absences: int, late: int, left_early: int, by
) -> AttendanceRecord:
    """Enter or correct a student's attendance for one school year (one record per year)."""
    problems = attendance_problems(
        school_year=school_year, absences=absences, late=late, left_early=left_early
    )
    if problems:
        raise ValidationError({name: _ATTENDANCE_MESSAGES[code] for name, code in problems.items()})
    record, _created = AttendanceRecord.objects.update_or_create(
        student=student,
        school_year=school_year,
        defaults={"absences": absences, "late": late, "left_early": left_early, "recorded_by": by},
    )
    return record
