"""A real browser visits the main pages of every persona and meets no Content-Security-Policy violation.

Violations are collected two ways, so that neither a quiet console nor a missed event hides one:
Chromium's console messages that mention "Content Security Policy", and `securitypolicyviolation`
events caught by a listener installed before any page script runs. The last test shows that this
collector does report what our policy blocks (an inline script without the nonce, an inline style)
and lets a nonced script run.
"""

from __future__ import annotations

import pytest
from csp.utils import build_policy
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.browser

LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const what = `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`;
  window.__cspViolations.push(`${what} at ${event.sourceFile}:${event.lineNumber}`);
});
"""


class CspWatch:
    """Visits pages in one browser page and keeps every violation under the page's path."""

    def __init__(self, page, base: str):
        self.page, self.base, self.current = page, base, ""
        self.found: dict[str, list[str]] = {}
        page.add_init_script(LISTENER)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.found.setdefault(self.current, []).append(f"console: {message.text}")

    def log_in(self, user) -> None:
        """Use a session made by Django's test client: the same cookie a login form would set."""
        client = Client()
        client.force_login(user)
        self.page.context.clear_cookies()
        self.page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": self.base}]
        )

    def visit(self, path: str, ready: str | None = None) -> None:
        self.current = path
        response = self.page.goto(self.base + path)
        assert response.status == 200, (path, response.status)
        if ready:
            self.page.wait_for_selector(ready)
        self.page.wait_for_load_state("networkidle")
        for line in self.page.evaluate("window.__cspViolations"):
            self.found.setdefault(path, []).append(f"event: {line}")


def test_no_page_of_any_persona_raises_a_csp_violation(page, live_server, transactional_db, world, settings):
    settings.OFFICIALS_REQUIRE_OTP = False  # the admin without a code step; its setup page is visited
    opening = f.OpeningFactory(company=world.company_a)
    f.OpeningFactory(company=world.company_b, status="submitted")
    pathway = f.PathwayFactory(district=world.district, department=world.department_a)
    program = f.CreditProgramFactory(university=world.university)
    run = f.MatchRunFactory(round=f.MatchRoundFactory(district=world.district))
    for i in range(4):  # something for the dashboard's charts to draw
        student = f.StudentFactory(department=world.department_a, cohort=2026)
        if i % 2:
            f.PlacementFactory(student=student, company=world.company_a)
    watch = CspWatch(page, live_server.url)

    for path in (
        "/",
        "/pathways/",
        f"/pathways/{pathway.slug}/",
        "/openings/",
        f"/openings/{opening.pk}/",
        "/companies/",
        f"/companies/{world.company_a.pk}/",
        "/programs/",
        f"/programs/{program.pk}/",
        "/accounts/login/",
    ):
        watch.visit(path)
    watch.visit("/api/docs/", ready=".swagger-ui .info")

    watch.log_in(world.student_user)
    for path in ("/me/", "/me/preferences/", "/me/applications/", "/me/notifications/", "/me/profile/"):
        watch.visit(path)
    watch.visit(f"/openings/{opening.pk}/")

    watch.log_in(world.recruiter_a)
    for path in (
        "/company/",
        "/company/openings/",
        "/company/openings/new/",
        f"/company/openings/{opening.pk}/",
        f"/company/openings/{opening.pk}/applicants/",
    ):
        watch.visit(path)

    watch.log_in(world.school_a_staff)
    for path in ("/school/", "/school/students/", f"/school/students/{world.student.pk}/"):
        watch.visit(path)

    watch.log_in(world.official)
    watch.visit("/accounts/two-factor/", ready=".otp-qr svg")  # the QR code is inline SVG
    watch.visit("/dashboard/?year=2026", ready="figure.chart:not([hidden]) canvas")
    drawn = "Array.from(document.querySelectorAll('canvas[data-chart]')).filter(c => c.width > 0).length"
    assert page.evaluate(drawn) >= 3  # Chart.js ran under the policy
    for path in (
        "/admin/",
        "/admin/companies/company/",
        f"/admin/companies/company/{world.company_a.pk}/change/",
        "/admin/companies/opening/",
        f"/admin/placements/matchrun/{run.pk}/change/",
    ):
        watch.visit(path)
    watch.visit("/api/docs/", ready=".swagger-ui .info")

    assert not watch.found, "\n".join(
        f"{path}:\n  " + "\n  ".join(lines) for path, lines in watch.found.items()
    )


def test_the_watch_reports_what_the_policy_blocks(page, live_server):
    """Served with our own policy, inline code without the nonce is reported and does not run."""
    nonce = "dGVzdC1ub25jZS0xMjM0NQ=="
    policy = build_policy(nonce=nonce)
    body = (
        "<!DOCTYPE html><html><head><title>canary</title></head><body>"
        f'<script nonce="{nonce}">window.nonced = true;</script>'
        "<script>window.injected = true;</script>"
        '<p style="color: red">styled</p>'
        "</body></html>"
    )
    page.route(
        f"{live_server.url}/csp-canary/",
        lambda route: route.fulfill(
            status=200, content_type="text/html", headers={"Content-Security-Policy": policy}, body=body
        ),
    )
    watch = CspWatch(page, live_server.url)
    watch.visit("/csp-canary/")
    assert page.evaluate("window.nonced === true")
    assert page.evaluate("window.injected === undefined")
    lines = watch.found["/csp-canary/"]
    assert any(line.startswith("event: script-src") for line in lines), lines
    assert any(line.startswith("event: style-src") for line in lines), lines
    assert any(line.startswith("console:") and "script-src" in line for line in lines), lines
