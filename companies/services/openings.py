"""Openings: a recruiter creates, edits, submits, closes and clones them; an official approves or rejects."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import OPENING_FIELDS, Company, Opening, OpeningRevision
from companies.services.common import clean_reason, ensure_official_of, field_error, refresh_fields
from district import access
from district.models import User
from district.outbox import enqueue
from district.public_cache import public_pages_changed

logger = logging.getLogger(__name__)


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
    ensure_official_of(by, company.district_id)
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
    refresh_fields(opening, fields)
    # An UPDATE sends no signal: the district's public pages are told here (district.public_cache).
    public_pages_changed(district_ids=[company.district_id])
    transaction.on_commit(partial(enqueue, "companies.opening_review_email_send", opening.pk))
    return opening


@transaction.atomic
def opening_reject(*, opening: Opening, by: User, reason: str) -> Opening:
    """Send an opening that awaits review back to the company as rejected, with a reason."""
    ensure_official_of(by, opening.company.district_id)
    refused = _("“%(opening)s” cannot be rejected: it is “%(status)s”, not awaiting review.")
    if opening.status != Opening.Status.SUBMITTED:
        raise _not_awaiting_review(opening, refused)
    fields = {
        "status": Opening.Status.REJECTED,
        "rejection_reason": clean_reason(reason),
        "reviewed_by": by,
        "reviewed_at": timezone.now(),
    }
    claimed = Opening.objects.filter(pk=opening.pk, status=Opening.Status.SUBMITTED).update(**fields)
    if not claimed:
        opening.refresh_from_db(fields=["status"])
        raise _not_awaiting_review(opening, refused)
    refresh_fields(opening, fields)
    transaction.on_commit(partial(enqueue, "companies.opening_review_email_send", opening.pk))
    return opening


# --- Openings: the recruiter's side -----------------------------------------------------------

# How many of an opening's seats are filled is the placements app's fact (its placements and
# seat-holding applications, `placements.services.applications.seats_taken`). Companies sits
# below placements and does not import it: placements registers its count here from
# `PlacementsConfig.ready()`.
_seat_counters: list[Callable[[int], int]] = []


def register_seats_taken(counter: Callable[[int], int]) -> None:
    """Count an opening's filled seats with `counter(opening_id)` (placements registers it once)."""
    if counter not in _seat_counters:
        _seat_counters.append(counter)


def seats_taken(opening_id: int) -> int:
    """Seats of the opening that are filled, as the registered counters give them."""
    return sum(counter(opening_id) for counter in _seat_counters)


M2M_FIELDS = ("required_certifications", "preferred_departments")
FK_FIELDS = ("job_role", "work_area")
MIN_SEATS, MAX_SEATS = 1, 200


@dataclass(frozen=True)
class MinimumWage:
    """The legal minimum that applies to a job starting in `year`.

    `rate_year` is the year whose published hourly rate applies: `year` itself when its
    rate is in MINIMUM_WAGE_HOURLY_KRW, else the latest earlier year there (the next
    year's rate is published each August, so a job starting next year may come first).
    """

    year: int
    rate_year: int
    hourly_krw: int
    monthly_hours: int

    @property
    def monthly_krw(self) -> int:
        return self.hourly_krw * self.monthly_hours

    @property
    def published(self) -> bool:
        """False when `year` has no published rate yet and an earlier year's stands in."""
        return self.rate_year >= self.year


def minimum_wage(year: int) -> MinimumWage:
    """The minimum wage for a job starting in `year`, from the table in settings (the one place)."""
    rates = settings.MINIMUM_WAGE_HOURLY_KRW
    earlier = [known for known in rates if known <= year]
    rate_year = max(earlier) if earlier else min(rates)
    return MinimumWage(
        year=year,
        rate_year=rate_year,
        hourly_krw=rates[rate_year],
        monthly_hours=settings.MINIMUM_WAGE_MONTHLY_HOURS,
    )


def below_minimum_wage_error(wage: MinimumWage) -> ValidationError:
    """The refusal of a salary below `wage`: the rate used and, when it stands in, for which year."""
    params = {
        "minimum": f"{wage.monthly_krw:,}",
        "hourly": f"{wage.hourly_krw:,}",
        "hours": wage.monthly_hours,
        "year": wage.rate_year,
    }
    if wage.published:
        message = _(
            "The monthly salary must be at least the legal minimum of %(minimum)s KRW "
            "(%(hourly)s KRW an hour × %(hours)d hours in %(year)d)."
        )
    else:
        message = _(
            "The monthly salary must be at least the legal minimum of %(minimum)s KRW "
            "(%(hourly)s KRW an hour × %(hours)d hours, at the %(rate_year)d rate; "
            "the %(year)d rate is not published yet)."
        )
        params.update(rate_year=wage.rate_year, year=wage.year)
    return ValidationError(message, code="below_minimum_wage", params=params)


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
    - the monthly salary at least the legal minimum for a 209-hour month at the start year's
      rate (`minimum_wage`), or the latest published rate before it.
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
                    params={"start": date_format(starts_on)},
                )
            )
    if monthly_salary_krw is not None:
        wage = minimum_wage((starts_on or today).year)
        if monthly_salary_krw < wage.monthly_krw:
            errors["monthly_salary_krw"] = [below_minimum_wage_error(wage)]
    if errors:
        raise ValidationError(errors)


