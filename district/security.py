"""Sign-in protection: the client address, the lockout page and the second factor.

- `client_ip` is how django-axes reads the caller's address (AXES_CLIENT_IP_CALLABLE).
  django-ipware is not installed, so axes' own AXES_IPWARE_* settings would do nothing and
  axes would fall back to REMOTE_ADDR; this function applies TRUSTED_PROXY_COUNT exactly
  as DRF's NUM_PROXIES does, so the lockout and the API throttles agree on who is calling.
- `lockout_response` is the page a locked-out username and address pair sees (429).
- `hit_rate_limit` counts a hit against a budget in the shared cache (a fixed window per key);
  it is the one counter behind every rate limit of the pages: `throttle_posts`, which limits how
  often one address may post a form that creates accounts or sends email (sign-up, joining a
  company, password reset), and the enrolment look-up's budget per coordinator.
- The rest is the second factor (TOTP through django-otp): who may enrol, the pending
  log-in between the password and the code, and the policy OFFICIALS_REQUIRE_OTP that
  keeps unverified officials out of the admin, the dashboard, the exports and the API
  (`needs_second_factor`, the one predicate all of them ask).
"""

from __future__ import annotations

import time
from base64 import b32encode
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import URLPattern, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from district.access import active_memberships, is_national_official, is_official
from district.models import Membership

# --- Client address and lockout ----------------------------------------------------------


def client_ip(request) -> str | None:
    """The caller's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says.

    Each trusted proxy appends the address it received the request from, so with N proxies
    the client is the N-th address from the right; anything further left was written by the
    client and may be forged. With no trusted proxy the header is ignored altogether.
    """
    remote_addr = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if count <= 0 or not addresses:
        return remote_addr
    return addresses[-min(count, len(addresses))]


def lockout_response(request, original_response=None, credentials=None):
    """The friendly page shown instead of the login form while a username and address pair is locked."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/lockout.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


# --- Rate limits -------------------------------------------------------------------------------


def hit_rate_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit against `key`; True when this hit is beyond `limit` hits in the window.

    The count lives in the cache, which production shares between workers (Redis; settings.py
    refuses a per-process cache when DEBUG is off). The window is fixed: it starts at the first
    hit and lasts `window_seconds` (Redis INCR keeps the expiry that `add` set). Hits that were
    refused count too, so hammering does not reopen the budget early. While the cache is
    unreachable nothing is counted and every hit passes: like the rest of the portal, the page
    keeps working without Redis.
    """
    cache_key = f"rate-limit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr, or the cache is unreachable
        return False
    return count > limit


