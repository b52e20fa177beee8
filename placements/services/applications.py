"""The application lifecycle: applying, the company's decisions, offers, hires and placements.

Who may move an application, and where to, is ONE table, `placements.models.TRANSITIONS`: the services
here, the recruiter's move form and pages, and the student's and the school's pages all read
it. For each role, from each status, the statuses it may move an application to:

- **company** (a recruiter of the opening's verified company):
  submitted → reviewing → interview → offered, stages may be skipped; "not selected"
  (`rejected`, with feedback the student reads) from any stage before acceptance, which for
  an open offer is withdrawing the offer, with a reason the student reads; after the
  student's acceptance only `hired` (the start is confirmed) or `cancelled`, with a reason
  that the student and their school are told, which removes the placement and frees the seat.
- **student** (the student themselves): accept or decline an open offer; withdraw an
  application before an offer is made.
- **school** (staff of the student's school): everything the student can do, on their
  behalf; and recording a hire made outside the portal (`application_record_outside_hire`):
  with the start date and the staff member's confirmation that the student agreed, the
  application is accepted on the student's behalf, then hired, each step with its event.
  The company never records such a hire.
- **official**: no moves on applications; officials publish a round's offers
  (`placements.services.runs`) and review placements (`placements_without_acceptance`).

Only the student's (or their school's) acceptance of an offer, or of a matching round's
offer, makes an application `accepted`; only an accepted application becomes `hired`.

Rules kept here, and by the database where it can:

- a student has one active application per opening (`application_one_active_per_opening`);
- accepting an offer, in the same transaction, creates the `Placement` and closes the student's
  other open applications: offers are declined, applications before an offer withdrawn (the
  moves the student could make themselves), and each company is told only that the application
  was withdrawn, never that the student took another job;
- a student who holds an accepted offer or an active placement cannot apply or accept again,
  and no company may move their other applications (except to "not selected");
- a student under 18 on the job's start date (Labour Standards Act art. 66, or with no birth
  date recorded) needs a guardian's consent that their school records
  (`placements.services.guardian_consent`): until then the acceptance holds the seat but makes
  no placement, and the company cannot record the hire;
- a seat is never double-filled: seats are counted with the opening's row locked
  (SELECT … FOR UPDATE), so two acceptances for the last seat queue up and the second is refused;
- a student never holds two active placements (`placement_one_active_per_student`);
- the company sees the student's profile as a snapshot taken when they applied
  (`application_submit`) or the offer was published (`placements.services.runs`); an
  application that ends withdrawn or declined, whichever path leads there, loses the
  snapshot's `own` half (what the student wrote and their files), in `_change_status`.

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
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from companies.models import Opening
from district import access
from district.models import User
from district.outbox import enqueue
from placements.models import (
    ACTIVE_APPLICATION_STATUSES,
    NOTE_REQUIRED,
    OPEN_APPLICATION_STATUSES,
    SEAT_HOLDING_STATUSES,
    TRANSITIONS,
    Application,
    ApplicationEvent,
    Placement,
    Role,
)
from placements.services.application_notices import (
    application_decision_notify,
    application_withdrawn_notify,
)
from schools.models import ProfileSnapshot, Student
from schools.services.snapshots import profile_snapshot_remove_own, profile_snapshot_take

S = Application.Status
# The longest note a student may write to the company when applying (the model's limit).
NOTE_MAX_LENGTH = Application._meta.get_field("note").max_length


def roles_of(by: User, application: Application) -> set[str]:
    """The roles `by` holds towards this application (a user may hold several)."""
    roles = set()
    student = application.student
    company = application.opening.company
    if student.user_id is not None and student.user_id == by.pk:
        roles.add(Role.STUDENT)
    if student.school_id in access.school_ids(by):
        roles.add(Role.SCHOOL)
    if company.pk in access.company_ids(by) and company.is_verified:
        roles.add(Role.COMPANY)
    if company.district_id in access.official_district_ids(by):
        roles.add(Role.OFFICIAL)
    return roles


def allowed_moves(*, application: Application, by: User) -> dict[str, set[str]]:
    """For each status `by` may move this application to, the roles that allow it."""
    moves: dict[str, set[str]] = {}
    for role in roles_of(by, application):
        for status in TRANSITIONS[role].get(application.status, ()):
            moves.setdefault(status, set()).add(role)
    return moves


# --- Who may act ------------------------------------------------------------------------------


def _ensure_student_or_staff(by: User, student: Student) -> None:
    """The student themselves, or staff of their school applying on their behalf."""
    if student.user_id is not None and student.user_id == by.pk:
        return
    if student.school_id in access.school_ids(by):
        return
    raise PermissionDenied(_("Only the student or their school can do this."))


def _ensure_move(application: Application, to_status: str, by: User, roles: set[str], refusal=None) -> str:
    """Refuse a move that none of `roles` held by `by` may make; return the role that may.

    Someone who holds none of the roles at all is refused (PermissionDenied); a role that
    may act on the application but not make this move gets a ValidationError naming it.
    """
    held = roles_of(by, application) & roles
    if not held:
        if roles == {Role.COMPANY}:
            raise PermissionDenied(_("Only the company's recruiters can decide on its applicants."))
        if roles == {Role.SCHOOL}:
            raise PermissionDenied(_("Only the student's school can record a hire made outside the portal."))
        raise PermissionDenied(_("Only the student or their school can do this."))
    for role in sorted(held, key=[Role.STUDENT, Role.SCHOOL, Role.COMPANY].index):
        if to_status in TRANSITIONS[role].get(application.status, ()):
            return role
    if refusal is not None:
        raise _refused(application, refusal)
    target = S(to_status).label if to_status in S.values else to_status
    raise ValidationError(
        _("An application that is “%(status)s” cannot be moved to “%(target)s”."),
        code="invalid_transition",
        params={"status": application.get_status_display(), "target": target},
    )


def _on_behalf_note(role: str) -> str:
    return str(_("Done by the student's school on the student's behalf.")) if role == Role.SCHOOL else ""


# --- Status changes ---------------------------------------------------------------------------


def _refused(application: Application, message, code: str = "invalid_transition") -> ValidationError:
    return ValidationError(
        message,
        code=code,
        params={"status": application.get_status_display(), "student": application.student.name},
    )


# The student said no to this company: withdrawn before an offer, or the offer declined. The
# company keeps the school's facts of the snapshot, never the student's own words or files.
OWN_REMOVING_STATUSES = (S.WITHDRAWN, S.DECLINED)


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
    if to_status in OWN_REMOVING_STATUSES and application.profile_snapshot_id is not None:
        profile_snapshot_remove_own(snapshot=ProfileSnapshot(pk=application.profile_snapshot_id))
    return ApplicationEvent.objects.create(
        application=application, from_status=from_status, to_status=to_status, by=by, note=note
    )


def committed_elsewhere(student: Student, *, exclude_pk: int | None = None) -> bool:
    """Whether the student has taken a job: an accepted offer (its placement active, or waiting
    for a guardian's consent) or an active placement, other than through application `exclude_pk`."""
    accepted = Application.objects.filter(student=student, status=S.ACCEPTED).filter(
        Q(placement__isnull=True) | Q(placement__status=Placement.Status.ACTIVE)
    )
    placed = Placement.objects.filter(student=student, status=Placement.Status.ACTIVE)
    if exclude_pk is not None:
        # (never `.exclude(application_id=None)`: that would drop placements made without an application)
        accepted = accepted.exclude(pk=exclude_pk)
        placed = placed.exclude(application_id=exclude_pk)
    return accepted.exists() or placed.exists()


# --- Applying ---------------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *, student: Student, opening: Opening, by: User, note: str = "", answer: str = ""
) -> Application:
    """A student applies directly to a published opening before its deadline.

    1. Refuse an opening that is not published, whose deadline has passed, or whose company
       is not verified, or that is another district's; refuse a missing or too long answer to
       the opening's own question.
    2. Refuse a student who has taken a job (an accepted offer or an active placement).
    3. Refuse a second active application to the same opening (the database refuses it too).
    4. Create the application, with the student's note to the company, and its first event.
    5. Take the snapshot of the profile the company will see, with the answer to the
       opening's own question (the answer is kept there only).
    """
    _ensure_student_or_staff(by, student)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": ValidationError(
                    _("Keep the note to %(max)d characters."),
                    code="max_length",
                    params={"max": NOTE_MAX_LENGTH},
                )
            }
        )
    answer = clean_own_answer(opening, answer)
    if opening.company.district_id != student.school.district_id:
        # Each district's students apply to its own openings (issue 16); the pages answer 404 first.
        raise ValidationError(
            _("“%(opening)s” is an opening of another district."),
            code="another_district",
            params={"opening": opening.title},
        )
    today = timezone.localdate()
    if not opening.is_public(today=today):
        # Published by a verified company, but only until its deadline: name what stops it.
        if not opening.is_public(today=opening.apply_by):
            raise ValidationError(
                _("“%(opening)s” is not open for applications."),
                code="not_published",
                params={"opening": opening.title},
            )
        raise ValidationError(
            _("The deadline for “%(opening)s” has passed."),
            code="deadline_passed",
            params={"opening": opening.title},
        )
    if committed_elsewhere(student):
        raise ValidationError(
            _("%(student)s has already accepted a job, so cannot apply to other openings."),
            code="already_committed",
            params={"student": student.name},
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
                student=student,
                opening=opening,
                source=Application.Source.DIRECT,
                status=S.SUBMITTED,
                note=note,
            )
    except IntegrityError:
        raise ValidationError(duplicate, code="duplicate", params=params) from None
    ApplicationEvent.objects.create(application=application, from_status="", to_status=S.SUBMITTED, by=by)
    application.profile_snapshot = profile_snapshot_take(
        student=student, company=opening.company, question=opening.own_question, answer=answer
    )
    application.save(update_fields=["profile_snapshot"])
    transaction.on_commit(partial(enqueue, "placements.application_received_email_send", application.pk))
    return application


