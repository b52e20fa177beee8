"""System checks for the personal-data settings (`manage.py check`, and every management command).

config/settings.py already refuses a bad value read from the environment; this check
catches a value set in code or by a settings override, so `manage.py check` in CI fails too.
"""

from django.conf import settings
from django.core import checks

# PIPA and the Ministry's guidance: keep the access log of personal data for at least two years.
MIN_ACCESS_LOG_DAYS = 730


@checks.register(checks.Tags.security)
def check_personal_data_settings(app_configs=None, **kwargs):
    errors = []
    days = getattr(settings, "PERSONAL_DATA_ACCESS_LOG_DAYS", None)
    if not isinstance(days, int) or days < MIN_ACCESS_LOG_DAYS:
        errors.append(
            checks.Error(
                f"PERSONAL_DATA_ACCESS_LOG_DAYS must be a whole number of at least {MIN_ACCESS_LOG_DAYS} "
                f"(two years), got {days!r}.",
                hint="The access log of personal data is kept for at least two years.",
                id="privacy.E001",
            )
        )
    years = getattr(settings, "STUDENT_RETENTION_YEARS", None)
    if not isinstance(years, int) or years < 1:
        errors.append(
            checks.Error(
                f"STUDENT_RETENTION_YEARS must be a whole number of at least 1, got {years!r}.",
                id="privacy.E002",
            )
        )
    return errors
