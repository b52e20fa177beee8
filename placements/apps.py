from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Matching and placements")

    def ready(self):
        # Companies (below placements) asks how many of an opening's seats are filled when an
        # official approves fewer seats; the count is placements' and is registered here.
        from companies.services.openings import register_seats_taken
        from placements.services.applications import seats_taken

        register_seats_taken(seats_taken)
