"""District-wide pages: the health probes, the language links, the start page after logging in
and the password reset's form (home is in `public`)."""

from celery import current_app
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process is up and answering. Touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def language_choose(request):
    """Set the language cookie to `?language=` and go back to `?next=` (a path on this site, else /).

    The language links of every page lead here. A GET, unlike Django's `set_language` (a POST
    with a CSRF token), so that a visitor's pages hold no form and set no csrftoken cookie, and
    can be served to every visitor from the shared cache (district.public_cache). This is safe:

    - It changes no state of value: only the visitor's own language cookie, which they may set
      to either language at will. A forged link (CSRF) can at worst show someone the other
      language, and the next link switches back; nothing is written to the database or the session.
    - `next` must be a URL of this host (`url_has_allowed_host_and_scheme` against the
      request's own host, and https when the request came by https); anything else goes to /,
      so the view cannot be used as an open redirect.
    - A language the site does not offer is ignored; the redirect still happens.
    - The links carry rel="nofollow", so crawlers do not follow them. The response is not cached.
    """
    code = request.GET.get("language", "")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    client.ping()
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    # The running process's Celery app (config.celery): district imports no package above it.
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
    return "ok"


@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 only when the database answers; Redis and the broker are reported.

    A web process can still serve pages when Redis is down (the cache ignores errors and
    tasks wait in the outbox), so only the database decides the status code.
    """
    checks = {}
    for name, check in (("database", _check_database), ("redis", _check_redis), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # a probe reports every failure rather than raising
            checks[name] = f"error: {exc.__class__.__name__}"
    ready = checks["database"] == "ok"
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


# Where each role starts after logging in; the first role found in this order wins.
_ROLE_START_PAGES = [
    ("official", "admin:index"),
    ("national_official", "/dashboard/districts/"),  # the Ministry: every district side by side
    ("school_staff", "/school/"),
    ("company_recruiter", "/company/"),
    ("university_coordinator", "/university/"),
    ("student", "/me/"),
]


@login_required
def after_login(request):
    """Send a user who just logged in to the start page of their role.

    1. The first active role in `_ROLE_START_PAGES` wins.
    2. A superuser without a role goes to the admin.
    3. A colleague whose request to join a company awaits approval (an inactive recruiter
       membership) goes to /company/, which shows the request's status.
    4. Anyone else goes to the home page.
    """
    from district import access

    roles = {m.role for m in access.active_memberships(request.user)}
    for role, target in _ROLE_START_PAGES:
        if role in roles:
            return redirect(target)
    if request.user.is_superuser:
        return redirect("admin:index")
    if "company_recruiter" in access.inactive_roles(request.user):
        return redirect("/company/")
    return redirect("home")


class SitePasswordResetView(PasswordResetView):
    """Django's password reset, its email sent from the sender of the site's district.

    The link in it already leads to the host the form was sent on (Django builds it from the
    request); the From follows the same district (`District.sender`).
    """

    def form_valid(self, form):
        district = getattr(self.request, "district", None)
        self.from_email = district.sender if district is not None else None
        return super().form_valid(form)
