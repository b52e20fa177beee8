"""Building blocks shared by every model admin on the officials' site.

Three rules hold for every admin registered on `district.admin_site.OfficialAdminSite`:

1. Only superusers and officials may view, add, change or delete, and Django's model
   permissions play no part: what an official may do comes from their `Membership`.
2. Rows are limited to the official's districts (`DistrictScopedAdmin.district_lookup`).
   An admin that forgets to say how its model reaches a district shows nothing and fails
   `manage.py check`; the shared vocabulary opts out explicitly (`SharedVocabularyAdmin`).
3. Foreign-key and many-to-many choices, including autocomplete, are limited the same
   way, using the district lookup of the related model's admin, so a form cannot attach
   a row to another district's school or company.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import lookup_spawns_duplicates, model_ngettext
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from district.access import district_scope, is_official


def is_admin_user(user) -> bool:
    """Superusers and active officials: the people the officials' admin is for."""
    return bool(getattr(user, "is_superuser", False) or is_official(user))


def scope_to_districts(queryset: QuerySet, user, district_lookup: str) -> QuerySet:
    """Rows of `queryset` that belong to the districts `user` is an official of.

    A lookup through a to-many relation (a user's memberships) would repeat rows, so it
    is applied as `pk IN (subquery)` instead of a join.
    """
    scope = district_scope(user, district_lookup)
    if not scope:  # a superuser: everything
        return queryset
    if lookup_spawns_duplicates(queryset.model._meta, district_lookup):
        matching = queryset.model._default_manager.filter(scope).values("pk")
        return queryset.filter(pk__in=matching)
    return queryset.filter(scope)


def krw(amount) -> str:
    """Whole won with thousands separators, as Korean budget tables print them."""
    return "-" if amount is None else f"{amount:,}"


def subquery_count(queryset: QuerySet, fk: str) -> Coalesce:
    """Count the rows of `queryset` whose `fk` points at the outer row, as one subquery.

    Two `Count()` annotations over different relations multiply each other's rows; a
    correlated subquery per count keeps each count exact and the changelist at one query.
    """
    counted = (
        queryset.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def subquery_sum(queryset: QuerySet, fk: str, field: str) -> Coalesce:
    """Sum `field` over the rows of `queryset` whose `fk` points at the outer row."""
    summed = queryset.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(s=Sum(field)).values("s")
    return Coalesce(Subquery(summed), 0)


class OfficialPermissionsMixin:
    """Permissions for the officials' site: superusers and officials, nobody else."""

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request, *args):
        # Inlines receive the parent object as a second argument.
        return is_admin_user(request.user)

    def has_change_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_admin_user(request.user)


class MoneyInput(forms.NumberInput):
    """A whole-won amount: wide enough for ten digits, and a numeric keypad on phones.

    Django's admin gives integer fields the class `vIntegerField`, 5em wide, which shows
    2,600,000 as "260000" with the last digit scrolled out of sight. Money fields
    (named `*_krw`) get this widget instead; static/css/admin.css sizes `.vMoneyField`.
    """

    def __init__(self, attrs=None):
        super().__init__({"class": "vMoneyField", "inputmode": "numeric", "step": "1", **(attrs or {})})


def is_money_field(db_field) -> bool:
    """The portal names every amount of money `<what>_krw` (whole won)."""
    return db_field.name.endswith("_krw")


class MoneyFieldsMixin:
    """Every `*_krw` field of the form gets `MoneyInput`, so the whole amount is visible."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if is_money_field(db_field):
            kwargs["widget"] = MoneyInput()
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """A read-only admin of the portal's own machinery, which belongs to no district: superusers only.

    Officials get no module on the index and 403 on its pages; nobody adds, changes or
    deletes a row here (the rows are written and removed by the code that owns them).
    """

    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedChoicesMixin:
    """Limit foreign-key and many-to-many choices to the official's districts."""

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        related_model = db_field.remote_field.model
        related_admin = self.admin_site._registry.get(related_model)
        if isinstance(related_admin, DistrictScopedAdmin):
            if queryset is None:
                queryset = related_model._default_manager.using(db).all()
            queryset = related_admin.scope_queryset(request, queryset)
        return queryset


