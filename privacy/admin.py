"""The officials' admin for personal data: the access log and the audit trail, both read-only.

django-auditlog registers its own LogEntry admin on the default site, which here is the
officials' site; that admin would show every district's history and fall back to Django's
model permissions. It is replaced by `AuditTrailAdmin`, which shows an official only the
history of rows of their own districts.
"""

from __future__ import annotations

from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from district.access import district_scope
from district.admin_base import DistrictScopedAdmin, ReadOnlyAdminMixin
from privacy.audit import AUDITED
from privacy.models import PersonalDataAccess
from privacy.pages import page_name


class PageFilter(admin.SimpleListFilter):
    """The pages in the log, by name (the route names stay in the rows and in the address)."""

    title = _("page")
    parameter_name = "what"

    def lookups(self, request, model_admin):
        logged = model_admin.get_queryset(request).order_by().values_list("what", flat=True).distinct()
        return sorted(((what, page_name(what)) for what in logged), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(what=self.value()) if self.value() else queryset


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, DistrictScopedAdmin):
    district_lookup = "student__school__district"
    date_hierarchy = "at"
    list_display = ("at", "user", "ip_address", "student", "kind", "page", "purpose")
    list_filter = ("kind", PageFilter, ("student__school", admin.RelatedOnlyFieldListFilter))
    search_fields = (
        "student__name",
        "student__student_number",
        "user__username",
        "user__name",
        "what",
        "purpose",
    )
    list_select_related = ("user", "student")
    readonly_fields = ("at", "user", "ip_address", "student", "kind", "page", "what", "purpose")
    fields = readonly_fields

    @admin.display(description=_("page"), ordering="what")
    def page(self, obj):
        return page_name(obj.what)


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditTrailAdmin(ReadOnlyAdminMixin, DistrictScopedAdmin, AuditlogLogEntryAdmin):
    """The audit trail of the models in `privacy.audit.AUDITED`, limited to the official's districts.

    A log entry has no district of its own: it names a row by content type and id. The scope
    is therefore, for each audited model, "entries about rows of that model in my districts",
    using the model's path to its district from `AUDITED`. The history of a deleted row
    drops out of an official's view (superusers still see it).
    """

    # Not a field path: `scope_queryset` below resolves the district through each audited model.
    district_lookup = "content_type/object_id → the audited row's district"
    list_filter = ["action", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "actor__username", "actor__name"]

    def scope_queryset(self, request, queryset: QuerySet) -> QuerySet:
        user = request.user
        if getattr(user, "is_superuser", False):
            return queryset
        content_types = ContentType.objects.get_for_models(*(apps.get_model(label) for label in AUDITED))
        allowed = Q(pk__in=[])
        for model, content_type in content_types.items():
            lookup = AUDITED[model._meta.label][2]
            rows = model._default_manager.filter(district_scope(user, lookup)).values("pk")
            allowed |= Q(content_type=content_type, object_id__in=rows)
        return queryset.filter(allowed)
