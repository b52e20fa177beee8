from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictConfig(AppConfig):
    name = "district"
    verbose_name = _("District")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from district.models import District, DistrictHost
        from district.security import mark_session_fresh
        from district.sites import bind_session_to_site, site_map_refresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="district.mark_session_fresh")
        user_logged_in.connect(bind_session_to_site, dispatch_uid="district.bind_session_to_site")
        # Cache invalidation only: the host-name map is read lazily on the first request, never here.
        for model in (District, DistrictHost):
            post_save.connect(
                site_map_refresh,
                sender=model,
                dispatch_uid=f"district.site_map_refresh.save.{model.__name__}",
            )
            post_delete.connect(
                site_map_refresh,
                sender=model,
                dispatch_uid=f"district.site_map_refresh.delete.{model.__name__}",
            )
