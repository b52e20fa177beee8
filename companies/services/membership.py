"""Join requests: the company's first recruiter or an official approves or declines a colleague."""

from __future__ import annotations

import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from companies.selectors.team import can_approve_recruiters
from district.models import Membership, User
from district.outbox import enqueue

logger = logging.getLogger(__name__)


def _pending_join(membership: Membership, by: User) -> Membership:
    if membership.role != Membership.Role.COMPANY_RECRUITER or membership.company_id is None:
        raise ValidationError(_("This is not a request to join a company."), code="not_a_request")
    if not can_approve_recruiters(by, membership.company):
        raise PermissionDenied(
            _("Only the company's first recruiter or an official can decide on this request.")
        )
    return membership


@transaction.atomic
def recruiter_approve(*, membership: Membership, by: User) -> Membership:
    """Let a recruiter who asked to join a company act for it, and tell them."""
    _pending_join(membership, by)
    claimed = Membership.objects.filter(pk=membership.pk, is_active=False).update(is_active=True)
    if not claimed:
        raise ValidationError(_("This request has already been decided."), code="already_decided")
    membership.is_active = True
    transaction.on_commit(partial(enqueue, "companies.join_approved_email_send", membership.pk))
    return membership


@transaction.atomic
def recruiter_decline(*, membership: Membership, by: User) -> None:
    """Refuse a request to join a company, and tell the person who asked.

    The request is deleted, and with it the account when it has no other role, so the
    same email can be used again.
    """
    _pending_join(membership, by)
    user, company = membership.user, membership.company
    deleted, _rows = Membership.objects.filter(pk=membership.pk, is_active=False).delete()
    if not deleted:
        raise ValidationError(_("This request has already been decided."), code="already_decided")
    address = user.email
    if not Membership.objects.filter(user=user).exists():
        user.delete()
    transaction.on_commit(partial(enqueue, "companies.join_declined_email_send", address, company.pk))
