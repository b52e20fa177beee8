"""Anonymous visitors' public pages, served from the shared cache (issue 17).

On results day every student signs in within minutes while the public pages keep their
usual traffic; a stored page costs a Redis read instead of a render and its queries.

What is stored, and for whom:

- Only views marked with `public_page` (the home page, the four public lists and their detail
  pages), for a GET or HEAD that carries no session cookie (and no cookie of pending
  messages, which the page would show once). A request with a session cookie is never served
  from the cache and never stored: a signed-in student's /openings/ shows fit and apply
  buttons that no visitor may be shown, and a visitor's page must not be shown to a student.
- Only a 200 response that sets no cookie at all, carries no CSP nonce (a nonce is per
  response) and was rendered for an anonymous user.
- The key holds the scheme and host of the request, the language LocaleMiddleware chose (from
  the language cookie or Accept-Language), the full path with its query string, and the
  version of the district's public pages. Hosts of one district get separate entries, since a
  page may name its own address.

Versions: each district has a number in the cache (`public:version:<district id>`). Any
change to what its public pages show calls `public_pages_changed`, which increments it, so
every stored page of that district is missed at once and the old entries expire unread. The
changes are caught by signal receivers (`public.apps`, cache work only) and, where a service
writes with `queryset.update()` (which sends no signal), by the service itself. A missing
number (a flushed or evicted Redis) starts again from the clock in milliseconds, never from
1, so that it cannot meet the number of an entry stored before.

The home page's KPI figures are the dashboard's cached summary (`public.selectors`): a stored
home page shows them as the dashboard had them, and may lag the database by at most
DASHBOARD_CACHE_SECONDS + PUBLIC_PAGE_CACHE_SECONDS.

`PublicPageCacheMiddleware` sits first in MIDDLEWARE, so that the response it stores is the
one every other middleware has finished (a cookie set by any of them keeps it out), and it
looks the page up in `process_view`: by then the session, the language and the district of
the request are known, and the view is resolved. A hit runs no database query; the other
middleware still add their headers to it (Vary: Cookie and Accept-Language, the CSP, ...).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

VERSION_KEY = "public:version:{}"
PAGE_KEY = "public:page:{scheme}:{host}:{language}:v{version}:{path}"
# Response headers kept with a stored page (as the other middleware left them); they add the
# others again on a hit.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")
CACHE_HEADER = "X-Cache"


def public_page(view: Callable) -> Callable:
    """Mark a public view whose anonymous responses `PublicPageCacheMiddleware` may store."""
    view.public_page_cache = True
    return view


# --- Versions ------------------------------------------------------------------------------


def _fresh_version() -> int:
    return int(time.time() * 1000)


def public_versions(district_ids: Iterable[int]) -> dict[int, int]:
    """The current version of each district's public pages (one cache read; starts a missing one)."""
    ids = list(district_ids)
    keys = {VERSION_KEY.format(pk): pk for pk in ids}
    found = cache.get_many(list(keys))
    versions = {keys[key]: value for key, value in found.items()}
    for key, pk in keys.items():
        if pk not in versions:
            start = _fresh_version()
            versions[pk] = start if cache.add(key, start, None) else cache.get(key, start)
    return versions


def _bump(district_ids: Iterable[int]) -> None:
    for pk in district_ids:
        key = VERSION_KEY.format(pk)
        try:
            cache.incr(key)
        except ValueError:  # no number yet: any new one differs from what stored pages carry
            cache.add(key, _fresh_version(), None)


def public_pages_changed(*, district_ids: Iterable[int] | None = None) -> None:
    """Forget the stored public pages of these districts (of every district when None).

    Call it after any write that changes what a district's public pages show, or the choices
    their filters offer (which are cached by this version even when the pages are not). The versions
    move at once, and again when the transaction commits: a visitor whose request ran in
    between may have stored the old page under the new number, and the second move leaves
    it unread. A change that is rolled back only costs a miss.
    """
    if district_ids is None:
        from district.sites import site_map

        ids = list(site_map().by_pk)
    else:
        ids = sorted({pk for pk in district_ids if pk is not None})
    if not ids:  # the version also keys the public filters' choices (district.filters): always moved
        return
    _bump(ids)
    if not transaction.get_autocommit():
        transaction.on_commit(lambda: _bump(ids))


# --- The middleware ------------------------------------------------------------------------


def _may_use_cache(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _page_key(request: HttpRequest, district_id: int) -> str:
    version = public_versions([district_id])[district_id]
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return PAGE_KEY.format(
        scheme=request.scheme,
        host=request.get_host().lower(),
        language=translation.get_language(),
        version=version,
        path=path,
    )


def _storable(request: HttpRequest, response) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not isinstance(getattr(request, "_csp_nonce", None), str)
        and (user is None or not user.is_authenticated)
    )


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of the `public_page` views from the shared cache, and store them.

    First in MIDDLEWARE: `__call__` sees the finished response, `process_view` runs once the
    session, language and district middleware have run. PUBLIC_PAGE_CACHE_SECONDS = 0 turns
    it off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_public_page_key", None)
        if key is not None:
            response[CACHE_HEADER] = "miss"
            if _storable(request, response):
                stored = {"content": response.content, "headers": {}}
                for name in KEPT_HEADERS:
                    if response.has_header(name):
                        stored["headers"][name] = response[name]
                cache.set(key, stored, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "public_page_cache", False) or not settings.PUBLIC_PAGE_CACHE_SECONDS:
            return None
        district = getattr(request, "district", None)
        if district is None or not _may_use_cache(request):
            return None
        key = _page_key(request, district.pk)
        stored = cache.get(key)
        if stored is None:
            request._public_page_key = key
            return None
        response = HttpResponse(stored["content"])
        for name, value in stored["headers"].items():
            response[name] = value
        # The stored page was rendered with the session read and the language negotiated; say so
        # even if this request's middleware did not get that far.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response[CACHE_HEADER] = "hit"
        return response
