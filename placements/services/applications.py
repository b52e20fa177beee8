"""The application lifecycle: applying, the company's decisions, offers, hires and placements.

Rules kept here, and by the database where it can:

- a student has one active application per opening (`application_one_active_per_opening`);
- the company moves an application forward along submitted → reviewing → interview →
  offered → hired, or rejects it with feedback that the student reads;
- the student answers an offer; accepting it declines their other open offers and creates
  the `Placement` in the same transaction;
- a seat is never double-filled: seats are counted with the opening's row locked
  (SELECT … FOR UPDATE), so two hires for the last seat queue up and the second is refused;
- a student never holds two active placements (`placement_one_active_per_student`).

Every status change is claimed with a conditional UPDATE on the status that was read, so two
people acting on one application at once cannot both succeed, and it writes an
`ApplicationEvent` saying who made the change and when.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Opening
from district import access
from district.models import User
from district.outbox import enqueue
from placements.models import ACTIVE_APPLICATION_STATUSES, Application, ApplicationEvent, Placement
from schools.models import Student

S = Application.Status

# The company's pipeline, in order. A company may move an application to any later stage
# (a small company often hires straight after an interview) or reject it.
PIPELINE = [S.SUBMITTED, S.REVIEWING, S.INTERVIEW, S.OFFERED, S.HIRED]
# Applications that hold a seat of their opening.
SEAT_HOLDING = [S.ACCEPTED, S.HIRED]
# Statuses in which the company owes the student a decision (used for stale reminders).
AWAITING_COMPANY = [S.SUBMITTED, S.REVIEWING, S.INTERVIEW]
WITHDRAWABLE = [S.SUBMITTED, S.REVIEWING, S.INTERVIEW]


def company_next_statuses(status: str) -> list[str]:
    """The statuses a company may move an application in `status` to, in pipeline order."""
    if status == S.ACCEPTED:
        return [S.HIRED]
    if status not in PIPELINE or status == S.HIRED:
        return []
    return [*PIPELINE[PIPELINE.index(status) + 1 :], S.REJECTED]


# --- Who may act ------------------------------------------------------------------------------


def _ensure_student_or_staff(by: User, student: Student) -> None:
    """The student themselves, or staff of their school applying on their behalf."""
    if student.user_id is not None and student.user_id == by.pk:
        return
    if student.school_id in access.school_ids(by):
        return
    raise PermissionDenied(_("Only the student or their school can do this."))


def _ensure_student(by: User, student: Student) -> None:
    if student.user_id is None or student.user_id != by.pk:
        raise PermissionDenied(_("Only the student can answer for themselves."))


def _ensure_company_side(by: User, company: Company) -> None:
    """A recruiter of the (verified) company, or an official of its district."""
    if getattr(by, "is_superuser", False) or company.district_id in access.official_district_ids(by):
        return
    if company.pk in access.company_ids(by) and company.is_verified:
        return
    raise PermissionDenied(_("Only the company's recruiters can decide on its applicants."))


# --- Status changes ---------------------------------------------------------------------------


def _refused(application: Application, message, code: str = "invalid_transition") -> ValidationError:
    return ValidationError(
        message,
        code=code,
        params={"status": application.get_status_display(), "student": application.student.name},
    )


def _change_status(application: Application, *, to_status: str, by: User | None, note: str = "", **fields):
    """Claim the change from the status that was read, then record who made it and when."""
    from_status = application.status
    now = timezone.now()
    updates = {"status": to_status, "status_changed_at": now, **fields}
    claimed = Application.objects.filter(pk=application.pk, status=from_status).update(**updates)
    if not claimed:
        application.refresh_from_db()
        raise _refused(
            application,
            _("Someone else changed this application first: it is now “%(status)s”. Reload and try again."),
            code="changed_meanwhile",
        )
    for name, value in updates.items():
        setattr(application, name, value)
    ApplicationEvent.objects.create(
        application=application, from_status=from_status, to_status=to_status, by=by, note=note
    )
    return application


# --- Applying ---------------------------------------------------------------------------------


@transaction.atomic
def application_submit(*, student: Student, opening: Opening, by: User) -> Application:
    """A student applies directly to a published opening before its deadline.

    1. Refuse an opening that is not published, whose deadline has passed, or whose company
       is not verified.
    2. Refuse a second active application to the same opening (the database refuses it too).
    3. Create the application and its first event.
    """
    _ensure_student_or_staff(by, student)
    company = opening.company
    if opening.status != Opening.Status.PUBLISHED or not company.is_verified:
        raise ValidationError(
            _("“%(opening)s” is not open for applications."),
            code="not_published",
            params={"opening": opening.title},
        )
    if opening.apply_by < timezone.localdate():
        raise ValidationError(
            _("The deadline for “%(opening)s” has passed."),
            code="deadline_passed",
            params={"opening": opening.title},
        )
    duplicate = _("%(student)s has already applied to “%(opening)s”.")
    params = {"student": student.name, "opening": opening.title}
    active = Application.objects.filter(
        student=student, opening=opening, status__in=ACTIVE_APPLICATION_STATUSES
    )
    if active.exists():
        raise ValidationError(duplicate, code="duplicate", params=params)
    try:
        with transaction.atomic():  # a savepoint, so that a lost race leaves the outer transaction usable
            application = Application.objects.create(
                student=student, opening=opening, source=Application.Source.DIRECT, status=S.SUBMITTED
            )
    except IntegrityError:
        raise ValidationError(duplicate, code="duplicate", params=params) from None
    ApplicationEvent.objects.create(application=application, from_status="", to_status=S.SUBMITTED, by=by)
    from companies.tasks import send_application_received_email_task

    transaction.on_commit(partial(enqueue, send_application_received_email_task, application.pk))
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    """The student withdraws an application the company has not yet made an offer on."""
    _ensure_student_or_staff(by, application.student)
    if application.status not in WITHDRAWABLE:
        raise _refused(application, _("An application that is “%(status)s” cannot be withdrawn."))
    return _change_status(application, to_status=S.WITHDRAWN, by=by)


# --- The company's decisions --------------------------------------------------------------------


@transaction.atomic
def application_move(*, application: Application, to_status: str, by: User, note: str = "") -> Application:
    """The company moves an applicant along its pipeline.

    1. Only the company's recruiters (or an official) may; only to a later stage, or to
       "not selected".
    2. Rejecting needs feedback, which the student sees.
    3. An offer records when it was made and when it expires (OFFER_RESPONSE_DAYS).
    4. A hire creates the student's `Placement`, counting seats with the opening locked.
    5. The student finds the decision among the notifications on their own page.
    """
    opening = application.opening
    _ensure_company_side(by, opening.company)
    note = (note or "").strip()
    if to_status not in company_next_statuses(application.status):
        target = S(to_status).label if to_status in S.values else to_status
        raise ValidationError(
            _("An application that is “%(status)s” cannot be moved to “%(target)s”."),
            code="invalid_transition",
            params={"status": application.get_status_display(), "target": target},
        )
    fields: dict = {}
    if to_status == S.REJECTED:
        if not note:
            message = _("Tell the student why they were not selected; they will see this feedback.")
            raise ValidationError({"note": ValidationError(message, code="feedback_required")})
        fields["feedback"] = note
    elif to_status == S.OFFERED:
        now = timezone.now()
        fields["offered_at"] = now
        fields["offer_expires_at"] = now + datetime.timedelta(days=settings.OFFER_RESPONSE_DAYS)
    elif to_status == S.HIRED and application.status != S.ACCEPTED:
        # An accepted offer already has its placement; any other hire makes one now.
        placement_create(application=application, by=by)
    _change_status(application, to_status=to_status, by=by, note=note, **fields)
    _tell_student(application)
    return application


# What the student reads on their page after each of the company's decisions.
_DECISION_NOTICES = {
    S.REVIEWING: _("%(company)s is reviewing your application to “%(opening)s”."),
    S.INTERVIEW: _("%(company)s invites you to an interview for “%(opening)s”."),
    S.OFFERED: _("%(company)s offers you the job “%(opening)s”. Please answer by %(date)s."),
    S.HIRED: _("%(company)s recorded your hire for “%(opening)s”. Congratulations!"),
    S.REJECTED: _("%(company)s did not select you for “%(opening)s”. Their feedback is on your page."),
}


def _tell_student(application: Application) -> None:
    """Leave the company's decision on the student's own page (when they have an account)."""
    from placements.models import Notification
    from placements.services.notifications import notification_create

    student = application.student
    template = _DECISION_NOTICES.get(application.status)
    if student.user_id is None or template is None:
        return
    expires = application.offer_expires_at
    with translation.override(settings.LANGUAGE_CODE):
        text = str(template) % {
            "company": application.opening.company.name,
            "opening": application.opening.title,
            "date": timezone.localtime(expires).strftime("%Y-%m-%d") if expires else "",
        }
    try:
        url = reverse("me:applications")
    except NoReverseMatch:  # the student pages are not mounted
        url = ""
    kind = Notification.Kind.OFFER if application.status == S.OFFERED else Notification.Kind.APPLICATION
    notification_create(user=student.user, kind=kind, text=text, url=url)


# --- The student's answer to an offer -----------------------------------------------------------


@transaction.atomic
def application_accept_offer(*, application: Application, by: User) -> Application:
    """The student accepts an offer.

    1. Refuse anything but an open, unexpired offer.
    2. Create the placement (seats counted with the opening locked; one active placement
       per student).
    3. Mark the offer accepted, then decline the student's other open offers, each with
       its own event, so the companies can offer those seats to someone else.
    """
    _ensure_student(by, application.student)
    if application.status != S.OFFERED:
        raise _refused(application, _("Only an open offer can be accepted; this one is “%(status)s”."))
    now = timezone.now()
    if application.offer_expires_at is not None and application.offer_expires_at < now:
        raise ValidationError(
            _("This offer expired on %(date)s."),
            code="offer_expired",
            params={"date": timezone.localtime(application.offer_expires_at).strftime("%Y-%m-%d %H:%M")},
        )
    placement_create(application=application, by=by)
    _change_status(application, to_status=S.ACCEPTED, by=by, responded_at=now)
    others = (
        Application.objects.select_related("student", "opening")
        .filter(student_id=application.student_id, status=S.OFFERED)
        .exclude(pk=application.pk)
        .order_by("pk")
    )
    for other in others:
        _change_status(
            other,
            to_status=S.DECLINED,
            by=by,
            note=str(_("Declined automatically: the student accepted another offer.")),
            responded_at=now,
        )
    return application


@transaction.atomic
def application_decline_offer(*, application: Application, by: User) -> Application:
    """The student declines an offer."""
    _ensure_student(by, application.student)
    if application.status != S.OFFERED:
        raise _refused(application, _("Only an open offer can be declined; this one is “%(status)s”."))
    return _change_status(application, to_status=S.DECLINED, by=by, responded_at=timezone.now())


# --- Placements -------------------------------------------------------------------------------


def seats_taken(opening_id: int) -> int:
    """Seats of an opening that are filled: its placements, plus accepted or hired
    applications that have no placement (recorded before the portal made one for each)."""
    placements = Placement.objects.filter(opening_id=opening_id).count()
    unplaced = Application.objects.filter(
        opening_id=opening_id, status__in=SEAT_HOLDING, placement__isnull=True
    ).count()
    return placements + unplaced


@transaction.atomic
def placement_create(*, application: Application, by: User | None) -> Placement:
    """Record the job that an accepted offer or a hire gives the student.

    1. Lock the opening's row, so that one transaction at a time counts its seats.
    2. Refuse when no seat is left, or when the student already has an active placement.
    3. Create the placement; it is local when the company is located in the district.
    """
    opening = Opening.objects.select_for_update().select_related("company").get(pk=application.opening_id)
    if Placement.objects.filter(application=application).exists():
        raise ValidationError(_("This application already has a placement."), code="already_placed")
    if seats_taken(opening.pk) >= opening.seats:
        raise ValidationError(
            _("All %(seats)d seats of “%(opening)s” are filled."),
            code="no_seat",
            params={"seats": opening.seats, "opening": opening.title},
        )
    student = application.student
    already = _("%(student)s already has a job recorded; end that placement first.")
    if Placement.objects.filter(student=student, status=Placement.Status.ACTIVE).exists():
        raise ValidationError(already, code="already_employed", params={"student": student.name})
    try:
        with transaction.atomic():  # a savepoint: the constraint decides a race between two hires
            return Placement.objects.create(
                student=student,
                company=opening.company,
                opening=opening,
                application=application,
                starts_on=opening.starts_on,
                is_local=opening.company.is_local,
            )
    except IntegrityError:
        raise ValidationError(already, code="already_employed", params={"student": student.name}) from None
