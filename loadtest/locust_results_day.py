"""Locust scenario for `make loadtest SCENARIO=results-day`: the minutes after a round is published.

scripts/loadtest publishes the round, then runs this headless with 650 people spawned at
about 3.6 a second, so that everyone has arrived within three minutes:
- 600 students of the cohort (`Student`, one account each, on the round's district's host): each
  signs in, opens /me/ and then their offer (/me/applications/, where the offer's accept and
  decline links are; the in-portal notice points there), and about a third then accept or
  decline it through the confirmation page and its POST form (half each). Afterwards they look
  at their offer again every one to three minutes.
- 50 anonymous visitors (`Visitor`; LOADTEST_VISITORS) browsing the demo district's public pages meanwhile.

When the run stops, the time of each student's first view of a page that showed their offer
is summed up in LOADTEST_OFFER_VIEWS (JSON: how many students saw one, the first and the last
view, and the students whose page never showed one); loadtest/report.py compares the last
with the publication's time.
"""

from __future__ import annotations

import json
import os
import random
import re
import time

import gevent
from locust import between, events, task

from loadtest.locust_base import BrowsingVisitor, PortalUser, next_of

with open(os.environ["LOADTEST_ACCOUNTS"], encoding="utf-8") as file:
    DATA = json.load(file)

PortalUser.password = DATA["password"]
_students = iter(DATA["students"])
OFFER_LINK = re.compile(r'href="/me/applications/(\d+)/accept/"')
ANSWER_SHARE = 1 / 3  # of the students answer their offer during the run, half accepting

# username → time.time() of the first page that showed the student their offer.
first_offer_view: dict[str, float] = {}
signed_in: set[str] = set()


class Student(PortalUser):
    """A student of the cohort on the day their round's results come out."""

    fixed_count = len(DATA["students"])
    site_host = DATA["host"]
    wait_time = between(60, 180)  # after the first look, a refresh now and then

    def on_start(self):
        super().on_start()
        self.username = next_of(_students)
        self.offer = None
        self.arrived = False

    @task
    def visit(self):
        """The first time: sign in, /me/, the offer, and for a third an answer; then a refresh."""
        if self.arrived:
            if self.username in signed_in:
                self.look_at_offer()
            return
        self.arrived = True
        if not self.login(self.username):
            return
        signed_in.add(self.username)
        self.pause()
        self.get("/me/")
        self.pause()
        self.look_at_offer()
        if self.offer is not None and random.random() < ANSWER_SHARE:
            action = random.choice(("accept", "decline"))
            path = f"/me/applications/{self.offer}/{action}/"
            self.pause()
            self.get(path, name=f"/me/applications/[id]/{action}/ [form]")
            self.pause()
            self.post(path, {}, name=f"/me/applications/[id]/{action}/ [POST]")

    def pause(self):
        gevent.sleep(random.uniform(1, 3))  # a person reads a page before the next click

    def look_at_offer(self):
        response = self.get("/me/applications/")
        if response.status_code != 200:
            return
        match = OFFER_LINK.search(response.text)
        if match is not None:
            self.offer = int(match.group(1))
            first_offer_view.setdefault(self.username, time.time())


class Visitor(BrowsingVisitor):
    """Anyone browsing the demo district's public pages without an account."""

    fixed_count = int(os.environ.get("LOADTEST_VISITORS", "50"))
    data = DATA


@events.test_stop.add_listener
def _write_offer_views(environment, **kwargs):
    path = os.environ.get("LOADTEST_OFFER_VIEWS")
    if not path:
        return
    views = sorted(first_offer_view.values())
    summary = {
        "students": len(DATA["students"]),
        "signed_in": len(signed_in),
        "saw_offer": len(views),
        "first_view": views[0] if views else None,
        "last_view": views[-1] if views else None,
        "never_saw_offer": sorted(set(DATA["students"]) - set(first_offer_view)),
    }
    with open(path, "w", encoding="utf-8") as file:
        json.dump(summary, file)
