"""The nudge (issue 15): a student whose cohort's matching round is open and who has written no
자기소개서 gets one reminder per round: a notice on their own page and, if they have an address,
an email.

Run daily by the task `placements.profile_reminders_send` (CELERY_BEAT_SCHEDULE), and for one
round when it is created (`placements.services.runs.match_round_create` enqueues it by name).
A round's rankings are open from its creation until `preferences_close_at`
(`placements.selectors.preferences.round_is_open`).

The notice is the claim: its link names the round (`reminder_url`), and a student whose
account already has that notice is skipped. The round's row is locked while its notices are
written, so two runs at once remind each student once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from district.mail import in_portal_language, render_body
from district.models import District, Membership
from district.selectors import district_of
from placements.models import MatchRound, Notification
from placements.services.application_notices import student_email
from placements.services.runs import me_url
from schools.models import Student
from schools.selectors.profile import students_without_self_introduction

logger = logging.getLogger(__name__)

REMINDER_KIND = Notification.Kind.MATCHING
_NOTICE = _(
    "The matching round “%(round)s” is open until %(date)s, and you have not written your "
    "self-introduction yet. Companies read it when you apply: write it on your profile."
)
_SUBJECT = _("[Innovation District Portal] Write your self-introduction before “%(round)s” closes")


def reminder_url(match_round: MatchRound) -> str:
    """The reminder's link: the student's profile, naming the round (which also marks it as sent)."""
    return f"{me_url('me:profile')}?round={match_round.pk}"


def students_to_remind(*, match_round: MatchRound):
    """The round's enrolled students who can sign in (an active account with an active student
    membership at their school, as `student_for_user` asks), with no 자기소개서 and no reminder
    for this round yet."""
    reminded = Notification.objects.filter(
        user=OuterRef("user"), kind=REMINDER_KIND, url=reminder_url(match_round)
    )
    member = Membership.objects.filter(
        user=OuterRef("user"), school=OuterRef("school"), role=Membership.Role.STUDENT, is_active=True
    )
    students = Student.objects.filter(
        school__district_id=match_round.district_id,
        cohort=match_round.cohort,
        status=Student.Status.ENROLLED,
        user__is_active=True,
    )
    return (
        students_without_self_introduction(students)
        .filter(Exists(member), ~Exists(reminded))
        .select_related("user")
        .order_by("pk")
    )


def profile_reminders_send(*, round_id: int | None = None) -> int:
    """Remind the students of every open round (or of round `round_id`, if open). Returns how many.

    1. For each open round, lock its row, write one notice for each student to remind, and
       commit: from then on those students count as reminded for the round.
    2. Email those who have an address, after the commit. An email that cannot be sent is
       logged and not retried: the notice on their page stays.
    """
    now = timezone.now()
    rounds = MatchRound.objects.filter(preferences_close_at__gt=now).order_by("pk")
    if round_id is not None:
        rounds = rounds.filter(pk=round_id)
    reminded = 0
    for match_round_id in rounds.values_list("pk", flat=True):
        reminded += _remind(match_round_id, now)
    return reminded


def _remind(match_round_id: int, now) -> int:
    with transaction.atomic():
        match_round = (
            MatchRound.objects.select_for_update()
            .filter(pk=match_round_id, preferences_close_at__gt=now)
            .first()
        )
        if match_round is None:
            return 0
        students = list(students_to_remind(match_round=match_round))
        params = {
            "round": match_round.title,
            "date": date_format(timezone.localtime(match_round.preferences_close_at), "DATETIME_FORMAT"),
        }
        text = in_portal_language(_NOTICE, params)[:500]
        url = reminder_url(match_round)
        Notification.objects.bulk_create(
            [Notification(user=s.user, kind=REMINDER_KIND, text=text, url=url) for s in students]
        )
    _email(students, params, district=district_of(match_round.district_id))
    return len(students)


def _email(students: list[Student], params: dict, *, district: District | None) -> int:
    """Email each reminded student, from the round's district and with a link to its site."""
    path = me_url("me:profile") or "/"
    link = district.link(path) if district else settings.PORTAL_BASE_URL + path
    sender = district.sender if district else None
    subject = in_portal_language(_SUBJECT, params)
    messages = []
    for student in students:
        address = student_email(student)
        if not address:
            continue
        body = render_body(
            "placements/email/profile_reminder.txt", {**params, "student": student.name, "link": link}
        )
        messages.append(EmailMessage(subject=subject, body=body, from_email=sender, to=[address]))
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except Exception:
        logger.exception("profile reminders: %s emails could not be sent", len(messages))
        return 0
