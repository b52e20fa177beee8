"""Admin for companies, their agreements (MOUs) and openings, with the officials' review actions."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies.models import OPENING_FIELDS, Agreement, Company, Opening, OpeningRevision
from companies.selectors.openings import (
    applicant_counts,
    opening_revision_comparison,
    opening_revisions_awaiting_review,
    openings_awaiting_review,
)
from companies.selectors.signups import companies_awaiting_verification, company_unconfirmed
from companies.selectors.team import join_requests_for_officials, join_requests_pending
from companies.services.membership import recruiter_approve, recruiter_decline
from companies.services.openings import opening_approve, opening_reject
from companies.services.revisions import opening_revision_approve, opening_revision_reject
from companies.services.verification import company_reject, company_verify
from district.access import district_scope
from district.admin import MembershipAdmin
from district.admin_base import (
    DistrictScopedAdmin,
    ObjectDecisionsMixin,
    is_admin_user,
    krw,
    reject_with_reason,
    run_service_for_each,
    subquery_count,
)
from district.admin_site import PendingWork, register_pending_work
from district.models import Membership


def status_badge(value: str, label) -> str:
    # A class, not style="": the Content-Security-Policy allows no inline styles. static/css/admin.css
    # colours the values that need an official's eye (pending, submitted) and the settled ones.
    return format_html('<span class="status-badge status-badge-{}">{}</span>', value, label)


@admin.register(Company)
class CompanyAdmin(ObjectDecisionsMixin, DistrictScopedAdmin):
    district_lookup = "district"
    list_display = (
        "name",
        "verification_status",
        "business_number_display",
        "segment",
        "area",
        "is_local",
        "published_openings",
        "recruiter_count",
        "created_at",
    )
    list_filter = (
        "verification",
        "is_local",
        "segment",
        ("district", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "business_number")
    autocomplete_fields = ("segment", "area")
    list_select_related = ("segment", "area")
    date_hierarchy = "created_at"
    # Companies awaiting verification come first: they are what an official opens this page for.
    ordering = (
        Case(When(verification=Company.Verification.PENDING, then=Value(0)), default=Value(1)).asc(),
        "name",
    )
    readonly_fields = ("verification", "verified_by", "verified_at", "rejection_reason", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "business_number", "segment", "area", "is_local", "district")}),
        (_("Profile"), {"fields": ("description", "website")}),
        (
            _("Verification"),
            {
                "fields": ("verification", "verified_by", "verified_at", "rejection_reason", "created_at"),
                "description": _(
                    "A company awaiting verification has “Verify” and “Reject” buttons at the top "
                    "of this page."
                ),
            },
        ),
    )
    actions = ("verify_companies", "reject_companies")
    change_list_template = "admin/change_list_with_pending.html"
    decision_approve_action = "verify_companies"
    decision_reject_action = "reject_companies"
    decision_approve_label = _("Verify")

    def awaits_decision(self, obj):
        return obj.verification == Company.Verification.PENDING

    def decision_notice(self, obj):
        return gettext(
            "This company awaits verification. Verifying lets its recruiters post openings; "
            "rejecting sends your reason to its recruiters."
        )

    def get_queryset(self, request):
        # A sign-up whose recruiter has not confirmed their address is not the officials' yet:
        # it appears once the emailed link is used, or is purged when the link expires.
        return (
            super()
            .get_queryset(request)
            .exclude(company_unconfirmed())
            .annotate(
                published_total=subquery_count(
                    Opening.objects.filter(status=Opening.Status.PUBLISHED), "company"
                ),
                recruiter_total=subquery_count(
                    Membership.objects.filter(role=Membership.Role.COMPANY_RECRUITER, is_active=True),
                    "company",
                ),
            )
        )

    def changelist_view(self, request, extra_context=None):
        pending = companies_awaiting_verification(
            Company.objects.filter(district_scope(request.user, "district"))
        ).count()
        notice = ngettext(
            "%(count)d company is awaiting verification.",
            "%(count)d companies are awaiting verification.",
            pending,
        ) % {"count": pending}
        context = {
            "pending_notice": notice if pending else "",
            "pending_query": "?verification__exact=pending",
        }
        return super().changelist_view(request, {**(extra_context or {}), **context})

    @admin.display(description=_("verification"), ordering="verification")
    def verification_status(self, obj):
        return status_badge(obj.verification, obj.get_verification_display())

    @admin.display(description=_("business registration number"), ordering="business_number")
    def business_number_display(self, obj):
        return obj.business_number_display

    @admin.display(description=_("published openings"), ordering="published_total")
    def published_openings(self, obj):
        return obj.published_total

    @admin.display(description=_("recruiters"), ordering="recruiter_total")
    def recruiter_count(self, obj):
        return obj.recruiter_total

    @admin.action(description=_("Verify the selected companies"), permissions=["change"])
    def verify_companies(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            done_message=_("Verified %(count)d %(items)s."),
            log_message=gettext("Verified."),
            call=lambda company: company_verify(company=company, by=request.user),
        )

    @admin.action(description=_("Reject the selected companies…"), permissions=["change"])
    def reject_companies(self, request, queryset):
        return reject_with_reason(
            self,
            request,
            queryset,
            action="reject_companies",
            title=_("Reject companies"),
            service=company_reject,
            service_kwarg="company",
        )


@admin.register(Agreement)
class AgreementAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = (
        "title",
        "company",
        "partner",
        "signed_on",
        "valid_until",
        "is_current",
        "pledged_hires_per_year",
        "priority",
    )
    list_filter = (
        ("company", admin.RelatedOnlyFieldListFilter),
        ("school", admin.RelatedOnlyFieldListFilter),
        "priority",
    )
    search_fields = ("title", "company__name", "school__name")
    autocomplete_fields = ("company", "district", "school")
    list_select_related = ("company", "school", "district")
    date_hierarchy = "signed_on"

    @admin.display(description=_("with"), ordering="school__name")
    def partner(self, obj):
        return obj.school or obj.district

    @admin.display(description=_("in force"), boolean=True)
    def is_current(self, obj):
        return obj.valid_from <= timezone.localdate() <= obj.valid_until


@admin.register(Opening)
class OpeningAdmin(ObjectDecisionsMixin, DistrictScopedAdmin):
    district_lookup = "company__district"
    list_display = (
        "title",
        "company",
        "review_status",
        "job_role",
        "seats",
        "salary",
        "apply_by",
        "starts_on",
        "active_applications",
    )
    list_filter = (
        "status",
        "employment_type",
        "shift_pattern",
        "job_role__segment",
        ("company", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "company__name", "job_role__name")
    autocomplete_fields = (
        "company",
        "job_role",
        "work_area",
        "required_certifications",
        "preferred_departments",
    )
    list_select_related = ("company", "job_role")
    date_hierarchy = "apply_by"
    # Openings awaiting review first, then by deadline.
    ordering = (
        Case(When(status=Opening.Status.SUBMITTED, then=Value(0)), default=Value(1)).asc(),
        "apply_by",
        "id",
    )
    readonly_fields = (
        "status",
        "rejection_reason",
        "reviewed_by",
        "reviewed_at",
        "published_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("company", "title", "job_role", "description", "seats")}),
        (
            _("Terms"),
            {"fields": ("employment_type", "shift_pattern", "monthly_salary_krw", "work_area", "starts_on")},
        ),
        (_("Requirements"), {"fields": ("required_certifications", "preferred_departments", "apply_by")}),
        (
            _("Review"),
            {
                "fields": (
                    "status",
                    "rejection_reason",
                    "reviewed_by",
                    "reviewed_at",
                    "published_at",
                    "created_by",
                    "created_at",
                    "updated_at",
                ),
                "description": _(
                    "An opening awaiting review has “Approve and publish” and “Reject” buttons at the top "
                    "of this page."
                ),
            },
        ),
    )
    actions = ("approve_openings", "reject_openings")
    change_list_template = "admin/change_list_with_pending.html"
    decision_approve_action = "approve_openings"
    decision_reject_action = "reject_openings"
    decision_approve_label = _("Approve and publish")

    def awaits_decision(self, obj):
        return obj.status == Opening.Status.SUBMITTED

    def decision_notice(self, obj):
        return gettext(
            "This opening awaits review. Approving publishes it on the public site at once; "
            "rejecting sends your reason to the company's recruiters."
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(application_total=applicant_counts()["active_applications"])
        )

    def changelist_view(self, request, extra_context=None):
        pending = openings_awaiting_review(
            Opening.objects.filter(district_scope(request.user, "company__district"))
        ).count()
        notice = ngettext(
            "%(count)d opening is awaiting review.",
            "%(count)d openings are awaiting review.",
            pending,
        ) % {"count": pending}
        context = {"pending_notice": notice if pending else "", "pending_query": "?status__exact=submitted"}
        return super().changelist_view(request, {**(extra_context or {}), **context})

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("status"), ordering="status")
    def review_status(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("monthly salary (KRW)"), ordering="monthly_salary_krw")
    def salary(self, obj):
        return krw(obj.monthly_salary_krw)

    @admin.display(description=_("active applications"), ordering="application_total")
    def active_applications(self, obj):
        return obj.application_total

    @admin.action(description=_("Approve and publish the selected openings"), permissions=["change"])
    def approve_openings(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            done_message=_("Published %(count)d %(items)s."),
            log_message=gettext("Approved and published."),
            call=lambda opening: opening_approve(opening=opening, by=request.user),
        )

    @admin.action(description=_("Reject the selected openings…"), permissions=["change"])
    def reject_openings(self, request, queryset):
        return reject_with_reason(
            self,
            request,
            queryset,
            action="reject_openings",
            title=_("Reject openings"),
            service=opening_reject,
            service_kwarg="opening",
        )


@admin.register(OpeningRevision)
class OpeningRevisionAdmin(DistrictScopedAdmin):
    """Changes recruiters propose to published openings; officials approve or reject them.

    The page of a revision is view-only: it shows the approved and the proposed values side
    by side, and its buttons run the list's "Approve" and "Reject" actions on it, which call
    the services. A form save could not go through them, so there is none.
    """

    district_lookup = "opening__company__district"
    list_display = (
        "__str__",
        "company",
        "revision_status",
        "changed_fields",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
    )
    list_filter = ("status", ("opening__company", admin.RelatedOnlyFieldListFilter))
    search_fields = ("opening__title", "opening__company__name")
    list_select_related = ("opening__company", "submitted_by", "reviewed_by")
    date_hierarchy = "submitted_at"
    # Changes awaiting review first, the oldest of them on top.
    ordering = (
        Case(When(status=OpeningRevision.Status.PENDING, then=Value(0)), default=Value(1)).asc(),
        "submitted_at",
        "id",
    )
    fields = (
        "opening",
        "revision_status",
        "comparison",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "reason",
    )
    readonly_fields = fields
    actions = ("approve_revisions", "reject_revisions")
    change_list_template = "admin/change_list_with_pending.html"
    change_form_template = "admin/companies/openingrevision/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request):
        return is_admin_user(request.user)

    def changelist_view(self, request, extra_context=None):
        pending = opening_revisions_awaiting_review(
            OpeningRevision.objects.filter(district_scope(request.user, self.district_lookup))
        ).count()
        notice = ngettext(
            "%(count)d set of changes to an opening is awaiting review.",
            "%(count)d sets of changes to openings are awaiting review.",
            pending,
        ) % {"count": pending}
        context = {"pending_notice": notice if pending else "", "pending_query": "?status__exact=pending"}
        return super().changelist_view(request, {**(extra_context or {}), **context})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        context = {
            "revision": obj,
            "can_review": obj is not None
            and obj.status == OpeningRevision.Status.PENDING
            and self.has_review_permission(request),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})

    @admin.display(description=_("company"), ordering="opening__company__name")
    def company(self, obj):
        return obj.opening.company

    @admin.display(description=_("status"), ordering="status")
    def revision_status(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("changed fields"))
    def changed_fields(self, obj):
        return ", ".join(
            str(Opening._meta.get_field(name).verbose_name) for name in obj.changes if name in OPENING_FIELDS
        )

    @admin.display(description=_("approved and proposed values"))
    def comparison(self, obj):
        rows = opening_revision_comparison(revision=obj)
        head = format_html(
            "<thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>",
            gettext("Field"),
            gettext("Approved (public)"),
            gettext("Proposed"),
        )
        body = format_html_join(
            "",
            "<tr data-field='{}'><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            ((row["field"], row["label"], row["approved"], row["proposed"]) for row in rows),
        )
        return format_html("<table id='revision-comparison'>{}<tbody>{}</tbody></table>", head, body)

    @admin.action(description=_("Approve the selected changes and publish them"), permissions=["review"])
    def approve_revisions(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            done_message=_("Approved %(count)d %(items)s."),
            log_message=gettext("Approved and published."),
            call=lambda revision: opening_revision_approve(revision=revision, by=request.user),
        )

    @admin.action(description=_("Reject the selected changes…"), permissions=["review"])
    def reject_revisions(self, request, queryset):
        return reject_with_reason(
            self,
            request,
            queryset,
            action="reject_revisions",
            title=_("Reject changes to openings"),
            service=opening_revision_reject,
            service_kwarg="revision",
        )


# --- Join requests, on the district's membership admin ------------------------------------------
# The membership admin is district's, which imports no app; companies registers a subclass that
# approves and declines a request through its services, from the list and from the request's own
# page. Ticking "active" on a join request would skip the service and its email to the recruiter.


def join_requests_filter() -> str:
    """The query string of the membership list that shows only requests to join a company."""
    return f"?role__exact={Membership.Role.COMPANY_RECRUITER}&is_active__exact=0"


class JoinRequestFilter(admin.SimpleListFilter):
    """Requests to join a company: those the officials were asked to decide, or all of them."""

    title = _("join requests")
    parameter_name = "join_requests"

    def lookups(self, request, model_admin):
        return [("officials", _("Awaiting an official")), ("all", _("All awaiting a decision"))]

    def queryset(self, request, queryset):
        if self.value() == "officials":
            return join_requests_for_officials(queryset)
        if self.value() == "all":
            return join_requests_pending(queryset)
        return queryset


admin.site.unregister(Membership)


@admin.register(Membership)
class CompanyMembershipAdmin(ObjectDecisionsMixin, MembershipAdmin):
    list_filter = (JoinRequestFilter, *MembershipAdmin.list_filter)
    actions = (*(MembershipAdmin.actions or ()), "approve_join_requests", "decline_join_requests")
    decision_approve_action = "approve_join_requests"
    decision_reject_action = "decline_join_requests"
    decision_approve_label = _("Approve the request")
    decision_reject_label = _("Decline the request")
    decision_reject_asks_reason = False

    def awaits_decision(self, obj):
        return obj.role == Membership.Role.COMPANY_RECRUITER and obj.company_id and not obj.is_active

    def decision_notice(self, obj):
        return gettext(
            "%(person)s asks to join %(company)s as a recruiter. Approving lets them act for the company; "
            "declining deletes the request. Either way they are told by email."
        ) % {"person": obj.user.name or obj.user.email, "company": obj.company.name}

    @admin.action(description=_("Approve selected join requests"), permissions=["change"])
    def approve_join_requests(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset.select_related("user", "company"),
            done_message=_("Approved %(count)d %(items)s."),
            log_message=gettext("Approved the request to join the company."),
            call=lambda membership: recruiter_approve(membership=membership, by=request.user),
        )

    @admin.action(description=_("Decline selected join requests"), permissions=["change"])
    def decline_join_requests(self, request, queryset):
        # The declined request is deleted: its history entry would point at nothing, so none is written.
        done = 0
        for membership in queryset.select_related("user", "company"):
            try:
                recruiter_decline(membership=membership, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("Declined %(count)d join request.", "Declined %(count)d join requests.", done)
                % {"count": done},
                messages.SUCCESS,
            )


# --- Pending work on the admin home (district.admin_site) ---------------------------------------


def _pending(key: str, label, model, queryset, lookup: str, query: str):
    def source(request) -> PendingWork:
        count = queryset().filter(district_scope(request.user, lookup)).count()
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + query
        return PendingWork(key=key, label=str(label), count=count, url=url)

    return source


register_pending_work(
    "companies",
    _pending(
        "companies",
        _("Companies awaiting verification"),
        Company,
        companies_awaiting_verification,
        "district",
        "?verification__exact=pending",
    ),
    order=10,
)
register_pending_work(
    "openings",
    _pending(
        "openings",
        _("Openings awaiting review"),
        Opening,
        openings_awaiting_review,
        "company__district",
        "?status__exact=submitted",
    ),
    order=20,
)
register_pending_work(
    "opening_revisions",
    _pending(
        "opening_revisions",
        _("Changes to openings awaiting review"),
        OpeningRevision,
        opening_revisions_awaiting_review,
        "opening__company__district",
        "?status__exact=pending",
    ),
    order=30,
)
register_pending_work(
    "join_requests",
    _pending(
        "join_requests",
        _("Join requests awaiting an official"),
        Membership,
        join_requests_for_officials,
        "district",
        "?join_requests=officials",
    ),
    order=40,
)
