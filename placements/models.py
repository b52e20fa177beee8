"""Pathways, matching rounds and their runs, applications and placements."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import EMPLOYMENT_CONSENT_UNDER, FieldPractice


class Pathway(models.Model):
    """A public route: a school department, field practice, job roles, then credit programmes."""

    district = models.ForeignKey(
        "district.District", verbose_name=_("district"), on_delete=models.CASCADE, related_name="pathways"
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    department = models.ForeignKey(
        "schools.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="pathways"
    )
    segment = models.ForeignKey(
        "district.IndustrySegment",
        verbose_name=_("industry segment"),
        on_delete=models.RESTRICT,
        related_name="pathways",
    )
    job_roles = models.ManyToManyField(
        "district.JobRole", verbose_name=_("job roles"), related_name="pathways"
    )
    certifications = models.ManyToManyField(
        "district.Certification",
        verbose_name=_("certifications to earn"),
        blank=True,
        related_name="pathways",
    )
    practice_companies = models.ManyToManyField(
        "companies.Company", verbose_name=_("field-practice companies"), blank=True, related_name="pathways"
    )
    credit_programs = models.ManyToManyField(
        "universities.CreditProgram", verbose_name=_("credit programmes"), blank=True, related_name="pathways"
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        ordering = ["title"]

    def __str__(self):
        return self.title


# Lottery seeds stay below 2**53 so that JavaScript clients read them exactly.
SEED_LIMIT = 2**53


def new_round_seed() -> int:
    """A fresh lottery seed for a new round, drawn once when the round is created."""
    return secrets.randbelow(SEED_LIMIT)


class MatchRound(models.Model):
    """A matching round for one cohort of a district: students rank openings until the deadline."""

    district = models.ForeignKey(
        "district.District", verbose_name=_("district"), on_delete=models.CASCADE, related_name="match_rounds"
    )
    cohort = models.PositiveSmallIntegerField(
        _("cohort (school year)"),
        help_text=_("The school year (학년도) of the students' final year: 2026 graduates in February 2027."),
    )
    title = models.CharField(_("title"), max_length=200)
    preferences_close_at = models.DateTimeField(_("rankings close at"))
    offer_response_days = models.PositiveSmallIntegerField(_("days to answer an offer"), default=7)
    # Fixed when the round is created, which is when its rankings open, and never editable: every
    # run of the round breaks ties with it, so a re-run on the same inputs gives the same matching.
    seed = models.BigIntegerField(
        _("lottery seed"),
        default=new_round_seed,
        editable=False,
        help_text=_(
            "Breaks ties between students with the same fit. Drawn when the round was created; "
            "every run of the round uses it."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("matching round")
        verbose_name_plural = _("matching rounds")
        ordering = ["-cohort"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "cohort"],
                name="matchround_one_per_cohort",
                violation_error_message=_("This cohort already has a matching round."),
            )
        ]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """One line of a student's ranked list of openings for their cohort's round (1 is the first choice)."""

    student = models.ForeignKey(
        "schools.Student", verbose_name=_("student"), on_delete=models.CASCADE, related_name="preferences"
    )
    opening = models.ForeignKey(
        "companies.Opening", verbose_name=_("opening"), on_delete=models.CASCADE, related_name="preferences"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["student", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "opening"],
                name="preference_unique_opening",
                violation_error_message=_("This opening is already on the student's list."),
            ),
            models.UniqueConstraint(
                fields=["student", "rank"],
                name="preference_unique_rank",
                violation_error_message=_("Two openings cannot share a rank."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=30),
                name="preference_rank_1_to_30",
                violation_error_message=_("Ranks run from 1 to 30."),
            ),
        ]

    def __str__(self):
        return f"{self.student} #{self.rank} {self.opening}"


class MatchRun(models.Model):
    """One execution of the matching engine for a round, with its inputs' fingerprint, seed and statistics."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        PUBLISHED = "published", _("Published")

    district = models.ForeignKey(
        "district.District", verbose_name=_("district"), on_delete=models.CASCADE, related_name="match_runs"
    )
    round = models.ForeignKey(
        MatchRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="runs"
    )
    cohort = models.PositiveSmallIntegerField(_("cohort (school year)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # A copy of the round's seed when the run started (runs made before rounds had a seed drew their own).
    seed = models.BigIntegerField(_("lottery seed"))
    input_fingerprint = models.CharField(_("input fingerprint"), max_length=64, blank=True)
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["district"],
                condition=Q(status__in=["queued", "running"]),
                name="matchrun_one_active_per_district",
                violation_error_message=_("A matching run is already queued or running for this district."),
            ),
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status="published"),
                name="matchrun_one_published_per_round",
                violation_error_message=_("This round already has a published run."),
            ),
        ]

    def __str__(self):
        if self.is_trial:
            return f"{self.round} #{self.pk} ({_('Trial run')}, {self.get_status_display()})"
        return f"{self.round} #{self.pk} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        # district and cohort are copies of the round's, kept on the row so that the
        # database can enforce one active run per district; they never disagree.
        self.district_id = self.round.district_id
        self.cohort = self.round.cohort
        super().save(*args, **kwargs)

    @property
    def is_trial(self) -> bool:
        """Started while the round's rankings were open: a preview of the matching, never published."""
        return self.created_at is not None and self.created_at < self.round.preferences_close_at


