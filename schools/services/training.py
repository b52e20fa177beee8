"""Writes for teachers and their training: programmes in the district and each teacher's completions."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from schools.models import School, Teacher, TeacherTraining, TrainingCompletion


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
