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

from privacy.models import PersonalDataAccess
from privacy.registry import anonymisers

# The Korean school year ends in February; a cohort has graduated by 1 March of its graduation year.
GRADUATION_MONTH_DAY = (3, 1)


def graduation_date(graduation_year: int) -> datetime.date:
    """The day a cohort counts as graduated: 1 March of its graduation year.

    Student records keep only the graduation year, so this is the day after the school year ends.
    """
    return datetime.date(graduation_year, *GRADUATION_MONTH_DAY)


def last_due_graduation_year(*, today: datetime.date, years: int | None = None) -> int:
    """The latest graduation year whose retention period has ended on `today`.

    A cohort is due on the anniversary: graduation_date(year) + `years` years <= today.
    """
    years = settings.STUDENT_RETENTION_YEARS if years is None else years
    year = today.year - years
    return year if today >= datetime.date(today.year, *GRADUATION_MONTH_DAY) else year - 1


def student_model() -> type[Model]:
    """schools.Student, whose personal data the access log records, reached through that relation."""
    return PersonalDataAccess._meta.get_field("student").related_model


def _past_retention(today: datetime.date) -> QuerySet:
    return student_model().objects.filter(
        anonymised_at__isnull=True, graduation_year__lte=last_due_graduation_year(today=today)
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
