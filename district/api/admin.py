"""Admin for dashboard tokens and the export log. district/admin.py imports this module.

Officials create a token here; its key is shown once, in a message, and only its hash
is kept. They revoke tokens with an action; tokens are never deleted, so that the
export log keeps saying which token downloaded what.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from district.admin_base import DistrictScopedAdmin
from district.api.tokens import dashboard_token_create, dashboard_token_revoke, validate_token_expiry
from district.models import DashboardToken, ExportLog


class DashboardTokenForm(forms.ModelForm):
    class Meta:
        model = DashboardToken
        fields = ("district", "name", "expires_at")

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        try:
            validate_token_expiry(expires_at)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["expires_at"]) from exc
        return expires_at


@admin.register(DashboardToken)
class DashboardTokenAdmin(DistrictScopedAdmin):
    district_lookup = "district"
    form = DashboardTokenForm
    list_display = ("name", "district", "key_prefix", "state", "expires_at", "last_used_at", "created_by")
    list_filter = ("district",)
    list_select_related = ("district", "created_by")
    search_fields = ("name", "key_prefix")
    date_hierarchy = "created_at"
    actions = ("revoke",)
    readonly_fields = (
        "key_prefix",
        "created_by",
        "created_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("expires_at", timezone.now() + datetime.timedelta(days=90))
        return initial

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Only the name may change; a new expiry or district needs a new token.
        return ("district", "expires_at", *self.readonly_fields)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("district", "name", "expires_at")
        return ("name", "district", "key_prefix", "expires_at", *self.readonly_fields[1:])

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.revoked_at:
            return _("Revoked")
        if obj.expires_at <= timezone.now():
            return _("Expired")
        return _("Active")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        token, key = dashboard_token_create(
            district=form.cleaned_data["district"],
            name=form.cleaned_data["name"],
            expires_at=form.cleaned_data["expires_at"],
            by=request.user,
        )
        obj.pk = token.pk
        obj.key_prefix = token.key_prefix
        obj.created_at = token.created_at
        self.message_user(
            request,
            _(
                "Copy this key now; it will not be shown again. Send it as the header "
                "“Authorization: Token %(key)s”."
            )
            % {"key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            dashboard_token_revoke(token=token, by=request.user)
            self.log_change(request, token, _("Revoked"))
            revoked += 1
        self.message_user(
            request,
            ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(DistrictScopedAdmin):
    """Who downloaded which dashboard data, when and from where. Read-only."""

    district_lookup = "district"
    list_display = ("at", "user", "token", "district", "what", "format", "ip_address")
    list_filter = ("format", "district")
    list_select_related = ("user", "token", "district")
    search_fields = ("what", "user__username", "user__name", "ip_address", "token__name")
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and getattr(settings, "EXPORT_LOG_DELETABLE", False)
