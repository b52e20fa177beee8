"""PUBLIC_PAGE_CACHE_SECONDS (issue 17): read from the environment, strictly; the cache's middleware
comes first, so that it stores only the finished response (district.public_cache)."""

import json

import pytest

from tests.builders import SETUP, assert_refused, run_setup

DUMP = (
    SETUP
    + """
import json
from django.conf import settings
print(json.dumps({"seconds": settings.PUBLIC_PAGE_CACHE_SECONDS, "first": settings.MIDDLEWARE[0]}))
"""
)


def dumped(**variables) -> dict:
    result = run_setup(DUMP, DEBUG="true", **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("value", "seconds"), [(None, 60), ("0", 0), ("300", 300)])
def test_the_seconds_come_from_the_environment(value, seconds):
    assert dumped(PUBLIC_PAGE_CACHE_SECONDS=value) == {
        "seconds": seconds,
        "first": "district.public_cache.PublicPageCacheMiddleware",
    }


@pytest.mark.parametrize("value", ["sixty", "1.5", "-1"])
def test_a_bad_value_names_the_variable(value):
    assert_refused(run_setup(DEBUG="true", PUBLIC_PAGE_CACHE_SECONDS=value), "PUBLIC_PAGE_CACHE_SECONDS")
