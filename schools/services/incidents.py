"""Writes for incidents in field practice: a report puts the practice on hold, the school reviews it.

The school's staff and the district's officials are emailed by the task
`schools.incident_notify`, enqueued by name after the report commits.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from district.outbox import enqueue
from district.selectors import district_of
from schools.models import FieldPractice, PracticeIncident
from schools.selectors.practice import incident_recipients


def incident_report(
    *, practice: FieldPractice, reporter_role: str, description: str, by, base_url: str
) -> PracticeIncident:
    """Report an incident: the practice goes on hold and the school and officials are emailed at once."""
    if reporter_role not in PracticeIncident.ReporterRole.values:
        raise ValidationError(_("Unknown reporter."))
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    with transaction.atomic():
        practice = FieldPractice.objects.select_for_update().get(pk=practice.pk)
        if practice.status not in {FieldPractice.Status.IN_PROGRESS, FieldPractice.Status.ON_HOLD}:
            raise ValidationError(_("Incidents are reported for a practice under way."))
        incident = PracticeIncident.objects.create(
            practice=practice, reporter_role=reporter_role, reported_by=by, description=description.strip()
        )
        practice.status = FieldPractice.Status.ON_HOLD
        practice.save(update_fields=["status"])
        transaction.on_commit(lambda: enqueue("schools.incident_notify", incident.pk, base_url))
    return incident


def incident_notify(*, incident_id: int, base_url: str) -> int:
    """Email the school's staff and the district's officials about an incident. Returns the recipients.

    Each audience gets its own copy, linking to a page it can open: the school's staff the
    practice's page under /school/, the officials the practice's change page in the admin.
    """
    incident = PracticeIncident.objects.select_related(
        "practice__student__school", "practice__company", "reported_by"
    ).get(pk=incident_id)
    recipients = incident_recipients(practice=incident.practice)
    sender = district_of(incident.practice.student.school.district_id).sender
    base_url = base_url.rstrip("/")
    copies = [
        (recipients.school_staff, base_url + reverse("schools:practice_detail", args=[incident.practice_id])),
        (
            recipients.officials,
            base_url + reverse("admin:schools_fieldpractice_change", args=[incident.practice_id]),
        ),
    ]
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("Field practice on hold: incident reported for %(student)s")) % {
            "student": incident.practice.student.name
        }
        messages = []
        for addresses, link in copies:
            if addresses:
                context = {"incident": incident, "practice": incident.practice, "link": link}
                body = render_to_string("schools/email/incident.txt", context)
                messages.append((subject, body, sender, addresses))
    if messages:
        send_mass_mail(messages)
    return sum(len(addresses) for addresses, _link in copies)


def incident_review(*, incident: PracticeIncident, outcome: str, note: str = "", by) -> PracticeIncident:
    """The school reviews an incident: resume the practice (once no incident is open) or end it."""
    if outcome not in PracticeIncident.Outcome.values:
        raise ValidationError({"outcome": _("Choose whether the practice resumes or ends.")})
    with transaction.atomic():
        practice = FieldPractice.objects.select_for_update().get(pk=incident.practice_id)
        incident = PracticeIncident.objects.select_for_update().get(pk=incident.pk)
        if incident.reviewed_at:
            raise ValidationError(_("This incident is already reviewed."))
        if outcome == PracticeIncident.Outcome.RESUME and practice.status != FieldPractice.Status.ON_HOLD:
            raise ValidationError({"outcome": _("The practice is no longer on hold, so it cannot resume.")})
        incident.outcome, incident.review_note = outcome, note.strip()
        incident.reviewed_at, incident.reviewed_by = timezone.now(), by
        incident.save()
        if outcome == PracticeIncident.Outcome.END:
            practice.status = FieldPractice.Status.CANCELLED
            practice.save(update_fields=["status"])
        elif not practice.incidents.filter(reviewed_at__isnull=True).exists():
            practice.status = FieldPractice.Status.IN_PROGRESS
            practice.save(update_fields=["status"])
    return incident
