"""The district as a whole: tenancy, people and roles, shared vocabulary, money and targets."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SiteAddressField(models.URLField):
    """A site's address; forms read an address typed without a scheme as https:// (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class District(models.Model):
    """A Vocational Education Innovation District (직업교육 혁신지구), the tenant of every record."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    region = models.CharField(_("region"), max_length=100)
    industry_focus = models.CharField(_("industry focus"), max_length=100)
    program_start_year = models.PositiveSmallIntegerField(_("programme start year"))
    program_end_year = models.PositiveSmallIntegerField(_("programme end year"))
    annual_budget_krw = models.BigIntegerField(_("annual budget (KRW)"), default=0)
    description = models.TextField(_("description"), blank=True)
    base_url = SiteAddressField(
        _("site address"),
        max_length=200,
        blank=True,
        db_default="",
        help_text=_(
            "Scheme and host of the district's site for links in emails, such as "
            "https://pohang.example.kr. Empty: PORTAL_BASE_URL."
        ),
    )
    email_sender = models.CharField(
        _("email sender"),
        max_length=200,
        blank=True,
        db_default="",
        help_text=_(
            "Name and address its emails come from, such as "
            "포항 직업교육 혁신지구 <noreply@pohang.example.kr>. Empty: DEFAULT_FROM_EMAIL."
        ),
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(program_end_year__gte=F("program_start_year")),
                name="district_years_ordered",
                violation_error_message=_("The programme cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(annual_budget_krw__gte=0),
                name="district_budget_not_negative",
                violation_error_message=_("The annual budget cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    def link(self, path: str) -> str:
        """An absolute link to `path` on this district's site, for emails and exports."""
        return (self.base_url or settings.PORTAL_BASE_URL).rstrip("/") + path

    @property
    def sender(self) -> str:
        """The From of this district's emails."""
        return self.email_sender or settings.DEFAULT_FROM_EMAIL

    @property
    def title(self) -> str:
        """The district's full name on its pages and exports, such as 포항 직업교육 혁신지구."""
        return district_title(self)


def district_title(district: District | None) -> str:
    """The name a page or an export gives the district: "<name> Vocational Education Innovation
    District", or the generic "Vocational Education Innovation District" when there is none."""
    if district is None:
        return gettext("Vocational Education Innovation District")
    return gettext("%(name)s Vocational Education Innovation District") % {"name": district.name}


class DistrictHost(models.Model):
    """A host name on which a district's site is served, such as pohang.example.kr.

    The middleware `district.sites.DistrictMiddleware` reads these (cached) to set
    `request.district`; a host that no district claims shows `DEFAULT_DISTRICT_SLUG`.
    """

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="hosts"
    )
    host = models.CharField(
        _("host name"),
        max_length=253,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$",
                _("Enter a host name in lower case without scheme or port, such as pohang.example.kr."),
            )
        ],
        help_text=_("Lower case, without scheme or port, such as pohang.example.kr."),
        error_messages={"unique": _("Another district already serves this host name.")},
    )

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")
        ordering = ["district", "host"]

    def __str__(self):
        return self.host


