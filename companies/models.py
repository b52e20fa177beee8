"""Partner companies, their hiring agreements (MOUs) and the openings they post."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.validators import format_business_number, normalise_business_number, validate_business_number


class BusinessNumberField(models.CharField):
    """Stores a business registration number as 10 digits, accepting 123-45-67890 on input."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_business_number(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalise_business_number(value) if value else value


class Company(models.Model):
    """A company that hosts field practice or hires graduates; an official verifies it before it can post."""

    class Verification(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    district = models.ForeignKey(
        "district.District", verbose_name=_("district"), on_delete=models.CASCADE, related_name="companies"
    )
    name = models.CharField(_("name"), max_length=100)
    business_number = BusinessNumberField(
        _("business registration number"),
        max_length=10,
        validators=[validate_business_number],
        help_text=_("10 digits, stored without hyphens."),
    )
    segment = models.ForeignKey(
        "district.IndustrySegment",
        verbose_name=_("industry segment"),
        on_delete=models.RESTRICT,
        related_name="companies",
    )
    area = models.ForeignKey(
        "district.Area",
        verbose_name=_("location"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="companies",
    )
    is_local = models.BooleanField(
        _("located in the district"),
        default=True,
        help_text=_("Hires at a company located in the district count as local employment."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    verification = models.CharField(
        _("verification"), max_length=16, choices=Verification.choices, default=Verification.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # The Monday of the last week in which recruiters were reminded of stale applications;
    # the weekly task claims a week with a conditional UPDATE, so a rerun sends nothing twice.
    stale_reminder_week = models.DateField(
        _("stale-application reminder sent for the week of"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        indexes = [models.Index(fields=["district", "verification"], name="company_district_verif")]
        constraints = [
            # A company with sites in two districts registers once in each.
            models.UniqueConstraint(
                fields=["district", "business_number"],
                name="company_unique_number_per_district",
                violation_error_message=_(
                    "A company with this business registration number is already registered."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(verification="verified") | Q(verified_at__isnull=False),
                name="company_verified_has_time",
                violation_error_message=_("A verified company needs the time of verification."),
            ),
            models.CheckConstraint(
                condition=~Q(verification="rejected") | ~Q(rejection_reason=""),
                name="company_rejected_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification == self.Verification.VERIFIED

    @property
    def business_number_display(self) -> str:
        return format_business_number(self.business_number)


class Agreement(models.Model):
    """A hiring agreement (MOU) between a company and the district or one school."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="agreements"
    )
    district = models.ForeignKey(
        "district.District", verbose_name=_("district"), on_delete=models.CASCADE, related_name="agreements"
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("Leave empty for an agreement with the whole district."),
    )
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    pledged_hires_per_year = models.PositiveSmallIntegerField(_("graduates pledged per year"), default=0)
    priority = models.PositiveSmallIntegerField(
        _("matching priority"),
        default=0,
        help_text=_("0–10. Raises the fit of the agreement's students for the company's openings."),
    )

    class Meta:
        verbose_name = _("agreement (MOU)")
        verbose_name_plural = _("agreements (MOU)")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="agreement_dates_ordered",
                violation_error_message=_("An agreement cannot expire before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(priority__lte=10),
                name="agreement_priority_max_10",
                violation_error_message=_("The priority runs from 0 to 10."),
            ),
        ]

    def __str__(self):
        return self.title


def public_opening_q(*, today: datetime.date, prefix: str = "") -> Q:
    """The one public-opening rule, as a filter on openings (or, with `prefix`, on a relation).

    An opening is public while it is published, its deadline (`apply_by`) has not passed
    and its company is verified. Every page, API endpoint, KPI and matching input that
    asks "is this opening public?" uses this rule or `Opening.is_public`, never a copy.
    """
    return Q(
        **{
            f"{prefix}status": Opening.Status.PUBLISHED,
            f"{prefix}apply_by__gte": today,
            f"{prefix}company__verification": Company.Verification.VERIFIED,
        }
    )


class Opening(models.Model):
    """A job opening posted by a company; it is public once an official approves it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")

    class Shift(models.TextChoices):
        DAY = "day", _("Day work")
        TWO_SHIFTS = "two_shifts", _("Two shifts")
        THREE_SHIFTS = "three_shifts", _("Three shifts")
        FOUR_CREWS_TWO_SHIFTS = "four_crews_two_shifts", _("Four crews, two shifts")

    class EmploymentType(models.TextChoices):
        PERMANENT = "permanent", _("Permanent")
        FIXED_TERM = "fixed_term", _("Fixed term")
        WORK_STUDY = "work_study", _("Work and study (일학습병행)")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="openings"
    )
    job_role = models.ForeignKey(
        "district.JobRole", verbose_name=_("job role"), on_delete=models.RESTRICT, related_name="openings"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))
    required_certifications = models.ManyToManyField(
        "district.Certification",
        verbose_name=_("required certifications"),
        blank=True,
        related_name="required_by",
    )
    preferred_departments = models.ManyToManyField(
        "schools.Department",
        verbose_name=_("preferred departments"),
        blank=True,
        related_name="preferred_by",
    )
    work_area = models.ForeignKey(
        "district.Area",
        verbose_name=_("work area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="openings",
    )
    shift_pattern = models.CharField(_("shift pattern"), max_length=32, choices=Shift.choices)
    own_question = models.CharField(
        _("a question of your own"),
        max_length=300,
        blank=True,
        default="",
        db_default="",  # old code inserting during a roll-out leaves it out
        help_text=_("Optional: one question that applicants answer when they apply, besides the 자기소개서."),
    )
    # A plain integer so that the named constraint below, not a generic column check, refuses a negative.
    monthly_salary_krw = models.IntegerField(_("monthly salary (KRW)"))
    employment_type = models.CharField(_("employment type"), max_length=16, choices=EmploymentType.choices)
    starts_on = models.DateField(_("start date"))
    apply_by = models.DateField(_("application deadline"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ["apply_by", "id"]
        indexes = [
            models.Index(fields=["status", "apply_by"], name="opening_status_deadline"),
            models.Index(fields=["company", "status"], name="opening_company_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1, seats__lte=200),
                name="opening_seats_1_to_200",
                violation_error_message=_("An opening has between 1 and 200 seats."),
            ),
            models.CheckConstraint(
                condition=Q(monthly_salary_krw__gte=0),
                name="opening_salary_not_negative",
                violation_error_message=_("The salary cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(apply_by__lt=F("starts_on")),
                name="opening_deadline_before_start",
                violation_error_message=_("The application deadline must be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="opening_rejected_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
        ]

    def __str__(self):
        return self.title

    def is_public(self, *, today: datetime.date | None = None) -> bool:
        """`public_opening_q` for one loaded opening (its company is read)."""
        today = today or timezone.localdate()
        return (
            self.status == self.Status.PUBLISHED
            and self.apply_by >= today
            and self.company.verification == Company.Verification.VERIFIED
        )


# The fields of the opening form, in the order the form shows them.
OPENING_FIELDS = (
    "title",
    "job_role",
    "description",
    "own_question",
    "seats",
    "required_certifications",
    "preferred_departments",
    "work_area",
    "shift_pattern",
    "monthly_salary_krw",
    "employment_type",
    "starts_on",
    "apply_by",
)
# The fields that others see: the public pages and API, saved-search emails, students' pages
# and rankings (the own question on the apply page: an official checks that it asks nothing
# the Fair Hiring Procedure Act forbids). That is every field of the form, so on a published
# opening each change waits for an official as an OpeningRevision, and the opening stays as
# approved until then.
REVIEWED_FIELDS = OPENING_FIELDS


class OpeningRevision(models.Model):
    """Changes a recruiter proposes to a published opening; public only once an official approves them.

    `changes` holds the proposed value of each field that differs from the approved opening,
    as JSON: ids for the job role and work area, sorted id lists for the requirements, ISO
    dates, and plain numbers and text for the rest.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUPERSEDED = "superseded", _("Replaced by newer changes")

    opening = models.ForeignKey(
        Opening, verbose_name=_("opening"), on_delete=models.CASCADE, related_name="revisions"
    )
    changes = models.JSONField(_("proposed values"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason for rejection"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("change to an opening")
        verbose_name_plural = _("changes to openings")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="opening_revision_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["opening"],
                condition=Q(status="pending"),
                name="opening_one_pending_revision",
                violation_error_message=_("An opening has at most one set of changes awaiting review."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="opening_revision_rejected_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
        ]

    def __str__(self):
        return _("Changes to “%(opening)s”") % {"opening": self.opening.title}
