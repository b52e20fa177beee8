"""Vocational high schools, their departments, curricula, students, teachers and field practice."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class School(models.Model):
    """A high school in the district that takes part in the programme."""

    class Kind(models.TextChoices):
        MEISTER = "meister", _("Meister school (마이스터고)")
        SPECIALISED = "specialised", _("Specialised vocational school (특성화고)")
        GENERAL = "general", _("General high school (일반고)")

    district = models.ForeignKey(
        "district.District", verbose_name=_("district"), on_delete=models.CASCADE, related_name="schools"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    area = models.ForeignKey(
        "district.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
    )
    is_agreement_type = models.BooleanField(_("agreement-type school (협약형 특성화고)"), default=False)
    is_hub = models.BooleanField(_("hub for joint curricula"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["district", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="school_unique_name",
                violation_error_message=_("This district already has a school with this name."),
            )
        ]

    def __str__(self):
        return self.name


class Department(models.Model):
    """A department (학과) of a school; a reorganised department points to the one it replaced."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=100)
    segment = models.ForeignKey(
        "district.IndustrySegment",
        verbose_name=_("industry segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="departments",
    )
    classes = models.PositiveSmallIntegerField(_("classes"), default=1)
    students_per_year = models.PositiveSmallIntegerField(_("students per year"), default=20)
    established_year = models.PositiveSmallIntegerField(_("established"), null=True, blank=True)
    replaced = models.ForeignKey(
        "self",
        verbose_name=_("replaced department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
    )
    reorganised_year = models.PositiveSmallIntegerField(_("reorganised in"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="department_unique_name",
                violation_error_message=_("This school already has a department with this name."),
            ),
            models.CheckConstraint(
                condition=Q(replaced__isnull=True, reorganised_year__isnull=True)
                | Q(replaced__isnull=False, reorganised_year__isnull=False),
                name="department_reorganisation_complete",
                violation_error_message=_(
                    "A reorganisation needs both the department it replaced and the year."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(replaced=F("pk")),
                name="department_not_replacing_itself",
                violation_error_message=_("A department cannot replace itself."),
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.name}"


class CourseUnit(models.Model):
    """A curriculum unit taught in a department, built on an NCS unit, often co-developed with companies."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="course_units"
    )
    ncs_unit = models.ForeignKey(
        "district.NcsUnit", verbose_name=_("NCS unit"), on_delete=models.PROTECT, related_name="course_units"
    )
    title = models.CharField(_("title"), max_length=200)
    hours = models.PositiveSmallIntegerField(_("hours"))
    grade_year = models.PositiveSmallIntegerField(_("school year"), default=2)
    co_developers = models.ManyToManyField(
        "companies.Company", verbose_name=_("co-developed with"), blank=True, related_name="course_units"
    )
    certifications = models.ManyToManyField(
        "district.Certification",
        verbose_name=_("prepares for"),
        blank=True,
        related_name="course_units",
    )

    class Meta:
        verbose_name = _("curriculum unit")
        verbose_name_plural = _("curriculum units")
        ordering = ["department", "grade_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="courseunit_hours_positive",
                violation_error_message=_("A unit needs at least one hour."),
            ),
            models.CheckConstraint(
                condition=Q(grade_year__gte=1, grade_year__lte=3),
                name="courseunit_grade_1_to_3",
                violation_error_message=_("High-school years run from 1 to 3."),
            ),
        ]

    def __str__(self):
        return self.title


# PIPA art. 22-2: under 14 in full years (만 14세), a guardian consents to collecting personal data.
ACCOUNT_MIN_AGE_WITHOUT_CONSENT = 14
# Working needs a guardian's consent, recorded by the school, below these ages on the first day
# (the rule is `Student.needs_consent_to_work`): field practice below 19 (a minor, Civil Act
# art. 4; `schools.services.practice`), a job below 18 (Labour Standards Act art. 66; the
# acceptance of an offer in `placements`).
EMPLOYMENT_CONSENT_UNDER = 18


def guardian_consent_message(student) -> str:
    return _(
        "%(name)s is under 14, so they may have an account only after the school records their "
        "guardian's consent (PIPA art. 22-2)."
    ) % {"name": student.name}


class Student(models.Model):
    """A student or graduate of a school in the programme.

    Personal data is kept to the minimum the programme needs: no resident registration
    number and no home address, only a commute area. The birth date decides whether
    guardian consent is needed; contact details are hidden from companies until the
    student accepts an offer.
    """

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        GRADUATED = "graduated", _("Graduated")
        LEFT = "left", _("Left school")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="students"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="students"
    )
    student_number = models.CharField(_("student number"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    cohort = models.PositiveSmallIntegerField(
        _("cohort (school year)"),
        help_text=_(
            "The school year (학년도) of the student's final year: the class of school year 2026 "
            "graduates in February 2027."
        ),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ENROLLED)
    commute_area = models.ForeignKey(
        "district.Area",
        verbose_name=_("commute area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="students",
    )
    field_of_interest = models.ForeignKey(
        "district.IndustrySegment",
        verbose_name=_("field of interest"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interested_students",
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
    )
    certifications = models.ManyToManyField(
        "district.Certification",
        verbose_name=_("certifications"),
        through="StudentCertification",
        blank=True,
        related_name="students",
    )
    # PIPA art. 22-2: a child under 14 (만 14세, international age) gets an account only with a
    # legal guardian's consent. The date and who recorded it; the rule itself is in `clean()`.
    guardian_consent_on = models.DateField(
        _("guardian consent to an account"),
        null=True,
        blank=True,
        help_text=_("Needed before a student under 14 may have an account."),
    )
    guardian_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        # Never looked up by recorder; no index keeps the migration from locking the student table.
        db_index=False,
    )
    # Set once the retention period after graduation has passed (privacy.services.anonymise_student).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["school", "student_number"]
        indexes = [
            models.Index(fields=["cohort", "status"], name="student_cohort_status"),
            models.Index(fields=["department", "cohort"], name="student_dept_cohort"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"],
                name="student_unique_number",
                violation_error_message=_("This school already has a student with this number."),
            ),
            # Who recorded a consent is kept only together with its date. (That a child under 14
            # has a consent depends on today's date, which a CHECK cannot read: see `clean()`.)
            models.CheckConstraint(
                condition=Q(guardian_consent_by__isnull=True) | Q(guardian_consent_on__isnull=False),
                name="student_consent_recorder_has_date",
                violation_error_message=_("Record the date of the guardian's consent."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.student_number})"

    def clean(self):
        super().clean()
        if self.user_id and self.needs_guardian_consent():
            raise ValidationError(guardian_consent_message(self), code="guardian_consent")

    def needs_guardian_consent(self, day: datetime.date | None = None) -> bool:
        """True for a child under 14 on `day` (default today) with no guardian consent recorded.

        A student without a recorded birth date is not refused: the programme's students are
        high-school students (15 and over), and the roster makes the birth date optional.
        """
        age = self.age_on(day or timezone.localdate())
        return age is not None and age < ACCOUNT_MIN_AGE_WITHOUT_CONSENT and self.guardian_consent_on is None

    def needs_consent_to_work(self, starts_on: datetime.date, *, under: int) -> bool:
        """Whether work starting on `starts_on` needs a guardian's consent: the student is
        younger than `under` that day, or nobody recorded their birth date (we cannot tell, so we ask)."""
        age = self.age_on(starts_on)
        return age is None or age < under

    def age_on(self, day: datetime.date) -> int | None:
        """Age in full years on `day`, or None when the birth date is not recorded."""
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class StudentCertification(models.Model):
    """A certification a student holds, with the date it was acquired."""

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="held_certifications"
    )
    certification = models.ForeignKey(
        "district.Certification",
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="holders",
    )
    acquired_on = models.DateField(_("acquired on"))
    number = models.CharField(
        _("certificate number"),
        max_length=40,
        blank=True,
        help_text=_("The number printed on the certificate, recorded when the school checks it."),
    )
    verified_at = models.DateTimeField(_("checked by the school at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("certification held")
        verbose_name_plural = _("certifications held")
        ordering = ["student", "acquired_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "certification"],
                name="studentcert_unique",
                violation_error_message=_("The student already holds this certification."),
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | ~Q(number=""),
                name="studentcert_verified_has_number",
                violation_error_message=_("A checked certification needs its certificate number."),
            ),
        ]

    def __str__(self):
        return f"{self.student} · {self.certification}"

    @property
    def is_verified(self) -> bool:
        """The school has checked the certificate: its number and issue date are on record."""
        return self.verified_at is not None


class Teacher(models.Model):
    """A teacher at a school, tracked for the district's teacher-training hours."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="teachers"
    )
    name = models.CharField(_("name"), max_length=50)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher",
    )

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["school", "name"]

    def __str__(self):
        return self.name


class TeacherTraining(models.Model):
    """A training programme for teachers, such as a battery-process course run with a company."""

    district = models.ForeignKey(
        "district.District",
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="teacher_trainings",
    )
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=100)
    hours = models.PositiveSmallIntegerField(_("hours"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    co_hosts = models.ManyToManyField(
        "companies.Company", verbose_name=_("co-hosted by"), blank=True, related_name="teacher_trainings"
    )

    class Meta:
        verbose_name = _("teacher training")
        verbose_name_plural = _("teacher trainings")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="training_hours_positive",
                violation_error_message=_("A training needs at least one hour."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="training_dates_ordered",
                violation_error_message=_("A training cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title


class TrainingCompletion(models.Model):
    """A teacher's completion of a training, with the hours they attended."""

    training = models.ForeignKey(
        TeacherTraining, verbose_name=_("training"), on_delete=models.CASCADE, related_name="completions"
    )
    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="completions"
    )
    completed_on = models.DateField(_("completed on"))
    hours = models.PositiveSmallIntegerField(_("hours"))

    class Meta:
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "teacher"],
                name="completion_unique",
                violation_error_message=_("This teacher's completion is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="completion_hours_positive",
                violation_error_message=_("Completed hours must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.teacher} · {self.training}"


class FieldPractice(models.Model):
    """A student's field practice (현장실습) at a company.

    It may start only with a named company supervisor, a school safety check and, for
    a student under 19, recorded guardian consent. The database holds the first two for
    every practice that has started; the service checks the age-dependent consent.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        ON_HOLD = "on_hold", _("On hold")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class ConsentMethod(models.TextChoices):
        WRITTEN = "written", _("Signed form")
        ELECTRONIC = "electronic", _("Electronic signature")
        IN_PERSON = "in_person", _("In person at school")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="field_practices"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="field_practices",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    supervisor_name = models.CharField(_("company supervisor"), max_length=50, blank=True)
    guardian_consent_on = models.DateField(_("guardian consent date"), null=True, blank=True)
    guardian_consent_method = models.CharField(
        _("guardian consent method"), max_length=16, choices=ConsentMethod.choices, blank=True
    )
    safety_checked_on = models.DateField(_("safety check date"), null=True, blank=True)
    safety_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("safety check signed off by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    host_evaluation = models.CharField(
        _("host's evaluation"),
        max_length=300,
        blank=True,
        default="",
        db_default="",  # old code inserting during a roll-out leaves it out
        help_text=_("The host company's short evaluation of the student, shown on the student's profile."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("field practice")
        verbose_name_plural = _("field practices")
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["company", "status"], name="fieldpractice_company_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="fieldpractice_dates_ordered",
                violation_error_message=_("Field practice cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "cancelled"])
                | (Q(safety_checked_on__isnull=False) & ~Q(supervisor_name="")),
                name="fieldpractice_started_has_safety_and_supervisor",
                violation_error_message=_(
                    "Field practice cannot start without a school safety check "
                    "and a named company supervisor."
                ),
            ),
            models.CheckConstraint(
                condition=Q(guardian_consent_on__isnull=True, guardian_consent_method="")
                | (Q(guardian_consent_on__isnull=False) & ~Q(guardian_consent_method="")),
                name="fieldpractice_consent_complete",
                violation_error_message=_("Guardian consent needs both its date and its method."),
            ),
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(status__in=["in_progress", "on_hold"]),
                name="fieldpractice_one_current_per_student",
                violation_error_message=_("The student already has a field practice under way."),
            ),
        ]

    def __str__(self):
        return f"{self.student} @ {self.company}"


# --- Issue 7: invitations, roster imports, practice diaries and incidents, retention reviews ---


class StudentInvitation(models.Model):
    """A single-use link, valid for seven days, with which a student sets the password of their account.

    Only the SHA-256 hash of the link's token is stored. The token itself is made by the
    task that sends the email, so it never passes through the broker or the database.
    """

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(
        _("token hash (SHA-256)"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("student invitation")
        verbose_name_plural = _("student invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["student", "created_at"], name="invitation_student_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="invitation_expires_after_creation",
                violation_error_message=_("An invitation must expire after it is created."),
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(token_hash__isnull=False),
                name="invitation_used_was_sent",
                violation_error_message=_("An invitation can be used only after its link was sent."),
            ),
        ]

    def __str__(self):
        return f"{self.student} · {self.email}"

    @property
    def state(self) -> str:
        """ "used", "expired", "sent" or "sending" (the email task has not run yet)."""
        if self.used_at:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "sent" if self.sent_at else "sending"


class RosterImport(models.Model):
    """One upload of a school's roster file, checked whole and then applied all or nothing."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking rows")
        SAVING = "saving", _("Saving")
        SUCCEEDED = "succeeded", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing was saved")
        FAILED = "failed", _("Failed: nothing was saved")

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="roster_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    file_path = models.CharField(
        _("stored file"),
        max_length=255,
        blank=True,
        help_text=_("Relative to MEDIA_ROOT, outside the web root; removed once the import ends."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("students added"), default=0)
    updated_count = models.PositiveIntegerField(_("students updated"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed__lte=F("total")),
                name="rosterimport_processed_within_total",
                violation_error_message=_("An import cannot check more rows than the file has."),
            ),
        ]

    def __str__(self):
        return f"{self.school} · {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.CHECKING, self.Status.SAVING}


class PracticeDiaryEntry(models.Model):
    """A student's diary of one week of field practice, acknowledged by the company supervisor."""

    practice = models.ForeignKey(
        FieldPractice,
        verbose_name=_("field practice"),
        on_delete=models.CASCADE,
        related_name="diary_entries",
    )
    week_starting = models.DateField(_("week starting (Monday)"))
    text = models.TextField(_("what I did and learned"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("practice diary entry")
        verbose_name_plural = _("practice diary entries")
        ordering = ["practice", "week_starting"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "week_starting"],
                name="diary_one_entry_per_week",
                violation_error_message=_("This week already has a diary entry."),
            ),
        ]

    def __str__(self):
        return f"{self.practice} · {self.week_starting}"


class PracticeIncident(models.Model):
    """An incident during field practice; it holds the practice until the school reviews it."""

    class ReporterRole(models.TextChoices):
        STUDENT = "student", _("Student")
        SCHOOL = "school", _("School")
        COMPANY = "company", _("Company")

    class Outcome(models.TextChoices):
        RESUME = "resume", _("Resume the practice")
        END = "end", _("End the practice")

    practice = models.ForeignKey(
        FieldPractice, verbose_name=_("field practice"), on_delete=models.CASCADE, related_name="incidents"
    )
    reporter_role = models.CharField(_("reported by (role)"), max_length=16, choices=ReporterRole.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("what happened"))
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("practice incident")
        verbose_name_plural = _("practice incidents")
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["practice", "reviewed_at"], name="incident_practice_reviewed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, outcome="")
                | (Q(reviewed_at__isnull=False) & ~Q(outcome="")),
                name="incident_review_complete",
                violation_error_message=_("A review needs both its time and its outcome."),
            ),
        ]

    def __str__(self):
        return f"{self.practice} · {self.reported_at:%Y-%m-%d}"


# --- Issue 15: the student's profile --------------------------------------------------------
#
# What the school holds (certifications with their numbers, the curriculum, attendance, field
# practice) is marked "학교 확인" and only staff change it. What the student writes (the
# 자기소개서, awards and activities, projects) is marked as their own. A company sees neither
# live: it sees a ProfileSnapshot taken when the student applied or an offer was published.
# The profile holds nothing the Fair Hiring Procedure Act (채용절차법 art. 4-3) forbids
# asking: no photo, physical traits, birthplace, marital status, property or family.


class AttendanceRecord(models.Model):
    """A student's attendance in one school year (출결), as the school's records hold it."""

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="attendance_records"
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    absences = models.PositiveSmallIntegerField(_("days absent"), default=0)
    late = models.PositiveSmallIntegerField(_("times late"), default=0)
    left_early = models.PositiveSmallIntegerField(_("times left early"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["student", "school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_year"],
                name="attendance_one_per_school_year",
                violation_error_message=_(
                    "This student already has attendance recorded for that school year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.student} · {self.school_year}"


class SelfIntroduction(models.Model):
    """A student's 자기소개서: their own answers to the four questions Korean applications ask."""

    # The answers in the order an application asks them.
    ANSWERS = ("growth", "motivation", "competence", "aspiration")

    student = models.OneToOneField(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="self_introduction"
    )
    growth = models.TextField(_("background (성장 과정)"), blank=True)
    motivation = models.TextField(_("why this field (지원 동기)"), blank=True)
    competence = models.TextField(_("skills for the job (직무 역량)"), blank=True)
    aspiration = models.TextField(_("plans after joining (입사 후 포부)"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("self-introduction")
        verbose_name_plural = _("self-introductions")

    def __str__(self):
        return str(self.student)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.ANSWERS)


class Activity(models.Model):
    """An award or activity that a student lists on their profile (수상·활동), in their own words."""

    class Kind(models.TextChoices):
        AWARD = "award", _("Award")
        ACTIVITY = "activity", _("Activity")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    organiser = models.CharField(_("awarded or run by"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award or activity")
        verbose_name_plural = _("awards and activities")
        ordering = ["student", "-date", "pk"]

    def __str__(self):
        return self.title


class ProfileFile(models.Model):
    """A file attached to a project, kept under MEDIA_ROOT outside the web root and never served directly.

    A file stays while a project or a snapshot refers to it, so that what a company saw does
    not change when the student replaces or removes the project.
    """

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="profile_files"
    )
    path = models.CharField(_("stored as"), max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("profile file")
        verbose_name_plural = _("profile files")
        ordering = ["student", "-created_at"]

    def __str__(self):
        return self.original_name


class Project(models.Model):
    """A project or portfolio piece that a student describes on their profile, with at most one file."""

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    file = models.ForeignKey(
        ProfileFile,
        verbose_name=_("file"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["student", "-date", "pk"]

    def __str__(self):
        return self.title


class ProfileSnapshot(models.Model):
    """A student's profile as one company saw it: taken when they applied, or when an offer was published.

    `verified` holds what the school checked; `own` holds what the student wrote, and is
    emptied (set to None) when the student withdraws the application. Both are the document
    that `schools.selectors.profile.profile_document` builds, frozen as JSON.
    """

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="profile_snapshots"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    verified = models.JSONField(_("facts the school checked"), default=dict)
    own = models.JSONField(_("what the student wrote"), null=True, blank=True)
    own_removed_at = models.DateTimeField(_("student's own text removed at"), null=True, blank=True)
    files = models.ManyToManyField(ProfileFile, verbose_name=_("files"), blank=True, related_name="snapshots")

    class Meta:
        verbose_name = _("profile snapshot")
        verbose_name_plural = _("profile snapshots")
        ordering = ["-taken_at", "-pk"]

    def __str__(self):
        return f"{self.student} → {self.company}"
