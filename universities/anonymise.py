"""What anonymising a former student asks of universities (registered in `UniversitiesConfig.ready()`).

Nothing is removed here: enrolments and credit records carry no free text about the student.
An active credit-programme enrolment holds the student back until it ends.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from universities.models import ProgramEnrollment


def student_is_enrolled() -> Q:
    """Students with an active credit-programme enrolment: kept until it ends."""
    return Q(
        Exists(
            ProgramEnrollment.objects.filter(student=OuterRef("pk"), status=ProgramEnrollment.Status.ACTIVE)
        )
    )
