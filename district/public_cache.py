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
- The key holds the scheme and host of the request, the language LocaleMiddleware chooses (from
  the language cookie or Accept-Language), and the full path with its query string. Hosts of
  one district get separate entries, since a page may name its own address. The stored entry
  holds the page, the headers the finished response carried, its district and the version of
  that district's public pages when it was rendered.

Versions: each district has a number in the cache (`public:version:<district id>`). Any
change to what its public pages show calls `public_pages_changed`, which increments it, so
every stored page of that district is missed at once (a stored version that is not the
current one is never served) and is stored again at its next request. The
changes are caught by signal receivers (`public.apps`, cache work only) and, where a service
writes with `queryset.update()` (which sends no signal), by the service itself. A missing
number (a flushed or evicted Redis) starts again from the clock in milliseconds, never from
1, so that it cannot meet the number of an entry stored before.

The home page's KPI figures are the dashboard's cached summary (`public.selectors`): a stored
home page shows them as the dashboard had them, and may lag the database by at most
DASHBOARD_CACHE_SECONDS + PUBLIC_PAGE_CACHE_SECONDS.

Moving a host name to another district moves every district's version (`district.sites`),
since a stored page records the district its host had.

`PublicPageCacheMiddleware` sits first in MIDDLEWARE, so that the response it stores is the
one every other middleware has finished (a cookie set by any of them keeps it out), and so
that a hit is answered before any of them runs: two cache reads and no database query, at
close to the cost of /healthz (issue 17's capacity target: a hit at half of /healthz's rate or
more). The headers the other middleware set (Vary: Cookie and Accept-Language, the CSP, the
security headers) were stored with the page and are sent with it again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

VERSION_KEY = "public:version:{}"
PAGE_KEY = "public:page:{scheme}:{host}:{language}:{path}"
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


def _page_key(request: HttpRequest) -> tuple[str, str] | None:
    """The stored page's key for this request and the language it names, or None when it may not be cached.

    Worked out before any other middleware has run, from the request alone: an anonymous GET or
    HEAD of a `public_page` view, on a host ALLOWED_HOSTS accepts, in the language
    LocaleMiddleware will choose (the language cookie, else Accept-Language, else the default).
    """
    if not settings.PUBLIC_PAGE_CACHE_SECONDS or not _may_use_cache(request):
        return None
    try:
        match = resolve(request.path_info)
        host = request.get_host().lower()
    except (Resolver404, DisallowedHost):
        return None  # the ordinary path answers it (404, 400)
    if not getattr(match.func, "public_page_cache", False):
        return None
    language = translation.get_language_from_request(request)
    key = PAGE_KEY.format(
        scheme=request.scheme,
        host=host,
        language=language,
        path=hashlib.sha256(request.get_full_path().encode()).hexdigest(),
    )
    return key, language


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

    First in MIDDLEWARE. A hit is answered at the top of `__call__`, before any other
    middleware runs: the request names its page (`_page_key`), one cache read fetches the
    stored page, which records its district and that district's version when it was
    rendered, and a second read checks the version is still current. No session, user,
    language activation or district lookup is made for it, and no database query.

    A miss goes through the whole stack. `process_view` (run once the session, language and
    district middleware have) records the district and reads its version before the view
    renders; `__call__` then stores the finished response, with the headers every other
    middleware set (the security headers, the CSP, X-Frame-Options, Vary), if it is storable
    and LocaleMiddleware chose the language the key names. PUBLIC_PAGE_CACHE_SECONDS = 0
    turns it off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        named = _page_key(request)
        if named is not None:
            hit = self._stored(named[0])
            if hit is not None:
                return hit
        response = self.get_response(request)
        pending = getattr(request, "_public_page_pending", None)
        if named is not None and pending is not None:
            key, key_language = named
            response[CACHE_HEADER] = "miss"
            district_id, version, language = pending
            if language == key_language and _storable(request, response):
                stored = {
                    "district": district_id,
                    "version": version,
                    "content": response.content,
                    "headers": [(k, v) for k, v in response.items() if k != CACHE_HEADER],
                }
                cache.set(key, stored, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "public_page_cache", False) or not settings.PUBLIC_PAGE_CACHE_SECONDS:
            return None
        district = getattr(request, "district", None)
        if district is not None and _may_use_cache(request):
            version = public_versions([district.pk])[district.pk]
            request._public_page_pending = (district.pk, version, translation.get_language())
        return None

    @staticmethod
    def _stored(key: str) -> HttpResponse | None:
        stored = cache.get(key)
        if not isinstance(stored, dict) or "district" not in stored:
            return None
        current = cache.get(VERSION_KEY.format(stored["district"]))
        if current != stored["version"]:
            return None  # changed since (or the number was lost): render it again
        response = HttpResponse(stored["content"])
        for name, value in stored["headers"]:
            response[name] = value
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response[CACHE_HEADER] = "hit"
        return response
