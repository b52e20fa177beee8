"""Admin for schools: departments, curricula, students, teachers, training and field practice."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from district.admin_base import (
    DistrictScopedAdmin,
    ReadOnlyInlineMixin,
    ScopedTabularInline,
    subquery_count,
    subquery_sum,
)
from privacy.services import record_access
from schools.models import (
    Activity,
    AttendanceRecord,
    CourseUnit,
    Department,
    FieldPractice,
    PracticeDiaryEntry,
    PracticeIncident,
    ProfileFile,
    ProfileSnapshot,
    Project,
    RosterImport,
    School,
    SelfIntroduction,
    Student,
    StudentCertification,
    StudentInvitation,
    Teacher,
    TeacherTraining,
    TrainingCompletion,
)


@admin.register(School)
class SchoolAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = (
        "name",
        "kind",
        "area",
        "is_agreement_type",
        "is_hub",
        "department_count",
        "student_count",
        "district",
    )
    list_filter = ("kind", "is_agreement_type", "is_hub", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)
    autocomplete_fields = ("area",)
    list_select_related = ("district", "area")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                department_total=subquery_count(Department.objects.filter(is_active=True), "school"),
                student_total=subquery_count(
                    Student.objects.filter(status=Student.Status.ENROLLED), "school"
                ),
            )
        )

    @admin.display(description=_("active departments"), ordering="department_total")
    def department_count(self, obj):
        return obj.department_total

    @admin.display(description=_("enrolled students"), ordering="student_total")
    def student_count(self, obj):
        return obj.student_total


@admin.register(Department)
class DepartmentAdmin(DistrictScopedAdmin):
    district_lookup = "school__district"
    list_display = (
        "name",
        "school",
        "segment",
        "classes",
        "students_per_year",
        "is_active",
        "replaced_display",
        "student_count",
    )
    list_filter = ("is_active", "segment", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "school__name")
    autocomplete_fields = ("school", "segment", "replaced")
    list_select_related = ("school", "segment", "replaced")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                student_total=subquery_count(
                    Student.objects.filter(status=Student.Status.ENROLLED), "department"
                )
            )
        )

    @admin.display(description=_("replaced department"), ordering="replaced__name")
    def replaced_display(self, obj):
        if obj.replaced is None:
            return "-"
        return f"{obj.replaced.name} ({obj.reorganised_year})"

    @admin.display(description=_("enrolled students"), ordering="student_total")
    def student_count(self, obj):
        return obj.student_total


@admin.register(CourseUnit)
class CourseUnitAdmin(DistrictScopedAdmin):
    district_lookup = "department__school__district"
    list_display = ("title", "department", "ncs_unit", "grade_year", "hours")
    list_filter = ("grade_year", ("department__school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "ncs_unit__code", "ncs_unit__name", "department__name")
    autocomplete_fields = ("department", "ncs_unit", "co_developers", "certifications")
    list_select_related = ("department__school", "ncs_unit")


class StudentCertificationInline(ScopedTabularInline):
    model = StudentCertification
    fields = ("certification", "acquired_on", "number", "verified_at", "verified_by")
    # The school checks the certificate on its own page (schools.services.verification): the number
    # and who checked it when are shown here, not changed.
    readonly_fields = ("number", "verified_at", "verified_by")
    autocomplete_fields = ("certification",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("certification", "verified_by")


class AttendanceRecordInline(ReadOnlyInlineMixin, ScopedTabularInline):
    """Attendance per school year (출결), which the school enters on its pages or through the roster."""

    model = AttendanceRecord
    fields = ("school_year", "absences", "late", "left_early", "recorded_by", "updated_at")


class ProfileShownInline(ReadOnlyInlineMixin, ScopedTabularInline):
    """The student's own profile rows, shown by what they are and when, never by what they say.

    The free text (the 자기소개서, descriptions) and the files stay on the student's and the
    school's pages: an official helping with a question needs to know a row exists, not to read it.
    """

    extra = 0


class SelfIntroductionInline(ProfileShownInline):
    model = SelfIntroduction
    fields = ("updated_at",)


class ActivityInline(ProfileShownInline):
    model = Activity
    fields = ("kind", "title", "date")


class ProjectInline(ProfileShownInline):
    model = Project
    fields = ("title", "date", "file")


class ProfileFileInline(ProfileShownInline):
    model = ProfileFile
    fields = ("original_name", "content_type", "size", "created_at")


class ProfileSnapshotInline(ProfileShownInline):
    """Which companies hold a snapshot of the profile, since when, and whether the student's half is gone."""

    model = ProfileSnapshot
    fields = ("company", "taken_at", "own_removed_at")


