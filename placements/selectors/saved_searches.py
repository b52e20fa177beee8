"""Reads of saved /openings/ searches: a user's own list, and the new openings for a digest."""

from __future__ import annotations

import datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from companies.filters import PublicOpeningFilterSet
from companies.models import Opening
from companies.selectors.public import opening_list_public
from district.models import District
from placements.models import SavedSearch

# Query-string keys that are not filters and are never saved.
_NOT_FILTERS = {"page", "ordering"}


def saved_search_list(*, user) -> QuerySet[SavedSearch]:
    """The user's own saved searches, newest first."""
    if not getattr(user, "is_authenticated", False):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-pk")


def get_saved_search_for_user(user, pk) -> SavedSearch:
    """One of the user's saved searches, or 404 (also for another user's search)."""
    try:
        return saved_search_list(user=user).get(pk=pk)
    except (SavedSearch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def saved_search_for_token(token: str) -> SavedSearch | None:
    """The saved search an unsubscribe link names, or None."""
    if not token or len(token) > 64:
        return None
    return SavedSearch.objects.filter(unsubscribe_token=token).select_related("user").first()


def normalised_querystring(params: QueryDict, *, district: District | None) -> str:
    """The openings filters in `params` as a stable query string: known, valid, non-empty, sorted."""
    filterset = PublicOpeningFilterSet(params, queryset=Opening.objects.none(), district=district)
    form = filterset.form
    form.is_valid()
    kept = QueryDict(mutable=True)
    for name in sorted(form.fields):
        if name in _NOT_FILTERS or name in form.errors:
            continue
        value = params.get(name, "").strip()
        if value:
            kept[name] = value
    return kept.urlencode()


def describe_search(querystring: str, *, district: District | None) -> str:
    """A short name for a saved search, from its filters, such as “전지 · 양극재 · 3,000,000+”."""
    filterset = PublicOpeningFilterSet(
        QueryDict(querystring), queryset=Opening.objects.none(), district=district
    )
    form = filterset.form
    if not form.is_valid():
        return _("Openings search")
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name in _NOT_FILTERS or value in (None, "", [], ()):
            continue
        if name == "q":
            parts.append(f"“{value}”")
        elif name == "min_salary":
            parts.append(_("from %(amount)s KRW") % {"amount": intcomma(int(value))})
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            parts.append(str(dict(field.choices).get(value, value)))
        else:
            parts.append(str(value))
    return " · ".join(parts)[:100] or _("All openings")


def saved_search_results(
    *, saved_search: SavedSearch, district: District | None, today: datetime.date | None = None
) -> QuerySet[Opening]:
    """The public openings that a saved search finds today, in the order of the openings page."""
    filterset = PublicOpeningFilterSet(
        QueryDict(saved_search.querystring),
        queryset=opening_list_public(district=district, today=today),
        district=district,
    )
    return filterset.qs


def new_openings_for_search(
    *,
    saved_search: SavedSearch,
    district: District | None,
    since: datetime.datetime,
    until: datetime.datetime,
) -> list[Opening]:
    """Openings the search finds that were published in (since, until], newest first."""
    return list(
        saved_search_results(saved_search=saved_search, district=district)
        .filter(published_at__gt=since, published_at__lte=until)
        .order_by("-published_at", "pk")
    )


def saved_search_ids_due() -> list[int]:
    """Saved searches whose digest is on and whose owner can still sign in."""
    return list(
        SavedSearch.objects.filter(unsubscribed_at__isnull=True, user__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
