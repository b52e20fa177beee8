"""What a refused form tells the person about what they typed: kept, or to be given again.

A browser never gets a password back from the server, and a chosen file cannot be put back
into a file input, so a form with either says so instead of promising that nothing is lost.
"""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

FILE_WIDGETS = {"file", "clearablefile"}


@register.simple_tag
def kept_after_error(form) -> str:
    """The sentence above a refused form's fields, true to which of its fields are re-rendered."""
    kinds = {field.widget_type for field in form.visible_fields()}
    passwords, files = "password" in kinds, bool(kinds & FILE_WIDGETS)
    if passwords and files:
        return _(
            "Please correct the fields marked below. Everything else you typed is kept; "
            "type the passwords again and choose the file again."
        )
    if passwords:
        return _(
            "Please correct the fields marked below. Everything else you typed is kept; "
            "type the passwords again."
        )
    if files:
        return _(
            "Please correct the fields marked below. Everything else you typed is kept; "
            "choose the file again."
        )
    return _("Please correct the fields marked below. Nothing you typed is lost.")
