"""API rate limits: one budget per anonymous client address, one per person, one per dashboard token.

DRF's own `AnonRateThrottle` and `UserRateThrottle` copy `DEFAULT_THROTTLE_RATES` into a class
attribute when rest_framework.throttling is first imported, so a rate changed later (a test's
settings override, a settings reload) never reaches them. These subclasses read the rate from
`api_settings` on every request instead, which DRF reloads whenever REST_FRAMEWORK changes.

The client address comes from `BaseThrottle.get_ident`, which honours `NUM_PROXIES`
(= TRUSTED_PROXY_COUNT): with 0 it is REMOTE_ADDR and X-Forwarded-For is ignored; with N it is
the N-th address from the right, the one our own proxy wrote, so addresses a client prepends
to the header do not give it a fresh budget.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from district.api.authentication import token_of


class _LiveRateMixin:
    """Look the scope's rate up at request time rather than at import time."""

    def get_rate(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()


class AnonymousThrottle(_LiveRateMixin, AnonRateThrottle):
    """Visitors who are not logged in: counted per client address (scope "anon")."""


class PersonOrTokenThrottle(_LiveRateMixin, UserRateThrottle):
    """Logged-in people counted per user; dashboard tokens counted per token (scope "user").

    A dashboard token's principal has no primary key, so DRF's `UserRateThrottle` would put
    every token in one shared bucket ("user None"): one busy BI client would throttle the rest.
    """

    def get_cache_key(self, request, view):
        token = token_of(request.user)
        if token is not None:
            return self.cache_format % {"scope": self.scope, "ident": f"token-{token.pk}"}
        return super().get_cache_key(request, view)
