"""Locust scenario for `make loadtest` (scripts/loadtest starts the server and runs this headless).

The mix, by number of simulated people:
- 70% anonymous visitors browsing pathways, openings and companies;
- 15% students who log in, rank openings and apply;
- 10% company recruiters who log in and read their openings and applicants;
- 5% a dashboard client reading the API with a read-only token.

Accounts and ids come from the JSON that loadtest/setup_accounts.py writes (LOADTEST_ACCOUNTS).
Each student and recruiter logs in once with its own account, so each has its own session, as
people do; a login that does not end signed in counts as a failure (and the run stops counting on
it). Requests are named by route (ids replaced by [id]) so that the report groups them.
The server is gunicorn on plain HTTP, as behind the deployment's TLS proxy; each request carries
the header that proxy adds (X-Forwarded-Proto: https), and the cookie jar keeps the Secure cookies
on that hop, as the browser does on the HTTPS side.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from http.cookiejar import DefaultCookiePolicy

from locust import HttpUser, between, task

# Send Secure cookies over the plain hop, since the browser's side of the proxy is HTTPS. Patched on
# the class (in this Locust process only): requests copies cookies into fresh jars with the default
# policy when it prepares each request and follows redirects, so a policy set on one jar is lost.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True

with open(os.environ["LOADTEST_ACCOUNTS"], encoding="utf-8") as file:
    DATA = json.load(file)

_lock = threading.Lock()
_students = itertools.cycle(DATA["students"])
_recruiters = itertools.cycle(DATA["recruiters"])
SEARCH_WORDS = ["배터리", "전기", "설비", "품질", "생산", "양극재", "battery"]


def _next(pool):
    with _lock:
        return next(pool)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # a person reads a page before the next click

    def on_start(self):
        self.client.headers["Accept-Language"] = "ko"
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.origin = self.host.replace("http://", "https://", 1)

    def get(self, path: str, name: str | None = None, **kwargs):
        with self.client.get(path, name=name or path, catch_response=True, **kwargs) as response:
            self._check(response)
        return response

    def post(self, path: str, data: dict, name: str | None = None):
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        # Django checks the Referer of a POST over HTTPS, as a browser sends it.
        headers = {"Referer": self.origin + path}
        with self.client.post(
            path, data=data, headers=headers, name=name or path, catch_response=True
        ) as response:
            self._check(response)
        return response

    def _check(self, response) -> None:
        if response.status_code >= 400:
            response.failure(f"HTTP {response.status_code}")
        elif "/accounts/login/" in response.url and "/accounts/login/" not in response.request.path_url:
            response.failure("sent to the login page: the session is not signed in")
        else:
            response.success()

    def login(self, username: str) -> None:
        self.client.get("/accounts/login/", name="/accounts/login/ [form]")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": DATA["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": self.origin + "/accounts/login/"},
            name="/accounts/login/ [POST]",
            catch_response=True,
        ) as response:
            if response.status_code >= 400 or "/accounts/login/" in response.url:
                response.failure(f"login of {username} failed (HTTP {response.status_code})")
            else:
                response.success()


class Visitor(PortalUser):
    """Anyone browsing the public pages without an account."""

    weight = 70

    @task(1)
    def home(self):
        self.get("/")

    @task(3)
    def pathways(self):
        self.get("/pathways/")

    @task(3)
    def pathway(self):
        if DATA["pathways"]:
            self.get(f"/pathways/{random.choice(DATA['pathways'])}/", name="/pathways/[slug]/")

    @task(4)
    def openings(self):
        self.get("/openings/")

    @task(2)
    def opening_search(self):
        self.get(f"/openings/?q={random.choice(SEARCH_WORDS)}", name="/openings/?q=[word]")

    @task(4)
    def opening(self):
        self.get(f"/openings/{random.choice(DATA['openings'])}/", name="/openings/[id]/")

    @task(1)
    def company(self):
        self.get(f"/companies/{random.choice(DATA['companies'])}/", name="/companies/[id]/")


class Student(PortalUser):
    """A student of the match-round cohort: ranks openings for the round and applies to some."""

    weight = 15

    def on_start(self):
        super().on_start()
        self.login(_next(_students))

    @task(3)
    def me(self):
        self.get("/me/")

    @task(3)
    def ranking(self):
        self.get("/me/preferences/")

    @task(2)
    def rank_an_opening(self):
        self.post("/me/preferences/add/", {"opening": random.choice(DATA["openings"])})

    @task(2)
    def opening(self):
        self.get(f"/openings/{random.choice(DATA['openings'])}/", name="/openings/[id]/")

    @task(1)
    def apply(self):
        self.post("/me/applications/new/", {"opening": random.choice(DATA["openings"])})

    @task(2)
    def applications(self):
        self.get("/me/applications/")


class Recruiter(PortalUser):
    """A company's recruiter reading their openings and the applicants."""

    weight = 10

    def on_start(self):
        super().on_start()
        self.account = _next(_recruiters)
        self.login(self.account["username"])

    @task(3)
    def dashboard(self):
        self.get("/company/")

    @task(2)
    def openings(self):
        self.get("/company/openings/")

    @task(2)
    def opening(self):
        if self.account["openings"]:
            pk = random.choice(self.account["openings"])
            self.get(f"/company/openings/{pk}/", name="/company/openings/[id]/")

    @task(2)
    def applicants(self):
        if self.account["openings"]:
            pk = random.choice(self.account["openings"])
            self.get(f"/company/openings/{pk}/applicants/", name="/company/openings/[id]/applicants/")

    @task(1)
    def application(self):
        if self.account["applications"]:
            pk = random.choice(self.account["applications"])
            self.get(f"/company/applications/{pk}/", name="/company/applications/[id]/")


class DashboardClient(PortalUser):
    """The city's BI tool reading the dashboard API with a read-only token."""

    weight = 5
    ENDPOINTS = [
        "summary",
        "placements",
        "funnel",
        "skills-gap",
        "retention",
        "credits",
        "budget",
        "training",
    ]

    def on_start(self):
        super().on_start()
        self.client.headers["Authorization"] = f"Token {DATA['dashboard_token']}"

    @task
    def endpoint(self):
        self.get(f"/api/v1/dashboard/{random.choice(self.ENDPOINTS)}/")