class Match(models.Model):
    """A student assigned to an opening by a run, with the fit score and the reason in words."""

    run = models.ForeignKey(MatchRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="matches")
    student = models.ForeignKey(
        "schools.Student", verbose_name=_("student"), on_delete=models.CASCADE, related_name="matches"
    )
    opening = models.ForeignKey(
        "companies.Opening",
        verbose_name=_("opening"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="matches",
        help_text=_("Empty when the student was not matched."),
    )
    choice_rank = models.PositiveSmallIntegerField(_("choice"), null=True, blank=True)
    score = models.FloatField(_("fit score"), null=True, blank=True)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["run", "student"]
        indexes = [models.Index(fields=["run", "opening"], name="match_run_opening")]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "student"],
                name="match_one_per_student_per_run",
                violation_error_message=_("A run gives each student one outcome."),
            ),
            models.CheckConstraint(
                condition=Q(opening__isnull=True) | Q(choice_rank__isnull=False),
                name="match_matched_has_rank",
                violation_error_message=_("A matched student needs the rank of the choice they got."),
            ),
        ]

    def __str__(self):
        return f"{self.student} → {self.opening or '-'}"


ACTIVE_APPLICATION_STATUSES = ["submitted", "reviewing", "interview", "offered", "accepted", "hired"]
# Applications still open: nothing is decided for good yet. The student's home counts these, and
# accepting an offer closes them all (offers declined, the rest withdrawn).
OPEN_APPLICATION_STATUSES = ["submitted", "reviewing", "interview", "offered"]
# Applications that hold a seat of their opening (a seat is taken until a placement records it).
SEAT_HOLDING_STATUSES = ["accepted", "hired"]
# Statuses in which the company owes the student a decision (stale reminders, the recruiter's queue).
AWAITING_COMPANY_STATUSES = ["submitted", "reviewing", "interview"]


