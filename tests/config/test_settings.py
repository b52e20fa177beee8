"""The settings read the environment strictly and stop the process on a bad value.

Each case starts a fresh interpreter that runs ``django.setup()`` with a chosen
environment, because settings are read once per process. The child ignores the
project's ``.env`` so a developer's local file cannot change the outcome.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.builders import PROJECT_ROOT, SETTINGS_VARIABLES, SETUP, assert_refused, run_setup

DUMP = (
    SETUP
    + """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.settings import api_settings
from config.celery import app

print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY_SET": bool(settings.SECRET_KEY),
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "DATABASE_ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DATABASE_NAME": str(settings.DATABASES["default"]["NAME"]),
    "DATABASE_OPTIONS": settings.DATABASES["default"].get("OPTIONS", {}),
    "REDIS_URL": settings.REDIS_URL,
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION"),
    "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    "celery_app_eager": app.conf.task_always_eager,
    "celery_app_broker": app.conf.broker_url,
    "TIME_ZONE": settings.TIME_ZONE,
    "USE_TZ": settings.USE_TZ,
    "USE_I18N": settings.USE_I18N,
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "LANGUAGES": [code for code, _ in settings.LANGUAGES],
    "MIDDLEWARE": settings.MIDDLEWARE,
    "AUTH_USER_MODEL": settings.AUTH_USER_MODEL,
    "user_model": get_user_model()._meta.label,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "API_RENDERERS": [
        renderer.__name__ for renderer in api_settings.DEFAULT_RENDERER_CLASSES
    ],
}))
"""
)

REDIS = "redis://127.0.0.1:6379/12"


def settings_with(**variables) -> dict:
    result = run_setup(DUMP, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def without_redis():
    return settings_with(DEBUG="true")


@pytest.fixture(scope="module")
def with_redis():
    return settings_with(DEBUG="true", REDIS_URL=REDIS)


# --- Bad values stop the process ---------------------------------------------------------


@pytest.mark.parametrize("debug", [None, "false", "0", "off"])
def test_secret_key_is_required_when_debug_is_off(debug):
    assert_refused(run_setup(DEBUG=debug), "SECRET_KEY")


@pytest.mark.parametrize("redis_url", [None, ""])
def test_production_refuses_a_per_process_cache(redis_url):
    """Throttle counts must be shared by every worker: without Redis the cache is local memory."""
    result = run_setup(DEBUG="false", SECRET_KEY="x" * 50, REDIS_URL=redis_url)
    assert_refused(result, "REDIS_URL is required when DEBUG is off")
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: REDIS_URL is required when DEBUG is off: "
        "throttles must count across workers in a shared cache"
    )


@pytest.mark.parametrize("rate", ["10", "ten/hour", "10/fortnight", "0/hour"])
def test_a_bad_account_form_throttle_rate_names_the_variable(rate):
    assert_refused(run_setup(DEBUG="true", ACCOUNT_FORM_THROTTLE_RATE=rate), "ACCOUNT_FORM_THROTTLE_RATE")


def test_an_empty_secret_key_counts_as_missing():
    assert_refused(run_setup(DEBUG="false", SECRET_KEY=""), "SECRET_KEY")


@pytest.mark.parametrize("debug", ["ture", "flase", "2", "yes please", "True!"])
def test_debug_typo_is_an_error_not_false(debug):
    assert_refused(run_setup(DEBUG=debug, SECRET_KEY="x" * 50), "DEBUG", repr(debug))


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("postgres://user@localhost:notaport/portal", id="bad-port"),
        pytest.param(
            "nonsense://",
            id="unknown-scheme",
        ),
        pytest.param(
            "nonsense",
            id="no-scheme",
        ),
    ],
)
def test_bad_database_url_names_the_variable(url):
    assert_refused(run_setup(DEBUG="true", DATABASE_URL=url), "DATABASE_URL")


@pytest.mark.parametrize("url", ["http://x", "127.0.0.1:6379", "redis:/missing-slash"])
def test_bad_redis_url_names_the_variable(url):
    assert_refused(run_setup(DEBUG="true", REDIS_URL=url), "REDIS_URL")


@pytest.mark.parametrize("origins", ["example.com", "https://portal.example.kr,example.com"])
def test_csrf_origin_without_a_scheme_is_an_error(origins):
    assert_refused(
        run_setup(DEBUG="true", CSRF_TRUSTED_ORIGINS=origins), "CSRF_TRUSTED_ORIGINS", "https://example.com"
    )


def test_bad_email_url_names_the_variable():
    assert_refused(run_setup(DEBUG="true", EMAIL_URL="bogus://"), "EMAIL_URL")


@pytest.mark.parametrize("name", ["DB_CONN_MAX_AGE", "CELERY_TASK_SOFT_TIME_LIMIT", "CELERY_TASK_TIME_LIMIT"])
def test_bad_integer_names_the_variable(name):
    assert_refused(run_setup(DEBUG="true", **{name: "abc"}), name)


# --- Good values ------------------------------------------------------------------------


def test_production_start_with_a_secret_key():
    settings = settings_with(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="portal.example.kr",
        CSRF_TRUSTED_ORIGINS="https://portal.example.kr",
        REDIS_URL=REDIS,
    )
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["portal.example.kr"]
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://portal.example.kr"]
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    # The browsable API's inline styles would break the CSP: production answers JSON only.
    assert settings["API_RENDERERS"] == ["JSONRenderer"]


def test_debug_supplies_a_development_secret_key(without_redis):
    assert without_redis["DEBUG"] is True
    assert without_redis["SECRET_KEY_SET"] is True


def test_database_url_is_read():
    settings = settings_with(DEBUG="true", DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal")
    assert settings["DATABASE_ENGINE"] == "django.db.backends.postgresql"
    assert settings["DATABASE_NAME"] == "portal"
    assert settings["DATABASE_OPTIONS"] == {"connect_timeout": 5, "options": "-c work_mem=16MB -c jit=off"}


def test_database_connect_timeout_is_read():
    settings = settings_with(
        DEBUG="true", DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal", DB_CONNECT_TIMEOUT="2"
    )
    assert settings["DATABASE_OPTIONS"] == {"connect_timeout": 2, "options": "-c work_mem=16MB -c jit=off"}


def test_bad_database_connect_timeout_names_the_variable():
    assert_refused(
        run_setup(
            DEBUG="true", DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal", DB_CONNECT_TIMEOUT="soon"
        ),
        "DB_CONNECT_TIMEOUT",
    )


def test_without_redis_tasks_run_eagerly_and_the_cache_is_local_memory(without_redis):
    assert without_redis["REDIS_URL"] == ""
    assert without_redis["CELERY_TASK_ALWAYS_EAGER"] is True
    assert without_redis["celery_app_eager"] is True
    assert without_redis["CACHE_BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert without_redis["CELERY_BROKER_URL"] == "memory://"


def test_with_redis_tasks_go_to_the_broker_and_the_cache_is_redis(with_redis):
    assert with_redis["CELERY_TASK_ALWAYS_EAGER"] is False
    assert with_redis["celery_app_eager"] is False
    assert with_redis["CELERY_BROKER_URL"] == REDIS
    assert with_redis["celery_app_broker"] == REDIS
    assert with_redis["CACHE_BACKEND"] == "district.cache.ResilientRedisCache"
    assert with_redis["CACHE_LOCATION"] == REDIS


def test_korean_first_with_english_and_seoul_time(without_redis):
    assert without_redis["TIME_ZONE"] == "Asia/Seoul"
    assert without_redis["USE_TZ"] is True
    assert without_redis["USE_I18N"] is True
    assert without_redis["LANGUAGE_CODE"] == "ko"
    assert {"ko", "en"} <= set(without_redis["LANGUAGES"])


def test_locale_middleware_sits_between_sessions_and_common(without_redis):
    middleware = without_redis["MIDDLEWARE"]
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")


def test_the_user_model_is_district_user(without_redis):
    assert without_redis["AUTH_USER_MODEL"] == "district.User"
    assert without_redis["user_model"] == "district.User"


def test_manage_py_reports_a_bad_setting_in_one_line():
    """An operator sees the reason, not a traceback. DEBUG is set, so a local .env cannot turn it on."""
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "manage.py: configuration error: SECRET_KEY is required when DEBUG is off"
    ]


def test_the_variable_list_is_read_from_the_settings_source():
    """If the pattern stopped matching, every case above would inherit the developer's shell."""
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TRUSTED_PROXY_COUNT"} <= SETTINGS_VARIABLES
