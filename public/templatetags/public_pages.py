"""Small template helpers of the public list pages."""

from django import template

register = template.Library()

# Query-string keys that do not narrow a list: the search box, the order and the page.
_NOT_NARROWING = {"q", "ordering", "page"}


@register.filter
def active_filters(form) -> int:
    """How many filters of a bound filter form narrow the list, to open the filter panel when any do."""
    if not form.is_bound:
        return 0
    return sum(1 for name in form.fields if name not in _NOT_NARROWING and form.data.get(name))