class DistrictScopedAdmin(MoneyFieldsMixin, OfficialPermissionsMixin, ScopedChoicesMixin, admin.ModelAdmin):
    """A model admin whose rows are limited to the official's districts.

    Subclasses set `district_lookup` to the path from the model to its district, for
    example "district", "school__district" or "run__district". Without one the admin
    shows nothing and `manage.py check` reports the mistake.
    """

    district_lookup: str | None = None

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not self.district_lookup:
            errors.append(
                checks.Error(
                    "DistrictScopedAdmin needs district_lookup, the path from the model to its district.",
                    hint="Set district_lookup, e.g. 'district' or 'school__district'; "
                    "derive from SharedVocabularyAdmin for models shared by every district.",
                    obj=self.__class__,
                    id="district.E001",
                )
            )
        return errors

    def scope_queryset(self, request, queryset: QuerySet) -> QuerySet:
        """Only the rows of `queryset` that the requesting user may see."""
        if not self.district_lookup:
            return queryset.none()
        return scope_to_districts(queryset, request.user, self.district_lookup)

    def get_queryset(self, request):
        queryset = self.scope_queryset(request, super().get_queryset(request))
        # Applied here rather than left to the changelist, so that autocomplete results,
        # actions and filters also get the joins their `__str__` needs. (The changelist
        # would skip list_select_related anyway once a subclass adds a select_related.)
        if self.list_select_related and not isinstance(self.list_select_related, bool):
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


class SharedVocabularyAdmin(MoneyFieldsMixin, OfficialPermissionsMixin, ScopedChoicesMixin, admin.ModelAdmin):
    """An admin for vocabulary that every district shares (segments, job roles, certifications, NCS).

    It is deliberately not district-scoped: any official may read and edit it.
    """


class ScopedTabularInline(
    MoneyFieldsMixin, OfficialPermissionsMixin, ScopedChoicesMixin, admin.TabularInline
):
    """A tabular inline on the officials' site. Its rows hang off a parent that is already scoped."""

    extra = 0


class ScopedStackedInline(
    MoneyFieldsMixin, OfficialPermissionsMixin, ScopedChoicesMixin, admin.StackedInline
):
    """A stacked inline on the officials' site."""

    extra = 0


