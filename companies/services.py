"""Writes for companies and openings.

- Sign-up: a company registers itself (awaiting verification) with its first recruiter;
  another recruiter asks to join a registered company, and the company's first active
  recruiter or an official approves. Both answer every visitor alike and tell the typed
  address, by email, what happens next; a new account works once its emailed link is used.
- Officials' decisions: verify or reject a company, approve or reject an opening.
- Recruiters' openings: create, edit, submit for review, close and clone.
- Changes to a published opening: the recruiter proposes them as a revision, and the
  opening stays public as approved until an official approves (or rejects) them.

Each transition is claimed with a conditional UPDATE, so two people acting on the same
row at once cannot both succeed, and a transition that the current state does not allow
is refused with a `ValidationError` that says why. Emails go out through Celery once the
transaction commits.
"""

from __future__ import annotations

import copy
import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies import selectors
from companies.models import OPENING_FIELDS, REVIEWED_FIELDS, Company, Opening, OpeningRevision
from companies.tasks import (
    send_company_signup_notice_task,
    send_company_verification_email_task,
    send_join_approved_email_task,
    send_join_declined_email_task,
    send_join_no_company_email_task,
    send_join_request_email_task,
    send_opening_review_email_task,
    send_opening_revision_review_email_task,
    send_opening_revision_submitted_notice_task,
    send_opening_submitted_notice_task,
    send_signup_account_exists_email_task,
    send_signup_company_registered_email_task,
    send_signup_confirmation_email_task,
)
from companies.validators import normalise_business_number
from district import access
from district.access import official_district_ids
from district.models import Area, District, IndustrySegment, Membership, User
from district.outbox import enqueue
from placements.services.applications import seats_taken

logger = logging.getLogger(__name__)


def _ensure_official_of(user: User, district_id: int) -> None:
    if not (user.is_superuser or district_id in official_district_ids(user)):
        raise PermissionDenied(_("Only an official of this district can make this decision."))


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the rejection."), code="reason_required")
    return reason


def _refresh(instance, fields: dict) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


def _refuse_company(company: Company, message) -> ValidationError:
    company.refresh_from_db(fields=["verification"])
    return ValidationError(
        message,
        code="invalid_transition",
        params={"company": company.name, "status": company.get_verification_display()},
    )


def _claim_for_decision(company: Company, fields: dict, *, refused, unconfirmed) -> None:
    """Apply an official's decision to a company that awaits it, or refuse with the reason.

    A company whose recruiter has not confirmed their address yet (`company_unconfirmed`) is
    not the officials' to decide: rejecting it would keep its business number from the real
    company for good, and verifying it would give an unproven address a company.
    """
    claimed = selectors.companies_awaiting_verification().filter(pk=company.pk).update(**fields)
    if claimed:
        _refresh(company, fields)
        return
    company.refresh_from_db(fields=["verification"])
    if company.verification == Company.Verification.PENDING:
        raise ValidationError(unconfirmed, code="unconfirmed", params={"company": company.name})
    raise _refuse_company(company, refused)


@transaction.atomic
def company_verify(*, company: Company, by: User) -> Company:
    """Mark a company that awaits verification as verified, and tell its recruiters."""
    _ensure_official_of(by, company.district_id)
    fields = {
        "verification": Company.Verification.VERIFIED,
        "verified_by": by,
        "verified_at": timezone.now(),
        "rejection_reason": "",
    }
    _claim_for_decision(
        company,
        fields,
        refused=_("“%(company)s” cannot be verified: it is “%(status)s”, not awaiting verification."),
        unconfirmed=_(
            "“%(company)s” cannot be verified yet: its recruiter has not confirmed their email address."
        ),
    )
    transaction.on_commit(partial(enqueue, send_company_verification_email_task, company.pk))
    return company


@transaction.atomic
def company_reject(*, company: Company, by: User, reason: str) -> Company:
    """Refuse a company that awaits verification, with a reason its recruiters will read."""
    _ensure_official_of(by, company.district_id)
    fields = {
        "verification": Company.Verification.REJECTED,
        "rejection_reason": _clean_reason(reason),
        "verified_by": None,
        "verified_at": None,
    }
    _claim_for_decision(
        company,
        fields,
        refused=_("“%(company)s” cannot be rejected: it is “%(status)s”, not awaiting verification."),
        unconfirmed=_(
            "“%(company)s” cannot be rejected yet: its recruiter has not confirmed their email address."
        ),
    )
    transaction.on_commit(partial(enqueue, send_company_verification_email_task, company.pk))
    return company


