"""Warm gunicorn workers: what the master loads once before it forks, and what each worker does
before it takes traffic. The hooks in config/gunicorn.conf.py call these functions.

1. `warm_up()`, in the master after `preload_app` imported the WSGI app (hook `when_ready`):
   populates the URL resolvers (which imports every view), compiles every template of the
   project and every form widget template into the template engines' cached loaders, loads the
   ko and en message catalogues, the static files' manifest, the password hashers and the API's
   renderers. None of this reads the database or Redis: the pages are not rendered here,
   because rendering reads `request.district` (the host map, in Redis and the database). The
   workers share what was loaded, copy-on-write, instead of each paying for it on its first
   requests.
2. `connections_close()`, at the end of `warm_up()` and again before every fork (hook
   `pre_fork`): closes every database connection, every Redis connection of the caches and the
   Celery app's broker pool. A socket open at the fork would be held by the master and every
   worker at once; two processes talking on one connection interleave their queries and read
   each other's answers.
3. `connections_name(name)`, in each worker just after the fork (hook `post_fork`): the
   worker's connections carry its name (`portal-web-<pid>`) as PostgreSQL's
   `application_name` and Redis's client name, so that `pg_stat_activity` and `CLIENT LIST`
   tell the workers apart.
4. `warm_up_worker(application)`, in each worker before it accepts (hook `post_worker_init`):
   one anonymous GET of each page of WARM_PAGES through the worker's own WSGI application. It
   opens the worker's own database and Redis connections, reads the host map and renders the
   main templates once, so the worker's first visitor does not pay for them. It never raises:
   a page that fails is logged and the worker starts anyway.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger("gunicorn.error")

# The pages each worker renders once before it takes traffic: the public site and the sign-in
# page, which every student opens on results day. URL names, reversed in the worker.
WARM_PAGES = (
    "home",
    "companies_public:opening_list",
    "pathways:list",
    "companies_public:company_list",
    "programs:list",
    "login",
)


def warm_up() -> dict[str, int]:
    """Load what every worker needs, in this process, without the database or Redis; close all connections.

    Returns how many templates each engine compiled ({"django": n, "forms": m}), for the log.
    Safe to call more than once: the second call finds everything cached.
    """
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.urls import get_resolver
    from django.utils import translation
    from rest_framework.settings import api_settings

    get_resolver().reverse_dict  # noqa: B018 - populating the resolvers imports every view
    compiled = _templates_compile()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Korean")  # loads the catalogue of `code` (and Django's own)
    staticfiles_storage.base_url  # noqa: B018 - sets the storage up, reading the manifest with DEBUG off
    get_hashers()
    api_settings.DEFAULT_RENDERER_CLASSES  # noqa: B018 - imports the renderers
    connections_close()
    return compiled


def _templates_compile() -> dict[str, int]:
    """Compile every template of the project's engine and of the form renderer into their cached loaders."""
    from django.forms.renderers import get_default_renderer
    from django.template import engines

    django_engine = engines["django"]
    names = _template_names(django_engine.engine.dirs)
    names += _template_names(_app_template_dirs(own_only=True))
    renderer = get_default_renderer()
    form_engine = getattr(renderer, "engine", None)
    form_names = _template_names(form_engine.engine.dirs) if form_engine is not None else []
    if form_engine is not None:
        form_names += _template_names(_app_template_dirs(own_only=False), under="django/forms")
    for engine, batch in ((django_engine, names), (form_engine, form_names)):
        for name in batch:
            try:
                engine.get_template(name)
            except Exception:  # a broken template fails its own page, not the whole server
                logger.exception("warm-up: template %s does not compile", name)
    return {"django": len(names), "forms": len(form_names)}