@admin.register(Student)
class StudentAdmin(DistrictScopedAdmin):
    district_lookup = "school__district"
    list_display = (
        "name",
        "student_number",
        "school",
        "department_name",
        "cohort",
        "status",
        "certification_count",
    )
    list_filter = (
        "status",
        "cohort",
        ("school", admin.RelatedOnlyFieldListFilter),
        "field_of_interest",
    )
    search_fields = ("name", "student_number")
    autocomplete_fields = ("school", "department", "commute_area", "field_of_interest", "user")
    list_select_related = ("school", "department")
    inlines = (
        StudentCertificationInline,
        AttendanceRecordInline,
        SelfIntroductionInline,
        ActivityInline,
        ProjectInline,
        ProfileFileInline,
        ProfileSnapshotInline,
    )
    fieldsets = (
        (None, {"fields": ("name", "student_number", "school", "department", "cohort", "status")}),
        (_("Matching"), {"fields": ("commute_area", "field_of_interest")}),
        (
            _("Contact"),
            {
                "fields": ("email", "phone", "birth_date", "user"),
                "description": _(
                    "Personal data: companies see contact details only after the student accepts an offer."
                ),
            },
        ),
        (
            _("Guardian consent"),
            {
                "fields": ("guardian_consent_on", "guardian_consent_by"),
                "description": _("A student under 14 may have a user account only after this is recorded."),
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at", "anonymised_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return ("created_at", "updated_at", "anonymised_at", "guardian_consent_by")

    def save_model(self, request, obj, form, change):
        # Who recorded a guardian's consent is the official who entered or changed its date.
        if "guardian_consent_on" in form.changed_data:
            obj.guardian_consent_by = request.user if obj.guardian_consent_on else None
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(cert_total=subquery_count(StudentCertification.objects.all(), "student"))
        )

    # Personal-data access log (PIPA): the rows of a changelist page and each record opened.
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            record_access(request=request, students=changelist.result_list, what="admin:student_changelist")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if original is not None:
            record_access(request=request, students=[original], what="admin:student_change")
        return response

    @admin.display(description=_("department"), ordering="department__name")
    def department_name(self, obj):
        return obj.department.name

    @admin.display(description=_("certifications"), ordering="cert_total")
    def certification_count(self, obj):
        return obj.cert_total


@admin.register(Teacher)
class TeacherAdmin(DistrictScopedAdmin):
    district_lookup = "school__district"
    list_display = ("name", "school", "subject", "training_hours")
    list_filter = (("school", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "subject")
    autocomplete_fields = ("school", "user")
    list_select_related = ("school",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(hours_total=subquery_sum(TrainingCompletion.objects.all(), "teacher", "hours"))
        )

    @admin.display(description=_("training hours"), ordering="hours_total")
    def training_hours(self, obj):
        return obj.hours_total


class TrainingCompletionInline(ScopedTabularInline):
    model = TrainingCompletion
    fields = ("teacher", "completed_on", "hours")
    autocomplete_fields = ("teacher",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("teacher")


@admin.register(TeacherTraining)
class TeacherTrainingAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("title", "provider", "hours", "starts_on", "ends_on", "completion_count")
    list_filter = (("district", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "provider")
    autocomplete_fields = ("co_hosts",)
    date_hierarchy = "starts_on"
    inlines = (TrainingCompletionInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(completion_total=subquery_count(TrainingCompletion.objects.all(), "training"))
        )

    @admin.display(description=_("teachers completed"), ordering="completion_total")
    def completion_count(self, obj):
        return obj.completion_total


class PracticeDiaryInline(ReadOnlyInlineMixin, ScopedTabularInline):
    """The student's weekly diary, for officials to read; students and supervisors write it."""

    model = PracticeDiaryEntry
    fields = ("week_starting", "text", "acknowledged_at")


class PracticeIncidentInline(ReadOnlyInlineMixin, ScopedTabularInline):
    """Reported incidents; the school reviews them on its own pages (schools.services)."""

    model = PracticeIncident
    fields = ("reported_at", "reporter_role", "description", "reviewed_at", "outcome")


@admin.register(FieldPractice)
class FieldPracticeAdmin(DistrictScopedAdmin):
    district_lookup = "student__school__district"
    inlines = (PracticeIncidentInline, PracticeDiaryInline)
    list_display = (
        "student",
        "school",
        "company",
        "starts_on",
        "ends_on",
        "status",
        "supervisor_name",
        "has_safety_check",
        "has_guardian_consent",
    )
    list_filter = ("status", ("company", admin.RelatedOnlyFieldListFilter))
    search_fields = ("student__name", "student__student_number", "company__name", "supervisor_name")
    autocomplete_fields = ("student", "company", "safety_checked_by")
    list_select_related = ("student__school", "company")
    # The status moves only through the school's practice pages (schools.services.practice), which
    # check the start date, the guardian's consent, the safety check and the supervisor first.
    readonly_fields = ("status", "created_at")
    date_hierarchy = "starts_on"

    @admin.display(description=_("school"), ordering="student__school__name")
    def school(self, obj):
        return obj.student.school

    @admin.display(description=_("safety check"), boolean=True)
    def has_safety_check(self, obj):
        return obj.safety_checked_on is not None

    @admin.display(description=_("guardian consent"), boolean=True)
    def has_guardian_consent(self, obj):
        return obj.guardian_consent_on is not None


class ReadOnlyRecordAdmin(DistrictScopedAdmin):
    """Records that the portal's own pages and tasks write; officials read them here."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StudentInvitation)
class StudentInvitationAdmin(ReadOnlyRecordAdmin):
    district_lookup = "student__school__district"
    list_display = ("student", "email", "created_at", "expires_at", "sent_at", "used_at")
    list_filter = (("student__school", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("student__name", "student__student_number", "email")
    list_select_related = ("student",)
    exclude = ("token_hash",)
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != "token_hash"]


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyRecordAdmin):
    district_lookup = "school__district"
    list_display = (
        "school",
        "original_name",
        "status",
        "total",
        "created_count",
        "updated_count",
        "created_at",
    )
    list_filter = ("status", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("original_name", "school__name")
    list_select_related = ("school",)
    date_hierarchy = "created_at"
