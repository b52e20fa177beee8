from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Matching and placements")

    def ready(self):
        # What anonymising a former student removes here, and the active placement that holds it back.
        from placements.anonymise import anonymise_student, student_is_placed
        from privacy.registry import register_anonymiser

        register_anonymiser("placements", anonymise_student, holds=student_is_placed)

        # Companies (below placements) asks how many of an opening's seats are filled when an
        # official approves fewer seats; the count is placements' and is registered here.
        from companies.services.openings import register_seats_taken
        from placements.services.applications import seats_taken

        register_seats_taken(seats_taken)
