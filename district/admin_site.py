"""The officials' admin site.

Only superusers and users with an active official membership get in. Inside, every
model admin derives from `district.admin_base.DistrictScopedAdmin`, which limits rows
to the official's districts.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from district.access import is_official


class OfficialAdminSite(admin.AdminSite):
    site_header = _("Innovation District Portal administration")
    site_title = _("Innovation District Portal")
    index_title = _("Programme administration")

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or is_official(user)