def _not_awaiting_review(opening: Opening, message) -> ValidationError:
    return ValidationError(
        message,
        code="invalid_transition",
        params={"opening": opening.title, "status": opening.get_status_display()},
    )


@transaction.atomic
def opening_approve(*, opening: Opening, by: User) -> Opening:
    """Publish an opening that awaits review, and tell the company's recruiters.

    Refused unless the opening is submitted, its company is verified and its application
    deadline has not passed: an approved opening is public at once.
    """
    company = opening.company
    _ensure_official_of(by, company.district_id)
    refused = _("“%(opening)s” cannot be published: it is “%(status)s”, not awaiting review.")
    if opening.status != Opening.Status.SUBMITTED:
        raise _not_awaiting_review(opening, refused)
    if not company.is_verified:
        raise ValidationError(
            _("“%(opening)s” cannot be published: its company “%(company)s” is not verified yet."),
            code="company_not_verified",
            params={"opening": opening.title, "company": company.name},
        )
    if opening.apply_by < timezone.localdate():
        raise ValidationError(
            _("“%(opening)s” cannot be published: its application deadline has passed."),
            code="deadline_passed",
            params={"opening": opening.title},
        )
    now = timezone.now()
    fields = {
        "status": Opening.Status.PUBLISHED,
        "reviewed_by": by,
        "reviewed_at": now,
        "published_at": now,
        "rejection_reason": "",
    }
    claimed = Opening.objects.filter(
        pk=opening.pk,
        status=Opening.Status.SUBMITTED,
        company__verification=Company.Verification.VERIFIED,
    ).update(**fields)
    if not claimed:  # another official decided first, or the company lost its verification
        opening.refresh_from_db(fields=["status"])
        raise _not_awaiting_review(opening, refused)
    _refresh(opening, fields)
    transaction.on_commit(partial(enqueue, send_opening_review_email_task, opening.pk))
    return opening


@transaction.atomic
def opening_reject(*, opening: Opening, by: User, reason: str) -> Opening:
    """Send an opening that awaits review back to the company as rejected, with a reason."""
    _ensure_official_of(by, opening.company.district_id)
    refused = _("“%(opening)s” cannot be rejected: it is “%(status)s”, not awaiting review.")
    if opening.status != Opening.Status.SUBMITTED:
        raise _not_awaiting_review(opening, refused)
    fields = {
        "status": Opening.Status.REJECTED,
        "rejection_reason": _clean_reason(reason),
        "reviewed_by": by,
        "reviewed_at": timezone.now(),
    }
    claimed = Opening.objects.filter(pk=opening.pk, status=Opening.Status.SUBMITTED).update(**fields)
    if not claimed:
        opening.refresh_from_db(fields=["status"])
        raise _not_awaiting_review(opening, refused)
    _refresh(opening, fields)
    transaction.on_commit(partial(enqueue, send_opening_review_email_task, opening.pk))
    return opening


# --- Sign-up and recruiters -------------------------------------------------------------------


def _field_error(field: str, message, code: str) -> ValidationError:
    """A refusal that a form shows on `field`, with a code that tests and pages can check."""
    return ValidationError({field: ValidationError(message, code=code)})


def _login_owner(email: str) -> User | None:
    """The account that logs in with `email` (its login ID or its address), if any."""
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).order_by("pk").first()


