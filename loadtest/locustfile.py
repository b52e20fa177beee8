"""Locust scenario for `make loadtest` (scripts/loadtest starts the server and runs this headless).

The mix, by number of simulated people:
- 70% anonymous visitors browsing pathways, openings and companies;
- 15% students who log in, rank openings and apply;
- 10% company recruiters who log in and read their openings and applicants;
- 5% a dashboard client reading the API with a read-only token.

Accounts and ids come from the JSON that loadtest/setup_accounts.py writes (LOADTEST_ACCOUNTS).
What every simulated person sends (Host, X-Forwarded-For, X-Forwarded-Proto) is in locust_base.
Each student and recruiter logs in once with its own account, so each has its own session, as
people do; a login that does not end signed in counts as a failure (and the run stops counting on
it). Requests are named by route (ids replaced by [id]) so that the report groups them.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import task

from loadtest.locust_base import BrowsingVisitor, PortalUser, next_of

with open(os.environ["LOADTEST_ACCOUNTS"], encoding="utf-8") as file:
    DATA = json.load(file)

_students = itertools.cycle(DATA["students"])
_recruiters = itertools.cycle(DATA["recruiters"])
PortalUser.password = DATA["password"]


class Visitor(BrowsingVisitor):
    """Anyone browsing the public pages without an account."""

    weight = 70
    data = DATA


class Student(PortalUser):
    """A student of the match-round cohort: ranks openings for the round and applies to some."""

    weight = 15

    def on_start(self):
        super().on_start()
        self.login(next_of(_students))

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
        self.account = next_of(_recruiters)
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