def _app_template_dirs(*, own_only: bool) -> list[Path]:
    """The `templates` folders of the installed apps; with own_only, only the project's own apps'.

    The virtualenv usually lives inside the project folder (`.venv`), so "inside the project" is not
    enough: an installed package's folder (site-packages) is never the project's own.
    """
    from django.conf import settings
    from django.template.utils import get_app_template_dirs

    project = Path(settings.BASE_DIR).resolve()
    dirs = [Path(folder) for folder in get_app_template_dirs("templates")]

    def own(folder: Path) -> bool:
        resolved = folder.resolve()
        return resolved.is_relative_to(project) and "site-packages" not in resolved.parts

    return [folder for folder in dirs if not own_only or own(folder)]


def _template_names(dirs, *, under: str = "") -> list[str]:
    """Every .html and .txt template below `dirs` (within `under`), as names a loader finds."""
    names = []
    for folder in map(Path, dirs):
        root = folder / under
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".txt"} and path.is_file():
                names.append(path.relative_to(folder).as_posix())
    return names


def connections_close() -> None:
    """Close every database connection, every Redis cache connection and Celery's broker pool.

    Called in the gunicorn master before it forks (see the module's docstring, step 2).
    """
    from django.core.cache import caches
    from django.db import connections

    from config.celery import app as celery_app

    connections.close_all()
    for cache in caches.all(initialized_only=True):
        disconnect = getattr(cache, "disconnect", None)  # district.cache.ResilientRedisCache
        if disconnect is not None:
            disconnect()
        cache.close()
    # The app makes its broker pool (and the producer pool on it) on the first task sent.
    pool = celery_app._pool
    if pool is not None:
        pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def connections_name(name: str) -> None:
    """Name the connections this process opens from now on, in every thread: PostgreSQL
    application_name, Redis client name."""
    from django.core.cache import caches
    from django.db import connections

    for connection in connections.all():
        if connection.vendor == "postgresql":
            connection.settings_dict.setdefault("OPTIONS", {})["application_name"] = name
    for alias in caches:
        name_clients = getattr(caches[alias], "name_clients", None)
        if name_clients is not None:
            name_clients(name)
            # Each thread of a gthread worker makes its own cache object (and pools) from the
            # settings: name the connections of those too.
            caches.settings[alias].setdefault("OPTIONS", {})["client_name"] = name


def _warm_host() -> str:
    """A host name that ALLOWED_HOSTS accepts (an unclaimed one shows the default district)."""
    from django.conf import settings

    for pattern in settings.ALLOWED_HOSTS:
        if pattern == "*":
            return "localhost"
        host = pattern.lstrip(".")
        if host:
            return host
    return "localhost"


def warm_up_worker(application, *, notify: Callable[[], None] | None = None) -> dict[str, int | str]:
    """GET each page of WARM_PAGES once through `application`; returns each path's status code.

    A page that raises is recorded as the exception's name. `notify` (the gunicorn worker's
    heartbeat) is called after each page, so a slow warm-up is not taken for a hung worker.
    """
    from django.urls import reverse

    host = _warm_host()
    statuses: dict[str, int | str] = {}
    started = time.perf_counter()
    for name in WARM_PAGES:
        try:
            path = reverse(name)
            statuses[path] = _get(application, path, host)
        except Exception as error:  # the worker starts anyway; its first visitor sees the real error
            logger.exception("warm-up: GET %s failed", name)
            statuses[name] = type(error).__name__
        if notify is not None:
            notify()
    elapsed = (time.perf_counter() - started) * 1000
    summary = ", ".join(f"{path} {status}" for path, status in statuses.items())
    logger.info("warm-up of worker %d in %.0f ms: %s", os.getpid(), elapsed, summary)
    return statuses


def _get(application, path: str, host: str) -> int:
    """One anonymous GET of `path` through the WSGI `application`; returns the status code."""
    from django.conf import settings

    secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443" if secure else "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status: list[str] = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    body = application(environ, start_response)
    try:
        for _chunk in body:
            pass
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()  # request_finished: Django's end-of-request handling, as after a real request
    return int(status[0].split(" ", 1)[0])
