"""Admin for the district as a whole: districts, people and roles, vocabulary, budget and targets."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from district.admin_base import (
    DistrictScopedAdmin,
    ScopedTabularInline,
    SharedVocabularyAdmin,
    SuperuserOnlyAdmin,
    krw,
    run_service_for_each,
    scope_to_districts,
    subquery_sum,
)
from district.forms import DistrictAddForm
from district.models import (
    Area,
    BudgetLine,
    Certification,
    CommuteTime,
    District,
    DistrictHost,
    Expenditure,
    IndustrySegment,
    JobRole,
    KpiTarget,
    Membership,
    NcsUnit,
    TaskOutbox,
    User,
)
from district.onboarding import district_create
from district.outbox import outbox_flush
from district.security import totp_devices_remove

# Officials' access comes from memberships, never from groups or model permissions.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

# Third-party apps register plain ModelAdmins that fall back to Django model permissions.
# The officials' site shows only admins that apply its own rules, so these are taken off:
# lockouts expire by themselves (or `manage.py axes_reset`), second-factor devices are managed
# by their owner on their own page. (privacy/admin.py replaces the audit trail's LogEntry admin.)
for _model in (AccessAttempt, AccessFailureLog, AccessLog, TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class DistrictHostInline(ScopedTabularInline):
    """The host names a district's site answers on; only superusers change them (they route traffic)."""

    model = DistrictHost
    fields = ("host",)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(District)
class DistrictAdmin(DistrictScopedAdmin):
    district_lookup = "pk"
    inlines = (DistrictHostInline,)
    list_display = ("name", "region", "industry_focus", "programme_years", "annual_budget", "host_names")
    search_fields = ("name", "region", "industry_focus")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("hosts")

    @admin.display(description=_("programme years"))
    def programme_years(self, obj):
        return f"{obj.program_start_year}–{obj.program_end_year}"

    @admin.display(description=_("annual budget (KRW)"), ordering="annual_budget_krw")
    def annual_budget(self, obj):
        return krw(obj.annual_budget_krw)

    @admin.display(description=_("host names"))
    def host_names(self, obj):
        return ", ".join(host.host for host in obj.hosts.all())

    # Creating or removing a whole district is the Ministry's business, not a district's.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    # Adding a district goes through the same service as `manage.py district_create`: the form
    # asks for the host names, vocabulary and first official too, and the service writes them all.
    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = DistrictAddForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": DistrictAddForm.ADD_FIELDS}),)
        return super().get_fieldsets(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        result = district_create(plan=form.plan)
        obj.pk = result.district.pk
        obj._state.adding = False
        messages.info(
            request,
            gettext("%(user)s is the district's first official and was emailed a link to set a password.")
            % {"user": result.official.username},
        )


# --- People and roles --------------------------------------------------------------


class MembershipInline(ScopedTabularInline):
    model = Membership
    fk_name = "user"
    fields = ("role", "district", "school", "company", "university", "is_active")
    autocomplete_fields = ("school", "company", "university")
    verbose_name = _("role")
    verbose_name_plural = _("roles in the district")

    def get_queryset(self, request):
        # A user may also hold roles in other districts; those are not this official's to see.
        queryset = super().get_queryset(request).select_related("school", "company", "university", "district")
        return scope_to_districts(queryset, request.user, "district")

    def get_formset(self, request, obj=None, **kwargs):
        # A user an official creates must have a role in the official's district, or the
        # official could not find them again.
        if obj is None and not request.user.is_superuser:
            kwargs.update(min_num=1, validate_min=True)
        return super().get_formset(request, obj, **kwargs)


@admin.register(User)
class UserAdmin(DistrictScopedAdmin, BaseUserAdmin):
    district_lookup = "memberships__district"
    inlines = (MembershipInline,)
    list_display = ("username", "name", "email", "roles", "is_staff", "is_active", "is_demo", "last_login")
    list_filter = ("memberships__role", "is_staff", "is_active", "is_demo")
    search_fields = ("username", "name", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "email", "is_demo")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "name", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    # Only a superuser may hand out superuser status or Django permissions.
    superuser_only_fields = ("is_superuser", "groups", "user_permissions")
    actions = ("reset_second_factor",)

    # Someone who lost their phone cannot log in with a code; an official removes the device and
    # the person enrols a new one (officials must, when OFFICIALS_REQUIRE_OTP is on).
    @admin.action(description=_("Reset two-step verification (lost phone)"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            done_message=_("Reset two-step verification for %(count)d %(items)s."),
            log_message=gettext("Reset two-step verification."),
            call=lambda user: totp_devices_remove(user=user),
        )

    def scope_queryset(self, request, queryset):
        queryset = super().scope_queryset(request, queryset)
        if not request.user.is_superuser:
            # An official must not be able to reset a superuser's password.
            queryset = queryset.exclude(is_superuser=True)
        return queryset

    def get_queryset(self, request):
        memberships = scope_to_districts(
            Membership.objects.filter(is_active=True).select_related(
                "district", "school", "company", "university"
            ),
            request.user,
            "district",
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="visible_memberships"))
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return tuple(
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f not in self.superuser_only_fields]},
            )
            for name, options in fieldsets
        )

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(
            f"{m.get_role_display()} · {m.school or m.company or m.university or m.district}"
            for m in obj.visible_memberships
        )


