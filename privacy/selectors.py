"""Reads for personal data: which former students are due for anonymisation."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

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


def _past_retention(today: datetime.date) -> QuerySet:
    from schools.models import Student

    return Student.objects.filter(
        anonymised_at__isnull=True, graduation_year__lte=last_due_graduation_year(today=today)
    )


def _still_active() -> Q:
    from placements.models import Placement
    from universities.models import ProgramEnrollment

    active_placement = Placement.objects.filter(student=OuterRef("pk"), status=Placement.Status.ACTIVE)
    active_enrolment = ProgramEnrollment.objects.filter(
        student=OuterRef("pk"), status=ProgramEnrollment.Status.ACTIVE
    )
    return Q(Exists(active_placement)) | Q(Exists(active_enrolment))


def students_due_for_anonymisation(*, today: datetime.date) -> QuerySet:
    """Students past the retention period with no active placement and no active programme enrolment."""
    return _past_retention(today).exclude(_still_active()).order_by("pk")


def students_held_from_anonymisation(*, today: datetime.date) -> QuerySet:
    """Students past the retention period whom an active placement or enrolment still keeps."""
    return _past_retention(today).filter(_still_active())