def ensure_recruiter_of(by: User, company: Company) -> None:
    if company.pk not in access.company_ids(by):
        raise PermissionDenied(_("Only the company's recruiters can change its openings."))
    if not company.is_verified:
        raise PermissionDenied(_("The company must be verified by an official before it can post openings."))


def check_fields(fields: dict) -> None:
    unknown = set(fields) - set(OPENING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown opening fields: {', '.join(sorted(unknown))}")


def check_choices(company: Company, fields: dict) -> None:
    """Areas and departments must be the company's district's."""
    area = fields.get("work_area")
    if area is not None and area.district_id != company.district_id:
        raise field_error("work_area", _("Choose an area of the company's district."), "wrong_district")
    for department in fields.get("preferred_departments") or ():
        if department.school.district_id != company.district_id:
            raise ValidationError(
                {"preferred_departments": _("Choose departments of the company's district's schools.")}
            )


@transaction.atomic
def opening_create(*, company: Company, by: User, **fields) -> Opening:
    """Save a new opening as a draft; the recruiter submits it for review when ready."""
    ensure_recruiter_of(by, company)
    check_fields(fields)
    check_choices(company, fields)
    validate_opening_terms(
        seats=fields.get("seats"),
        monthly_salary_krw=fields.get("monthly_salary_krw"),
        starts_on=fields.get("starts_on"),
        apply_by=fields.get("apply_by"),
    )
    plain = {name: value for name, value in fields.items() if name not in M2M_FIELDS}
    opening = Opening(company=company, created_by=by, status=Opening.Status.DRAFT, **plain)
    opening.full_clean(exclude=["company", "job_role", "work_area", "created_by"], validate_constraints=False)
    opening.save()
    for name in M2M_FIELDS:
        if name in fields:
            getattr(opening, name).set(fields[name])
    return opening


def _m2m_ids(opening: Opening, name: str) -> set[int]:
    return set(getattr(opening, name).values_list("pk", flat=True))


def check_terms(stored: Opening, fields: dict) -> None:
    """Check `stored` with `fields` applied; the deadline must be in the future only when it changes."""
    apply_by = fields.get("apply_by", stored.apply_by)
    validate_opening_terms(
        seats=fields.get("seats", stored.seats),
        monthly_salary_krw=fields.get("monthly_salary_krw", stored.monthly_salary_krw),
        starts_on=fields.get("starts_on", stored.starts_on),
        apply_by=apply_by,
        deadline_must_be_future=apply_by != stored.apply_by,
    )


def changed_fields(stored: Opening, fields: dict) -> set[str]:
    return {
        name
        for name, value in fields.items()
        if (
            {v.pk for v in value} != _m2m_ids(stored, name)
            if name in M2M_FIELDS
            else value != getattr(stored, name)
        )
    }


def set_plain_fields(opening: Opening, fields: dict) -> None:
    """Copy the fields onto the instance and check the model's own rules (lengths, choices)."""
    for name, value in fields.items():
        if name not in M2M_FIELDS:
            setattr(opening, name, value)
    opening.full_clean(exclude=["company", "job_role", "work_area", "created_by"], validate_constraints=False)


def save_fields(stored: Opening, fields: dict, changed: set[str]) -> None:
    set_plain_fields(stored, fields)
    stored.save()
    for name in M2M_FIELDS:
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
    ensure_recruiter_of(by, opening.company)
    check_fields(fields)
    check_choices(opening.company, fields)
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
    check_terms(stored, fields)
    save_fields(stored, fields, changed_fields(stored, fields))
    return stored


@transaction.atomic
def opening_submit(*, opening: Opening, by: User) -> Opening:
    """Send a draft (or a rejected opening, once corrected) to the officials for review."""
    company = opening.company
    ensure_recruiter_of(by, company)
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
    refresh_fields(opening, fields)
    transaction.on_commit(partial(enqueue, "companies.opening_submitted_notice_send", opening.pk))
    return opening


@transaction.atomic
def opening_close(*, opening: Opening, by: User) -> Opening:
    """Stop an opening: it leaves the public list and takes no new applications.

    Applications already made stay, so the company can still decide on them.
    """
    ensure_recruiter_of(by, opening.company)
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
    public_pages_changed(district_ids=[opening.company.district_id])
    return opening


@transaction.atomic
def opening_clone(*, opening: Opening, by: User) -> Opening:
    """Copy an opening into a new draft, for posting a similar job again.

    Dates whose deadline has passed move forward: the deadline to 30 days from today,
    the start date keeping its distance from the deadline.
    """
    company = opening.company
    ensure_recruiter_of(by, company)
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
        own_question=opening.own_question,
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
