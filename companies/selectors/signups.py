"""Reads about sign-ups: accounts that await their emailed confirmation, companies that await
an official's verification, and the expired sign-ups the nightly purge deletes.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.http import urlsafe_base64_decode

from companies.models import Agreement, Company, Opening
from companies.tokens import signup_confirmation_token
from district.models import Membership, User


def users_awaiting_confirmation() -> QuerySet[User]:
    """Accounts made by sign-up or joining whose owners have not used the emailed link yet.

    Such an account is inactive, has never logged in (confirming logs it in) and holds
    company-recruiter memberships only, at least one. A student's account (anonymised or
    not), a teacher's or an official's never qualifies, nor does one that has ever logged in.
    """
    recruiter = Membership.objects.filter(user=OuterRef("pk"), role=Membership.Role.COMPANY_RECRUITER)
    other_role = Membership.objects.filter(user=OuterRef("pk")).exclude(
        role=Membership.Role.COMPANY_RECRUITER
    )
    return User.objects.filter(is_active=False, last_login__isnull=True).filter(
        Exists(recruiter), ~Exists(other_role)
    )


def awaits_confirmation(user: User) -> bool:
    """`user` is one of `users_awaiting_confirmation`."""
    return users_awaiting_confirmation().filter(pk=user.pk).exists()


def user_awaiting_confirmation(*, uidb64: str, token: str) -> User | None:
    """The account an emailed confirmation link names, while the link is valid; else None."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not signup_confirmation_token.check_token(user, token):
        return None
    return user if awaits_confirmation(user) else None


# --- Companies awaiting an official, and sign-ups never confirmed ----------------------------


def company_unconfirmed() -> Q:
    """A company signed up whose recruiter has not confirmed their email address yet.

    Pending, with at least one recruiter whose account awaits confirmation and no active
    recruiter whose account does not. Officials are not offered such a company to verify
    or reject (it may be a squatter's); it becomes theirs once the link is used, or is
    purged with its account once the link has expired (`unconfirmed_signups_purge`). A
    pending company with no recruiter at all (made in the administration) is not one.
    """
    awaiting = users_awaiting_confirmation().values("pk")
    recruiters = Membership.objects.filter(company=OuterRef("pk"), role=Membership.Role.COMPANY_RECRUITER)
    return (
        Q(verification=Company.Verification.PENDING)
        & Exists(recruiters.filter(user__in=awaiting))
        & ~Exists(recruiters.filter(is_active=True).exclude(user__in=awaiting))
    )


def companies_awaiting_verification(queryset: QuerySet[Company] | None = None) -> QuerySet[Company]:
    """Companies an official may verify or reject now: pending, and not `company_unconfirmed`."""
    queryset = Company.objects.all() if queryset is None else queryset
    return queryset.filter(verification=Company.Verification.PENDING).exclude(company_unconfirmed())


def unconfirmed_signup_users(*, now: datetime.datetime) -> QuerySet[User]:
    """Accounts that await confirmation and were made more than PASSWORD_RESET_TIMEOUT before `now`.

    Every link mailed when the account was made has expired; the purge deletes them.
    """
    cutoff = now - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return users_awaiting_confirmation().filter(date_joined__lt=cutoff)


def _rows_pointing_at(relation: str):
    """The rows of another app's model that point at a company through `relation` (a reverse
    accessor of Company), reached through the relation: companies imports no app above it."""
    field = Company._meta.get_field(relation)
    return field.related_model._default_manager.filter(**{field.field.name: OuterRef("pk")})


def companies_left_without(*, user_ids) -> QuerySet[Company]:
    """Pending, never-verified companies that hold nothing once these accounts are gone.

    No member other than these accounts, and no opening, agreement, placement or field
    practice: a sign-up that never got further than the form.
    """
    company = OuterRef("pk")
    return (
        Company.objects.filter(verification=Company.Verification.PENDING, verified_at__isnull=True)
        .exclude(Exists(Membership.objects.filter(company=company).exclude(user_id__in=user_ids)))
        .exclude(Exists(Opening.objects.filter(company=company)))
        .exclude(Exists(Agreement.objects.filter(company=company)))
        .exclude(Exists(_rows_pointing_at("placements")))
        .exclude(Exists(_rows_pointing_at("field_practices")))
    )
