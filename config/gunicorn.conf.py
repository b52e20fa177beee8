"""Gunicorn's settings, shared by docker-compose.yml, the Dockerfile and scripts/loadtest.

    gunicorn -c config/gunicorn.conf.py config.wsgi:application

Command-line flags override these (scripts/loadtest passes its own --bind and --workers).
GUNICORN_WORKERS (4) and GUNICORN_THREADS (4) size it: 4 processes of 4 threads.
`preload_app` imports the application once in the master, before the workers fork, so every
worker starts with the code already loaded. The hooks below warm the workers (config/warmup.py):

- `when_ready` (master, once, before the first fork): loads the URL resolvers, the compiled
  templates, the catalogues and the renderers, which the workers then share; no database or
  Redis is touched, every connection is closed at the end, and `gc.freeze()` keeps the
  collector's hands off what was loaded, so that the pages stay shared after the fork;
- `pre_fork` (master, before every fork, including a worker restarted later): closes every
  database and Redis connection again, so that no socket is ever inherited by a worker;
- `post_fork` (worker): names the worker's connections `portal-web-<pid>`;
- `post_worker_init` (worker, before it accepts): renders each main page once in-process.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# Threads per worker (gunicorn's gthread worker when above 1). A sign-in spends a quarter of a
# second of CPU in PBKDF2. With one thread per worker, four sign-ins arriving together would hold
# all four workers and every page behind them would wait (results day); with four threads, the
# other threads of a worker go on serving pages meanwhile, since hashlib's PBKDF2 releases the
# GIL. Each thread that serves a request keeps its own database connection (DB_CONN_MAX_AGE).
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
preload_app = True
accesslog = "-"


def when_ready(server):
    if server.cfg.preload_app:
        from config.warmup import warm_up

        compiled = warm_up()
        # What the master holds now lives as long as it does: keep the collector from touching it,
        # so that the workers' pages stay shared instead of being copied on a collection (gc.freeze).
        gc.freeze()
        server.log.info("warm-up: %s templates compiled in the master; connections closed", compiled)


def pre_fork(server, worker):
    if server.cfg.preload_app:
        from config.warmup import connections_close

        connections_close()


def post_fork(server, worker):
    if server.cfg.preload_app:
        from config.warmup import connections_name

        connections_name(f"portal-web-{os.getpid()}")


def post_worker_init(worker):
    from config.warmup import connections_name, warm_up, warm_up_worker

    if not worker.cfg.preload_app:  # the app was imported in this worker: load the rest here too
        warm_up()
        connections_name(f"portal-web-{os.getpid()}")
    warm_up_worker(worker.wsgi, notify=worker.notify)
