"""Read-only dashboard tokens: creation, revocation and lookup.

A key looks like ``idp_3f9a1c2e_<43 url-safe characters>``. The part after ``idp_`` and
before the second underscore is the public prefix, stored in clear so that a request
finds its token with one indexed lookup; the whole key is stored only as its SHA-256
hash. SHA-256 without a salt is enough here because the secret is 256 random bits, not
a password a person chose.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from district.models import DashboardToken, District

KEY_SCHEME = "idp"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _split_key(key: str) -> tuple[str, str] | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def validate_token_expiry(expires_at: datetime.datetime) -> None:
    """A token expires in the future and within DASHBOARD_TOKEN_MAX_DAYS."""
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": _("Choose an expiry date in the future.")})
    if expires_at > now + datetime.timedelta(days=settings.DASHBOARD_TOKEN_MAX_DAYS):
        raise ValidationError(
            {
                "expires_at": _("A token may live at most %(days)d days.")
                % {"days": settings.DASHBOARD_TOKEN_MAX_DAYS}
            }
        )


def dashboard_token_create(
    *, district: District, name: str, expires_at: datetime.datetime, by
) -> tuple[DashboardToken, str]:
    """Create a token and return it with its key, which is never stored and cannot be shown again.

    1. Refuse an expiry in the past or further away than DASHBOARD_TOKEN_MAX_DAYS.
    2. Draw a fresh prefix (retrying on the rare clash) and a 256-bit secret.
    3. Store the prefix and the hash of the whole key, never the key.
    """
    validate_token_expiry(expires_at)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the dashboard or tool that will use this token.")})
    with transaction.atomic():
        prefix = secrets.token_hex(4)
        while DashboardToken.objects.filter(key_prefix=prefix).exists():
            prefix = secrets.token_hex(4)
        key = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        token = DashboardToken.objects.create(
            district=district,
            name=name,
            key_prefix=prefix,
            key_hash=hash_key(key),
            created_by=by,
            expires_at=expires_at,
        )
    return token, key


def dashboard_token_revoke(*, token: DashboardToken, by) -> DashboardToken:
    """Revoke a token at once; revoking an already revoked token changes nothing."""
    with transaction.atomic():
        updated = DashboardToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
    if updated:
        token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return token


def dashboard_token_for_key(key: str) -> DashboardToken | None:
    """The live token whose key this is, or None for an unknown, malformed, revoked or expired key.

    The hash comparison runs in constant time so that timing does not reveal how much of
    a guessed key was right.
    """
    split = _split_key(key)
    if split is None:
        return None
    token = DashboardToken.objects.select_related("district").filter(key_prefix=split[0]).first()
    if token is None or not hmac.compare_digest(token.key_hash, hash_key(key)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now:
        return None
    return token


def dashboard_token_touch(*, token: DashboardToken) -> None:
    """Record that the token was used, at most once every DASHBOARD_TOKEN_TOUCH_SECONDS.

    A conditional UPDATE rather than save(): concurrent requests do not race, and a busy
    client does not write on every request.
    """
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.DASHBOARD_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is not None and token.last_used_at > stale:
        return
    DashboardToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=stale).update(last_used_at=now)
    token.last_used_at = now
