"""Admin for pathways, matching rounds and runs, and matches.

Runs and matches are written by the matching engine, so they are read-only here; the
actions that start and publish a run belong to `MatchRunAdmin`.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from companies.admin import status_badge
from district.access import district_scope
from district.admin_base import (
    DistrictScopedAdmin,
    ReadOnlyAdminMixin,
    ReadOnlyInlineMixin,
    ScopedTabularInline,
    is_admin_user,
    run_service_for_each,
    subquery_count,
)
from district.admin_site import PendingWork, register_pending_work
from placements.models import (
    Match,
    MatchRound,
    MatchRun,
    Pathway,
    Preference,
)
from placements.selectors import runs as run_selectors
from placements.services import runs as run_services


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


def stats_summary(stats: dict | None) -> str:
    """The figures of a run's statistics worth a glance, in one line."""
    # The stats are JSONB, which does not keep key order: name the figures.
    stats = stats or {}
    shown = [
        f"{key}: {stats[key]:.1%}" if key.endswith("_share") else f"{key}: {stats[key]}"
        for key in ("matched", "students", "first_choice_share", "top3_share")
        if isinstance(stats.get(key), int | float)
    ]
    return ", ".join(shown) or "-"


class AwaitingPublicationFilter(admin.SimpleListFilter):
    """Runs an official can publish now (the admin home links here with `?awaiting=publication`)."""

    title = _("awaiting publication")
    parameter_name = "awaiting"

    def lookups(self, request, model_admin):
        return [("publication", _("Awaiting publication"))]

    def queryset(self, request, queryset):
        if self.value() == "publication":
            return run_selectors.runs_awaiting_publication(queryset)
        return queryset


class MatchRunInline(ReadOnlyInlineMixin, ScopedTabularInline):
    """Every run of the round, newest first, with its seed, inputs' fingerprint and who started it.

    A re-run cannot hide: whoever can see the round sees all its runs, and two runs with the
    same fingerprint (and the round's one seed) must show the same figures.
    """

    model = MatchRun
    fields = (
        "run_link",
        "status",
        "seed",
        "input_fingerprint",
        "statistics",
        "created_by",
        "created_at",
        "published_at",
    )
    ordering = ("-created_at", "-pk")

    def get_queryset(self, request):
        # The round: each row's title (`MatchRun.__str__`); who started it: a link.
        return super().get_queryset(request).select_related("round", "created_by")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "run_link", "statistics"]

    @admin.display(description=_("run"))
    def run_link(self, obj):
        url = reverse("admin:placements_matchrun_change", args=[obj.pk])
        if obj.is_trial:
            return format_html(
                '<a href="{}">#{}</a> <span class="run-trial">{}</span>', url, obj.pk, gettext("Trial run")
            )
        return format_html('<a href="{}">#{}</a>', url, obj.pk)

    @admin.display(description=_("statistics"))
    def statistics(self, obj):
        return stats_summary(obj.stats)


