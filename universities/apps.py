from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UniversitiesConfig(AppConfig):
    name = "universities"
    verbose_name = _("Universities")

    def ready(self):
        # An active enrolment holds a former student back from anonymisation.
        from privacy.registry import register_anonymiser
        from universities.anonymise import student_is_enrolled

        register_anonymiser("universities", holds=student_is_enrolled)