class Application(models.Model):
    """A student's application to an opening, made directly or as an offer from a published round."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REVIEWING = "reviewing", _("Under review")
        INTERVIEW = "interview", _("Interview")
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        HIRED = "hired", _("Hired")
        DECLINED = "declined", _("Declined")
        REJECTED = "rejected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled by the company")

    # The status sets above, for companies (below placements), which reaches this model
    # through the relation `Opening.applications` and never imports placements.
    ACTIVE_STATUSES = ACTIVE_APPLICATION_STATUSES

    class Source(models.TextChoices):
        DIRECT = "direct", _("Direct application")
        MATCHING = "matching", _("Matching round")

    student = models.ForeignKey(
        "schools.Student", verbose_name=_("student"), on_delete=models.CASCADE, related_name="applications"
    )
    opening = models.ForeignKey(
        "companies.Opening", verbose_name=_("opening"), on_delete=models.CASCADE, related_name="applications"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.DIRECT)
    match = models.OneToOneField(
        Match,
        verbose_name=_("match"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    feedback = models.TextField(_("feedback to the student"), blank=True)
    note = models.TextField(
        _("note from the student"),
        max_length=500,
        blank=True,
        default="",
        db_default="",  # old code inserting during a roll-out leaves it out
        help_text=_("What the student wrote to the company when applying."),
    )
    profile_snapshot = models.OneToOneField(
        "schools.ProfileSnapshot",
        verbose_name=_("profile as the company sees it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Labour Standards Act art. 66: a student under 18 on the day the job starts works only with
    # a guardian's consent, which the student's school records (`application_record_guardian_consent`).
    # Until then an acceptance holds the seat but makes no placement, and the company cannot record
    # the hire (`needs_guardian_consent`).
    guardian_consent_on = models.DateField(_("guardian consent date"), null=True, blank=True)
    guardian_consent_method = models.CharField(
        _("guardian consent method"),
        max_length=16,
        choices=FieldPractice.ConsentMethod.choices,
        blank=True,
        default="",
        db_default="",  # old code inserting during a roll-out leaves it out
    )
    guardian_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guardian consent recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["opening", "status"], name="application_opening_status"),
            models.Index(fields=["student", "status"], name="application_student_status"),
            models.Index(fields=["status", "status_changed_at"], name="application_status_changed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "opening"],
                condition=Q(status__in=ACTIVE_APPLICATION_STATUSES),
                name="application_one_active_per_opening",
                violation_error_message=_("The student already has an active application to this opening."),
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offered_at__isnull=False),
                name="application_offer_has_time",
                violation_error_message=_("An offer needs the time it was made."),
            ),
            models.CheckConstraint(
                condition=Q(guardian_consent_on__isnull=True, guardian_consent_method="")
                | (Q(guardian_consent_on__isnull=False) & ~Q(guardian_consent_method="")),
                name="application_consent_complete",
                violation_error_message=_("Guardian consent needs both its date and its method."),
            ),
        ]

    def __str__(self):
        return f"{self.student} → {self.opening}"

    def needs_guardian_consent(self, starts_on=None) -> bool:
        """True while the job needs a guardian's consent that the school has not recorded: the
        student is under 18 on the start date (`starts_on`, by default the opening's), or their
        birth date is not recorded (the rule of `Student.needs_consent_to_work`)."""
        if self.guardian_consent_on is not None:
            return False
        day = starts_on or self.opening.starts_on
        return self.student.needs_consent_to_work(day, under=EMPLOYMENT_CONSENT_UNDER)


# --- Who may move an application where (the services, the pages and the forms read it) ---------

_S = Application.Status


class Role:
    """Who acts on an application, for `TRANSITIONS`."""

    COMPANY = "company"
    STUDENT = "student"
    SCHOOL = "school"
    OFFICIAL = "official"


_BEFORE_OFFER = (_S.SUBMITTED, _S.REVIEWING, _S.INTERVIEW)
_STUDENTS_MOVES = {
    **{status: frozenset({_S.WITHDRAWN}) for status in _BEFORE_OFFER},
    _S.OFFERED: frozenset({_S.ACCEPTED, _S.DECLINED}),
}

# The one table of who may move an application where (see `placements.services.applications`).
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.COMPANY: {
        _S.SUBMITTED: frozenset({_S.REVIEWING, _S.INTERVIEW, _S.OFFERED, _S.REJECTED}),
        _S.REVIEWING: frozenset({_S.INTERVIEW, _S.OFFERED, _S.REJECTED}),
        _S.INTERVIEW: frozenset({_S.OFFERED, _S.REJECTED}),
        _S.OFFERED: frozenset({_S.REJECTED}),  # withdrawing the offer, with a reason
        _S.ACCEPTED: frozenset({_S.HIRED, _S.CANCELLED}),
    },
    Role.STUDENT: _STUDENTS_MOVES,
    # The student's moves on their behalf, and a hire made outside the portal, recorded as
    # the acceptance and then the hire (`application_record_outside_hire`).
    Role.SCHOOL: {
        **{status: moves | {_S.HIRED} for status, moves in _STUDENTS_MOVES.items()},
    },
    Role.OFFICIAL: {},
}

# Moves that need a note the student reads: feedback, the reason an offer is withdrawn or a
# job cancelled.
NOTE_REQUIRED = frozenset({_S.REJECTED, _S.CANCELLED})
# Statuses the student (or their school) may withdraw from.
WITHDRAWABLE = [status for status in _S.values if _S.WITHDRAWN in TRANSITIONS[Role.STUDENT].get(status, ())]


def next_statuses(role: str, status: str) -> list[str]:
    """The statuses `role` may move an application in `status` to, in the order of the choices."""
    allowed = TRANSITIONS[role].get(status, frozenset())
    return [value for value in _S.values if value in allowed]


def company_next_statuses(status: str) -> list[str]:
    """The statuses a company may move an application in `status` to (the recruiter's form and pages)."""
    return next_statuses(Role.COMPANY, status)


class ApplicationEvent(models.Model):
    """One change of an application's status: who made it, when, and any note."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("previous status"), max_length=16, choices=Application.Status.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=16, choices=Application.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["application", "at"]

    def __str__(self):
        return f"{self.application}: {self.from_status} → {self.to_status}"


class Placement(models.Model):
    """A graduate's job at a company, with the 6- and 12-month retention checks the Ministry asks for."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Employed")
        ENDED = "ended", _("Ended")

    class Retention(models.TextChoices):
        EMPLOYED = "employed", _("Still employed")
        LEFT = "left", _("Left")

    student = models.ForeignKey(
        "schools.Student", verbose_name=_("student"), on_delete=models.PROTECT, related_name="placements"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), on_delete=models.PROTECT, related_name="placements"
    )
    opening = models.ForeignKey(
        "companies.Opening",
        verbose_name=_("opening"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placement",
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    is_local = models.BooleanField(_("local job"), default=True)
    retention_6m = models.CharField(_("at 6 months"), max_length=16, choices=Retention.choices, blank=True)
    retention_6m_checked_on = models.DateField(_("6-month check date"), null=True, blank=True)
    retention_12m = models.CharField(_("at 12 months"), max_length=16, choices=Retention.choices, blank=True)
    retention_12m_checked_on = models.DateField(_("12-month check date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["company", "status"], name="placement_company_status"),
            models.Index(fields=["starts_on"], name="placement_starts_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(status="active"),
                name="placement_one_active_per_student",
                violation_error_message=_("The student already has an active placement."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="placement_dates_ordered",
                violation_error_message=_("A placement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ends_on__isnull=False),
                name="placement_ended_has_date",
                violation_error_message=_("An ended placement needs its end date."),
            ),
        ]

    def __str__(self):
        return f"{self.student} @ {self.company}"


class SavedSearch(models.Model):
    """A student's saved /openings/ search, with a daily email digest of the new openings it matches."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=100)
    querystring = models.CharField(
        _("search"),
        max_length=500,
        blank=True,
        help_text=_("The filters of the openings page, normalised, without the page number."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_notified_at = models.DateTimeField(
        _("checked for new openings until"),
        null=True,
        blank=True,
        help_text=_("Openings published after this time are new for the next digest."),
    )
    unsubscribe_token = models.CharField(_("unsubscribe token"), max_length=64, unique=True, editable=False)
    unsubscribed_at = models.DateTimeField(_("email digest turned off at"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["user", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "querystring"],
                name="savedsearch_unique_per_user",
                violation_error_message=_("You have already saved this search."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def emails_digest(self) -> bool:
        return self.unsubscribed_at is None


class Notification(models.Model):
    """A message for one user inside the portal, such as new openings for a saved search or a new offer."""

    class Kind(models.TextChoices):
        SAVED_SEARCH = "saved_search", _("New openings for a saved search")
        APPLICATION = "application", _("Application update")
        OFFER = "offer", _("Offer")
        MATCHING = "matching", _("Matching round")
        OTHER = "other", _("Other")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self):
        return self.text


class OfferEmail(models.Model):
    """The email that tells a student about their offer from a published round, and how its sending went.

    Written with the offers, in the publication's transaction, one row per offer whose student
    has an address; the task `placements.offer_email_send` sends it (paced by
    `OFFER_EMAIL_RATE_LIMIT`) and records the outcome. The run's page counts the rows by status
    and re-sends the failed ones. No address is stored: it is read when the email is sent.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # The offer was answered or withdrawn before its email went out, or the address is gone.
        SKIPPED = "skipped", _("Not needed")

    run = models.ForeignKey(
        MatchRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="offer_emails"
    )
    application = models.OneToOneField(
        Application, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="offer_email"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer email")
        verbose_name_plural = _("offer emails")
        ordering = ["run", "pk"]
        indexes = [models.Index(fields=["run", "status"], name="offeremail_run_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="offeremail_sent_has_time",
                violation_error_message=_("A sent email needs the time it was sent."),
            ),
        ]

    def __str__(self):
        return f"{self.application} ({self.get_status_display()})"


class Suggestion(models.Model):
    """An opening suggested to a student overnight, among the ten that fit them best, with the reason."""

    student = models.ForeignKey(
        "schools.Student", verbose_name=_("student"), on_delete=models.CASCADE, related_name="suggestions"
    )
    opening = models.ForeignKey(
        "companies.Opening", verbose_name=_("opening"), on_delete=models.CASCADE, related_name="suggestions"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("fit score"))
    reason = models.JSONField(
        _("reason"),
        default=dict,
        blank=True,
        help_text=_("The fit's components, the required certifications held and the commute, as computed."),
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("suggested opening")
        verbose_name_plural = _("suggested openings")
        ordering = ["student", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "opening"],
                name="suggestion_unique_opening",
                violation_error_message=_("This opening is already suggested to the student."),
            ),
            models.UniqueConstraint(
                fields=["student", "rank"],
                name="suggestion_unique_rank",
                violation_error_message=_("Two suggestions cannot share a rank."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=10),
                name="suggestion_rank_1_to_10",
                violation_error_message=_("Suggestions are ranked from 1 to 10."),
            ),
        ]

    def __str__(self):
        return f"{self.student} #{self.rank} {self.opening}"


class RetentionReview(models.Model):
    """School staff's confirmation or correction of a placement's 6- or 12-month retention record."""

    class Milestone(models.IntegerChoices):
        SIX_MONTHS = 6, _("6 months")
        TWELVE_MONTHS = 12, _("12 months")

    class Status(models.TextChoices):
        # The same values as Placement.Retention.
        EMPLOYED = "employed", _("Still employed")
        LEFT = "left", _("Left")

    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.CASCADE,
        related_name="retention_reviews",
    )
    milestone = models.PositiveSmallIntegerField(_("milestone"), choices=Milestone.choices)
    status = models.CharField(_("confirmed status"), max_length=16, choices=Status.choices)
    recorded_status = models.CharField(
        _("status recorded before"),
        max_length=16,
        blank=True,
        help_text=_("Empty when nothing was recorded."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now=True)

    class Meta:
        verbose_name = _("retention review")
        verbose_name_plural = _("retention reviews")
        # The table keeps the name it had when the model lived in schools (placements 0008).
        db_table = "schools_retentionreview"
        ordering = ["placement", "milestone"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "milestone"],
                name="retentionreview_one_per_milestone",
                violation_error_message=_("This milestone of the placement is already reviewed."),
            ),
        ]

    def __str__(self):
        return f"{self.placement} · {self.milestone}"

    @property
    def is_correction(self) -> bool:
        return bool(self.recorded_status) and self.recorded_status != self.status