class ReadOnlyAdminMixin:
    """Rows written by the system itself (matches, the access log, the audit trail): everyone
    with access may look; nobody adds, changes or deletes them through the admin, and their
    lists have no actions."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


class ReadOnlyInlineMixin:
    """An inline that shows history and offers no way to add, change or delete it."""

    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


# --- Actions that need a reason ------------------------------------------------------


class RejectionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=2000,
        help_text=_("The company's recruiters receive this text by email, so write it for them."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give a reason."), code="required")
        return reason


def reject_with_reason(modeladmin, request, queryset, *, action: str, title, service, service_kwarg: str):
    """Ask for a reason on a confirmation page, then call `service` for each selected row.

    1. The first POST (from the changelist) shows the selected rows and a reason form.
    2. The second POST carries `apply` and the reason; an empty reason shows the form
       again with its error.
    3. Each row goes through `service(**{service_kwarg: row}, by=user, reason=reason)`;
       rows the service refuses are reported one by one and the rest are still done.
    """
    if "apply" in request.POST:
        form = RejectionReasonForm(request.POST)
        if form.is_valid():
            run_service_for_each(
                modeladmin,
                request,
                queryset,
                done_message=_("Rejected %(count)d %(items)s."),
                log_message=str(title),
                call=lambda obj: service(
                    **{service_kwarg: obj}, by=request.user, reason=form.cleaned_data["reason"]
                ),
            )
            return None
    else:
        form = RejectionReasonForm()
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": opts,
        "objects": list(queryset),
        "objects_name": model_ngettext(queryset),
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(
        request,
        [
            f"admin/{opts.app_label}/{opts.model_name}/reject_with_reason.html",
            "admin/reject_with_reason.html",
        ],
        context,
    )


def run_service_for_each(modeladmin, request, queryset, *, done_message, log_message: str, call) -> int:
    """Call `call(obj)` for each row; report what was done and each refusal. Returns the count done.

    Each row that changed gets an entry in the admin's history, so officials can see who
    verified or rejected what.
    """
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except ValidationError as exc:
            for message in exc.messages:
                modeladmin.message_user(request, message, messages.ERROR)
        else:
            done += 1
            modeladmin.log_change(request, obj, log_message)
    if done:
        modeladmin.message_user(
            request,
            done_message % {"count": done, "items": model_ngettext(modeladmin.opts, done)},
            messages.SUCCESS,
        )
    return done


# --- Decisions on an object's own page ------------------------------------------------


class ObjectDecisionsMixin:
    """Approve and reject buttons on the change page of a row that awaits an official's decision.

    The buttons run the list's own actions on that one row, so they call the same services,
    write the same history and report through the same messages:

    - `decision_approve_action` (a POST) runs at once and comes back to the row's page;
    - `decision_reject_action` first shows the reason form (`reject_with_reason`), whose POST
      comes back to the same address; once the row is rejected, back to the row's page.

    Subclasses name the two actions and say, in `awaits_decision(obj)`, when the buttons show.
    Both addresses are POST-only apart from the reason form, and Django's CSRF check applies.
    """

    decision_approve_action: str = ""
    decision_reject_action: str = ""
    decision_approve_label = _("Approve")
    decision_reject_label = _("Reject…")
    # Off for a decision without a reason (declining a join request): the button is then a POST too.
    decision_reject_asks_reason = True
    change_form_template = "admin/change_form_with_decision.html"

    def awaits_decision(self, obj) -> bool:
        raise NotImplementedError

    def decision_notice(self, obj) -> str:
        """One sentence above the buttons: what awaits the official, and what each button does."""
        return ""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        approve = self.admin_site.admin_view(self.decision_approve_view)
        reject = self.admin_site.admin_view(self.decision_reject_view)
        return [
            path("<path:object_id>/approve/", approve, name="{}_{}_approve".format(*info)),
            path("<path:object_id>/reject/", reject, name="{}_{}_reject".format(*info)),
            *super().get_urls(),
        ]

    def _decision_rows(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        return obj, self.get_queryset(request).filter(pk=obj.pk)

    def _back_to_object(self, obj):
        info = self.opts.app_label, self.opts.model_name
        if not self.model._default_manager.filter(pk=obj.pk).exists():  # a declined request is deleted
            return redirect("admin:{}_{}_changelist".format(*info))
        return redirect("admin:{}_{}_change".format(*info), obj.pk)

    def decision_approve_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj, rows = self._decision_rows(request, object_id)
        getattr(self, self.decision_approve_action)(request, rows)
        return self._back_to_object(obj)

    def decision_reject_view(self, request, object_id):
        # GET shows the reason form, which changes nothing; its POST (with "apply") rejects.
        if not self.decision_reject_asks_reason and request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj, rows = self._decision_rows(request, object_id)
        response = getattr(self, self.decision_reject_action)(request, rows)
        return response if response is not None else self._back_to_object(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        awaits = obj is not None and self.has_change_permission(request, obj) and self.awaits_decision(obj)
        info = self.opts.app_label, self.opts.model_name
        context = {
            "awaits_decision": awaits,
            "decision_notice": self.decision_notice(obj) if awaits else "",
            "decision_approve_label": self.decision_approve_label,
            "decision_reject_label": self.decision_reject_label,
            "decision_approve_url": "admin:{}_{}_approve".format(*info),
            "decision_reject_url": "admin:{}_{}_reject".format(*info),
            "decision_reject_asks_reason": self.decision_reject_asks_reason,
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})
