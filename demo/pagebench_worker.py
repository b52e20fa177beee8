"""One tree's side of `bench_pages`: a process that times public pages through Django's test client.

Run as `python <this file>` with the working directory at the root of the tree to measure
(this checkout, or the base commit's worktree, which need not contain this file), and the
environment `bench_pages` sets (DEBUG off, the database, Redis). It reads one JSON request a line
on standard input and answers one JSON line on standard output:

    {"op": "count", "path": "/openings/"}
        -> {"status": 200, "templates": 7, "includes": 3, "queries": 9, "bytes": 30512}
    {"op": "time", "path": "/openings/", "requests": 5}
        -> {"wall_ms": [...], "cpu_ms": [...]}

By default every request is an anonymous visitor's first one: no cookie at all, and the
anonymous page cache is off (`PUBLIC_PAGE_CACHE_SECONDS=0` in the environment and the settings),
so each one is a cache miss that renders the page. That is the request the page cache exists
for, and the one it falls back to after every expiry or version change; the base tree has no
page cache, so there the same request is simply the page.
With `BENCH_PAGES_SIGNED_IN=1` every request instead carries the cookie of a session the worker
makes at its start (and deletes at its end): a session the cache never serves. Loading it costs
both trees the same one query. (A cookie that names no session would cost an INSERT of a new
session on every request, as the idle-expiry middleware marks it.)
Static file URLs come from the plain storage: the manifest one that DEBUG off uses needs
`collectstatic`, and a `{% static %}` costs both trees the same either way.

This module is plain Python until `main()` sets Django up inside the measured tree.
"""

import importlib
import json
import os
import sys
import time
import warnings


def main() -> None:
    # The tree measured is the working directory, not the folder this file came from.
    sys.path[0] = os.getcwd()
    # Answers go to the real standard output; anything else printed (logging) goes to standard error.
    answers = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    # Whitenoise warns that no collected static files exist: the benchmark serves no static file.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.template.base import Template
    from django.template.loader_tags import IncludeNode
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": plain_static}, PUBLIC_PAGE_CACHE_SECONDS=0
    ).enable()
    client = Client(
        HTTP_HOST=os.environ.get("BENCH_PAGES_HOST", "pohang.localhost"),
        HTTP_ACCEPT_LANGUAGE=os.environ.get("BENCH_PAGES_LANGUAGE", "ko"),
    )
    session = None
    cookie = {}
    if os.environ.get("BENCH_PAGES_SIGNED_IN") == "1":
        session = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
        session["bench_pages"] = True
        session.create()
        cookie = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}

    def get(path):
        client.cookies.clear()  # nothing a response set (a csrftoken) goes with the next request
        response = client.get(path, secure=True, **cookie)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response

    def count(path):
        counted = {"templates": 0, "includes": 0}
        template_render, include_render = Template.render, IncludeNode.render

        def counting_template(self, context):
            counted["templates"] += 1
            return template_render(self, context)

        def counting_include(self, context):
            counted["includes"] += 1
            return include_render(self, context)

        Template.render, IncludeNode.render = counting_template, counting_include
        try:
            with CaptureQueriesContext(connection) as queries:
                response = get(path)
        finally:
            Template.render, IncludeNode.render = template_render, include_render
        size = len(response.content)
        return {"status": response.status_code, **counted, "queries": len(queries), "bytes": size}

    def timed(path, requests):
        wall, cpu = [], []
        for _ in range(requests):
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            get(path)
            wall.append((time.perf_counter() - wall_start) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
        return {"wall_ms": wall, "cpu_ms": cpu}

    answers.write(json.dumps({"ready": True}) + "\n")
    try:
        serve(answers, count, timed)
    finally:
        if session is not None:
            session.delete()


def serve(answers, count, timed) -> None:
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "count":
                answer = count(request["path"])
            else:
                answer = timed(request["path"], request["requests"])
        except Exception as exc:  # the orchestrator reports it and stops
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        answers.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main()
