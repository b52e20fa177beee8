"""Universities and colleges, their credit programmes for employed graduates, and the credit ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class University(models.Model):
    """A university or college where graduates study after they start work (후학습)."""

    class Kind(models.TextChoices):
        FOUR_YEAR = "four_year", _("Four-year university")
        JUNIOR_COLLEGE = "junior_college", _("Junior college")
        POLYTECHNIC = "polytechnic", _("Polytechnic")
        COMPANY = "company", _("Company university")

    district = models.ForeignKey(
        "district.District", verbose_name=_("district"), on_delete=models.CASCADE, related_name="universities"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    area = models.ForeignKey(
        "district.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="universities",
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="university_unique_name",
                violation_error_message=_("This district already has a university with this name."),
            )
        ]

    def __str__(self):
        return self.name


# Credits each degree needs: the one definition (a programme's own `credits_required`
# defaults to it; the dashboard measures progress against it).
DEGREE_CREDITS = {"associate": 80, "bachelor": 140}


class CreditProgram(models.Model):
    """A way for an employed graduate to earn a degree while working (선취업 후진학)."""

    class Kind(models.TextChoices):
        SPECIAL_ADMISSION = "special_admission", _("Special admission for employees (재직자 특별전형)")
        CONTRACT_DEPARTMENT = "contract_department", _("Contract department (계약학과)")
        WORK_STUDY = "work_study", _("Work and study (일학습병행)")
        CREDIT_BANK = "credit_bank", _("Academic Credit Bank (학점은행제)")

    class Degree(models.TextChoices):
        ASSOCIATE = "associate", _("Associate degree")
        BACHELOR = "bachelor", _("Bachelor's degree")

    class Schedule(models.TextChoices):
        EVENING = "evening", _("Evenings")
        WEEKEND = "weekend", _("Weekends")
        BLOCK = "block", _("Block release")
        ONLINE = "online", _("Online")

    university = models.ForeignKey(
        University, verbose_name=_("university"), on_delete=models.CASCADE, related_name="programs"
    )
    name = models.CharField(_("name"), max_length=200)
    department_name = models.CharField(_("department"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    degree = models.CharField(_("degree"), max_length=16, choices=Degree.choices)
    credits_required = models.PositiveSmallIntegerField(_("credits required"))
    schedule = models.CharField(_("schedule"), max_length=16, choices=Schedule.choices)
    min_months_employed = models.PositiveSmallIntegerField(_("minimum months employed"), default=0)
    partner_companies = models.ManyToManyField(
        "companies.Company", verbose_name=_("partner companies"), blank=True, related_name="credit_programs"
    )
    description = models.TextField(_("description"), blank=True)
    eligibility = models.TextField(_("eligibility"), blank=True)
    is_active = models.BooleanField(_("accepting students"), default=True)

    class Meta:
        verbose_name = _("credit programme")
        verbose_name_plural = _("credit programmes")
        ordering = ["university", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credits_required__gt=0),
                name="creditprogram_credits_positive",
                violation_error_message=_("A programme requires at least one credit."),
            ),
        ]

    def __str__(self):
        return f"{self.university} {self.name}"


class ProgramEnrollment(models.Model):
    """An employed graduate's enrolment in a credit programme."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Studying")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    program = models.ForeignKey(
        CreditProgram, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="enrollments"
    )
    student = models.ForeignKey(
        "schools.Student", verbose_name=_("student"), on_delete=models.CASCADE, related_name="enrollments"
    )
    placement = models.ForeignKey(
        "placements.Placement",
        verbose_name=_("placement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = _("programme enrolment")
        verbose_name_plural = _("programme enrolments")
        ordering = ["-enrolled_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "student"],
                condition=Q(status="active"),
                name="enrollment_one_active_per_program",
                violation_error_message=_("The student is already enrolled in this programme."),
            )
        ]

    def __str__(self):
        return f"{self.student} · {self.program}"


class CreditRecord(models.Model):
    """Credits an enrolled graduate earned in one term."""

    class Term(models.TextChoices):
        SPRING = "1", _("Spring semester")
        SUMMER = "S", _("Summer session")
        AUTUMN = "2", _("Autumn semester")
        WINTER = "W", _("Winter session")

    enrollment = models.ForeignKey(
        ProgramEnrollment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="credit_records",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    term = models.CharField(_("term"), max_length=1, choices=Term.choices)
    credits = models.PositiveSmallIntegerField(_("credits"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["enrollment", "year", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "year", "term"],
                name="creditrecord_one_per_term",
                violation_error_message=_("Credits for this term are already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(credits__gt=0, credits__lte=30),
                name="creditrecord_credits_1_to_30",
                violation_error_message=_("A term's credits run from 1 to 30."),
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} {self.year}-{self.term}: {self.credits}"