@admin.register(Membership)
class MembershipAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("user", "role", "organisation", "district", "is_active", "created_at")
    list_filter = ("role", "is_active", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "user__name", "user__email")
    autocomplete_fields = ("user", "school", "company", "university")
    list_select_related = ("user", "district", "school", "company", "university")
    date_hierarchy = "created_at"
    # companies/admin.py registers a subclass in its place, with the approve and decline buttons
    # and actions of join requests (companies.services.membership): district imports no app.

    @admin.display(description=_("organisation"))
    def organisation(self, obj):
        return obj.school or obj.company or obj.university or "-"


# --- Places ------------------------------------------------------------------------


@admin.register(Area)
class AreaAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("name", "code", "is_industrial_complex", "district")
    list_filter = ("is_industrial_complex", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "code")
    list_select_related = ("district",)


@admin.register(CommuteTime)
class CommuteTimeAdmin(DistrictScopedAdmin):
    district_lookup = "origin__district"
    list_display = ("origin", "destination", "minutes")
    list_filter = (("origin", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("origin__name", "destination__name")
    autocomplete_fields = ("origin", "destination")
    list_select_related = ("origin", "destination")


# --- Each district's industry vocabulary (issue 16: segments and job roles are per district) ---


@admin.register(IndustrySegment)
class IndustrySegmentAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("name", "code", "order", "district")
    list_editable = ("order",)
    search_fields = ("name", "code")
    list_select_related = ("district",)


@admin.register(JobRole)
class JobRoleAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("name", "segment", "typical_salary", "district")
    list_filter = (("segment", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "description")
    autocomplete_fields = ("segment", "ncs_units")
    list_select_related = ("segment", "district")

    @admin.display(
        description=_("typical starting monthly salary (KRW)"), ordering="typical_monthly_salary_krw"
    )
    def typical_salary(self, obj):
        return krw(obj.typical_monthly_salary_krw)


# --- Shared vocabulary (every district: the national registries) ----------------------


@admin.register(Certification)
class CertificationAdmin(SharedVocabularyAdmin):
    list_display = ("name", "grade", "qnet_code", "issuer")
    list_filter = ("grade",)
    search_fields = ("name", "qnet_code", "issuer")


@admin.register(NcsUnit)
class NcsUnitAdmin(SharedVocabularyAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")


# --- Money and targets -------------------------------------------------------------


class ExpenditureInline(ScopedTabularInline):
    model = Expenditure
    fields = ("spent_on", "amount_krw", "description", "recorded_by")
    readonly_fields = ("recorded_by",)
    ordering = ("-spent_on",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


@admin.register(BudgetLine)
class BudgetLineAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("__str__", "district", "planned", "spent", "remaining")
    list_filter = ("year", "category", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("description",)
    list_select_related = ("district",)
    inlines = (ExpenditureInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(spent_krw=subquery_sum(Expenditure.objects.all(), "budget_line", "amount_krw"))
        )

    @admin.display(description=_("planned (KRW)"), ordering="planned_krw")
    def planned(self, obj):
        return krw(obj.planned_krw)

    @admin.display(description=_("spent (KRW)"), ordering="spent_krw")
    def spent(self, obj):
        return krw(obj.spent_krw)

    @admin.display(description=_("remaining (KRW)"))
    def remaining(self, obj):
        return krw(obj.planned_krw - obj.spent_krw)

    def save_formset(self, request, form, formset, change):
        # Expenditures record who entered them.
        for instance in formset.save(commit=False):
            if instance.recorded_by_id is None:
                instance.recorded_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Expenditure)
class ExpenditureAdmin(DistrictScopedAdmin):
    district_lookup = "budget_line__district"
    list_display = ("spent_on", "description", "budget_line", "amount", "recorded_by")
    list_filter = ("budget_line__year", "budget_line__category")
    search_fields = ("description",)
    autocomplete_fields = ("budget_line",)
    list_select_related = ("budget_line", "recorded_by")
    readonly_fields = ("recorded_by", "recorded_at")
    date_hierarchy = "spent_on"

    @admin.display(description=_("amount (KRW)"), ordering="amount_krw")
    def amount(self, obj):
        return krw(obj.amount_krw)

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(KpiTarget)
class KpiTargetAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    list_display = ("year", "indicator", "target", "district")
    list_filter = ("year", "indicator", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("indicator",)
    list_select_related = ("district",)


# The dashboard-token admin lives with the API it serves; importing it registers it.
from district.api import admin as _api_admin  # noqa: E402, F401


@admin.register(TaskOutbox)
class TaskOutboxAdmin(SuperuserOnlyAdmin):
    """Tasks kept while Redis was unreachable (`district.outbox`): what waits, and why it is not sent.

    The sweeper publishes them every minute; "publish now" runs the same sweep at once, for
    every waiting row (oldest first), and says how many were sent and how many still wait.
    """

    list_display = ("task_name", "attempts", "error", "created_at", "last_attempt_at")
    list_filter = ("task_name",)
    date_hierarchy = "created_at"
    readonly_fields = ("task_name", "args", "kwargs", "attempts", "error", "created_at", "last_attempt_at")
    fields = readonly_fields
    actions = ["publish_now"]

    @admin.action(description=_("Publish every waiting task now"))
    def publish_now(self, request, queryset):
        sent = outbox_flush()
        waiting = TaskOutbox.objects.count()
        level = messages.SUCCESS if not waiting else messages.WARNING
        message = gettext("Published %(sent)d task(s); %(waiting)d still waiting.")
        self.message_user(request, message % {"sent": sent, "waiting": waiting}, level)
