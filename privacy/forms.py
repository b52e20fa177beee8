"""The stated purpose that every export of personal data asks for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.services import PURPOSE_MAX_LENGTH


class ExportPurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of this export"),
        max_length=PURPOSE_MAX_LENGTH,
        help_text=_("Required. Recorded in the personal-data access log, with your name and the time."),
        error_messages={
            "required": _("State the purpose of this export: it is recorded in the personal-data access log.")
        },
    )
