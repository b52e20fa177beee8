"""Settings for the Innovation District Portal.

One file, read from the environment with django-environ. Every value has a safe
development default except where production needs a deliberate choice, and a bad
value stops the process at start-up with a message naming the variable.

Variables (see README.md and .env.example):
    DEBUG                 bool, default False
    SECRET_KEY            required when DEBUG is off
    DATABASE_URL          default sqlite:///db.sqlite3
    REDIS_URL             required when DEBUG is off; unset (development only): Celery runs tasks
                          eagerly and the cache is local memory
    ALLOWED_HOSTS         comma-separated; default localhost names when DEBUG is on
    CSRF_TRUSTED_ORIGINS  comma-separated origins with scheme
    EMAIL_URL             default consolemail:// (the console backend)
    DEFAULT_FROM_EMAIL    sender address for notifications
    PORTAL_BASE_URL       scheme and host for links in scheduled emails; default http://127.0.0.1:8000
    TRUSTED_PROXY_COUNT, SECURE_SSL_REDIRECT, BEHIND_TLS_PROXY, SECURE_HSTS_SECONDS,
    SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD, OFFICIALS_REQUIRE_OTP,
    ACCOUNT_FORM_THROTTLE_RATE   see "--- Security ---"
    OFFER_EMAIL_RATE_LIMIT       pace of a published round's offer emails; see "Redis, cache and Celery"
    PUBLIC_PAGE_CACHE_SECONDS     seconds an anonymous public page is served from the cache; default 60, 0 off
    FILTER_CHOICES_CACHE_SECONDS  seconds a public filter's choices stay cached; default 3600
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
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
    "ALLOWED_HOSTS", default=[".localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
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
    # Security and personal data (issue 8): lockout, second factor, CSP, audit trail.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "auditlog",
    "district",
    "schools",
    "companies",
    "universities",
    "placements",
    "privacy",
    "dashboard",
    "public",
    "demo",
]

MIDDLEWARE = [
    # First, so that it stores the finished response (any cookie keeps a page out); it looks pages up
    # once the session, language and district are known (district.public_cache).
    "district.public_cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "district.security.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # request.district from the Host header; a session signed in on another district's host is anonymous.
    "district.sites.DistrictMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Messages pick their Korean particles once the names are in (district.korean.fix_particles).
MESSAGE_STORAGE = "district.web.ParticleFixingStorage"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "district.sites.site_context",
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
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A database that neither answers nor refuses must not hold a gunicorn worker's warm-up (or a
    # request) past the worker timeout: give up connecting after DB_CONNECT_TIMEOUT seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", _env_int("DB_CONNECT_TIMEOUT", 5)
    )
    # Memory each sort or hash table of a query may use before it spills to temporary files.
    # PostgreSQL's default, 4 MB, sends the dashboard's grouping statements at 100,000 students
    # (the placements under five groupings, the graduates' employment flags: ~60,000 rows each)
    # through disk; 16 MB keeps them in memory. Set per connection (no extra query per statement);
    # a few connections times a few such nodes stays far below the server's memory.
    # No JIT compilation: our statements run for tens to hundreds of milliseconds, and compiling
    # them costs more than it saves (at 100,000 students each of the dashboard's two credits
    # statements spent 58-147 ms in JIT: 206-438 ms with it, 113-197 ms without, at load 6.5).
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c work_mem=16MB -c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "district.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Twelve characters at least: a short phrase, the KISA guidance for accounts holding personal data.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Redis, cache and Celery ----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}")

if REDIS_URL:
    # A stopped or unreachable Redis turns cache calls into misses (district/cache.py); the
    # timeouts keep each failed call to a fraction of a second.
    CACHES = {
        "default": {
            "BACKEND": "district.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Throttle counters (the API's, and those of sign-up, joining and password reset) live in the cache;
# a per-process cache would give each gunicorn worker its own count, multiplying every limit.
LOCAL_CACHE_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
if not DEBUG and CACHES["default"]["BACKEND"] in LOCAL_CACHE_BACKENDS:
    raise ImproperlyConfigured(
        "REDIS_URL is required when DEBUG is off: throttles must count across workers in a shared cache"
    )

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
ROSTER_IMPORT_SOFT_TIME_LIMIT = _env_int("ROSTER_IMPORT_SOFT_TIME_LIMIT", 300)
ROSTER_IMPORT_TIME_LIMIT = _env_int("ROSTER_IMPORT_TIME_LIMIT", 360)
_LONGEST_TASK = max(
    CELERY_TASK_TIME_LIMIT, MATCH_RUN_TIME_LIMIT, SUGGESTIONS_TIME_LIMIT, ROSTER_IMPORT_TIME_LIMIT
)
# Redis hands an unacknowledged message to another worker once the visibility timeout has
# passed: it must exceed the longest task, or a task still running is started a second time.
# A worker killed outright (SIGKILL, a lost host) gets its message back only after this
# delay; a lower value (tests) must still exceed every hard time limit.
CELERY_VISIBILITY_TIMEOUT = _env_int("CELERY_VISIBILITY_TIMEOUT", _LONGEST_TASK * 2)
if CELERY_VISIBILITY_TIMEOUT <= _LONGEST_TASK:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT ({CELERY_VISIBILITY_TIMEOUT} s) must exceed the longest task time "
        f"limit ({_LONGEST_TASK} s), or Redis would hand running tasks to a second worker"
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# Test-only: a file path. While that file exists, a matching run stops inside its transaction,
# right after writing its matches, until the file is removed (`placements.services.run_execution._test_hold`),
# so that tests/placements/test_worker_kill.py kills the worker at a known point. Never in production.
MATCH_RUN_TEST_HOLD = env.str("MATCH_RUN_TEST_HOLD", default="")
if MATCH_RUN_TEST_HOLD and not DEBUG:
    raise ImproperlyConfigured("MATCH_RUN_TEST_HOLD is a test hook: it may only be set with DEBUG on")
# Redis down: a publish gives up after one quick retry and the task waits in the outbox table
# (district/outbox.py) rather than holding the request. A stopped Redis refuses at once; the
# socket timeouts bound a silent one. The read timeout must exceed kombu's 1 s BRPOP wait.
CELERY_BROKER_TRANSPORT_OPTIONS.update(socket_connect_timeout=0.5, socket_timeout=2)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# The pace of a published round's offer emails (Celery's `rate_limit` on the task
# `placements.offer_email_send`, one email a task). 1/s is 3,600 an hour: a municipal relay
# takes that without throttling the sender, and Pohang's ~600 offers still go out within about
# ten minutes while every student already has the offer on their page. Celery enforces it per
# worker instance (each `celery worker` process), not across the deployment: with N workers the
# relay sees up to N times this rate, so set it to the relay's limit divided by N.
OFFER_EMAIL_RATE_LIMIT = env.str("OFFER_EMAIL_RATE_LIMIT", default="1/s")
_offer_count, _offer_slash, _offer_period = OFFER_EMAIL_RATE_LIMIT.partition("/")
if not _offer_count.isdigit() or int(_offer_count) < 1 or _offer_period not in {"s", "m", "h"}:
    raise ImproperlyConfigured(
        f"OFFER_EMAIL_RATE_LIMIT must look like 1/s, 30/m or 2000/h, got {OFFER_EMAIL_RATE_LIMIT!r}"
    )
# Offer emails have a queue of their own, consumed only by the `mailer` worker (docker-compose.yml).
# A rate-limited task waits for its turn inside the worker that took it, holding one of that
# worker's prefetch slots (CELERY_WORKER_PREFETCH_MULTIPLIER is 1), so on the default queue a
# round's 600 paced emails would hold up every other task (password resets, the round itself) for
# the ten minutes they take. Eager mode (no REDIS_URL) ignores routes.
OFFER_EMAIL_QUEUE = "offer-emails"
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {"placements.offer_email_send": {"queue": OFFER_EMAIL_QUEUE}}
CELERY_TIMEZONE = "Asia/Seoul"
CELERY_BEAT_SCHEDULE: dict = {
    # Redis down: publish the tasks kept in the outbox meanwhile (a stale sweep is dropped, not queued up).
    "task-outbox-sweep": {
        "task": "district.outbox_flush",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # KEDI retention: fill each placement's 6- and 12-month record once its survey date has come.
    "retention-snapshots": {
        "task": "placements.retention_record_due",
        "schedule": crontab(hour=3, minute=30),
    },
    # Recruiters hear once a week about applications with no status change for STALE_APPLICATION_DAYS.
    "stale-application-reminders": {
        "task": "placements.stale_applications_remind",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
    # Saved searches: one email a day per search with the openings published since the last one.
    "saved-search-digests": {
        "task": "placements.saved_search_digests_enqueue",
        "schedule": crontab(hour=7, minute=0),
    },
    # Matching: each active student's ten best-fitting published openings, refreshed nightly.
    "opening-suggestions": {
        "task": "placements.suggestions_refresh",
        "schedule": crontab(hour=2, minute=30),
    },
    # Students of an open matching round with no 자기소개서 get one reminder per round (issue 15).
    "profile-reminders": {
        "task": "placements.profile_reminders_send",
        "schedule": crontab(hour=8, minute=0),
    },
    # Sign-ups and join requests whose emailed link expired unused: the accounts and their empty companies go.
    "unconfirmed-signups-purge": {
        "task": "companies.unconfirmed_signups_purge",
        "schedule": crontab(hour=4, minute=30),
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
# One date format a language, on every page (config/formats/<lang>/formats.py): "2027년 1월 31일".
FORMAT_MODULE_PATH = ["config.formats"]

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
    # A dashboard token may only read, and only views that opt in; an official's session must have
    # given its second factor while OFFICIALS_REQUIRE_OTP is on (district.api.permissions).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "district.api.permissions.TokenReadOnly",
        "district.api.permissions.SecondFactorVerified",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # drf-spectacular's, plus the refusals DRF answers on its own (district/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "district.api.schema.AutoSchema",
    # Per anonymous address, per person and per dashboard token; rates and NUM_PROXIES are set
    # under "API throttles" in the Security section.
    "DEFAULT_THROTTLE_CLASSES": [
        "district.api.throttling.AnonymousThrottle",
        "district.api.throttling.PersonOrTokenThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    # Title and introduction in the reader's language (Korean by default), as /api/docs/ shows them.
    "TITLE": _("Innovation District Portal API"),
    "VERSION": "1.2.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": _(
        "Read API of the Vocational Education Innovation District Portal. Browsers use their session; "
        "dashboard clients send `Authorization: Token <key>` with a read-only key that an official "
        "creates in the admin. KPI definitions: docs/kpis.md.\n\n"
        "**Changes in 1.1 (breaking for dashboard tokens).** Dashboard tokens read aggregates only: "
        "`/api/v1/applications/`, `/placements/` and `/match-runs/` (and their records) now answer 403 "
        "to a token. Read `/api/v1/dashboard/funnel/` (applications by status), `/dashboard/placements/` "
        "(placements by school, department, company, segment or month, with local and active counts), "
        "`/dashboard/retention/` and the new `/dashboard/matching/` (each matching run's statistics) "
        "instead. Staff reads of applications and placements are written to the personal-data access "
        "log. Lists refuse with 400 an `ordering` they do not offer, and a recruiter can neither search "
        "nor sort students on the fields hidden from recruiters (student number, date of birth, email, "
        "phone)."
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
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, the client's
# address is REMOTE_ADDR). Login lockout (django-axes) and API throttles (NUM_PROXIES) both read the
# client address this way, so a client cannot reset them by sending its own X-Forwarded-For.
TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Sessions, passwords, lockout, second factor
# HTTPS: with DEBUG off every plain-HTTP request is redirected, and HSTS (one year by default,
# subdomains included) tells browsers to never try HTTP again. Behind a TLS-terminating proxy set
# BEHIND_TLS_PROXY=true: the proxy must then set X-Forwarded-Proto itself (and drop the client's).
# The health probes stay reachable over plain HTTP for the container health checks.
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if _env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is for a registrable domain (a whole city domain), not this portal's host, so it is an
# explicit opt-in; while it is off, Django's reminder about it (security.W021) is silenced.
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Sessions live in the database (they survive a Redis outage) and end after 30 idle minutes:
# district.security.SessionRefreshMiddleware moves the expiry forward at most once a minute
# (a sliding window that costs one UPDATE a minute per active user, not one per request).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_REFRESH_SECONDS = 60
# django-axes: five wrong passwords for the same username from the same address lock that pair for
# 15 minutes. Pairing both keeps an attacker elsewhere from locking a colleague out, and keeps one
# school's shared (NAT) address from locking everyone there. The address comes from
# district.security.client_ip, which applies TRUSTED_PROXY_COUNT (django-ipware, which axes'
# AXES_IPWARE_* settings configure, is not installed). Lockouts answer 429 with a friendly page.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "district.security.client_ip"
AXES_LOCKOUT_CALLABLE = "district.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Axes' admin relies on Django model permissions, which the officials' site does not use.
AXES_ENABLE_ADMIN = False
# Second factor (TOTP, district.otp_views): staff may turn it on at /accounts/two-factor/. With
# OFFICIALS_REQUIRE_OTP on (the default when DEBUG is off), the admin, /dashboard/ and the exports
# send superusers and officials without a verified code to the code page or to enrolment first,
# and the API refuses their session with 403 (district.security.needs_second_factor).
OFFICIALS_REQUIRE_OTP = _env_bool("OFFICIALS_REQUIRE_OTP", not DEBUG)
OTP_TOTP_ISSUER = "Innovation District Portal"

# Content-Security-Policy (django-csp 4, enforced, never report-only): scripts and styles come
# only from our own static files, so an injected <script> or onclick="" does not run. A page that
# truly needs an inline block gives it nonce="{{ request.csp_nonce }}"; the header then carries
# that request's nonce (none of our pages needs one today). Styles are held to the same rule
# rather than allowed 'unsafe-inline': the few inline styles moved to static CSS. Images allow
# data: for inline SVG and the icons in Swagger UI's and the admin's CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# API throttles: requests per client in a sliding window (DRF rate syntax, e.g. 60/min, 1000/hour).
# 60/min for an anonymous address is one request a second: plenty for a person trying the API
# in Swagger UI or a polite script, slow for a scraper. 600/min (ten a second) per person or per
# dashboard token leaves room for a BI tool reading every dashboard endpoint and paging through
# a district's rows. A refused request gets 429 with Retry-After.
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="60/min"),
    "user": env.str("API_THROTTLE_USER", default="600/min"),
}
for _scope, _rate in API_THROTTLE_RATES.items():
    _count, _, _period = _rate.partition("/")
    if not _count.isdigit() or _period not in {"s", "sec", "m", "min", "h", "hour", "d", "day"}:
        raise ImproperlyConfigured(f"API_THROTTLE_{_scope.upper()} must look like 60/min, got {_rate!r}")
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = API_THROTTLE_RATES
# Account forms: how many times one client address (TRUSTED_PROXY_COUNT decides which) may post
# each of sign-up, joining a company and the password reset, counted separately per form, in a
# window that opens at the first post. 10/hour lets a person retry a form with mistakes many times
# and an office share one address, while a script creating accounts or sending reset emails in
# bulk is stopped after ten. Past it the form answers 429 with Retry-After.
ACCOUNT_FORM_THROTTLE_RATE = env.str("ACCOUNT_FORM_THROTTLE_RATE", default="10/hour")
_count, _, _period = ACCOUNT_FORM_THROTTLE_RATE.partition("/")
if (
    not _count.isdigit()
    or int(_count) < 1
    or _period not in {"s", "sec", "m", "min", "h", "hour", "d", "day"}
):
    raise ImproperlyConfigured(
        f"ACCOUNT_FORM_THROTTLE_RATE must look like 10/hour, got {ACCOUNT_FORM_THROTTLE_RATE!r}"
    )
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# DRF's browsable pages carry inline style attributes that the policy above refuses; outside
# development the API answers JSON only (people read it through Swagger at /api/docs/).
if not DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]

# --- Personal data (PIPA) ---------------------------------------------------------
# Every view or export of a student's personal data is logged (privacy.PersonalDataAccess) and
# the log is kept this many days; PIPA guidance asks for at least two years, so less is refused.
PERSONAL_DATA_ACCESS_LOG_DAYS = _env_int("PERSONAL_DATA_ACCESS_LOG_DAYS", 730)
if PERSONAL_DATA_ACCESS_LOG_DAYS < 730:
    raise ImproperlyConfigured(
        f"PERSONAL_DATA_ACCESS_LOG_DAYS must be at least 730 (two years), got {PERSONAL_DATA_ACCESS_LOG_DAYS}"
    )
# Students are anonymised this many years after graduation (1 March of their graduation year,
# since the Korean school year ends in February), unless a placement or enrolment is active.
STUDENT_RETENTION_YEARS = _env_int("STUDENT_RETENTION_YEARS", 3)
if STUDENT_RETENTION_YEARS < 1:
    raise ImproperlyConfigured(f"STUDENT_RETENTION_YEARS must be at least 1, got {STUDENT_RETENTION_YEARS}")
# The student's profile (/me/profile/): each 자기소개서 answer's limit in characters, and the
# largest project file (PDF, PNG or JPEG) a student may attach, in bytes.
PROFILE_ANSWER_MAX_CHARS = _env_int("PROFILE_ANSWER_MAX_CHARS", 1000)
PROFILE_FILE_MAX_BYTES = _env_int("PROFILE_FILE_MAX_BYTES", 5 * 1024 * 1024)
CELERY_BEAT_SCHEDULE["personal-data-retention"] = {
    # Purge access-log rows older than PERSONAL_DATA_ACCESS_LOG_DAYS, then anonymise due graduates.
    "task": "privacy.personal_data_retention_run",
    "schedule": crontab(hour=4, minute=15),
}

# --- Programme rules ------------------------------------------------------------
# The legal minimum hourly wage by year, in KRW; a full month is 209 paid hours.
MINIMUM_WAGE_HOURLY_KRW = {2025: 10_030, 2026: 10_320}
MINIMUM_WAGE_MONTHLY_HOURS = 209
# An application with no status change for this many days is stale; a direct offer stays open this long.
STALE_APPLICATION_DAYS = 7
OFFER_RESPONSE_DAYS = 7
# The district shown on hosts that no district claims (district.sites): one district needs no host names.
DEFAULT_DISTRICT_SLUG = env.str("DEFAULT_DISTRICT_SLUG", default="pohang")
# Anonymous visitors' public pages are served from the shared cache for this long (0 turns it off);
# any change to what a district's public pages show forgets its stored pages (district.public_cache).
PUBLIC_PAGE_CACHE_SECONDS = _env_int("PUBLIC_PAGE_CACHE_SECONDS", 60)
if PUBLIC_PAGE_CACHE_SECONDS < 0:
    raise ImproperlyConfigured(
        f"PUBLIC_PAGE_CACHE_SECONDS must be 0 (off) or more, got {PUBLIC_PAGE_CACHE_SECONDS}"
    )
# How long a public filter's choices stay in the shared cache (district.filters.cache_public_choices);
# a change to them moves the district's public version, which forgets them at once.
FILTER_CHOICES_CACHE_SECONDS = _env_int("FILTER_CHOICES_CACHE_SECONDS", 3600)
# How long the host-name map stays in the shared cache; any change to a district or host forgets it.
SITE_MAP_CACHE_SECONDS = _env_int("SITE_MAP_CACHE_SECONDS", 3600)
# Demo accounts log in only while DEBUG is on (see district.backends).
DEMO_ACCOUNTS_ENABLED = DEBUG

# Axes comes first: it refuses a locked-out username and IP pair before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "district.backends.PortalBackend"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