class User(AbstractUser):
    """A person who signs in: an official, school or university staff, a recruiter or a student.

    What a user may see and do comes from their `Membership` rows, never from flags here.
    `is_staff` only opens the admin's login form; the admin site itself checks for an
    official membership.
    """

    name = models.CharField(_("name"), max_length=100, blank=True)
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts can sign in only while DEBUG is on."),
    )
    # Sessions live in the database and cannot be listed by user, so "end every other session"
    # bumps this number, which is part of the session hash (see _get_session_auth_hash).
    session_generation = models.PositiveIntegerField(
        _("session generation"), default=0, db_default=0, editable=False
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or super().get_full_name()

    def _get_session_auth_hash(self, secret=None):
        """Django's HMAC of the password hash, with the session generation mixed in.

        Django checks this hash on every request (and the SECRET_KEY_FALLBACKS variants through
        the same method), so a session made before a password change or a generation bump
        (`district.security.user_sessions_end`) is logged out. Generation 0 gives Django's own
        hash, so sessions made before this field existed stay valid.
        """
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "district.models.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Membership(models.Model):
    """A user's role in a district, tied to the one organisation that role belongs to.

    This is the single source of truth for access: officials see their district, school
    staff and students their school, recruiters their company, coordinators their
    university. The database refuses a role with the wrong organisation.
    """

    class Role(models.TextChoices):
        OFFICIAL = "official", _("City or education office official")
        SCHOOL_STAFF = "school_staff", _("School staff")
        COMPANY_RECRUITER = "company_recruiter", _("Company recruiter")
        UNIVERSITY_COORDINATOR = "university_coordinator", _("University coordinator")
        STUDENT = "student", _("Student")
        NATIONAL_OFFICIAL = "national_official", _("Ministry of Education official")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    # Empty only for the national role, which reads every district (membership_district_iff_local).
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    university = models.ForeignKey(
        "universities.University",
        verbose_name=_("university"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive memberships grant nothing, for example a recruiter awaiting approval."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["district", "role", "user"]
        indexes = [models.Index(fields=["user", "is_active"], name="membership_user_active")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=["official", "national_official"],
                        school__isnull=True,
                        company__isnull=True,
                        university__isnull=True,
                    )
                    | Q(
                        role__in=["school_staff", "student"],
                        school__isnull=False,
                        company__isnull=True,
                        university__isnull=True,
                    )
                    | Q(
                        role="company_recruiter",
                        school__isnull=True,
                        company__isnull=False,
                        university__isnull=True,
                    )
                    | Q(
                        role="university_coordinator",
                        school__isnull=True,
                        company__isnull=True,
                        university__isnull=False,
                    )
                ),
                name="membership_org_matches_role",
                violation_error_message=_(
                    "Set exactly the organisation that the role belongs to: none for an "
                    "official, a school for school staff and students, a company for a "
                    "recruiter, a university for a coordinator."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role="national_official", district__isnull=True)
                | (~Q(role="national_official") & Q(district__isnull=False)),
                name="membership_district_iff_local",
                violation_error_message=_(
                    "A Ministry of Education official belongs to no district; every other role "
                    "belongs to exactly one."
                ),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role="national_official"),
                name="membership_one_national_role",
                violation_error_message=_("This user is already a Ministry of Education official."),
            ),
            models.UniqueConstraint(
                fields=["user", "district"],
                condition=Q(role="official"),
                name="membership_one_official_per_district",
                violation_error_message=_("This user is already an official of this district."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="membership_unique_school_role",
                violation_error_message=_("This user already has this role at this school."),
            ),
            models.UniqueConstraint(
                fields=["user", "company"],
                condition=Q(company__isnull=False),
                name="membership_unique_company",
                violation_error_message=_("This user is already a recruiter for this company."),
            ),
            models.UniqueConstraint(
                fields=["user", "university"],
                condition=Q(university__isnull=False),
                name="membership_unique_university",
                violation_error_message=_("This user is already a coordinator for this university."),
            ),
        ]

    def __str__(self):
        org = self.school or self.company or self.university or self.district or _("all districts")
        return f"{self.user} · {self.get_role_display()} · {org}"


class Area(models.Model):
    """A place in the district used for commutes: a town, a neighbourhood or an industrial complex."""

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="areas"
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    is_industrial_complex = models.BooleanField(_("industrial complex"), default=False)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["district", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"],
                name="area_unique_code",
                violation_error_message=_("This district already has an area with this code."),
            )
        ]

    def __str__(self):
        return self.name


class CommuteTime(models.Model):
    """Typical minutes by public transport or shuttle from one area to another."""

    origin = models.ForeignKey(
        Area, verbose_name=_("from"), on_delete=models.CASCADE, related_name="commutes_from"
    )
    destination = models.ForeignKey(
        Area, verbose_name=_("to"), on_delete=models.CASCADE, related_name="commutes_to"
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        verbose_name = _("commute time")
        verbose_name_plural = _("commute times")
        ordering = ["origin", "minutes"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "destination"],
                name="commute_unique_pair",
                violation_error_message=_("This commute is already recorded."),
            )
        ]

    def __str__(self):
        return f"{self.origin} → {self.destination}: {self.minutes}"


