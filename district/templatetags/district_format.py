"""Template filters that write the district's shared values, for any page or email."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def krw(amount) -> str:
    """A whole amount of won, written the way the reader's language writes it (2,900,000원, KRW 2,900,000)."""
    if amount in (None, ""):
        return ""
    return _("KRW %(amount)s") % {"amount": intcomma(int(amount))}
