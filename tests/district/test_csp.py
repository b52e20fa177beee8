"""The Content-Security-Policy header: present, enforced, strict, and its nonce matches the page's.

The browser test (test_browser_csp.py) proves that real pages raise no violation; these tests
check the header itself and scan rendered HTML for inline code the policy would block.
"""

import re

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from tests import factories as f

HEADER = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    policy = response[HEADER]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


# Inline code that the policy blocks: a <script> with a body but no nonce (JSON data blocks are
# not run and are allowed), a <style> block without a nonce, a style="" attribute, an on*="" handler.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>|\sstyle=\"", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.I)


def inline_code(html: str) -> list[str]:
    return [m.group(0) for pattern in (INLINE_SCRIPT, INLINE_STYLE, HANDLER) for m in pattern.finditer(html)]


def test_the_policy_is_enforced_and_strict(anonymous):
    response = anonymous.get("/")
    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no nonce on a page that has no inline script
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]


@pytest.fixture
def sample(world):
    opening = f.OpeningFactory(company=world.company_a)
    pathway = f.PathwayFactory(district=world.district, department=world.department_a)
    program = f.CreditProgramFactory(university=world.university)
    run = f.MatchRunFactory(round=f.MatchRoundFactory(district=world.district))
    return {"opening": opening, "pathway": pathway, "program": program, "run": run}


def test_every_persona_page_has_the_header_and_no_blockable_inline_code(
    world, sample, anonymous, student_user, recruiter_a, school_a_staff, official, settings
):
    settings.OFFICIALS_REQUIRE_OTP = False  # the admin without a code step; its setup page is scanned
    opening, pathway, program, run = sample["opening"], sample["pathway"], sample["program"], sample["run"]
    pages = {
        anonymous: [
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
            "/api/docs/",
        ],
        student_user: ["/me/", "/me/preferences/", "/me/applications/", "/me/notifications/", "/me/profile/"],
        recruiter_a: [
            "/company/",
            "/company/openings/",
            "/company/openings/new/",
            f"/company/openings/{opening.pk}/",
            f"/company/openings/{opening.pk}/applicants/",
        ],
        school_a_staff: ["/school/", "/school/students/", f"/school/students/{world.student.pk}/"],
        official: [
            "/accounts/two-factor/",
            "/dashboard/",
            "/admin/",
            "/admin/companies/company/",
            f"/admin/companies/company/{world.company_a.pk}/change/",
            "/admin/companies/opening/",
            f"/admin/placements/matchrun/{run.pk}/change/",
        ],
    }
    problems = {}
    for client, paths in pages.items():
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            assert "'unsafe-inline'" not in directives(response)["script-src"], path
            found = inline_code(response.content.decode())
            if found:
                problems[path] = found
    assert not problems, problems


def test_the_scan_finds_inline_code():
    """The scan above can fail: each kind of blockable inline code is found, allowed kinds are not."""
    html = (
        '<script>alert(1)</script><script nonce="abc">ok()</script><script src="/x.js"></script>'
        '<script type="application/json" id="d">{}</script><style>p{}</style><p style="color:red">'
        '<button onclick="go()">'
    )
    assert inline_code(html) == ["<script>", "<style>", ' style="', "<button onclick="]


def _render_through_csp(template_source: str):
    """A request through django-csp's middleware to a view rendering `template_source`."""
    template = engines["django"].from_string(template_source)
    middleware = CSPMiddleware(lambda request: HttpResponse(template.render({}, request)))
    request = RequestFactory().get("/")
    middleware.process_request(request)
    response = middleware.get_response(request)
    return middleware.process_response(request, response)


def test_the_header_nonce_is_the_nonce_of_the_inline_script():
    first = _render_through_csp('<script nonce="{{ request.csp_nonce }}">start()</script>')
    nonce = re.search(r'nonce="([^"]+)"', first.content.decode()).group(1)
    assert len(nonce) >= 16
    assert f"'nonce-{nonce}'" in directives(first)["script-src"]
    assert "'unsafe-inline'" not in directives(first)["script-src"]
    # A fresh nonce for every response.
    second = _render_through_csp('<script nonce="{{ request.csp_nonce }}">start()</script>')
    assert f"'nonce-{nonce}'" not in second[HEADER]


def test_admin_status_badges_use_a_class_not_an_inline_style(world, official):
    f.OpeningFactory(company=world.company_a, status="submitted")
    html = official.get("/admin/companies/opening/").content.decode()
    assert 'class="status-badge status-badge-submitted"' in html
    assert "/static/css/admin.css" in html