RATE_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/hour' -> (10, 3600): DRF's rate syntax, which settings.py checks at start-up."""
    count, _, period = rate.partition("/")
    return int(count), RATE_PERIODS[period]


def client_over_limit(request, scope: str, rate: str) -> bool:
    """Count one attempt of this client address at `scope`; True once it is past `rate`."""
    limit, seconds = parse_rate(rate)
    key = f"throttle:{scope}:{client_ip(request) or 'unknown'}"
    return hit_rate_limit(key, limit=limit, window_seconds=seconds)


def throttle_posts(scope: str):
    """Refuse a client address's POSTs to the view past ACCOUNT_FORM_THROTTLE_RATE with a 429 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            rate = settings.ACCOUNT_FORM_THROTTLE_RATE
            if request.method == "POST" and client_over_limit(request, scope, rate):
                limit, seconds = parse_rate(rate)
                response = render(
                    request,
                    "registration/throttled.html",
                    {"limit": limit, "minutes": max(1, seconds // 60)},
                    status=429,
                )
                response["Retry-After"] = str(seconds)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- Second factor: who and when ---------------------------------------------------------------


def may_enrol(user) -> bool:
    """Staff of every kind may turn on a second factor: superusers, officials, school and
    university staff and recruiters. Students sign in with a password only."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(m.role != Membership.Role.STUDENT for m in active_memberships(user))


def second_factor_required(user) -> bool:
    """Whether the deployment insists on a verified second factor for this user: superusers, district
    officials and the Ministry's national officials, who read every district's dashboard."""
    if not (settings.OFFICIALS_REQUIRE_OTP and user.is_authenticated):
        return False
    return bool(user.is_superuser or is_official(user) or is_national_official(user))


def is_verified(user) -> bool:
    """django-otp's OTPMiddleware adds `is_verified`; without it nobody counts as verified."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def needs_second_factor(user) -> bool:
    """The one rule for every surface an official reaches by session (admin, dashboard, exports, API):
    True when the deployment requires a second factor of this user and their session has not
    given one. Such a user is sent to the code page (pages) or refused with 403 (the API).

    A dashboard token's principal (district.api.authentication.TokenUser) is not a person
    with a session: it reads with its key alone, so the rule does not apply to it.
    """
    if getattr(user, "dashboard_token", None) is not None:
        return False
    return second_factor_required(user) and not is_verified(user)


def confirmed_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def safe_next(request, candidate: str | None, default: str) -> str:
    """`candidate` when it points at this site, otherwise `default` (no open redirect)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def redirect_with_next(url_name: str, next_url: str):
    return redirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")


def second_factor_redirect(request, next_url: str):
    """Send an unverified user to the code page, or to enrolment when they have no device yet."""
    return redirect_with_next("otp-verify" if confirmed_devices(request.user) else "otp-setup", next_url)


def officials_second_factor(view):
    """Refuse a view to an admin user who is not verified while OFFICIALS_REQUIRE_OTP is on."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if needs_second_factor(request.user):
            return second_factor_redirect(request, request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def guard_patterns(patterns: list, decorator, names: set[str] | None = None) -> list:
    """The same URL patterns with each view wrapped in `decorator` (every view, or those named in
    `names`): /dashboard/ behind the second factor, the password reset behind its throttle."""
    return [
        URLPattern(pattern.pattern, decorator(pattern.callback), pattern.default_args, pattern.name)
        if names is None or pattern.name in names
        else pattern
        for pattern in patterns
    ]


# --- The pending log-in: password accepted, code not yet given ---------------------------

PENDING_SESSION_KEY = "_second_factor_pending"
PENDING_SECONDS = 300


@dataclass
class PendingLogin:
    user: object
    backend: str
    next_url: str


def start_pending_login(request, *, user, backend: str, next_url: str) -> None:
    """Remember who gave the right password, without logging them in yet.

    The session key is rotated here too, so a session planted before the password step
    cannot be the one that later becomes authenticated.
    """
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "at": int(time.time()),
    }


def pending_login(request) -> PendingLogin | None:
    """The pending log-in of this session, if it exists and is younger than five minutes."""
    data = request.session.get(PENDING_SESSION_KEY)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return None
    return PendingLogin(user=user, backend=data["backend"], next_url=data["next"])


def end_pending_login(request) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


# --- Devices (writes) -------------------------------------------------------------------


def verify_second_factor(*, user, token: str):
    """The confirmed device of `user` that accepts `token`, or None.

    Each device is checked through django-otp's `verify_token`, which applies the device's
    throttling (a growing wait after each wrong code) and refuses a code used before.
    """
    token = (token or "").replace(" ", "")
    for device in confirmed_devices(user):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created with a fresh random key if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def user_sessions_end(*, user_id: int) -> None:
    """End every session of the user: the bumped generation changes their session hash.

    Sessions live in the database and cannot be listed by user, so each request's session is
    checked against `User.get_session_auth_hash`, which mixes the generation in. A view that
    keeps its own session calls `update_session_auth_hash` after this.
    """
    get_user_model().objects.filter(pk=user_id).update(session_generation=F("session_generation") + 1)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm `device` if `token` is a current code of it; other unconfirmed devices go.

    Every session of the user ends: one opened with the password alone before the device
    existed must not carry on without the code.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token((token or "").replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user_id, confirmed=False).delete()
    user_sessions_end(user_id=device.user_id)
    return True


@transaction.atomic
def totp_devices_remove(*, user) -> int:
    """Turn the second factor off (or reset it after a lost phone): every TOTP device of `user`
    goes, and with them every session of the user, which may be the lost phone's."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    user_sessions_end(user_id=user.pk)
    return count


def device_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no image request, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=4, light="#fff", title="QR")


def device_key_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


# --- Idle session expiry ----------------------------------------------------------------------

SESSION_TOUCHED_KEY = "_touched_at"


class SessionRefreshMiddleware:
    """Slide a signed-in session's 30-minute expiry forward, writing it at most once a minute.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would cost an UPDATE on
    every click. Instead the session records when it was last refreshed; a request that comes
    more than SESSION_REFRESH_SECONDS later marks it modified, and SessionMiddleware saves it
    with a fresh expiry. An idle session therefore ends between 29 and 30 minutes after the
    last click. Visitors without a session cookie are never touched (no query, no cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:
            now = int(time.time())
            touched = session.get(SESSION_TOUCHED_KEY)
            if not isinstance(touched, int) or now - touched >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_TOUCHED_KEY] = now
        return self.get_response(request)


def mark_session_fresh(sender, request, user, **kwargs):
    """At sign-in the session is new: record it as just refreshed (connected in DistrictConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_TOUCHED_KEY] = int(time.time())
