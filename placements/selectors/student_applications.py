"""Reads of the signed-in student's own applications and offers, with each one's status timeline.

Scoping is `placements.selectors.applications` (the one access rule for applications),
narrowed to the student's own record: another student's application answers 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from district import access
from placements.models import (
    OPEN_APPLICATION_STATUSES,
    TRANSITIONS,
    WITHDRAWABLE,
    Application,
    ApplicationEvent,
    Role,
    next_statuses,
)
from placements.selectors.applications import application_list, get_application_for_user
from schools.models import Student

S = Application.Status
# Applications on which the school may record a guardian's consent: before the job starts.
CONSENT_STATUSES = [S.SUBMITTED, S.REVIEWING, S.INTERVIEW, S.OFFERED, S.ACCEPTED]
# The path an application takes; a company may skip stages, and an offer from a round starts at "offered".
PATH = [S.SUBMITTED, S.REVIEWING, S.INTERVIEW, S.OFFERED]
OUTCOMES = [S.ACCEPTED, S.HIRED, S.DECLINED, S.REJECTED, S.WITHDRAWN, S.CANCELLED]


def student_application_list(*, user, student: Student) -> QuerySet[Application]:
    """The student's own applications, newest first, with their events (two queries)."""
    return (
        application_list(user=user)
        .filter(student=student)
        .select_related("opening__job_role")
        .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "pk")))
    )


def get_student_application(*, user, student: Student, pk) -> Application:
    """One of the student's own applications, or 404 (another student's too)."""
    application = get_application_for_user(user, pk, write=True)
    if application.student_id != student.pk:
        raise Http404("No such application.")
    return application


@dataclass
class TimelineStep:
    status: str
    label: str
    state: str  # "done", "current", "todo" or "skipped"
    at: datetime.datetime | None = None


def application_timeline(application: Application) -> list[TimelineStep]:
    """The steps to draw for an application, from its prefetched events.

    Stages reached show their date; a stage the company skipped is marked skipped; while
    the application is active the stages still ahead follow; an outcome ends the line.
    """
    reached = {}
    for event in application.events.all():
        reached.setdefault(event.to_status, event.at)
    status = application.status
    start = PATH.index(S.OFFERED) if application.source == Application.Source.MATCHING else 0
    current_index = PATH.index(status) if status in PATH else None
    steps = []
    for index, stage in enumerate(PATH[start:], start=start):
        if stage == status:
            state = "current"
        elif stage in reached:
            state = "done"
        elif status in OUTCOMES or (current_index is not None and index < current_index):
            state = "skipped"
        else:
            state = "todo"
        if status in OUTCOMES and state == "skipped" and not any(s in reached for s in PATH[index:]):
            break  # the application ended before this stage: draw no more of the path
        steps.append(TimelineStep(stage, S(stage).label, state, reached.get(stage)))
    if status in OUTCOMES:
        steps.append(TimelineStep(status, S(status).label, "current", reached.get(status)))
    return steps


# The statuses a company moves an application to: a note on such a move is the company's message.
COMPANY_DECISIONS = frozenset(status for moves in TRANSITIONS[Role.COMPANY].values() for status in moves)


@dataclass
class Message:
    """A note written with a status change, as the student reads it on their applications page."""

    at: datetime.datetime
    status_label: str
    note: str
    from_company: bool


def application_messages(application: Application) -> list[Message]:
    """The notes written with the application's status changes, oldest first, from its prefetched
    events: the recruiter's word for word (feedback, the reason an offer is withdrawn, or any note
    with a move), and the notes of the student's side (done by the school on their behalf)."""
    return [
        Message(event.at, S(event.to_status).label, event.note, event.to_status in COMPANY_DECISIONS)
        for event in application.events.all()
        if event.note
    ]


def waits_for_consent(application: Application) -> bool:
    """An accepted job that waits for the guardian's consent its school has not recorded yet."""
    return application.status == S.ACCEPTED and application.needs_guardian_consent()


def can_withdraw(application: Application) -> bool:
    return application.status in WITHDRAWABLE


def offer_open(application: Application, *, now: datetime.datetime | None = None) -> bool:
    """An offer the student can still answer."""
    return application.status == S.OFFERED and (
        application.offer_expires_at is None or application.offer_expires_at > (now or timezone.now())
    )


def other_open_applications(*, application: Application) -> list[Application]:
    """The student's other open applications, which accepting `application` closes."""
    return list(
        Application.objects.filter(student_id=application.student_id, status__in=OPEN_APPLICATION_STATUSES)
        .exclude(pk=application.pk)
        .select_related("opening__company")
        .order_by("submitted_at", "pk")
    )


# --- The school's view of a student's applications (staff act on the student's behalf) --------


def school_application_rows(*, user, student: Student) -> list[dict]:
    """The student's applications as their school's staff see them, with what staff may do."""
    rows = []
    for application in student_application_list(user=user, student=student).filter(
        student__school__in=access.school_ids(user)
    ):
        rows.append(
            {
                "application": application,
                "can_withdraw": can_withdraw(application),
                "offer_open": offer_open(application),
                "can_record_hire": S.HIRED in next_statuses(Role.SCHOOL, application.status),
                "needs_consent": application.status in CONSENT_STATUSES
                and application.needs_guardian_consent(),
            }
        )
    return rows


def get_school_application(*, user, pk) -> Application:
    """An application of a student of the user's schools (as staff), or 404."""
    application = get_application_for_user(user, pk)
    if application.student.school_id not in access.school_ids(user):
        raise Http404("No such application.")
    return application
