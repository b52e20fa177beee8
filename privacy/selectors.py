"""Reads for personal data: which former students are due for anonymisation.

The student model lives in schools, above privacy: it is reached through the access log's
relation to it (`student_model()`), and what holds a student back comes from the anonymisers
that the apps registered (`privacy.registry`).
"""

from __future__ import annotations

import datetime
import functools
import operator

from django.conf import settings
from django.db.models import Model, Q, QuerySet

from district.cohorts import Cohort
from privacy.models import PersonalDataAccess
from privacy.registry import anonymisers


def graduation_date(cohort: int) -> datetime.date:
    """The day a cohort counts as graduated: 1 March after its final school year."""
    return Cohort(cohort).graduated_by


def last_due_cohort(*, today: datetime.date, years: int | None = None) -> int:
    """The latest cohort (school year) whose retention period has ended on `today`.

    A cohort is due on the anniversary: graduation_date(cohort) + `years` years <= today.
    """
    years = settings.STUDENT_RETENTION_YEARS if years is None else years
    return Cohort.graduated_on_or_before(today).school_year - years


def student_model() -> type[Model]:
    """schools.Student, whose personal data the access log records, reached through that relation."""
    return PersonalDataAccess._meta.get_field("student").related_model


def _past_retention(today: datetime.date) -> QuerySet:
    return student_model().objects.filter(
        anonymised_at__isnull=True, cohort__lte=last_due_cohort(today=today)
    )


def _still_active() -> Q:
    """What any registered anonymiser holds back (an active placement or enrolment); nobody if none does."""
    holds = [anonymiser.holds() for anonymiser in anonymisers() if anonymiser.holds is not None]
    return functools.reduce(operator.or_, holds) if holds else Q(pk__in=[])


def students_due_for_anonymisation(*, today: datetime.date) -> QuerySet:
    """Students past the retention period with no active placement and no active programme enrolment."""
    return _past_retention(today).exclude(_still_active()).order_by("pk")


def students_held_from_anonymisation(*, today: datetime.date) -> QuerySet:
    """Students past the retention period whom an active placement or enrolment still keeps."""
    return _past_retention(today).filter(_still_active())
