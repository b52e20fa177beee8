"""API throttles: a budget per anonymous client address, per person and per dashboard token.

Rates are made small with a REST_FRAMEWORK settings override; DRF reloads `api_settings` on
that signal and `district.api.throttling` reads the rate per request, so the override really
reaches the throttles. The throttles count in the cache, which is emptied around each test.
"""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.settings import api_settings

from district.api.tokens import dashboard_token_create
from tests.builders import assert_refused, run_setup

OPENINGS = "/api/v1/openings/"
ANON_LIMIT = 3
USER_LIMIT = 5
CLIENT = "203.0.113.10"  # documentation addresses (RFC 5737): strings only, no traffic
OTHER_CLIENT = "203.0.113.20"
PROXY = "198.51.100.1"


@pytest.fixture(autouse=True)
def _small_rates(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": f"{ANON_LIMIT}/min", "user": f"{USER_LIMIT}/min"},
        "NUM_PROXIES": 0,
    }
    yield
    cache.clear()


def behind_proxies(settings, count: int) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}


def statuses(client: Client, n: int, path: str = OPENINGS, **extra) -> list[int]:
    return [client.get(path, **extra).status_code for _ in range(n)]


def test_a_changed_rate_reaches_the_throttles(db, settings):
    """DRF's own classes keep the rate they saw at import; ours read it per request."""
    client = Client(REMOTE_ADDR=CLIENT)
    assert statuses(client, 2) == [200, 200]
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "1/min"},
    }
    assert api_settings.DEFAULT_THROTTLE_RATES["anon"] == "1/min"
    assert statuses(client, 2) == [200, 429]


def test_an_anonymous_address_is_throttled_with_retry_after(db):
    client = Client(REMOTE_ADDR=CLIENT)
    assert statuses(client, ANON_LIMIT) == [200] * ANON_LIMIT
    refused = client.get(OPENINGS)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another address has its own budget.
    assert Client(REMOTE_ADDR=OTHER_CLIENT).get(OPENINGS).status_code == 200


def test_without_trusted_proxies_x_forwarded_for_is_ignored(db):
    client = Client(REMOTE_ADDR=CLIENT)
    seen = [
        client.get(OPENINGS, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(ANON_LIMIT + 2)
    ]
    assert seen == [200] * ANON_LIMIT + [429, 429]


def test_behind_one_proxy_the_rightmost_address_counts(db, settings):
    behind_proxies(settings, 1)
    proxy = Client(REMOTE_ADDR=PROXY)
    # The client prepends a different made-up address each time; our proxy appends the real one.
    seen = [
        proxy.get(OPENINGS, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {CLIENT}").status_code
        for n in range(ANON_LIMIT + 1)
    ]
    assert seen == [200] * ANON_LIMIT + [429]
    # Another real client behind the same proxy is not held back.
    assert proxy.get(OPENINGS, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {OTHER_CLIENT}").status_code == 200


def test_a_logged_in_person_has_a_budget_of_their_own(world, student_user, school_a_staff):
    assert statuses(student_user, USER_LIMIT) == [200] * USER_LIMIT
    assert student_user.get(OPENINGS).status_code == 429
    # Same address, another person: a fresh budget; and the anonymous budget was not spent.
    assert school_a_staff.get(OPENINGS).status_code == 200
    assert Client().get(OPENINGS).status_code == 200


def _token_client(world, name):
    _, key = dashboard_token_create(
        district=world.district,
        name=name,
        expires_at=timezone.now() + datetime.timedelta(days=30),
        by=world.official,
    )
    return Client(headers={"Authorization": f"Token {key}"})


def test_each_dashboard_token_has_a_budget_of_its_own(world):
    first, second = _token_client(world, "BI 1"), _token_client(world, "BI 2")
    summary = "/api/v1/dashboard/summary/"
    assert statuses(first, USER_LIMIT, summary) == [200] * USER_LIMIT
    assert first.get(summary).status_code == 429
    assert second.get(summary).status_code == 200


@pytest.mark.parametrize("rate", ["sixty", "60/fortnight", "60"])
def test_a_malformed_rate_stops_start_up(rate):
    result = run_setup(DEBUG="true", API_THROTTLE_ANON=rate)
    assert_refused(result, "API_THROTTLE_ANON")
