"""Real browser tests of the public and student pages (headless Debian Chromium through Playwright).

1. A visitor on a 390×844 phone finds a pathway, opens one of its openings and switches to English.
2. A student logs in, ranks three openings, reorders them, saves, applies directly and withdraws.
3. axe-core finds no serious or critical accessibility violation on the main pages.

Screenshots of the main pages at phone and desktop widths go to tests/artifacts/.
Locators use URLs, ids and data attributes, not words, so that they hold in both languages.
"""

from __future__ import annotations

import re

import pytest

from placements.models import Application, Pathway, Preference
from tests import factories as f
from tests.browser import axe_violations, screenshot
from tests.builders import open_round, opening_of

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's


@pytest.fixture
def catalogue(world) -> dict:
    """A small district: a pathway from school A's department to a role with live openings."""
    role = f.JobRoleFactory(name="설비 보전원", typical_monthly_salary_krw=3_000_000)
    pathway = f.PathwayFactory(
        district=world.district,
        department=world.department_a,
        slug="battery-maintenance",
        title="이차전지 설비 보전 경로",
        summary="이차전지 시스템제어과에서 현장실습을 거쳐 설비 보전원으로.",
    )
    pathway.job_roles.set([role])
    pathway.practice_companies.set([world.company_a])
    program = f.CreditProgramFactory(university=world.university, name="이차전지융합과 재직자 과정")
    pathway.credit_programs.set([program])
    certification = f.CertificationFactory(name="전기기능사")
    pathway.certifications.set([certification])
    openings = [
        opening_of(world.company_a, job_role=role, title="양극재 설비 보전원"),
        opening_of(world.company_b, job_role=role, title="전구체 설비 보전원"),
        opening_of(world.company_a, title="소성 공정 운영원"),
        opening_of(world.company_b, title="품질 검사원"),
    ]
    openings[0].required_certifications.set([certification])
    return {"pathway": pathway, "openings": openings}


def log_in(page, base: str, username: str = "student") -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/me/$"))


def test_phone_visitor_finds_a_pathway_opens_an_opening_and_switches_to_english(
    phone_page, live_server, transactional_db, catalogue
):
    page, base = phone_page, live_server.url
    pathway: Pathway = catalogue["pathway"]
    opening = catalogue["openings"][0]

    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "ko"
    screenshot(page, "phone-home")
    page.locator(".site-menu > summary").click()  # on a phone the links are in the header's menu
    page.locator('.site-menu a[href="/pathways/"]').click()
    page.wait_for_url(base + "/pathways/")
    screenshot(page, "phone-pathways")

    page.locator(f'[data-testid="pathway-list"] a[href="/pathways/{pathway.slug}/"]').click()
    page.wait_for_url(f"{base}/pathways/{pathway.slug}/")
    route = page.locator('[data-testid="pathway-route"]')
    assert route.locator("> li").count() == 4  # department, field practice, jobs, study
    assert route.get_by_text("전기기능사").is_visible()
    screenshot(page, "phone-pathway")

    route.locator(f'a[href="/openings/{opening.pk}/"]').click()
    page.wait_for_url(f"{base}/openings/{opening.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == opening.title
    screenshot(page, "phone-opening")

    page.locator(".site-menu > summary").click()  # the language switch is in the header's menu
    with page.expect_navigation(url=f"{base}/openings/{opening.pk}/"):
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="The job").is_visible()
    page.locator(".site-menu > summary").click()
    assert page.get_by_role("link", name="한국어").is_visible()
    screenshot(page, "phone-opening-en")

    page.goto(base + "/openings/")
    screenshot(page, "phone-openings-en")


