"""Which district a request is for: the host-name map, the middleware, and sessions bound to a site.

One deployment serves every district, each on its own host names (`DistrictHost`), such as
pohang.example.kr and ansan.example.kr.

1. `site_map()` reads every district and its host names in two queries and keeps them in the
   shared cache (`SITE_MAP_CACHE_SECONDS`). It is loaded on the first request a worker serves
   (under gunicorn, the warm-up's requests in the new worker: config/warmup.py), never at
   import or in `AppConfig.ready`, so nothing is read before gunicorn forks its workers.
   Saving or deleting a district or a host name rebuilds it (now, and again once the
   transaction commits).
2. `DistrictMiddleware` sets `request.district` from the Host header. A host that
   ALLOWED_HOSTS accepts but no district claims shows the default district
   (`DEFAULT_DISTRICT_SLUG`, else the first district), so a single-district deployment works
   as before. `request.district` is None only while no district exists at all.
3. A signed-in session belongs to the district whose host it signed in on
   (`SESSION_DISTRICT_KEY`, written at login). On another district's host it is not valid:
   the request is served as anonymous and the session is left untouched for its own host.
   Cookies are host-only as well (SESSION_COOKIE_DOMAIN stays unset). Sessions made without
   a request (the test client's `force_login`) carry no district and are not bound.
4. On a district's host a user holds only that district's memberships, plus the national
   role, which belongs to no district (`district.access.active_memberships` reads
   `site_district_id()`, which the middleware sets for the request). A person with roles in
   two districts signs in on each site. Tasks and commands run outside any site and see
   every membership, as before.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port

from district.models import District, DistrictHost, district_title

SITE_MAP_CACHE_KEY = "district:site-map:v1"
SESSION_DISTRICT_KEY = "district_site"


@dataclass(frozen=True)
class SiteMap:
    """Every district by primary key, slug and host name, and the one unclaimed hosts show."""

    by_pk: dict[int, District] = field(default_factory=dict)
    by_host: dict[str, int] = field(default_factory=dict)
    default_pk: int | None = None

    @property
    def default(self) -> District | None:
        return self.by_pk.get(self.default_pk) if self.default_pk is not None else None

    def for_host(self, host: str) -> District | None:
        """The district serving `host` (with or without a port), else the default one."""
        domain, _port = split_domain_port(host.lower())
        pk = self.by_host.get(domain.rstrip("."))
        return self.by_pk[pk] if pk is not None else self.default

    def by_slug(self, slug: str) -> District | None:
        return next((d for d in self.by_pk.values() if d.slug == slug), None)

    def hosts_of(self, district: District) -> list[str]:
        return sorted(host for host, pk in self.by_host.items() if pk == district.pk)


def site_map() -> SiteMap:
    """The districts and their host names, from the shared cache (two queries when it is cold)."""
    cached = cache.get(SITE_MAP_CACHE_KEY)
    if isinstance(cached, SiteMap):
        return cached
    return _site_map_build()


def _site_map_build() -> SiteMap:
    districts = {d.pk: d for d in District.objects.order_by("pk")}
    hosts = dict(DistrictHost.objects.values_list("host", "district_id"))
    default = next((d.pk for d in districts.values() if d.slug == settings.DEFAULT_DISTRICT_SLUG), None)
    if default is None and districts:
        default = min(districts)
    built = SiteMap(by_pk=districts, by_host=hosts, default_pk=default)
    cache.set(SITE_MAP_CACHE_KEY, built, settings.SITE_MAP_CACHE_SECONDS)
    return built


def site_map_refresh(**kwargs) -> None:
    """Rebuild the cached map after a district or host name changed (a signal receiver; cache only).

    It is rebuilt at once, so that the next request finds it warm, and again when the
    transaction commits, so that no request in between leaves the old map cached. A change
    that is rolled back may show until the next change or SITE_MAP_CACHE_SECONDS.
    """
    _site_map_build()
    if not transaction.get_autocommit():
        transaction.on_commit(_site_map_build)


def district_default() -> District | None:
    """The district that unclaimed hosts, and work without a request, fall back to."""
    return site_map().default


def bind_session_to_site(sender, request, user, **kwargs) -> None:
    """At sign-in, record the district whose host the session was made on (user_logged_in receiver)."""
    district = getattr(request, "district", None) if request is not None else None
    if district is not None and hasattr(request, "session"):
        request.session[SESSION_DISTRICT_KEY] = district.pk


class DistrictMiddleware:
    """Sets `request.district` from the Host header; keeps each session on its own district's site.

    Runs after the authentication and second-factor middleware. The user is not loaded here:
    a session from another district's host is recognised from the session alone. While the
    request runs, `site_district_id` names its district, so that memberships of other
    districts grant nothing on this site.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    # Load balancers' probes know no district, and must answer without the database.
    PROBES = frozenset({"/healthz", "/readyz"})

    def __call__(self, request):
        if request.path_info in self.PROBES:
            request.district = None
            return self.get_response(request)
        district = site_map().for_host(request.get_host())
        request.district = district
        session = getattr(request, "session", None)
        if session is not None and district is not None:
            bound = session.get(SESSION_DISTRICT_KEY)
            if bound is not None and bound != district.pk:
                request.user = AnonymousUser()
        token = _site_district.set(district.pk if district is not None else None)
        try:
            return self.get_response(request)
        finally:
            _site_district.reset(token)


_site_district: ContextVar[int | None] = ContextVar("site_district", default=None)


def site_district_id() -> int | None:
    """The district of the site the current request came in on; None outside a request."""
    return _site_district.get()


def site_url(district: District, *, request=None) -> str:
    """The address of `district`'s site, for links from one site to another (/districts/).

    Its `base_url` when set; else the first of its host names, with the scheme of `request`
    (else https) and the port its Host header named, if any (runserver's :8000); "" when it
    has neither.
    """
    if district.base_url:
        return district.base_url.rstrip("/")
    hosts = site_map().hosts_of(district)
    if not hosts:
        return ""
    scheme, port = "https", ""
    if request is not None:
        scheme = request.scheme
        port = split_domain_port(request.get_host())[1]
    return f"{scheme}://{hosts[0]}" + (f":{port}" if port else "")


def site_context(request) -> dict:
    """Template context: the district of this site (`site_district`) and the name its pages
    carry (`site_title`, generic while no district exists)."""
    district = getattr(request, "district", None)
    return {"site_district": district, "site_title": district_title(district)}
