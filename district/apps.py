from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictConfig(AppConfig):
    name = "district"
    verbose_name = _("District")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from district.security import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="district.mark_session_fresh")
