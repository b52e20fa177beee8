"""Admin for pathways, matching rounds and runs, applications and placements.

Runs and matches are written by the matching engine, so they are read-only here; the
actions that start and publish a run belong to `MatchRunAdmin`.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from companies.admin import status_badge
from district.admin_base import (
    DistrictScopedAdmin,
    ReadOnlyInlineMixin,
    ScopedTabularInline,
    is_admin_user,
    subquery_count,
)
from placements.models import (
    Application,
    ApplicationEvent,
    Match,
    MatchRound,
    MatchRun,
    Pathway,
    Placement,
    Preference,
)


class ReadOnlyAdminMixin:
    """Rows that only the system writes: officials and superusers may look, not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pathway)
class PathwayAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("title", "department", "segment", "is_published", "district")
    list_filter = ("is_published", "segment", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "summary", "slug")
    autocomplete_fields = (
        "district",
        "department",
        "segment",
        "job_roles",
        "certifications",
        "practice_companies",
        "credit_programs",
    )
    list_select_related = ("department__school", "segment", "district")


@admin.register(MatchRound)
class MatchRoundAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("title", "cohort", "preferences_close_at", "offer_response_days", "run_count", "district")
    list_filter = ("cohort", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title",)
    list_select_related = ("district",)
    readonly_fields = ("created_by", "created_at")
    date_hierarchy = "preferences_close_at"

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(run_total=subquery_count(MatchRun.objects.all(), "round"))
        )

    @admin.display(description=_("runs"), ordering="run_total")
    def run_count(self, obj):
        return obj.run_total

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Preference)
class PreferenceAdmin(DistrictScopedAdmin):
    district_lookup = "student__school__district"
    list_display = ("student", "rank", "opening", "company", "updated_at")
    list_filter = ("student__graduation_year", ("student__school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("student__name", "student__student_number", "opening__title")
    autocomplete_fields = ("student", "opening")
    list_select_related = ("student", "opening__company")

    @admin.display(description=_("company"), ordering="opening__company__name")
    def company(self, obj):
        return obj.opening.company


@admin.register(MatchRun)
class MatchRunAdmin(DistrictScopedAdmin):
    """Runs are started and published through actions (the matching engine's services), not forms."""

    district_lookup = "district"
    list_display = (
        "run_number",
        "round",
        "cohort",
        "run_status",
        "stats_summary",
        "match_count",
        "created_at",
        "finished_at",
        "published_at",
    )
    list_display_links = ("run_number",)
    list_filter = ("status", ("round", admin.RelatedOnlyFieldListFilter))
    search_fields = ("round__title",)
    list_select_related = ("round",)
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(match_total=subquery_count(Match.objects.filter(opening__isnull=False), "run"))
        )

    # A run's row is written by its Celery task while an official may be looking at it; a
    # form save would overwrite the task's status with what the page loaded. So the page is
    # view-only, and actions that start or publish a run use `permissions=["manage"]`.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_manage_permission(self, request):
        return is_admin_user(request.user)

    @admin.display(description=_("run"), ordering="pk")
    def run_number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description=_("status"), ordering="status")
    def run_status(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("statistics"))
    def stats_summary(self, obj):
        shown = [
            f"{key}: {value}" for key, value in obj.stats.items() if isinstance(value, int | float | str)
        ]
        return ", ".join(shown[:4]) or "-"

    @admin.display(description=_("students matched"), ordering="match_total")
    def match_count(self, obj):
        return obj.match_total


@admin.register(Match)
class MatchAdmin(ReadOnlyAdminMixin, DistrictScopedAdmin):
    district_lookup = "run__district"
    list_display = ("student", "opening", "company", "choice_rank", "score", "run")
    list_filter = (("run__round", admin.RelatedOnlyFieldListFilter), "choice_rank")
    search_fields = ("student__name", "student__student_number", "opening__title")
    list_select_related = ("student", "opening__company", "run__round")

    @admin.display(description=_("company"), ordering="opening__company__name")
    def company(self, obj):
        return obj.opening.company if obj.opening else "-"


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
