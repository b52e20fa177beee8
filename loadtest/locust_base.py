"""What the load test's Locust scenarios share: a simulated person, and an anonymous visitor's browsing.

Every simulated person (`PortalUser`) sends what the deployment's TLS proxy adds to each request:
X-Forwarded-Proto: https, and X-Forwarded-For with the person's own address (10.x.y.z, one per
person), so that with TRUSTED_PROXY_COUNT=1 the per-address throttles and lockouts count each
person apart, as production sees them. It also sends the district's Host header (`site_host`),
since the system resolver does not resolve *.localhost; Locust's --host stays the server's
127.0.0.1 address. The cookie jar keeps the Secure cookies on that plain hop, as the browser does
on the HTTPS side.
"""

from __future__ import annotations

import itertools
import random
import threading
from http.cookiejar import DefaultCookiePolicy

from locust import HttpUser, between, task

# Send Secure cookies over the plain hop, since the browser's side of the proxy is HTTPS. Patched on
# the class (in this Locust process only): requests copies cookies into fresh jars with the default
# policy when it prepares each request and follows redirects, so a policy set on one jar is lost.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True

DEMO_HOST = "pohang.localhost"
SEARCH_WORDS = ["배터리", "전기", "설비", "품질", "생산", "양극재", "battery"]

_lock = threading.Lock()
_addresses = itertools.count(1)


def next_of(pool):
    """The next item of a shared iterator (users start from several greenlets)."""
    with _lock:
        return next(pool)


def person_address(n: int) -> str:
    """The n-th simulated person's own address, 10.0.0.1 onwards (n from 1 to 16,777,214)."""
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # a person reads a page before the next click
    site_host = DEMO_HOST
    password = ""

    def on_start(self):
        self.address = person_address(next_of(_addresses))
        self.client.headers["Host"] = self.site_host
        self.client.headers["Accept-Language"] = "ko"
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.client.headers["X-Forwarded-For"] = self.address
        self.origin = f"https://{self.site_host}"

    def get(self, path: str, name: str | None = None, **kwargs):
        with self.client.get(path, name=name or path, catch_response=True, **kwargs) as response:
            self._check(response)
        return response

    def post(self, path: str, data: dict, name: str | None = None):
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        # Django checks the Referer of a POST over HTTPS against the Host, as a browser sends it.
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

    def login(self, username: str) -> bool:
        """Sign in as `username` through the login form; False (and a failure) when it did not."""
        self.client.get("/accounts/login/", name="/accounts/login/ [form]")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": self.password,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": self.origin + "/accounts/login/"},
            name="/accounts/login/ [POST]",
            catch_response=True,
        ) as response:
            if response.status_code >= 400 or "/accounts/login/" in response.url:
                response.failure(f"login of {username} failed (HTTP {response.status_code})")
                return False
            response.success()
            return True


class BrowsingVisitor(PortalUser):
    """Anyone browsing the demo district's public pages without an account (`data`: public ids)."""

    abstract = True
    data: dict = {}

    @task(1)
    def home(self):
        self.get("/")

    @task(3)
    def pathways(self):
        self.get("/pathways/")

    @task(3)
    def pathway(self):
        if self.data["pathways"]:
            self.get(f"/pathways/{random.choice(self.data['pathways'])}/", name="/pathways/[slug]/")

    @task(4)
    def openings(self):
        self.get("/openings/")

    @task(2)
    def opening_search(self):
        self.get(f"/openings/?q={random.choice(SEARCH_WORDS)}", name="/openings/?q=[word]")

    @task(4)
    def opening(self):
        self.get(f"/openings/{random.choice(self.data['openings'])}/", name="/openings/[id]/")

    @task(1)
    def company(self):
        self.get(f"/companies/{random.choice(self.data['companies'])}/", name="/companies/[id]/")