def test_student_ranks_three_reorders_saves_applies_and_withdraws(
    phone_page, live_server, transactional_db, world, catalogue
):
    page, base = phone_page, live_server.url
    open_round(world.district)
    a, b, c = catalogue["openings"][:3]

    log_in(page, base)
    page.goto(base + "/me/preferences/")
    for opening in (a, b, c):
        page.locator(f'[data-candidate="{opening.pk}"] button').click()
        page.wait_for_selector(f"#ranking-list li#opening-{opening.pk}")
    assert list(Preference.objects.filter(student=world.student).values_list("opening_id", flat=True)) == [
        a.pk,
        b.pk,
        c.pk,
    ]

    # Reorder in the page: c to the top with its up button, then a down by keyboard (Alt+↓).
    unsaved = page.locator("[data-unsaved]")
    assert unsaved.is_hidden()
    page.locator(f'#opening-{c.pk} [data-move="up"]').click()
    page.locator(f'#opening-{c.pk} [data-move="up"]').click()
    page.locator(f'#opening-{a.pk} [data-move="down"]').focus()
    page.keyboard.press("Alt+ArrowDown")
    shown = page.locator("#ranking-list li").evaluate_all(
        "items => items.map(li => Number(li.dataset.opening))"
    )
    assert shown == [c.pk, b.pk, a.pk]
    assert unsaved.is_visible()
    # Announced to screen readers (after a short delay, so that a repeat is read again).
    # A function, not a bare expression: Playwright evaluates an expression with eval(), which the
    # Content-Security-Policy (no 'unsafe-eval') refuses.
    page.wait_for_function("() => document.getElementById('ranking-status').textContent !== ''")
    # Nothing is saved until the student saves.
    assert Preference.objects.get(student=world.student, rank=1).opening_id == a.pk
    screenshot(page, "phone-preferences-unsaved")

    page.locator("[data-save]").click()
    page.wait_for_load_state()
    ranking = list(
        Preference.objects.filter(student=world.student).order_by("rank").values_list("opening_id", flat=True)
    )
    assert ranking == [c.pk, b.pk, a.pk]
    assert page.locator("[data-unsaved]").is_hidden()
    assert page.locator("#ranking-list li").first.get_attribute("data-opening") == str(c.pk)
    screenshot(page, "phone-preferences")

    # Drag by the handle (mouse, pen or finger): the last opening to the top, then save.
    page.locator(f"#opening-{c.pk}").evaluate("item => item.scrollIntoView({block: 'start'})")
    handle = page.locator(f"#opening-{a.pk} [data-drag]").bounding_box()
    first = page.locator(f"#opening-{c.pk}").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(first["x"] + 40, first["y"] + 5, steps=8)
    page.mouse.up()
    shown = page.locator("#ranking-list li").evaluate_all(
        "items => items.map(li => Number(li.dataset.opening))"
    )
    assert shown == [a.pk, c.pk, b.pk]
    page.locator("[data-save]").click()
    page.wait_for_load_state()
    ranking = list(
        Preference.objects.filter(student=world.student).order_by("rank").values_list("opening_id", flat=True)
    )
    assert ranking == [a.pk, c.pk, b.pk]

    # Apply directly to one opening, then withdraw.
    page.goto(f"{base}/openings/{b.pk}/")
    assert page.locator('[data-testid="fit"]').is_visible()
    page.locator(f'a[href="/me/openings/{b.pk}/apply/"]').click()
    page.wait_for_url(f"{base}/me/openings/{b.pk}/apply/")
    page.locator('form[action="/me/applications/new/"] button[type=submit]').click()
    page.wait_for_url(base + "/me/applications/")
    application = Application.objects.get(student=world.student, opening=b)
    card = page.locator(f"#application-{application.pk}")
    assert card.get_attribute("data-status") == "submitted"
    screenshot(page, "phone-applications")

    card.locator('a[href$="/withdraw/"]').click()
    page.wait_for_url(f"{base}/me/applications/{application.pk}/withdraw/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/me/applications/")
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert page.locator(f"#application-{application.pk}").get_attribute("data-status") == "withdrawn"


def test_main_pages_have_no_serious_accessibility_violations(
    page, live_server, transactional_db, world, catalogue
):
    base = live_server.url
    open_round(world.district)
    opening = catalogue["openings"][0]
    Preference.objects.create(student=world.student, opening=opening, rank=1)
    public = {
        "home": "/",
        "pathways": "/pathways/",
        "pathway": f"/pathways/{catalogue['pathway'].slug}/",
        "openings": "/openings/",
        "opening": f"/openings/{opening.pk}/",
        "companies": "/companies/",
        "programs": "/programs/",
    }
    found = {}
    for name, path in public.items():
        page.goto(base + path)
        screenshot(page, f"desktop-{name}")
        found[path] = axe_violations(page)
    log_in(page, base)
    for name, path in {
        "me": "/me/",
        "preferences": "/me/preferences/",
        "applications": "/me/applications/",
    }.items():
        page.goto(base + path)
        screenshot(page, f"desktop-{name}")
        found[path] = axe_violations(page)
    page.goto(f"{base}/openings/{opening.pk}/")
    screenshot(page, "desktop-opening-student")
    found["/openings/<id>/ as a student"] = axe_violations(page)
    problems = {path: lines for path, lines in found.items() if lines}
    assert not problems, "\n".join(f"{path}:\n  " + "\n  ".join(lines) for path, lines in problems.items())


def test_phone_pages_have_no_serious_accessibility_violations(
    phone_page, live_server, transactional_db, world, catalogue
):
    base = live_server.url
    open_round(world.district)
    log_in(phone_page, base)
    phone_page.goto(base + "/me/preferences/")
    screenshot(phone_page, "phone-preferences-empty")
    assert axe_violations(phone_page) == []
    phone_page.goto(base + "/me/")
    screenshot(phone_page, "phone-me")
    assert axe_violations(phone_page) == []


def test_the_scan_reports_a_serious_violation(page):
    """The check above can fail: an image without text and an unlabelled field are reported."""
    page.set_content('<html lang="ko"><body><main><img src="x.png"><input type="text"></main></body></html>')
    violations = axe_violations(page)
    assert any("image-alt" in line for line in violations), violations
    assert any(line.startswith("critical: label") for line in violations), violations