def clean_own_answer(opening: Opening, answer: str) -> str:
    """The student's answer to the opening's own question: required when it asks one, at most
    PROFILE_ANSWER_MAX_CHARS characters; nothing is kept for an opening without a question."""
    if not opening.own_question:
        return ""
    # A browser sends a line break as CRLF but counts it as one character, as the limit does.
    answer = (answer or "").replace("\r\n", "\n").strip()
    limit = settings.PROFILE_ANSWER_MAX_CHARS
    if not answer:
        raise ValidationError(
            {"answer": ValidationError(_("Answer the company's question."), code="required")}
        )
    if len(answer) > limit:
        raise ValidationError(
            {
                "answer": ValidationError(
                    _("Keep the answer to %(max)d characters; it has %(count)d."),
                    code="max_length",
                    params={"max": limit, "count": len(answer)},
                )
            }
        )
    return answer


_STUDENT_SIDE = {Role.STUDENT, Role.SCHOOL}


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    """The student, or their school on their behalf, withdraws an application before an offer."""
    role = _ensure_move(
        application,
        S.WITHDRAWN,
        by,
        _STUDENT_SIDE,
        refusal=_("An application that is “%(status)s” cannot be withdrawn."),
    )
    _change_status(application, to_status=S.WITHDRAWN, by=by, note=_on_behalf_note(role))
    application_withdrawn_notify(application=application)
    return application