class IndustrySegment(models.Model):
    """A part of a district's industry, such as cathode materials (batteries) or robot control (robots).

    Each district has its own industry vocabulary (segments and job roles), unique within the
    district; certifications and NCS units are national registries that every district shares.
    """

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="segments"
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("industry segment")
        verbose_name_plural = _("industry segments")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"],
                name="segment_unique_code_per_district",
                violation_error_message=_("This district already has an industry segment with this code."),
            )
        ]

    def __str__(self):
        return self.name


class JobRole(models.Model):
    """A kind of job that graduates are hired into, such as a process operator or a maintenance technician."""

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="job_roles"
    )
    name = models.CharField(_("name"), max_length=100)
    segment = models.ForeignKey(
        IndustrySegment,
        verbose_name=_("industry segment"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="job_roles",
    )
    description = models.TextField(_("description"), blank=True)
    typical_monthly_salary_krw = models.PositiveIntegerField(
        _("typical starting monthly salary (KRW)"), null=True, blank=True
    )
    ncs_units = models.ManyToManyField(
        "NcsUnit", verbose_name=_("NCS units"), blank=True, related_name="job_roles"
    )

    class Meta:
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="jobrole_unique_name_per_district",
                violation_error_message=_("This district already has a job role with this name."),
            )
        ]

    def __str__(self):
        return self.name


class Certification(models.Model):
    """A qualification a student can hold, usually a national technical qualification (국가기술자격)."""

    class Grade(models.TextChoices):
        # Q-Net's grade codes: 30 engineer, 31 industrial engineer, 40 craftsman.
        ENGINEER = "30", _("Engineer (기사)")
        INDUSTRIAL_ENGINEER = "31", _("Industrial engineer (산업기사)")
        CRAFTSMAN = "40", _("Craftsman (기능사)")
        PRIVATE = "private", _("Private certificate")

    name = models.CharField(_("name"), max_length=100, unique=True)
    qnet_code = models.CharField(
        _("Q-Net code"),
        max_length=10,
        blank=True,
        help_text=_("The national qualification code on Q-Net; empty for private certificates."),
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["qnet_code"],
                condition=~Q(qnet_code=""),
                name="certification_unique_qnet_code",
                violation_error_message=_("Another certification already has this Q-Net code."),
            ),
            models.CheckConstraint(
                condition=Q(grade="private") | ~Q(qnet_code=""),
                name="certification_national_has_code",
                violation_error_message=_("A national qualification needs its Q-Net code."),
            ),
        ]

    def __str__(self):
        return self.name


ncs_code_validator = RegexValidator(
    r"^\d{10}_\d{2}v\d+$",
    _("An NCS unit code looks like 1901020306_13v1: ten digits, an underscore, the year and version."),
)


