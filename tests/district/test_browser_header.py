"""The site header: one row on a phone (the brand and a menu button), the links in a row on a desk.

The menu is a <details>, so it opens by keyboard and without JavaScript; with the script
(static/js/menu.js) Escape closes it and gives the focus back to its button.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.browser import check_step, log_in

pytestmark = pytest.mark.browser

HEADER_HEIGHT = "() => document.querySelector('.site-header').getBoundingClientRect().height"


def korean(msgid: str) -> str:
    """The Korean of a new msgid, from the catalogue (the lead compiles new ones after review)."""
    with translation.override("ko"):
        return translation.gettext(msgid)


# One row: a 44 px button and 8 px above and below it.
MAX_HEADER_HEIGHT = 64


def test_the_signed_in_header_is_one_row_on_a_phone_and_its_menu_works_by_keyboard(
    phone_page, live_server, world
):
    page = phone_page
    log_in(page, live_server.url, world.official.username)
    page.goto(live_server.url + "/")

    assert page.evaluate(HEADER_HEIGHT) <= MAX_HEADER_HEIGHT
    menu_button = page.locator(".site-menu > summary")
    assert menu_button.inner_text() == korean("Menu")
    logout = page.get_by_role("button", name="로그아웃")
    assert logout.is_visible() is False
    box = menu_button.bounding_box()
    assert (box["width"] >= 44, box["height"] >= 44) == (True, True)

    menu_button.focus()
    page.keyboard.press("Enter")
    assert logout.is_visible() is True
    assert [link.inner_text() for link in page.locator(".site-menu .main-nav a").all()] == [
        "진로 경로",
        "채용공고",
        "기업",
        "후학습 과정",
        "관리",
        "대시보드",
        "내 업무",
    ]
    check_step(page, "header-phone-menu-open")
    page.keyboard.press("Tab")  # into the menu: its first link
    assert page.evaluate("document.activeElement.textContent") == "진로 경로"
    page.keyboard.press("Escape")
    assert logout.is_visible() is False
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate(HEADER_HEIGHT) <= MAX_HEADER_HEIGHT


def test_the_menu_opens_without_javascript(_browser, live_server, world):
    context = _browser.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, live_server.url, world.student_user.username)
        page.goto(live_server.url + "/")
        assert page.evaluate(HEADER_HEIGHT) <= MAX_HEADER_HEIGHT
        page.locator(".site-menu > summary").click()
        assert page.get_by_role("link", name="내 업무", exact=True).is_visible() is True
        assert page.get_by_role("button", name="로그아웃").is_visible() is True
    finally:
        context.close()


def test_a_desk_sees_the_links_in_the_header_row(page, live_server, world):
    log_in(page, live_server.url, world.official.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")

    assert page.evaluate(HEADER_HEIGHT) <= MAX_HEADER_HEIGHT
    assert page.locator(".site-menu").is_visible() is False
    header = page.locator(".site-header")
    assert header.get_by_role("link", name="대시보드").is_visible() is True
    assert header.get_by_role("button", name="로그아웃").is_visible() is True
    # One navigation landmark for assistive technology: the phone's copy is display: none.
    assert page.get_by_role("navigation", name="주 메뉴").count() == 1