# --- The company's decisions --------------------------------------------------------------------


@transaction.atomic
def application_move(*, application: Application, to_status: str, by: User, note: str = "") -> Application:
    """The company moves an applicant along its pipeline (the company's row of `TRANSITIONS`).

    1. Only the company's recruiters may, and only the moves of the table.
    2. "Not selected" needs feedback, and withdrawing an offer or cancelling an accepted job
       a reason: the student reads it.
    3. An offer records when it was made and when it expires (OFFER_RESPONSE_DAYS).
    4. `hired` confirms the start of a job the student accepted; its placement exists
       (one is made for an accepted application recorded before the portal made them).
    5. Cancelling an accepted job removes its placement, so the seat is free again and no
       hire is counted, and tells the student's school by email.
    6. A hire waits for a guardian's consent the student's school has not recorded yet.
    7. A student who has taken another job can only be marked "not selected".
    8. The student reads the decision, with the note word for word, in a notification on
       their page, on their applications page, and in an email (`application_decision_notify`).
    """
    _ensure_move(application, to_status, by, {Role.COMPANY})
    note = (note or "").strip()
    from_status = application.status
    if to_status != S.REJECTED and committed_elsewhere(application.student, exclude_pk=application.pk):
        raise _refused(
            application,
            _("%(student)s is no longer available: this application can only be closed as not selected."),
            code="student_unavailable",
        )
    if to_status == S.HIRED and application.needs_guardian_consent():
        raise _refused(
            application,
            _(
                "The hire waits for the guardian's consent: %(student)s is under 18 on the start date "
                "(or their date of birth is not recorded), and their school has not recorded the consent yet."
            ),
            code="guardian_consent_required",
        )
    fields: dict = {}
    if to_status in NOTE_REQUIRED and not note:
        if to_status == S.CANCELLED:
            message = _("Give the reason for cancelling; the student and their school will read it.")
        elif from_status == S.OFFERED:
            message = _("Tell the student why the offer is withdrawn; they will see this reason.")
        else:
            message = _("Tell the student why they were not selected; they will see this feedback.")
        raise ValidationError({"note": ValidationError(message, code="feedback_required")})
    if to_status in NOTE_REQUIRED:
        fields["feedback"] = note
    if to_status == S.OFFERED:
        now = timezone.now()
        fields["offered_at"] = now
        fields["offer_expires_at"] = now + datetime.timedelta(days=settings.OFFER_RESPONSE_DAYS)
    elif to_status == S.HIRED and not Placement.objects.filter(application=application).exists():
        placement_create(application=application, by=by)
    elif to_status == S.CANCELLED:
        # The job never started: the placement goes, and the cancellation stays in the history.
        Placement.objects.filter(application=application).delete()
    event = _change_status(application, to_status=to_status, by=by, note=note, **fields)
    application_decision_notify(application=application, event=event, from_status=from_status)
    if to_status == S.CANCELLED:
        transaction.on_commit(
            partial(enqueue, "placements.application_cancelled_notice_send", application.pk)
        )
    return application


