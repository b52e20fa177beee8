"""Admin for applications (with their history) and placements."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from companies.admin import status_badge
from district.admin_base import DistrictScopedAdmin, ReadOnlyInlineMixin, ScopedTabularInline
from placements.models import Application, ApplicationEvent, Placement, RetentionReview


class ApplicationEventInline(ReadOnlyInlineMixin, ScopedTabularInline):
    model = ApplicationEvent
    fields = ("at", "from_status", "to_status", "by", "note")
    ordering = ("at",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Application)
class ApplicationAdmin(DistrictScopedAdmin):
    district_lookup = "student__school__district"
    list_display = (
        "student",
        "school",
        "opening",
        "company",
        "source",
        "application_status",
        "submitted_at",
        "status_changed_at",
    )
    list_filter = (
        "status",
        "source",
        ("opening__company", admin.RelatedOnlyFieldListFilter),
        ("student__school", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("student__name", "student__student_number", "opening__title", "opening__company__name")
    autocomplete_fields = ("student", "opening")
    list_select_related = ("student__school", "opening__company")
    date_hierarchy = "submitted_at"
    # Status changes go through the application services, which record an event for each.
    readonly_fields = (
        "source",
        "match",
        "status",
        "submitted_at",
        "status_changed_at",
        "offered_at",
        "offer_expires_at",
        "responded_at",
    )
    inlines = (ApplicationEventInline,)

    @admin.display(description=_("school"), ordering="student__school__name")
    def school(self, obj):
        return obj.student.school

    @admin.display(description=_("company"), ordering="opening__company__name")
    def company(self, obj):
        return obj.opening.company

    @admin.display(description=_("status"), ordering="status")
    def application_status(self, obj):
        return status_badge(obj.status, obj.get_status_display())


@admin.register(Placement)
class PlacementAdmin(DistrictScopedAdmin):
    district_lookup = "student__school__district"
    list_display = (
        "student",
        "company",
        "opening",
        "starts_on",
        "status",
        "is_local",
        "retention_6m",
        "retention_12m",
    )
    list_filter = (
        "status",
        "is_local",
        "retention_6m",
        "retention_12m",
        ("company", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("student__name", "student__student_number", "company__name")
    autocomplete_fields = ("student", "company", "opening", "application")
    list_select_related = ("student", "company", "opening")
    readonly_fields = ("created_at",)
    date_hierarchy = "starts_on"
    fieldsets = (
        (None, {"fields": ("student", "company", "opening", "application", "is_local")}),
        (_("Employment"), {"fields": ("starts_on", "status", "ends_on", "end_reason")}),
        (
            _("Retention checks"),
            {
                "fields": (
                    "retention_6m",
                    "retention_6m_checked_on",
                    "retention_12m",
                    "retention_12m_checked_on",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at",)}),
    )


@admin.register(RetentionReview)
class RetentionReviewAdmin(DistrictScopedAdmin):
    """School staff's reviews of retention records, written on /school/retention/; officials read them."""

    district_lookup = "placement__student__school__district"
    list_display = ("placement", "milestone", "status", "recorded_status", "reviewed_by", "reviewed_at")
    list_filter = ("milestone", "status")
    search_fields = ("placement__student__name", "placement__company__name")
    list_select_related = ("placement__student", "placement__company", "reviewed_by")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
