"""Writes for students' records: changes by school staff, and closing the account of one who left."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from district.models import Membership, User
from schools.models import Student, StudentInvitation


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
            deactivate_students([student.pk])
    return student


def student_deactivate(*, student: Student, by=None) -> None:
    """Close the account of a student who has left: no login, no memberships, no open invitations."""
    with transaction.atomic():
        deactivate_students([student.pk])


def deactivate_students(student_ids: list[int]) -> None:
    user_ids = list(
        Student.objects.filter(pk__in=student_ids, user__isnull=False).values_list("user_id", flat=True)
    )
    User.objects.filter(pk__in=user_ids).update(is_active=False)
    Membership.objects.filter(user_id__in=user_ids).update(is_active=False)
    now = timezone.now()
    StudentInvitation.objects.filter(
        student_id__in=student_ids, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
