from django.contrib.admin.apps import AdminConfig


class DistrictAdminConfig(AdminConfig):
    """Replaces the default admin site with the officials' site."""

    default_site = "district.admin_site.OfficialAdminSite"
