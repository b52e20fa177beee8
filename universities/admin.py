"""Admin for universities, their credit programmes, enrolments and the credit ledger."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from district.admin_base import DistrictScopedAdmin, ScopedTabularInline, subquery_count, subquery_sum
from universities.models import CreditProgram, CreditRecord, ProgramEnrollment, University


@admin.register(University)
class UniversityAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("name", "kind", "area", "programme_count", "district")
    list_filter = ("kind", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)
    autocomplete_fields = ("area",)
    list_select_related = ("district", "area")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                programme_total=subquery_count(CreditProgram.objects.filter(is_active=True), "university")
            )
        )

    @admin.display(description=_("programmes accepting students"), ordering="programme_total")
    def programme_count(self, obj):
        return obj.programme_total


@admin.register(CreditProgram)
class CreditProgramAdmin(DistrictScopedAdmin):
    district_lookup = "university__district"
    list_display = (
        "name",
        "university",
        "kind",
        "degree",
        "credits_required",
        "schedule",
        "min_months_employed",
        "is_active",
        "enrolment_count",
    )
    list_filter = (
        "kind",
        "degree",
        "schedule",
        "is_active",
        ("university", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "department_name", "university__name")
    autocomplete_fields = ("university", "partner_companies")
    list_select_related = ("university",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                enrolment_total=subquery_count(
                    ProgramEnrollment.objects.filter(status=ProgramEnrollment.Status.ACTIVE), "program"
                )
            )
        )

    @admin.display(description=_("studying now"), ordering="enrolment_total")
    def enrolment_count(self, obj):
        return obj.enrolment_total


class CreditRecordInline(ScopedTabularInline):
    model = CreditRecord
    fields = ("year", "term", "credits", "recorded_by", "recorded_at")
    readonly_fields = ("recorded_by", "recorded_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


@admin.register(ProgramEnrollment)
class ProgramEnrollmentAdmin(DistrictScopedAdmin):
    district_lookup = "program__university__district"
    list_display = ("student", "program_name", "university", "enrolled_on", "status", "progress")
    list_filter = (
        "status",
        "program__degree",
        ("program__university", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("student__name", "student__student_number", "program__name")
    autocomplete_fields = ("program", "student", "placement")
    list_select_related = ("student", "program__university")
    date_hierarchy = "enrolled_on"
    inlines = (CreditRecordInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(credits_total=subquery_sum(CreditRecord.objects.all(), "enrollment", "credits"))
        )

    @admin.display(description=_("programme"), ordering="program__name")
    def program_name(self, obj):
        return obj.program.name

    @admin.display(description=_("university"), ordering="program__university__name")
    def university(self, obj):
        return obj.program.university

    @admin.display(description=_("credits earned"), ordering="credits_total")
    def progress(self, obj):
        return f"{obj.credits_total} / {obj.program.credits_required}"

    def save_formset(self, request, form, formset, change):
        # Credit records note who entered them.
        for instance in formset.save(commit=False):
            if instance.recorded_by_id is None:
                instance.recorded_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