@admin.register(MatchRound)
class MatchRoundAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = (
        "title",
        "cohort",
        "preferences_close_at",
        "offer_response_days",
        "seed",
        "run_count",
        "district",
    )
    list_filter = ("cohort", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title",)
    list_select_related = ("district",)
    readonly_fields = ("created_by", "created_at")
    date_hierarchy = "preferences_close_at"
    inlines = (MatchRunInline,)

    def get_readonly_fields(self, request, obj=None):
        # The seed is drawn when the round is saved the first time: the add form has none to show.
        return ("seed", *self.readonly_fields) if obj is not None else self.readonly_fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(run_total=subquery_count(MatchRun.objects.all(), "round"))
        )

    @admin.display(description=_("runs"), ordering="run_total")
    def run_count(self, obj):
        return obj.run_total

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            run_services.match_round_create(match_round=obj, by=request.user)

    # --- Starting runs (placements.services.runs) ---------------------------------------------

    actions = ("start_match_runs",)
    change_form_template = "admin/placements/matchround/change_form.html"

    def has_manage_permission(self, request):
        return is_admin_user(request.user)

    @admin.action(description=_("Start a matching run for the selected rounds"), permissions=["manage"])
    def start_match_runs(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset.select_related("district"),
            done_message=_("Queued a matching run for %(count)d %(items)s."),
            log_message="Started a matching run",
            call=lambda match_round: run_services.match_run_start(
                district=match_round.district, cohort=match_round.cohort, by=request.user
            ),
        )

    def get_urls(self):
        start = self.admin_site.admin_view(require_POST(self.start_run_view))
        return [
            path("<path:object_id>/start-run/", start, name="placements_matchround_start_run"),
            *super().get_urls(),
        ]

    def start_run_view(self, request, object_id):
        """The "Start a run" button of a round's page: queue a run, then show its page."""
        if not self.has_manage_permission(request):
            raise PermissionDenied
        match_round = self.get_object(request, object_id)
        if match_round is None:
            raise Http404
        try:
            run = run_services.match_run_start(
                district=match_round.district, cohort=match_round.cohort, by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect("admin:placements_matchround_change", match_round.pk)
        if run.is_trial:
            self.message_user(
                request,
                _(
                    "The trial run is queued; this page refreshes until it finishes. Rankings are still "
                    "open, so it cannot be published: start a new run once they close."
                ),
            )
        else:
            self.message_user(request, _("The run is queued; this page refreshes until it finishes."))
        return redirect("admin:placements_matchrun_change", run.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_start_run": self.has_manage_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # While rankings are open, a run is a trial: the button says so (no extra query: the round is loaded).
        context["rankings_open"] = obj is not None and obj.preferences_close_at > timezone.now()
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Preference)
class PreferenceAdmin(DistrictScopedAdmin):
    district_lookup = "student__school__district"
    list_display = ("student", "rank", "opening", "company", "updated_at")
    list_filter = ("student__cohort", ("student__school", admin.RelatedOnlyFieldListFilter))
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
        "run_kind",
        "run_status",
        "stats_summary",
        "match_count",
        "created_at",
        "finished_at",
        "published_at",
    )
    list_display_links = ("run_number",)
    list_filter = (AwaitingPublicationFilter, "status", ("round", admin.RelatedOnlyFieldListFilter))
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

    @admin.display(description=_("kind"))
    def run_kind(self, obj):
        if obj.is_trial:
            return format_html('<span class="run-trial">{}</span>', gettext("Trial run"))
        return gettext("After rankings closed")

    @admin.display(description=_("statistics"))
    def stats_summary(self, obj):
        return stats_summary(obj.stats)

    @admin.display(description=_("students matched"), ordering="match_total")
    def match_count(self, obj):
        return obj.match_total

    # --- The run page and publishing (placements.services.runs) --------------------------------

    # Publishing makes offers and emails students and companies: it is done from the run's
    # own page, through a confirmation page that says how many, never from a list action.
    actions = None
    change_form_template = "admin/placements/matchrun/change_form.html"
    # The statistics are shown as tables below the fields, not as raw JSON.
    fields = (
        "round",
        "district",
        "cohort",
        "status",
        "seed",
        "input_fingerprint",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "published_by",
        "published_at",
    )
    MATCHES_PER_PAGE = 50

    def get_urls(self):
        publish = self.admin_site.admin_view(self.publish_view)
        retry = self.admin_site.admin_view(require_POST(self.retry_emails_view))
        return [
            path("<path:object_id>/publish/", publish, name="placements_matchrun_publish"),
            path("<path:object_id>/retry-emails/", retry, name="placements_matchrun_retry_emails"),
            *super().get_urls(),
        ]

    def retry_emails_view(self, request, object_id):
        """The run page's "send again" button: re-send its failed offer emails
        (`placements.services.runs.offer_emails_retry`); the same people as publishing."""
        if not self.has_manage_permission(request):
            raise PermissionDenied
        run = self.get_object(request, object_id)
        if run is None:
            raise Http404
        count = run_services.offer_emails_retry(run=run, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d offer email is queued again.", "%(count)d offer emails are queued again.", count
            )
            % {"count": count},
        )
        return redirect(reverse("admin:placements_matchrun_change", args=[run.pk]) + "#offer-emails")

    def publish_view(self, request, object_id):
        """Publishing a run: GET is the confirmation page, which says how many offers and emails
        go out; its POST publishes (`placements.services.runs.match_run_publish`).

        A run that cannot be published (a trial, rankings open, not succeeded, already
        published) goes back to its page with the reason.
        """
        if not self.has_manage_permission(request):
            raise PermissionDenied
        run = self.get_object(request, object_id)
        if run is None:
            raise Http404
        refusal = run_services.publish_refusal(run)
        if refusal is not None:
            for message in refusal.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect("admin:placements_matchrun_change", run.pk)
        if request.method == "POST":
            try:
                run_services.match_run_publish(run=run, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.log_change(request, run, "Published")
                self.message_user(request, _("The run is published: the students have their offers."))
            return redirect("admin:placements_matchrun_change", run.pk)
        preview = run_selectors.publication_preview(run=run, plan=run_services.publication_plan(run))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish the run"),
            "subtitle": None,
            "opts": self.opts,
            "run": run,
            "original": run,
            "preview": preview,
        }
        return TemplateResponse(request, "admin/placements/matchrun/publish_confirm.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The run page: its fields, statistics, and its matches with their explanations.

        Queries for the matches: the page's count, its rows (students, schools, openings
        and companies joined) and the titles of the openings the explanations mention.
        """
        run = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if run is not None:
            refresh = run.status in (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING)
            refusal = run_services.publish_refusal(run)
            outcome = request.GET.get("outcome", "")
            search = request.GET.get("q", "")[:100]
            page = Paginator(
                run_selectors.match_page(run=run, outcome=outcome, search=search), self.MATCHES_PER_PAGE
            ).get_page(request.GET.get("page"))
            titles = run_selectors.opening_titles(page.object_list)
            context.update(
                run=run,
                refresh=refresh,
                can_publish=self.has_manage_permission(request) and refusal is None,
                publish_refusal=refusal.messages[0] if refusal is not None and not refresh else "",
                stats_view=run_selectors.stats_view(run),
                matches_page=page,
                match_rows=[
                    (match, run_selectors.explanation_lines(match.explanation, titles)) for match in page
                ],
                outcome=outcome,
                search=search,
                # Before publication there are none: the page says when they go out.
                offer_emails=run_selectors.offer_email_counts(run)
                if run.status == MatchRun.Status.PUBLISHED
                else None,
                can_retry_emails=self.has_manage_permission(request),
            )
        return super().change_view(request, object_id, form_url, context)


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


def _runs_awaiting_publication(request) -> PendingWork:
    scoped = MatchRun.objects.filter(district_scope(request.user, "district"))
    runs = run_selectors.runs_awaiting_publication(scoped)
    url = reverse("admin:placements_matchrun_changelist") + "?awaiting=publication"
    return PendingWork(
        key="runs", label=gettext("Matching runs awaiting publication"), count=runs.count(), url=url
    )


register_pending_work("runs", _runs_awaiting_publication, order=50)