# --- The student's answer to an offer (the student, or their school on their behalf) -----------


def _accept(application: Application, *, by: User, note: str = "", starts_on=None) -> Placement | None:
    """Accept `application` and close the student's other open applications, all or nothing.

    1. Lock the student's row, so that two acceptances of one student queue up, and refuse
       when the student has already taken a job.
    2. Create the placement (seats counted with the opening locked). A job that waits for a
       guardian's consent gets no placement yet: its accepted application holds the seat
       (`seats_taken`), and recording the consent makes the placement.
    3. Mark the application accepted.
    4. Close every other open application of the student with the move the student could have
       made: an open offer is declined, an application before an offer withdrawn. Each gets
       its own event with a neutral note, and each company is told only that the application
       was withdrawn (`application_withdrawn_notify`), so the seats go to someone else and no
       company learns where the student went.
    """
    student = Student.objects.select_for_update().get(pk=application.student_id)
    if committed_elsewhere(student, exclude_pk=application.pk):
        raise ValidationError(
            _("%(student)s already has a job recorded; end that placement first."),
            code="already_employed",
            params={"student": student.name},
        )
    now = timezone.now()
    if application.needs_guardian_consent(starts_on):
        _lock_a_seat(application.opening_id)
        placement = None
    else:
        placement = placement_create(application=application, by=by, starts_on=starts_on)
    _change_status(application, to_status=S.ACCEPTED, by=by, note=note, responded_at=now)
    others = (
        Application.objects.select_related("student", "opening__company")
        .filter(student_id=application.student_id, status__in=OPEN_APPLICATION_STATUSES)
        .exclude(pk=application.pk)
        .order_by("pk")
    )
    neutral = str(_("The application was withdrawn."))
    for other in others:
        to_status = S.DECLINED if other.status == S.OFFERED else S.WITHDRAWN
        _change_status(other, to_status=to_status, by=by, note=neutral, responded_at=now)
        application_withdrawn_notify(application=other)
    return placement


@transaction.atomic
def application_accept_offer(*, application: Application, by: User) -> Application:
    """The student, or their school on their behalf, accepts an offer.

    1. Refuse anything but an open, unexpired offer.
    2. Create the placement (seats counted with the opening locked; one active placement
       per student), unless the job waits for a guardian's consent.
    3. Mark the offer accepted, then close the student's other open applications (`_accept`).
    """
    role = _ensure_move(
        application,
        S.ACCEPTED,
        by,
        _STUDENT_SIDE,
        refusal=_("Only an open offer can be accepted; this one is “%(status)s”."),
    )
    now = timezone.now()
    if application.offer_expires_at is not None and application.offer_expires_at < now:
        raise ValidationError(
            _("This offer expired on %(date)s."),
            code="offer_expired",
            params={"date": date_format(timezone.localtime(application.offer_expires_at), "DATETIME_FORMAT")},
        )
    _accept(application, by=by, note=_on_behalf_note(role))
    return application


