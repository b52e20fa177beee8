"""Small template helpers of the public and student pages."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

register = template.Library()

# Query-string keys that do not narrow a list: the search box, the order and the page.
_NOT_NARROWING = {"q", "ordering", "page"}


@register.filter
def krw(amount) -> str:
    """A whole amount of won, written the way the reader's language writes it (2,900,000원, KRW 2,900,000)."""
    if amount in (None, ""):
        return ""
    return _("KRW %(amount)s") % {"amount": intcomma(int(amount))}


@register.filter
def active_filters(form) -> int:
    """How many filters of a bound filter form narrow the list, to open the filter panel when any do."""
    if not form.is_bound:
        return 0
    return sum(1 for name in form.fields if name not in _NOT_NARROWING and form.data.get(name))
