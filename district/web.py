"""The shared web helpers of every app's pages: one copy each (DESIGN.md §3).

- `paginate`: a page of a queryset from `?page=`, never an error for a bad number.
- `show_refusal`: a service's `ValidationError` as messages on the next page.
- `add_service_errors`: a service's `ValidationError` on a form, on the field it names.
- `posted_next`: the `next` a form posted, if it stays on this site, else a fallback.
- `role_required`: the decorator behind every "only this role" page.
- `ParticleFixingStorage`: the message storage (settings.MESSAGE_STORAGE) that picks each
  message's Korean particles (district.korean.fix_particles), for pages and the admin alike.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.utils.safestring import SafeData, mark_safe

from district.korean import fix_particles
from district.security import safe_next

# Rows on a page of a staff list (a table), and cards on a page of a public list: a card is
# taller than a row, so a phone scrolls less.
PAGE_SIZE = 25
CARDS_PER_PAGE = 20


def paginate(request, queryset, *, per_page: int = PAGE_SIZE, short_list: bool = False) -> Page:
    """The page `?page=` asks for; the last page for a number past the end, the first for nonsense.

    The rows of the page asked for are read first, one more than fit: when that page is the last
    one (it holds 1 to `per_page` rows, or the first page holds none) the total is the rows before
    it plus its own, and no COUNT query runs. Most list pages fit on one page. Otherwise the total
    is counted as Django's paginator does. The page, its number and the totals are the same.

    `short_list` is for a list that stays short whatever the data (a district's public openings:
    tens, a few hundred at most): the rows carry the total (`COUNT(*) OVER ()`), so no COUNT query
    runs on any page that has rows. The database counts every matching row before it returns the
    first, which costs nothing on a short list and would on a table of a hundred thousand. A
    DISTINCT query counts with its own query as before (the window counts rows before DISTINCT).
    """
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page")
    try:
        wanted = int(number) if number is not None else 1
    except ValueError:
        wanted = 1
    if wanted < 1:  # Django's paginator answers the last page: leave that to it
        return paginator.get_page(number)
    offset = (wanted - 1) * per_page
    counted = short_list and not queryset.query.distinct
    rows = list(
        (queryset.annotate(_rows_in_list=Window(Count("*"))) if counted else queryset)[
            offset : offset + per_page + 1
        ]
    )
    if len(rows) <= per_page and (rows or wanted == 1):
        paginator.count = offset + len(rows)  # the total, without a COUNT
        return Page(rows, wanted, paginator)
    if rows:  # a full page with more after it: this number is valid whatever the total
        if counted:
            paginator.count = rows[0]._rows_in_list
        return Page(rows[:per_page], wanted, paginator)
    return paginator.get_page(number)  # past the end: the last page


def show_refusal(request, error: ValidationError) -> None:
    """Show each message of a service's refusal on the next page."""
    for message in error.messages:
        messages.error(request, message)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: field-keyed messages on their field, the rest on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for message in _with_particles(errors):
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in _with_particles(error.error_list):
            form.add_error(None, message)


def _with_particles(errors: list[ValidationError]) -> list[ValidationError]:
    """Each error as its finished message with its particles chosen (`fix_particles`), code kept."""
    return [ValidationError(fix_particles(message), code=e.code) for e in errors for message in e.messages]


def posted_next(request, fallback: str) -> str:
    """The posted `next` when it points at this site, else `fallback` (`security.safe_next`)."""
    return safe_next(request, request.POST.get("next"), fallback)


def role_required(find: Callable, *, attach: str | None = None) -> Callable:
    """Log in first; then 403 unless `find(user)` gives something (a role, a record).

    With `attach`, what `find` gave is put on the request under that name
    (`request.company`, `request.student`) for the view. Objects outside the user's scope
    answer 404 later, in the selector.
    """

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            found = find(request.user)
            if not found:
                raise PermissionDenied
            if attach:
                setattr(request, attach, found)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class ParticleFixingStorage(FallbackStorage):
    """Django's default message storage, with each message's double particles resolved.

    A translation that names a word it cannot know writes both particles ("“%(title)s”을(를)
    삭제했습니다"); once the word is in, `fix_particles` keeps the one it takes. Every message
    of every page and of the admin passes here, so no view has to remember it.
    """

    def add(self, level, message, extra_tags=""):
        if isinstance(message, SafeData):  # a message with a link: still safe, particles cannot add markup
            message = mark_safe(fix_particles(message))
        elif message:
            message = fix_particles(str(message))
        return super().add(level, message, extra_tags)
