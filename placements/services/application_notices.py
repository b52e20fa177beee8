"""What the student and their school are told about the company's decisions on an application.

- `application_decision_notify`: the notice on the student's own page after each decision;
- `application_cancelled_notice_send` (the task `placements.application_cancelled_notice_send`):
  the email to the student's school when a company cancels a job the student had accepted.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from district.mail import in_portal_language, render_body, send_to_each
from placements.models import Application, Notification
from placements.services.notifications import notification_create
from schools.selectors.schools import school_staff_emails

S = Application.Status

# What the student reads on their page after each of the company's decisions.
_DECISION_NOTICES = {
    S.REVIEWING: _("%(company)s is reviewing your application to “%(opening)s”."),
    S.INTERVIEW: _("%(company)s invites you to an interview for “%(opening)s”."),
    S.OFFERED: _("%(company)s offers you the job “%(opening)s”. Please answer by %(date)s."),
    S.HIRED: _("%(company)s recorded your hire for “%(opening)s”. Congratulations!"),
    S.REJECTED: _("%(company)s did not select you for “%(opening)s”. Their feedback is on your page."),
    S.CANCELLED: _(
        "%(company)s cancelled the job “%(opening)s” you had accepted. Their reason is on your page."
    ),
}
_OFFER_WITHDRAWN_NOTICE = _("%(company)s withdrew its offer for “%(opening)s”. Their reason is on your page.")


def application_decision_notify(*, application: Application, from_status: str = "") -> None:
    """Leave the company's decision on the student's own page (when they have an account)."""
    student = application.student
    template = _DECISION_NOTICES.get(application.status)
    if application.status == S.REJECTED and from_status == S.OFFERED:
        template = _OFFER_WITHDRAWN_NOTICE
    if student.user_id is None or template is None:
        return
    expires = application.offer_expires_at
    with translation.override(settings.LANGUAGE_CODE):
        text = str(template) % {
            "company": application.opening.company.name,
            "opening": application.opening.title,
            "date": date_format(timezone.localtime(expires)) if expires else "",
        }
    try:
        url = reverse("me:applications")
    except NoReverseMatch:  # the student pages are not mounted
        url = ""
    kind = Notification.Kind.OFFER if application.status == S.OFFERED else Notification.Kind.APPLICATION
    notification_create(user=student.user, kind=kind, text=text, url=url)


def application_cancelled_notice_send(*, application_id: int) -> int:
    """Email the staff of the student's school that a company cancelled a job the student
    had accepted, with the company's reason. Returns the messages sent (none once the
    application is no longer cancelled)."""
    application = (
        Application.objects.select_related("student__school", "opening__company")
        .filter(pk=application_id, status=S.CANCELLED)
        .first()
    )
    if application is None:
        return 0
    addresses = school_staff_emails(school_id=application.student.school_id)
    if not addresses:
        return 0
    link = settings.PORTAL_BASE_URL + reverse("schools:student_detail", args=[application.student_id])
    names = {
        "company": application.opening.company.name,
        "opening": application.opening.title,
        "student": application.student.name,
        "reason": application.feedback,
        "link": link,
    }
    subject = in_portal_language(
        _("[Innovation District Portal] %(company)s cancelled the job of %(student)s"), names
    )
    return send_to_each(addresses, subject, render_body("placements/email/application_cancelled.txt", names))
