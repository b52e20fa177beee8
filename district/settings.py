"""Settings for the Innovation District Portal.

One file, read from the environment with django-environ. Every value has a safe
development default except where production needs a deliberate choice, and a bad
value stops the process at start-up with a message naming the variable.

Variables (see README.md and .env.example):
    DEBUG                 bool, default False
    SECRET_KEY            required when DEBUG is off
    DATABASE_URL          default sqlite:///db.sqlite3
    REDIS_URL             unset: Celery runs tasks eagerly and the cache is local memory
    ALLOWED_HOSTS         comma-separated; default localhost names when DEBUG is on
    CSRF_TRUSTED_ORIGINS  comma-separated origins with scheme
    EMAIL_URL             default consolemail:// (the console backend)
    DEFAULT_FROM_EMAIL    sender address for notifications
    PORTAL_BASE_URL       scheme and host for links in scheduled emails; default http://127.0.0.1:8000
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _env_bool(name: str, default: bool) -> bool:
    """Read a boolean strictly: a typo such as DEBUG=ture is an error, not False."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def _env_int(name: str, default: int) -> int:
    """Read a whole number strictly, naming the variable when it is not one."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


DEBUG = _env_bool("DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
for _origin in CSRF_TRUSTED_ORIGINS:
    if "://" not in _origin:
        raise ImproperlyConfigured(f"CSRF_TRUSTED_ORIGINS entries need a scheme, such as https://{_origin}")

INSTALLED_APPS = [
    "district.admin_apps.DistrictAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text search on openings (SearchVector/SearchQuery); unused on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "district",
    "schools",
    "companies",
    "universities",
    "placements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "district.urls"
WSGI_APPLICATION = "district.wsgi.application"
ASGI_APPLICATION = "district.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
_database_url = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
_scheme = _database_url.partition("://")[0]
if "://" not in _database_url or _scheme not in environ.Env.DB_SCHEMES:
    raise ImproperlyConfigured(
        "DATABASE_URL must look like postgres://user@host:5432/name or sqlite:///path; "
        f"its scheme {_scheme!r} is not a database"
    )
try:
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
except Exception as exc:  # django-environ raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if not DATABASES["default"].get("ENGINE"):
    raise ImproperlyConfigured(f"DATABASE_URL names no database engine: {_database_url!r}")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", _env_int("DB_CONN_MAX_AGE", 60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "district.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Redis, cache and Celery ----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = _env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = _env_int("CELERY_TASK_TIME_LIMIT", 360)
# Matching runs (the whole 70k-student round takes about a minute) and the nightly suggestions.
MATCH_RUN_SOFT_TIME_LIMIT = _env_int("MATCH_RUN_SOFT_TIME_LIMIT", 900)
MATCH_RUN_TIME_LIMIT = _env_int("MATCH_RUN_TIME_LIMIT", 960)
SUGGESTIONS_SOFT_TIME_LIMIT = _env_int("SUGGESTIONS_SOFT_TIME_LIMIT", 1800)
SUGGESTIONS_TIME_LIMIT = _env_int("SUGGESTIONS_TIME_LIMIT", 1860)
# The visibility timeout must exceed the longest task, or Redis redelivers it mid-run.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": max(CELERY_TASK_TIME_LIMIT, MATCH_RUN_TIME_LIMIT, SUGGESTIONS_TIME_LIMIT) * 2
}
CELERY_TIMEZONE = "Asia/Seoul"
CELERY_BEAT_SCHEDULE: dict = {
    # KEDI retention: fill each placement's 6- and 12-month record once its survey date has come.
    "retention-snapshots": {
        "task": "schools.tasks.record_retention_snapshots",
        "schedule": crontab(hour=3, minute=30),
    },
    # Recruiters hear once a week about applications with no status change for STALE_APPLICATION_DAYS.
    "stale-application-reminders": {
        "task": "companies.tasks.remind_stale_applications_task",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
    # Saved searches: one email a day per search with the openings published since the last one.
    "saved-search-digests": {
        "task": "placements.tasks.send_saved_search_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Matching: each active student's ten best-fitting published openings, refreshed nightly.
    "opening-suggestions": {
        "task": "placements.tasks.refresh_suggestions_task",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- Email -----------------------------------------------------------------------
try:
    EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
except Exception as exc:
    raise ImproperlyConfigured(f"EMAIL_URL is not a valid email URL: {exc}") from exc
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="포항 직업교육 혁신지구 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in emails sent by scheduled tasks (no request to take the host from), e.g. saved-search digests.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
if "://" not in PORTAL_BASE_URL:
    raise ImproperlyConfigured(f"PORTAL_BASE_URL needs a scheme, such as https://{PORTAL_BASE_URL}")

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (roster files) live outside the web root and are never served directly.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "uploads")

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    # The token class comes first so that an anonymous caller gets 401 with
    # "WWW-Authenticate: Token"; without the header it steps aside for the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "district.api.authentication.DashboardTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A dashboard token may only read, and only views that opt in (district.api.permissions).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "district.api.permissions.TokenReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Innovation District Portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": (
        "Read API of the Vocational Education Innovation District Portal. Browsers use their session; "
        "dashboard clients send `Authorization: Token <key>` with a read-only key that an official "
        "creates in the admin. KPI definitions: docs/kpis.md."
    ),
    # Swagger UI is served from drf-spectacular-sidecar's static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets used by several fields get one name in the schema.
    "ENUM_NAME_OVERRIDES": {"RetentionCheckEnum": "placements.models.Placement.Retention"},
}
# Dashboard aggregates are cached per caller scope for this long (0 turns the cache off).
DASHBOARD_CACHE_SECONDS = _env_int("DASHBOARD_CACHE_SECONDS", 120)
# Dashboard tokens: the longest life an official may give one, and how often its
# last-used time is written (so that a busy BI client does not write on every request).
DASHBOARD_TOKEN_MAX_DAYS = _env_int("DASHBOARD_TOKEN_MAX_DAYS", 366)
DASHBOARD_TOKEN_TOUCH_SECONDS = 300

# --- Security --------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Programme rules ------------------------------------------------------------
# The legal minimum hourly wage by year, in KRW; a full month is 209 paid hours.
MINIMUM_WAGE_HOURLY_KRW = {2025: 10_030, 2026: 10_320}
MINIMUM_WAGE_MONTHLY_HOURS = 209
# An application with no status change for this many days is stale; a direct offer stays open this long.
STALE_APPLICATION_DAYS = 7
OFFER_RESPONSE_DAYS = 7
DEFAULT_DISTRICT_SLUG = env.str("DEFAULT_DISTRICT_SLUG", default="pohang")
# Demo accounts log in only while DEBUG is on (see district.backends).
DEMO_ACCOUNTS_ENABLED = DEBUG

AUTHENTICATION_BACKENDS = ["district.backends.PortalBackend"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
