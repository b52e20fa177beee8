"""Writes for invitations: a student is invited by email to set their password, once, within 7 days.

The email is sent by the task `schools.invitation_send`, enqueued by name after the
transaction commits; the link's token is made in the worker and only its hash is kept.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from district.models import Membership, User
from district.outbox import enqueue
from district.selectors import district_of
from schools.models import Student, StudentInvitation, guardian_consent_message
from schools.selectors.invitations import token_hash

INVITATION_DAYS = 7


def _login_id_for(student: Student, email: str) -> str:
    return student.user.username if student.user_id else email.lower()


def invitation_create(*, student: Student, by, base_url: str, email: str = "") -> StudentInvitation:
    """Invite a student to set their password; the email goes out once the transaction commits.

    An earlier invitation that has not been used stops working: only the newest link counts.
    """
    email = (email or student.email).strip()
    if student.status == Student.Status.LEFT:
        raise ValidationError(
            _("%(name)s has left school, so they cannot be invited."), params={"name": student}
        )
    if not email:
        raise ValidationError({"email": _("Record the student's email address first.")})
    if student.needs_guardian_consent():
        raise ValidationError(guardian_consent_message(student), code="guardian_consent")
    # An address that another account already logs in with is not refused here: the refusal would
    # tell the staff member that the address has an account. The email says what to do instead
    # (invitation_send), and the staff member reads the same answer either way.
    now = timezone.now()
    with transaction.atomic():
        if email != student.email:
            student.email = email
            student.save(update_fields=["email", "updated_at"])
        StudentInvitation.objects.filter(student=student, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        invitation = StudentInvitation.objects.create(
            student=student,
            email=email,
            created_by=by,
            created_at=now,
            expires_at=now
            + datetime.timedelta(days=getattr(settings, "STUDENT_INVITATION_DAYS", INVITATION_DAYS)),
        )
        transaction.on_commit(lambda: enqueue("schools.invitation_send", invitation.pk, base_url))
    return invitation


def invitation_send(*, invitation_id: int, base_url: str) -> bool:
    """Make the link's token, keep only its hash, and email the link. False when there is nothing to send.

    The token is made here, in the worker, so that it never travels through the broker;
    a redelivered task finds the invitation already sent and sends nothing.
    """
    with transaction.atomic():
        invitation = (
            StudentInvitation.objects.select_for_update(of=("self",))
            .select_related("student__school", "student__user")
            .filter(pk=invitation_id)
            .first()
        )
        if (
            invitation is None
            or invitation.sent_at
            or invitation.used_at
            or invitation.expires_at <= timezone.now()
        ):
            return False
        # From the sender of the student's district (`District.sender`).
        sender = district_of(invitation.student.school.district_id).sender
        if _login_taken_by_another(invitation):
            # No link: tell the address's owner (who knows about their account) what to do next.
            invitation.sent_at = invitation.expires_at = timezone.now()
            invitation.save(update_fields=["sent_at", "expires_at"])
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(
                    subject=str(_("Your school's invitation to the Innovation District Portal")),
                    message=render_to_string(
                        "schools/email/invitation_address_in_use.txt", {"student": invitation.student}
                    ),
                    from_email=sender,
                    recipient_list=[invitation.email],
                )
            return True
        token = secrets.token_urlsafe(32)
        invitation.token_hash = token_hash(token)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["token_hash", "sent_at"])
        context = {
            "student": invitation.student,
            "login_id": _login_id_for(invitation.student, invitation.email),
            "link": base_url.rstrip("/") + reverse("invitations:accept", args=[token]),
            "expires_at": invitation.expires_at,
        }
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=str(_("Set your password for the Innovation District Portal")),
                message=render_to_string("schools/email/invitation.txt", context),
                from_email=None,
                recipient_list=[invitation.email],
            )
    return True


def _login_taken_by_another(invitation: StudentInvitation) -> bool:
    """The invited address is the login ID of an account other than the student's own."""
    if invitation.student.user_id:
        return False
    return User.objects.filter(username__iexact=invitation.email.lower()).exists()


def invitation_problem(invitation: StudentInvitation | None) -> str:
    """Why a link cannot be used ("unknown", "used", "expired", "left"), or "" when it can."""
    if invitation is None:
        return "unknown"
    if invitation.used_at:
        return "used"
    if invitation.expires_at <= timezone.now():
        return "expired"
    if invitation.student.status == Student.Status.LEFT:
        return "left"
    return ""


def invitation_login_id(invitation: StudentInvitation) -> str:
    return _login_id_for(invitation.student, invitation.email)


def invitation_accept(*, invitation: StudentInvitation, password: str) -> User:
    """Set the student's password from their invitation.

    1. Lock the invitation and check again that it is unused, unexpired and that the
       student has not left.
    2. Create the user (login ID = the invited email) or reuse the student's, set the
       password and activate it.
    3. Link the student to the user and give the user an active student membership.
    4. Mark this invitation used; any other open invitation of the student stops working.
    """
    with transaction.atomic():
        invitation = StudentInvitation.objects.select_for_update().get(pk=invitation.pk)
        student = Student.objects.select_related("school", "user").get(pk=invitation.student_id)
        invitation.student = student
        problem = invitation_problem(invitation)
        if problem:
            raise ValidationError(_("This invitation link can no longer be used."), code=problem)
        if student.needs_guardian_consent():
            raise ValidationError(guardian_consent_message(student), code="guardian_consent")
        if _login_taken_by_another(invitation):  # an account made with the address since the email
            raise ValidationError(_("This invitation link can no longer be used."), code="login_taken")
        user = student.user or User(
            username=invitation.email.lower(), email=invitation.email, name=student.name
        )
        validate_password(password, user)
        user.set_password(password)
        user.is_active = True
        user.save()
        if student.user_id != user.pk:
            student.user = user
            student.save(update_fields=["user", "updated_at"])
        membership, _created = Membership.objects.get_or_create(
            user=user,
            role=Membership.Role.STUDENT,
            school=student.school,
            defaults={"district_id": student.school.district_id},
        )
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
        now = timezone.now()
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        StudentInvitation.objects.filter(student=student, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
    return user