def _told_of_existing_account(*, email: str, form: str) -> bool:
    """When `email` already logs in, mail it what to do next and answer True; nothing changes.

    An account still awaiting its confirmation gets the link again (its first details stand);
    any other gets "you already have an account: log in, or set a new password".
    """
    owner = _login_owner(email)
    if owner is None:
        return False
    if selectors.awaits_confirmation(owner):
        transaction.on_commit(partial(enqueue, send_signup_confirmation_email_task, owner.pk))
    else:
        transaction.on_commit(partial(enqueue, send_signup_account_exists_email_task, email, form))
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
    3. A business number already registered: nothing is created; the address is told how to
       join that company instead.
    4. Otherwise create the company (pending; local when its area is one of the district's),
       the recruiter's inactive account and their active membership, and mail the
       confirmation link. The officials hear of the company once the address is confirmed
       (`recruiter_confirm`); the company's state, not the membership, keeps the recruiter
       from posting until an official verifies it.
    """
    email = email.strip().lower()
    number = normalise_business_number(business_number)
    if area is not None and area.district_id != district.pk:
        raise _field_error("area", _("Choose an area of this district."), "wrong_district")
    password_hash = make_password(password)

    def told_instead() -> bool:
        if _told_of_existing_account(email=email, form="signup"):
            return True
        if Company.objects.filter(business_number=number).exists():
            transaction.on_commit(
                partial(enqueue, send_signup_company_registered_email_task, email, number, district.pk)
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
    transaction.on_commit(partial(enqueue, send_signup_confirmation_email_task, user.pk))


@transaction.atomic
def recruiter_join_request(*, business_number: str, recruiter_name: str, email: str, password: str) -> None:
    """Ask to join a company that is already registered; or tell the address why not.

    Returns nothing on purpose, as `company_signup` does.

    1. Hash the password first, so that every case takes about as long.
    2. An address that already logs in: nothing changes; the address is told so.
    3. No company with this number, or a rejected one: nothing is created; the address is
       told to check the number, register the company, or contact the district office.
    4. Otherwise (verified, or awaiting verification: a company may gather its team first)
       create the inactive account with an inactive membership, which grants nothing until
       approved, and mail the confirmation link. The approvers are asked once the address
       is confirmed (`recruiter_confirm`).
    """
    email = email.strip().lower()
    number = normalise_business_number(business_number)
    password_hash = make_password(password)
    if _told_of_existing_account(email=email, form="join"):
        return
    company = Company.objects.filter(business_number=number).first()
    if company is None or company.verification == Company.Verification.REJECTED:
        transaction.on_commit(partial(enqueue, send_join_no_company_email_task, email, number))
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
        if not _told_of_existing_account(email=email, form="join"):
            raise
        return
    transaction.on_commit(partial(enqueue, send_signup_confirmation_email_task, user.pk))


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
    if not selectors.awaits_confirmation(user):
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
        transaction.on_commit(partial(enqueue, send_company_signup_notice_task, membership.company_id))
    else:
        transaction.on_commit(partial(enqueue, send_join_request_email_task, membership.pk))
    return membership


def _pending_join(membership: Membership, by: User) -> Membership:
    if membership.role != Membership.Role.COMPANY_RECRUITER or membership.company_id is None:
        raise ValidationError(_("This is not a request to join a company."), code="not_a_request")
    if not selectors.can_approve_recruiters(by, membership.company):
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
    transaction.on_commit(partial(enqueue, send_join_approved_email_task, membership.pk))
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
    transaction.on_commit(partial(enqueue, send_join_declined_email_task, address, company.pk))


@dataclass(frozen=True)
class SignupPurgeResult:
    accounts: int  # accounts deleted (or that a dry run would delete)
    companies: int  # their pending companies deleted with them


def unconfirmed_signups_purge(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> SignupPurgeResult:
    """Delete sign-ups and join requests whose emailed link was never used and has expired.

    Nightly (`companies.tasks.purge_unconfirmed_signups_task`) and `manage.py
    purge_unconfirmed_signups`. Without it, an unconfirmed sign-up would keep its business
    number from the real company for good.

    Deleted: accounts that await confirmation (inactive, never logged in, company-recruiter
    memberships only; `selectors.users_awaiting_confirmation`) made more than
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
            selectors.unconfirmed_signup_users(now=now)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
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
            selectors.companies_left_without(user_ids=user_ids)
            .filter(pk__in=company_ids)
            .values_list("pk", flat=True)
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


# --- Openings: the recruiter's side -----------------------------------------------------------

_M2M_FIELDS = ("required_certifications", "preferred_departments")
_FK_FIELDS = ("job_role", "work_area")
MIN_SEATS, MAX_SEATS = 1, 200


def minimum_monthly_wage_krw(year: int) -> int:
    """The legal minimum for a 209-hour month in `year`.

    Uses the hourly rate of that year in MINIMUM_WAGE_HOURLY_KRW, or the latest year
    recorded when `year` is missing (the rate for next year is set each August).
    """
    rates = settings.MINIMUM_WAGE_HOURLY_KRW
    hourly = rates.get(year, rates[max(rates)])
    return hourly * settings.MINIMUM_WAGE_MONTHLY_HOURS


def validate_opening_terms(
    *,
    seats: int | None = None,
    monthly_salary_krw: int | None = None,
    starts_on: datetime.date | None = None,
    apply_by: datetime.date | None = None,
    deadline_must_be_future: bool = True,
    today: datetime.date | None = None,
) -> None:
    """Check an opening's terms; raise one ValidationError keyed by field. Missing values are skipped.

    - seats from 1 to 200;
    - the deadline in the future (when asked) and before the start date;
    - the monthly salary at least the legal minimum for a 209-hour month of the start year.
    """
    today = today or timezone.localdate()
    errors: dict[str, list] = {}
    if seats is not None and not MIN_SEATS <= seats <= MAX_SEATS:
        errors["seats"] = [
            ValidationError(
                _("An opening has between %(min)d and %(max)d seats."),
                code="seats_range",
                params={"min": MIN_SEATS, "max": MAX_SEATS},
            )
        ]
    if apply_by is not None:
        if deadline_must_be_future and apply_by <= today:
            errors.setdefault("apply_by", []).append(
                ValidationError(_("The application deadline must be in the future."), code="deadline_past")
            )
        if starts_on is not None and apply_by >= starts_on:
            errors.setdefault("apply_by", []).append(
                ValidationError(
                    _("The application deadline must be before the start date (%(start)s)."),
                    code="deadline_after_start",
                    params={"start": starts_on.isoformat()},
                )
            )
    if monthly_salary_krw is not None:
        year = (starts_on or today).year
        minimum = minimum_monthly_wage_krw(year)
        if monthly_salary_krw < minimum:
            errors["monthly_salary_krw"] = [
                ValidationError(
                    _(
                        "The monthly salary must be at least the legal minimum of %(minimum)s KRW "
                        "(%(hourly)s KRW an hour × %(hours)d hours in %(year)d)."
                    ),
                    code="below_minimum_wage",
                    params={
                        "minimum": f"{minimum:,}",
                        "hourly": f"{minimum // settings.MINIMUM_WAGE_MONTHLY_HOURS:,}",
                        "hours": settings.MINIMUM_WAGE_MONTHLY_HOURS,
                        "year": year,
                    },
                )
            ]
    if errors:
        raise ValidationError(errors)


def _ensure_recruiter_of(by: User, company: Company) -> None:
    if company.pk not in access.company_ids(by):
        raise PermissionDenied(_("Only the company's recruiters can change its openings."))
    if not company.is_verified:
        raise PermissionDenied(_("The company must be verified by an official before it can post openings."))


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(OPENING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown opening fields: {', '.join(sorted(unknown))}")


def _check_choices(company: Company, fields: dict) -> None:
    """Areas and departments must be the company's district's."""
    area = fields.get("work_area")
    if area is not None and area.district_id != company.district_id:
        raise _field_error("work_area", _("Choose an area of the company's district."), "wrong_district")
    for department in fields.get("preferred_departments") or ():
        if department.school.district_id != company.district_id:
            raise ValidationError(
                {"preferred_departments": _("Choose departments of the company's district's schools.")}
            )


@transaction.atomic
def opening_create(*, company: Company, by: User, **fields) -> Opening:
    """Save a new opening as a draft; the recruiter submits it for review when ready."""
    _ensure_recruiter_of(by, company)
    _check_fields(fields)
    _check_choices(company, fields)
    validate_opening_terms(
        seats=fields.get("seats"),
        monthly_salary_krw=fields.get("monthly_salary_krw"),
        starts_on=fields.get("starts_on"),
        apply_by=fields.get("apply_by"),
    )
    plain = {name: value for name, value in fields.items() if name not in _M2M_FIELDS}
    opening = Opening(company=company, created_by=by, status=Opening.Status.DRAFT, **plain)
    opening.full_clean(exclude=["company", "job_role", "work_area", "created_by"], validate_constraints=False)
    opening.save()
    for name in _M2M_FIELDS:
        if name in fields:
            getattr(opening, name).set(fields[name])
    return opening


def _m2m_ids(opening: Opening, name: str) -> set[int]:
    return set(getattr(opening, name).values_list("pk", flat=True))


def _check_terms(stored: Opening, fields: dict) -> None:
    """Check `stored` with `fields` applied; the deadline must be in the future only when it changes."""
    apply_by = fields.get("apply_by", stored.apply_by)
    validate_opening_terms(
        seats=fields.get("seats", stored.seats),
        monthly_salary_krw=fields.get("monthly_salary_krw", stored.monthly_salary_krw),
        starts_on=fields.get("starts_on", stored.starts_on),
        apply_by=apply_by,
        deadline_must_be_future=apply_by != stored.apply_by,
    )


def _changed_fields(stored: Opening, fields: dict) -> set[str]:
    return {
        name
        for name, value in fields.items()
        if (
            {v.pk for v in value} != _m2m_ids(stored, name)
            if name in _M2M_FIELDS
            else value != getattr(stored, name)
        )
    }


def _set_plain_fields(opening: Opening, fields: dict) -> None:
    """Copy the fields onto the instance and check the model's own rules (lengths, choices)."""
    for name, value in fields.items():
        if name not in _M2M_FIELDS:
            setattr(opening, name, value)
    opening.full_clean(exclude=["company", "job_role", "work_area", "created_by"], validate_constraints=False)


def _save_fields(stored: Opening, fields: dict, changed: set[str]) -> None:
    _set_plain_fields(stored, fields)
    stored.save()
    for name in _M2M_FIELDS:
        if name in fields and name in changed:
            getattr(stored, name).set(fields[name])


@transaction.atomic
def opening_update(*, opening: Opening, by: User, **fields) -> Opening:
    """Change an opening that is not public: a draft, one awaiting review, or a rejected one.

    1. Lock the row and read what is stored (a bound form may have changed the instance).
    2. Refuse a closed opening, and a published one: what students see changes only
       through a revision that an official approves (`opening_revision_submit`).
    3. Check the terms (the deadline must be in the future only when it changes), then save.
    """
    _ensure_recruiter_of(by, opening.company)
    _check_fields(fields)
    _check_choices(opening.company, fields)
    stored = Opening.objects.select_for_update().get(pk=opening.pk)
    if stored.status == Opening.Status.CLOSED:
        raise ValidationError(
            _("A closed opening cannot be changed. Clone it to post it again."), code="closed"
        )
    if stored.status == Opening.Status.PUBLISHED:
        raise ValidationError(
            _(
                "This opening is published: changes to it wait for an official's review. "
                "Open its edit page again to propose them."
            ),
            code="published",
        )
    _check_terms(stored, fields)
    _save_fields(stored, fields, _changed_fields(stored, fields))
    return stored


# --- Openings: changes to a published opening (revisions) ---------------------------------------


def _encode(name: str, value):
    """A form value as OpeningRevision.changes stores it (JSON)."""
    if name in _M2M_FIELDS:
        return sorted(row.pk for row in value)
    if name in _FK_FIELDS:
        return None if value is None else value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _refuse_revision(revision: OpeningRevision, opening: Opening) -> ValidationError:
    return ValidationError(
        _("The changes to “%(opening)s” cannot be decided: they are “%(status)s”, not awaiting review."),
        code="invalid_transition",
        params={"opening": opening.title, "status": revision.get_status_display()},
    )


@transaction.atomic
def opening_revision_submit(*, opening: Opening, data: dict, by: User) -> OpeningRevision | None:
    """Propose changes to a published opening; it stays public as approved until an official decides.

    1. Lock the opening; refuse one that is not published (the others change directly,
       `opening_update`).
    2. Check the changes as `opening_update` would: the district's choices, the terms and
       the model's own rules. Nothing is written to the opening.
    3. Keep the fields that differ from the approved opening. A pending revision is
       replaced by a new one, so an official who opened the old one cannot approve values
       they did not see; when nothing differs any more, it is withdrawn.
    4. Tell the officials once the transaction commits.

    Returns the pending revision, or None when the data equals the approved opening.
    """
    _ensure_recruiter_of(by, opening.company)
    _check_fields(data)
    _check_choices(opening.company, data)
    stored = Opening.objects.select_for_update().get(pk=opening.pk)
    if stored.status != Opening.Status.PUBLISHED:
        raise ValidationError(
            _("Only a published opening takes changes for review; this one is “%(status)s”."),
            code="not_published",
            params={"status": stored.get_status_display()},
        )
    _check_terms(stored, data)
    changed = _changed_fields(stored, data)
    _set_plain_fields(copy.copy(stored), data)
    changes = {name: _encode(name, data[name]) for name in REVIEWED_FIELDS if name in changed}
    pending = (
        OpeningRevision.objects.select_for_update()
        .filter(opening=stored, status=OpeningRevision.Status.PENDING)
        .first()
    )
    if pending is not None:
        if pending.changes == changes:
            return pending
        pending.status = OpeningRevision.Status.SUPERSEDED if changes else OpeningRevision.Status.WITHDRAWN
        pending.save(update_fields=["status"])
    if not changes:
        return None
    revision = OpeningRevision.objects.create(opening=stored, changes=changes, submitted_by=by)
    transaction.on_commit(partial(enqueue, send_opening_revision_submitted_notice_task, revision.pk))
    return revision


@transaction.atomic
def opening_revision_approve(*, revision: OpeningRevision, by: User) -> OpeningRevision:
    """Make a pending revision the opening: its values replace the approved ones, in public at once.

    1. Lock the opening, then the revision. Refuse a revision no longer pending and an
       opening no longer published.
    2. Refuse fewer seats than are already filled, and terms today's rules refuse (a new
       deadline that passed while the changes waited, say).
    3. Save the values on the opening; the revision is approved. Applications, preferences
       and rounds point at the opening and carry on with it.
    4. Tell the recruiters once the transaction commits.
    """
    _ensure_official_of(by, revision.opening.company.district_id)
    stored = Opening.objects.select_for_update().select_related("company").get(pk=revision.opening_id)
    locked = OpeningRevision.objects.select_for_update().get(pk=revision.pk)
    if locked.status != OpeningRevision.Status.PENDING:
        raise _refuse_revision(locked, stored)
    if stored.status != Opening.Status.PUBLISHED:
        raise ValidationError(
            _("The changes to “%(opening)s” cannot be approved: the opening is “%(status)s”."),
            code="not_published",
            params={"opening": stored.title, "status": stored.get_status_display()},
        )
    values = selectors.opening_revision_values(revision=locked)
    if "seats" in values:
        taken = seats_taken(stored.pk)
        if values["seats"] < taken:
            raise ValidationError(
                _(
                    "The changes to “%(opening)s” cannot be approved: they propose %(seats)d seats, "
                    "but %(taken)d are already filled."
                ),
                code="seats_taken",
                params={"opening": stored.title, "seats": values["seats"], "taken": taken},
            )
    try:
        _check_choices(stored.company, values)
        _check_terms(stored, values)
    except ValidationError as error:
        raise ValidationError(
            _("The changes to “%(opening)s” cannot be approved: %(errors)s"),
            code="invalid_terms",
            params={"opening": stored.title, "errors": " ".join(error.messages)},
        ) from None
    _save_fields(stored, values, _changed_fields(stored, values))
    locked.status = OpeningRevision.Status.APPROVED
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _refresh(revision, {"status": locked.status, "reviewed_by": by, "reviewed_at": locked.reviewed_at})
    transaction.on_commit(partial(enqueue, send_opening_revision_review_email_task, revision.pk))
    return revision


@transaction.atomic
def opening_revision_reject(*, revision: OpeningRevision, by: User, reason: str) -> OpeningRevision:
    """Refuse a pending revision, with a reason the recruiters read; the opening stays as approved."""
    _ensure_official_of(by, revision.opening.company.district_id)
    fields = {
        "status": OpeningRevision.Status.REJECTED,
        "reason": _clean_reason(reason),
        "reviewed_by": by,
        "reviewed_at": timezone.now(),
    }
    claimed = OpeningRevision.objects.filter(pk=revision.pk, status=OpeningRevision.Status.PENDING).update(
        **fields
    )
    if not claimed:
        revision.refresh_from_db(fields=["status"])
        raise _refuse_revision(revision, revision.opening)
    _refresh(revision, fields)
    transaction.on_commit(partial(enqueue, send_opening_revision_review_email_task, revision.pk))
    return revision


@transaction.atomic
def opening_revision_withdraw(*, opening: Opening, by: User) -> OpeningRevision:
    """Take back an opening's changes awaiting review; the approved version stays as it is."""
    _ensure_recruiter_of(by, opening.company)
    revision = (
        OpeningRevision.objects.select_for_update()
        .filter(opening=opening, status=OpeningRevision.Status.PENDING)
        .first()
    )
    if revision is None:
        raise ValidationError(_("This opening has no changes awaiting review."), code="nothing_pending")
    revision.status = OpeningRevision.Status.WITHDRAWN
    revision.save(update_fields=["status"])
    return revision


@transaction.atomic
def opening_submit(*, opening: Opening, by: User) -> Opening:
    """Send a draft (or a rejected opening, once corrected) to the officials for review."""
    company = opening.company
    _ensure_recruiter_of(by, company)
    refused = _("“%(opening)s” cannot be submitted: it is “%(status)s”.")
    allowed = [Opening.Status.DRAFT, Opening.Status.REJECTED]
    if opening.status not in allowed:
        raise _not_awaiting_review(opening, refused)
    validate_opening_terms(
        seats=opening.seats,
        monthly_salary_krw=opening.monthly_salary_krw,
        starts_on=opening.starts_on,
        apply_by=opening.apply_by,
    )
    fields = {"status": Opening.Status.SUBMITTED, "rejection_reason": ""}
    if not Opening.objects.filter(pk=opening.pk, status__in=allowed).update(**fields):
        opening.refresh_from_db(fields=["status"])
        raise _not_awaiting_review(opening, refused)
    _refresh(opening, fields)
    transaction.on_commit(partial(enqueue, send_opening_submitted_notice_task, opening.pk))
    return opening


@transaction.atomic
def opening_close(*, opening: Opening, by: User) -> Opening:
    """Stop an opening: it leaves the public list and takes no new applications.

    Applications already made stay, so the company can still decide on them.
    """
    _ensure_recruiter_of(by, opening.company)
    if (
        not Opening.objects.filter(pk=opening.pk)
        .exclude(status=Opening.Status.CLOSED)
        .update(status=Opening.Status.CLOSED)
    ):
        raise ValidationError(_("This opening is already closed."), code="already_closed")
    # A closed opening takes no changes: what awaited review is withdrawn with it.
    OpeningRevision.objects.filter(opening=opening, status=OpeningRevision.Status.PENDING).update(
        status=OpeningRevision.Status.WITHDRAWN
    )
    opening.status = Opening.Status.CLOSED
    return opening


@transaction.atomic
def opening_clone(*, opening: Opening, by: User) -> Opening:
    """Copy an opening into a new draft, for posting a similar job again.

    Dates whose deadline has passed move forward: the deadline to 30 days from today,
    the start date keeping its distance from the deadline.
    """
    company = opening.company
    _ensure_recruiter_of(by, company)
    today = timezone.localdate()
    apply_by, starts_on = opening.apply_by, opening.starts_on
    if apply_by <= today:
        gap = max(starts_on - apply_by, datetime.timedelta(days=1))
        apply_by = today + datetime.timedelta(days=30)
        starts_on = apply_by + gap
    title = gettext("%(title)s (copy)") % {"title": opening.title}
    clone = Opening.objects.create(
        company=company,
        job_role=opening.job_role,
        title=title[: Opening._meta.get_field("title").max_length],
        description=opening.description,
        seats=opening.seats,
        work_area=opening.work_area,
        shift_pattern=opening.shift_pattern,
        monthly_salary_krw=opening.monthly_salary_krw,
        employment_type=opening.employment_type,
        starts_on=starts_on,
        apply_by=apply_by,
        status=Opening.Status.DRAFT,
        created_by=by,
    )
    clone.required_certifications.set(opening.required_certifications.all())
    clone.preferred_departments.set(opening.preferred_departments.all())
    return clone
