"""Sign-up: a company registers itself (awaiting verification) with its first recruiter; another
recruiter asks to join a registered company. Both answer every visitor alike and tell the typed
address, by email, what happens next; a new account works once its emailed link is used.
Expired, never-confirmed sign-ups are purged nightly."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from companies.selectors.signups import awaits_confirmation, companies_left_without, unconfirmed_signup_users
from companies.services.common import field_error
from companies.validators import normalise_business_number
from district.models import Area, District, IndustrySegment, Membership, User
from district.outbox import enqueue

logger = logging.getLogger(__name__)


def _login_owner(email: str) -> User | None:
    """The account that logs in with `email` (its login ID or its address), if any."""
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).order_by("pk").first()


def _told_of_existing_account(*, email: str, form: str, district: District) -> bool:
    """When `email` already logs in, mail it what to do next and answer True; nothing changes.

    The message comes from `district`, whose site the form was sent on.

    An account still awaiting its confirmation gets the link again (its first details stand);
    any other gets "you already have an account: log in, or set a new password".
    """
    owner = _login_owner(email)
    if owner is None:
        return False
    if awaits_confirmation(owner):
        transaction.on_commit(partial(enqueue, "companies.signup_confirmation_email_send", owner.pk))
    else:
        transaction.on_commit(
            partial(enqueue, "companies.signup_account_exists_email_send", email, form, district.pk)
        )
    return True


def _inactive_recruiter(*, email: str, name: str, password_hash: str) -> User:
    """The recruiter's account, inactive until they confirm their address; they log in with it.

    Raises IntegrityError when a concurrent request took the address first.
    """
    user = User(username=email, email=email, name=name.strip(), is_active=False)
    user.password = password_hash
    user.save()
    return user


@transaction.atomic
def company_signup(
    *,
    district: District,
    name: str,
    business_number: str,
    segment: IndustrySegment,
    area: Area | None,
    recruiter_name: str,
    email: str,
    password: str,
) -> None:
    """Register a company, awaiting verification, with its first recruiter; or tell the address why not.

    Returns nothing on purpose: the visitor sees the same page in every case, and only the
    inbox of `email` learns which case it was.

    1. Hash the password first, so that every case takes about as long.
    2. An address that already logs in: nothing changes; the address is told so (or gets its
       confirmation link again).
    3. A business number already registered in this district: nothing is created; the address
       is told how to join that company instead. A number registered in another district only
       is no hindrance and is never hinted at: each district keeps its own companies
       (company_unique_number_per_district), so the company registers here as a new one.
    4. Otherwise create the company (pending; local when its area is one of the district's),
       the recruiter's inactive account and their active membership, and mail the
       confirmation link. The officials hear of the company once the address is confirmed
       (`recruiter_confirm`); the company's state, not the membership, keeps the recruiter
       from posting until an official verifies it.
    """
    email = email.strip().lower()
    number = normalise_business_number(business_number)
    if area is not None and area.district_id != district.pk:
        raise field_error("area", _("Choose an area of this district."), "wrong_district")
    password_hash = make_password(password)

    def told_instead() -> bool:
        if _told_of_existing_account(email=email, form="signup", district=district):
            return True
        if Company.objects.filter(district=district, business_number=number).exists():
            transaction.on_commit(
                partial(enqueue, "companies.signup_company_registered_email_send", email, number, district.pk)
            )
            return True
        return False

    if told_instead():
        return
    company = Company(
        district=district,
        name=name.strip(),
        business_number=number,
        segment=segment,
        area=area,
        is_local=area is not None,
        verification=Company.Verification.PENDING,
    )
    company.full_clean(validate_unique=False)
    try:
        with transaction.atomic():  # a savepoint: unique columns decide a race between two sign-ups
            user = _inactive_recruiter(email=email, name=recruiter_name, password_hash=password_hash)
            company.save()
            Membership.objects.create(
                user=user,
                district=district,
                role=Membership.Role.COMPANY_RECRUITER,
                company=company,
                is_active=True,
            )
    except IntegrityError:
        if not told_instead():  # the race's winner is visible now; anything else is a bug
            raise
        return
    transaction.on_commit(partial(enqueue, "companies.signup_confirmation_email_send", user.pk))


@transaction.atomic
def recruiter_join_request(
    *, district: District, business_number: str, recruiter_name: str, email: str, password: str
) -> None:
    """Ask to join a company of `district` (the site's) that is already registered; or tell the
    address why not.

    Returns nothing on purpose, as `company_signup` does.

    1. Hash the password first, so that every case takes about as long.
    2. An address that already logs in: nothing changes; the address is told so.
    3. No company of this district with this number (another district's does not count, and
       is never hinted at), or a rejected one: nothing is created; the address is told to
       check the number, register the company, or contact the district office.
    4. Otherwise (verified, or awaiting verification: a company may gather its team first)
       create the inactive account with an inactive membership, which grants nothing until
       approved, and mail the confirmation link. The approvers are asked once the address
       is confirmed (`recruiter_confirm`).
    """
    email = email.strip().lower()
    number = normalise_business_number(business_number)
    password_hash = make_password(password)
    if _told_of_existing_account(email=email, form="join", district=district):
        return
    company = Company.objects.filter(district=district, business_number=number).first()
    if company is None or company.verification == Company.Verification.REJECTED:
        transaction.on_commit(
            partial(enqueue, "companies.join_no_company_email_send", email, number, district.pk)
        )
        return
    try:
        with transaction.atomic():
            user = _inactive_recruiter(email=email, name=recruiter_name, password_hash=password_hash)
            Membership.objects.create(
                user=user,
                district_id=company.district_id,
                role=Membership.Role.COMPANY_RECRUITER,
                company=company,
                is_active=False,
            )
    except IntegrityError:
        if not _told_of_existing_account(email=email, form="join", district=district):
            raise
        return
    transaction.on_commit(partial(enqueue, "companies.signup_confirmation_email_send", user.pk))


@transaction.atomic
def recruiter_confirm(*, user: User) -> Membership:
    """Activate an account made by sign-up or joining, once its owner used the emailed link.

    1. Claim the account with a conditional UPDATE (still inactive, never logged in), so a
       link used twice at once activates it once; the caller logs the person in.
    2. A company's first recruiter (an active membership): tell the district's officials
       that the company awaits verification. A colleague's request (an inactive
       membership): ask the company's approvers.
    """
    refused = ValidationError(
        _("This link is no longer valid: it has been used or it has expired."), code="link_invalid"
    )
    if not awaits_confirmation(user):
        raise refused
    claimed = User.objects.filter(pk=user.pk, is_active=False, last_login__isnull=True).update(is_active=True)
    if not claimed:
        raise refused
    user.is_active = True
    membership = (
        Membership.objects.filter(user=user, role=Membership.Role.COMPANY_RECRUITER)
        .select_related("company")
        .order_by("pk")
        .first()
    )
    if membership.is_active:
        transaction.on_commit(partial(enqueue, "companies.company_signup_notice_send", membership.company_id))
    else:
        transaction.on_commit(partial(enqueue, "companies.join_request_email_send", membership.pk))
    return membership


@dataclass(frozen=True)
class SignupPurgeResult:
    accounts: int  # accounts deleted (or that a dry run would delete)
    companies: int  # their pending companies deleted with them


def unconfirmed_signups_purge(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> SignupPurgeResult:
    """Delete sign-ups and join requests whose emailed link was never used and has expired.

    Nightly (`companies.unconfirmed_signups_purge`) and `manage.py
    purge_unconfirmed_signups`. Without it, an unconfirmed sign-up would keep its business
    number from the real company for good.

    Deleted: accounts that await confirmation (inactive, never logged in, company-recruiter
    memberships only; `users_awaiting_confirmation`) made more than
    PASSWORD_RESET_TIMEOUT ago, with their memberships; and each pending, never-verified
    company of theirs left with nothing: no other member, opening, agreement, placement or
    field practice. An account that has ever logged in (a recruiter an official closed, say)
    and every student's, teacher's or official's account stay.

    1. Lock the accounts, then their companies, in one transaction. A link used at this
       moment (`recruiter_confirm`) either came first (the account is no longer a candidate)
       or waits and is refused; a colleague's join request either came first (the company
       has another member and stays) or waits and fails, and can be sent again.
    2. Delete the accounts, then the companies left with nothing.

    Idempotent: a second run finds nothing to delete.
    """
    now = now or timezone.now()
    with transaction.atomic():
        user_ids = list(
            unconfirmed_signup_users(now=now).order_by("pk").select_for_update().values_list("pk", flat=True)
        )
        company_ids = list(
            Company.objects.filter(
                pk__in=Membership.objects.filter(user_id__in=user_ids).values("company_id")
            )
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )
        orphans = list(
            companies_left_without(user_ids=user_ids).filter(pk__in=company_ids).values_list("pk", flat=True)
        )
        if not dry_run:
            User.objects.filter(pk__in=user_ids).delete()
            Company.objects.filter(pk__in=orphans).delete()
    logger.info(
        "unconfirmed sign-ups%s: %d accounts, %d companies",
        " (dry run)" if dry_run else "",
        len(user_ids),
        len(orphans),
    )
    return SignupPurgeResult(accounts=len(user_ids), companies=len(orphans))
