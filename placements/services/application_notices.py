"""What the people around an application are told when it moves: the one notice path.

- `application_decision_notify`: after each of the company's decisions, the student reads it,
  with the recruiter's note word for word, in a notification on their own page and in an
  email (`application_decision_email_send`, the task `placements.application_decision_email_send`);
- `application_withdrawn_notify`: when the student (or their school, or their acceptance of
  another offer) closes an application, the company's recruiters are told, in the same neutral
  words whatever the reason (`application_withdrawn_notice_send`);
- `application_cancelled_notice_send` (the task `placements.application_cancelled_notice_send`):
  the email to the student's school when a company cancels a job the student had accepted.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from companies.selectors.team import recruiter_emails
from district.mail import in_portal_language, render_body, send_to_each
from district.outbox import enqueue
from district.selectors import district_of
from placements.models import Application, ApplicationEvent, Notification
from placements.services.notifications import notification_create
from schools.selectors.schools import school_staff_emails

S = Application.Status

# What the student reads on their page after each of the company's decisions.
_DECISION_NOTICES = {
    S.REVIEWING: _("%(company)s is reviewing your application to “%(opening)s”."),
    S.INTERVIEW: _("%(company)s invites you to an interview for “%(opening)s”."),
    S.OFFERED: _("%(company)s offers you the job “%(opening)s”. Please answer by %(date)s."),
    S.HIRED: _("%(company)s recorded your hire for “%(opening)s”. Congratulations!"),
    S.REJECTED: _("%(company)s did not select you for “%(opening)s”."),
    S.CANCELLED: _("%(company)s cancelled the job “%(opening)s” you had accepted."),
}
_OFFER_WITHDRAWN_NOTICE = _("%(company)s withdrew its offer for “%(opening)s”.")
# The recruiter's note, after the decision, in the notification and the email.
_WITH_NOTE = _("%(notice)s Their message: “%(note)s”")
_NOTIFICATION_LENGTH = Notification._meta.get_field("text").max_length


def _applications_url() -> str:
    try:
        return reverse("me:applications")
    except NoReverseMatch:  # the student pages are not mounted
        return ""


def decision_notice(application: Application, *, to_status: str, from_status: str = "") -> str:
    """The sentence that tells the student of a decision, in the portal's language ("" for none)."""
    template = _DECISION_NOTICES.get(to_status)
    if to_status == S.REJECTED and from_status == S.OFFERED:
        template = _OFFER_WITHDRAWN_NOTICE
    if template is None:
        return ""
    expires = application.offer_expires_at
    with translation.override(settings.LANGUAGE_CODE):
        return str(template) % {
            "company": application.opening.company.name,
            "opening": application.opening.title,
            "date": date_format(timezone.localtime(expires).date()) if expires else "",
        }


def _with_note(notice: str, note: str, *, limit: int | None = None) -> str:
    if not note:
        return notice
    if limit is not None:
        room = limit - len(in_portal_language(_WITH_NOTE, {"notice": notice, "note": ""}))
        if len(note) > room:
            note = note[: max(room - 1, 0)] + "…"
    return in_portal_language(_WITH_NOTE, {"notice": notice, "note": note})


def application_decision_notify(
    *, application: Application, event: ApplicationEvent, from_status: str = ""
) -> None:
    """Tell the student of the company's decision `event`, with the recruiter's note word for word.

    1. A notification on their own page (when they have an account), the note shortened to fit;
    2. an email with the whole note, queued for after the commit (to the account's address,
       or the address the school recorded).
    """
    notice = decision_notice(application, to_status=event.to_status, from_status=from_status)
    if not notice:
        return
    student = application.student
    if student.user_id is not None:
        kind = Notification.Kind.OFFER if event.to_status == S.OFFERED else Notification.Kind.APPLICATION
        text = _with_note(notice, event.note, limit=_NOTIFICATION_LENGTH)
        notification_create(user=student.user, kind=kind, text=text, url=_applications_url())
    transaction.on_commit(partial(enqueue, "placements.application_decision_email_send", event.pk))


def student_email(student) -> str:
    """Where email for a student goes: their account's address, else the one their school recorded."""
    return (student.user.email if student.user_id else "") or student.email


def application_decision_email_send(*, event_id: int) -> int:
    """Email the student one of the company's decisions, with the recruiter's whole note.
    Returns the messages sent (none without an address)."""
    event = (
        ApplicationEvent.objects.select_related("application__student__user", "application__opening__company")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    application = event.application
    address = student_email(application.student)
    notice = decision_notice(application, to_status=event.to_status, from_status=event.from_status)
    if not address or not notice:
        return 0
    district = district_of(application.opening.company.district_id)
    names = {
        "student": application.student.name,
        "company": application.opening.company.name,
        "opening": application.opening.title,
        "notice": notice,
        "note": event.note,
        "link": district.link(_applications_url() or "/"),
    }
    subject = in_portal_language(
        _("[Innovation District Portal] News on your application to “%(opening)s”"), names
    )
    body = render_body("placements/email/application_decision.txt", names)
    return send_to_each([address], subject, body, from_email=district.sender)


def application_withdrawn_notify(*, application: Application) -> None:
    """Queue the neutral notice to the company that an application was withdrawn (after the commit)."""
    transaction.on_commit(partial(enqueue, "placements.application_withdrawn_notice_send", application.pk))


def application_withdrawn_notice_send(*, application_id: int) -> int:
    """Tell the company's recruiters that a student's application is withdrawn, in the same words
    whether the student withdrew it, declined the offer, or took another job: the company learns
    nothing about the student's other applications. Returns the messages sent (none once the
    application is open again)."""
    application = (
        Application.objects.select_related("student", "opening__company")
        .filter(pk=application_id, status__in=[S.WITHDRAWN, S.DECLINED])
        .first()
    )
    if application is None:
        return 0
    opening = application.opening
    district = district_of(opening.company.district_id)
    names = {
        "student": application.student.name,
        "opening": opening.title,
        "company": opening.company.name,
        "link": district.link(reverse("companies:applicant_list", args=[opening.pk])),
    }
    subject = in_portal_language(
        _("[Innovation District Portal] An application to “%(opening)s” was withdrawn"), names
    )
    body = render_body("placements/email/application_withdrawn.txt", names)
    return send_to_each(recruiter_emails(opening.company_id), subject, body, from_email=district.sender)


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
    district = district_of(application.student.school.district_id)
    link = district.link(reverse("schools:student_detail", args=[application.student_id]))
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
    body = render_body("placements/email/application_cancelled.txt", names)
    return send_to_each(addresses, subject, body, from_email=district.sender)