class NcsUnit(models.Model):
    """A unit of the National Competency Standards (NCS), the building block of curricula."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[ncs_code_validator])
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )

    class Meta:
        verbose_name = _("NCS unit")
        verbose_name_plural = _("NCS units")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=8),
                name="ncs_level_1_to_8",
                violation_error_message=_("NCS levels run from 1 to 8."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class BudgetLine(models.Model):
    """A planned amount for one category of spending in one programme year."""

    class Category(models.TextChoices):
        SUPPORT_CENTRE = "support_centre", _("Support centre and staff")
        CURRICULUM = "curriculum", _("Joint curricula and job training")
        EQUIPMENT = "equipment", _("Training equipment")
        HIRING_FAIR = "hiring_fair", _("Hiring fairs")
        TEACHER_TRAINING = "teacher_training", _("Teacher training")
        FIELD_PRACTICE = "field_practice", _("Field-practice support")
        SETTLEMENT = "settlement", _("Settlement and housing support")
        OTHER = "other", _("Other")

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    planned_krw = models.BigIntegerField(_("planned (KRW)"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["district", "-year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "category"],
                name="budgetline_unique_category_year",
                violation_error_message=_("This category already has a line for this year."),
            ),
            models.CheckConstraint(
                condition=Q(planned_krw__gte=0),
                name="budgetline_planned_not_negative",
                violation_error_message=_("The planned amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_category_display()}"


class Expenditure(models.Model):
    """Money actually spent against a budget line."""

    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    spent_on = models.DateField(_("date"))
    amount_krw = models.BigIntegerField(_("amount (KRW)"))
    description = models.CharField(_("description"), max_length=200)
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
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["-spent_on"]
        indexes = [models.Index(fields=["budget_line", "spent_on"], name="expenditure_line_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_krw__gt=0),
                name="expenditure_amount_positive",
                violation_error_message=_("An expenditure must be more than zero."),
            )
        ]

    def __str__(self):
        return f"{self.spent_on} {self.description}"


class KpiTarget(models.Model):
    """The district's target for one indicator in one year, as agreed with the Ministry."""

    class Indicator(models.TextChoices):
        EMPLOYMENT_RATE = "employment_rate", _("Employment rate (%)")
        LOCAL_EMPLOYMENT_RATE = "local_employment_rate", _("Local employment rate (%)")
        RETENTION_6M = "retention_6m", _("Retention at 6 months (%)")
        RETENTION_12M = "retention_12m", _("Retention at 12 months (%)")
        PROGRESSION_RATE = "progression_rate", _("Progression to credit programmes (%)")
        FIELD_PRACTICE_PARTICIPANTS = "field_practice", _("Field-practice participants")
        TEACHER_TRAINING_HOURS = "teacher_training_hours", _("Teacher-training hours")
        MOU_HIRES = "mou_hires", _("Hires under agreements")

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="kpi_targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=32, choices=Indicator.choices)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["district", "-year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "indicator"],
                name="kpitarget_unique_indicator_year",
                violation_error_message=_("This indicator already has a target for this year."),
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0),
                name="kpitarget_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_indicator_display()}"


class DashboardToken(models.Model):
    """A read-only key with which a city dashboard or BI tool reads one district's API.

    Only the key's public prefix and the SHA-256 hash of the whole key are stored; the
    key itself is shown once, when an official creates it, and cannot be recovered.
    """

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="dashboard_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who or what uses this key, for example the city BI server.")
    )
    key_prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard token")
        verbose_name_plural = _("dashboard tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="dashboardtoken_expires_after_creation",
                violation_error_message=_("A token must expire after it is created."),
            ),
            models.CheckConstraint(
                condition=~Q(key_hash=""),
                name="dashboardtoken_has_hash",
                violation_error_message=_("A token needs the hash of its key."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"


class ExportLog(models.Model):
    """One download of dashboard data or of the evaluation pack: who, when, from where, what, what filters."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="export_logs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="export_logs",
    )
    token = models.ForeignKey(
        DashboardToken,
        verbose_name=_("dashboard token"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="export_logs",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    what = models.CharField(_("what"), max_length=100)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    purpose = models.CharField(_("stated purpose"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["district", "at"], name="exportlog_district_at"),
            models.Index(fields=["user", "at"], name="exportlog_user_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user or self.token} {self.what}"


class TaskOutbox(models.Model):
    """A Celery task that could not be published because the broker (Redis) was unreachable.

    `district.outbox.enqueue` writes a row instead of failing the request; the sweeper
    (`district.outbox_flush`, every minute, and `manage.py flush_outbox`) publishes
    the rows once Redis answers again and deletes each row it sent.
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("positional arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), auto_now=True)

    class Meta:
        verbose_name = _("unsent task")
        verbose_name_plural = _("unsent tasks")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task_name} {self.args} ({self.created_at:%Y-%m-%d %H:%M})"
