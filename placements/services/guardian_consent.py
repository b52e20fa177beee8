"""A guardian's consent to a job, which the student's school records (Labour Standards Act art. 66).

A student younger than 18 on the day a job starts, or whose birth date nobody recorded, works only
with a guardian's consent. The age rule is the one field practice uses
(`schools.models.Student.needs_consent_to_work`, with `EMPLOYMENT_CONSENT_UNDER`); the application
knows whether it still waits (`Application.needs_guardian_consent`).

What "counts" means: the student may accept an offer before the consent is recorded. The
acceptance holds the seat and closes the student's other applications, but it makes no
`Placement`, so no hire is counted anywhere and the company cannot record the hire. Recording
the consent makes the placement: from then on the acceptance counts.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from district.mail import in_portal_language
from district.models import User
from placements.models import Application, Notification, Placement, Role
from placements.selectors.student_applications import CONSENT_STATUSES
from placements.services.applications import placement_create, roles_of
from placements.services.notifications import notification_create
from schools.models import FieldPractice

S = Application.Status


@transaction.atomic
def application_record_guardian_consent(
    *, application: Application, consent_on: datetime.date | None, method: str, by: User
) -> Application:
    """The student's school records the guardian's consent to this job.

    1. Only staff of the student's school, and only while the application is open or accepted.
    2. The date (not in the future) and how the guardian consented.
    3. An accepted application that was waiting gets its placement now (seats counted with the
       opening locked), and the student is told that the job is confirmed.
    """
    if Role.SCHOOL not in roles_of(by, application):
        raise PermissionDenied(_("Only the student's school can record a guardian's consent."))
    Application.objects.select_for_update().filter(pk=application.pk).values_list("pk").get()
    application.refresh_from_db()  # the status and consent as they are now, for the caller too
    if application.status not in CONSENT_STATUSES:
        raise ValidationError(
            _("A consent cannot be recorded on an application that is “%(status)s”."),
            code="invalid_transition",
            params={"status": application.get_status_display()},
        )
    errors = {}
    if method not in FieldPractice.ConsentMethod.values:
        errors["method"] = ValidationError(_("Choose how the guardian consented."), code="required")
    if consent_on is None:
        errors["consent_on"] = ValidationError(_("Give the date of the consent."), code="required")
    elif consent_on > timezone.localdate():
        errors["consent_on"] = ValidationError(_("The consent date cannot be in the future."), code="future")
    if errors:
        raise ValidationError(errors)
    application.guardian_consent_on, application.guardian_consent_method = consent_on, method
    application.guardian_consent_by = by
    application.save(update_fields=["guardian_consent_on", "guardian_consent_method", "guardian_consent_by"])
    waiting = (
        application.status == S.ACCEPTED and not Placement.objects.filter(application=application).exists()
    )
    if waiting:
        placement = placement_create(application=application, by=by)
        if application.student.user_id is not None:
            with translation.override(settings.LANGUAGE_CODE):
                starts_on = date_format(placement.starts_on)
            text = in_portal_language(
                _(
                    "Your school recorded your guardian's consent: your job “%(opening)s” at %(company)s "
                    "starts on %(date)s."
                ),
                {
                    "opening": application.opening.title,
                    "company": application.opening.company.name,
                    "date": starts_on,
                },
            )
            notification_create(user=application.student.user, kind=Notification.Kind.APPLICATION, text=text)
    return application
