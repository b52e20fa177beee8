"""What anonymising a former student removes from placements (registered in `PlacementsConfig.ready()`).

Kept: applications and placements themselves, which the KPIs count. Removed: the student's
notifications and saved searches, and the free text about them (an application's feedback and
the student's note to the company, the notes on its status changes, a placement's reason for
leaving). An active placement holds
the student back until it ends.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from placements.models import Application, ApplicationEvent, Notification, Placement, SavedSearch
from privacy.registry import Anonymisation


def anonymise_student(anonymisation: Anonymisation) -> None:
    student = anonymisation.student
    if student.user_id:
        Notification.objects.filter(user_id=student.user_id).delete()
        SavedSearch.objects.filter(user_id=student.user_id).delete()
    application_ids = list(Application.objects.filter(student_id=student.pk).values_list("pk", flat=True))
    Application.objects.filter(pk__in=application_ids).update(feedback="", note="")
    ApplicationEvent.objects.filter(application_id__in=application_ids).update(note="")
    placement_ids = list(Placement.objects.filter(student_id=student.pk).values_list("pk", flat=True))
    Placement.objects.filter(pk__in=placement_ids).update(end_reason="")
    anonymisation.scrub_history(Application, application_ids)
    anonymisation.scrub_history(Placement, placement_ids)


def student_is_placed() -> Q:
    """Students with an active placement: kept until it ends."""
    return Q(Exists(Placement.objects.filter(student=OuterRef("pk"), status=Placement.Status.ACTIVE)))
