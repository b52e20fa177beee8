from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data under Korea's PIPA: the access log, the audit trail, retention and consent checks."""

    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        # One place registers every audited model: the list, and what each one hides, is the
        # PIPA policy, so it is reviewed here rather than spread over five apps.
        from privacy import audit, checks  # noqa: F401

        audit.register_models()
