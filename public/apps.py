from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from public import invalidation

        # Cache invalidation only: a change to what the public pages show forgets their stored copies.
        invalidation.connect()