@transaction.atomic
def application_decline_offer(*, application: Application, by: User) -> Application:
    """The student, or their school on their behalf, declines an offer."""
    role = _ensure_move(
        application,
        S.DECLINED,
        by,
        _STUDENT_SIDE,
        refusal=_("Only an open offer can be declined; this one is “%(status)s”."),
    )
    _change_status(
        application, to_status=S.DECLINED, by=by, note=_on_behalf_note(role), responded_at=timezone.now()
    )
    application_withdrawn_notify(application=application)
    return application


@transaction.atomic
def application_record_outside_hire(
    *, application: Application, by: User, starts_on: datetime.date, student_agreed: bool, note: str
) -> Application:
    """The student's school records a hire agreed outside the portal.

    1. Only staff of the student's school, and only for an application the company has
       not yet decided on or has made an offer on (the school's row of `TRANSITIONS`).
    2. The staff member confirms that the student agreed, and says how (the note).
    3. The application is accepted on the student's behalf (placement created from
       `starts_on`, the student's other open offers declined), then hired: two events,
       so the history shows the acceptance step.
    """
    _ensure_move(application, S.HIRED, by, {Role.SCHOOL})
    note = (note or "").strip()
    errors = {}
    if not student_agreed:
        errors["student_agreed"] = ValidationError(
            _("Confirm that the student agreed to this job."), code="consent_required"
        )
    if not note:
        errors["note"] = ValidationError(
            _("Say how and when the student agreed; the record keeps this note."), code="note_required"
        )
    if starts_on is None:
        errors["starts_on"] = ValidationError(_("Give the date the job starts."), code="required")
    elif application.needs_guardian_consent(starts_on):
        errors["starts_on"] = ValidationError(
            _(
                "The student is under 18 on this start date (or their date of birth is not recorded): "
                "record the guardian's consent on the student's page first."
            ),
            code="guardian_consent_required",
        )
    if errors:
        raise ValidationError(errors)
    agreed = str(_("Hire made outside the portal, recorded by the school; the student agreed: %(note)s")) % {
        "note": note
    }
    _accept(application, by=by, note=agreed, starts_on=starts_on)
    _change_status(application, to_status=S.HIRED, by=by, note=agreed)
    return application


# --- Placements -------------------------------------------------------------------------------


def seats_taken(opening_id: int) -> int:
    """Seats of an opening that are filled: its placements, plus accepted or hired
    applications that have no placement (recorded before the portal made one for each)."""
    placements = Placement.objects.filter(opening_id=opening_id).count()
    unplaced = Application.objects.filter(
        opening_id=opening_id, status__in=SEAT_HOLDING_STATUSES, placement__isnull=True
    ).count()
    return placements + unplaced


def _lock_a_seat(opening_id: int, *, held: bool = False) -> Opening:
    """Lock the opening's row, so that one transaction at a time counts its seats, and refuse
    when none is left (`held`: the application asking already holds one of them)."""
    opening = Opening.objects.select_for_update().select_related("company").get(pk=opening_id)
    if seats_taken(opening.pk) - (1 if held else 0) >= opening.seats:
        raise ValidationError(
            _("All %(seats)d seats of “%(opening)s” are filled."),
            code="no_seat",
            params={"seats": opening.seats, "opening": opening.title},
        )
    return opening


@transaction.atomic
def placement_create(
    *, application: Application, by: User | None, starts_on: datetime.date | None = None
) -> Placement:
    """Record the job that an accepted offer or a hire gives the student.

    1. Lock the opening's row, so that one transaction at a time counts its seats.
    2. Refuse when no seat is left, or when the student already has an active placement.
    3. Create the placement; it is local when the company is located in the district.
    """
    if Placement.objects.filter(application=application).exists():
        raise ValidationError(_("This application already has a placement."), code="already_placed")
    held = application.status in SEAT_HOLDING_STATUSES  # its seat is already counted
    opening = _lock_a_seat(application.opening_id, held=held)
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
                starts_on=starts_on or opening.starts_on,
                is_local=opening.company.is_local,
            )
    except IntegrityError:
        raise ValidationError(already, code="already_employed", params={"student": student.name}) from None
