"""Playwright against Debian's Chromium, for tests marked `browser`.

Use the `page` fixture with pytest-django's `live_server`:

    @pytest.mark.browser
    def test_something(page, live_server):
        page.goto(live_server.url + "/")

Screenshots go to tests/artifacts/ (git-ignored) through `screenshot(page, name)`.
"""

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PHONE_WIDTH = 390
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def _browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser):
    context = _browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(_browser):
    context = _browser.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base: str, username: str, password: str = "correct-horse-battery-staple") -> None:
    """Sign in through /accounts/login/ as a person would (the factories' password by default)."""
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=username]) button[type=submit]").click()
    page.wait_for_load_state()


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations of the page, one line each."""
    # Evaluated over the DevTools protocol: a <script> tag added to the page would be inline
    # code, which the Content-Security-Policy blocks.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[node['target'] for node in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def overflow_width(page) -> int:
    """How wide the page's content is; more than the viewport means it scrolls sideways."""
    return page.evaluate("() => document.documentElement.scrollWidth")


def check_step(page, name: str | None = None) -> None:
    """What every step of a journey must pass: no serious axe violation, and, on a phone,
    no sideways scroll. Saves a screenshot as tests/artifacts/<name>.png when named."""
    assert axe_violations(page) == [], page.url
    viewport = page.viewport_size
    if viewport and viewport["width"] <= PHONE_WIDTH:
        assert overflow_width(page) <= viewport["width"], page.url
    if name:
        screenshot(page, name)
