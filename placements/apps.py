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
