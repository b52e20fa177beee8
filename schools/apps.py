from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools")

    def ready(self):
        # What anonymising a former student removes here (privacy cannot import schools).
        from privacy.registry import register_anonymiser
        from schools.anonymise import anonymise_student

        register_anonymiser("schools", anonymise_student)
