"""The personal-data access log (PIPA): who looked at or exported which student's data, when and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One view or export of one student's personal data by staff, a recruiter or an official.

    Written by the pages, exports and API endpoints themselves (`privacy.services.record_access`),
    never typed in; kept for PERSONAL_DATA_ACCESS_LOG_DAYS (at least two years). The row points
    at the student instead of copying their name, so anonymising the student leaves only
    who accessed, when, from where and what.
    """

    class Kind(models.TextChoices):
        VIEW = "view", _("Page view")
        EXPORT = "export", _("Export")
        API = "api", _("API")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    student = models.ForeignKey(
        "schools.Student",
        verbose_name=_("whose data"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_data_accesses",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.VIEW)
    what = models.CharField(_("what"), max_length=100)
    purpose = models.CharField(_("stated purpose"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["student", "at"], name="pda_student_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"
