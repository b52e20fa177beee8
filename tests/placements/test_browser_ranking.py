"""Ranking openings on a phone: by keyboard, by touch (a drag handle, SortableJS) and without JavaScript.

KWCAG 2.2 asks that everything a pointer can do, a keyboard can do too: the up and down buttons are
reachable with Tab, named after their opening, and keep the focus on the moved opening. Without
JavaScript each button posts the list; the page comes back with the confirmation on the opening's
row and the focus on the button that was pressed.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from district.korean import fix_particles
from placements.models import Preference
from tests.browser import check_step, log_in, screenshot
from tests.builders import open_round, opening_of

pytestmark = pytest.mark.browser

TITLES = ("양극재 소성 공정 운영원", "셀 조립 오퍼레이터", "품질 검사원")
ACTIVE_ROW = "() => document.activeElement.closest('li[data-opening]')?.id"
ACTIVE_MOVE = "() => document.activeElement.dataset.move"


def korean(msgid: str, **values) -> str:
    """A message as the page writes it in Korean: the catalogue's words, the values, the particles."""
    with translation.override("ko"):
        text = translation.gettext(msgid)
    for name, value in values.items():
        text = text.replace(f"%({name})s", str(value))
    return fix_particles(text)


@pytest.fixture
def ranked(world):
    """Three openings ranked in TITLES' order, while the student's round takes rankings."""
    open_round(world.district)
    openings = [opening_of(world.company_a, title=title) for title in TITLES]
    for rank, opening in enumerate(openings, start=1):
        Preference.objects.create(student=world.student, opening=opening, rank=rank)
    return openings


def shown(page) -> list[int]:
    return page.locator("#ranking-list li").evaluate_all(
        "items => items.map(li => Number(li.dataset.opening))"
    )


def test_the_buttons_are_named_reached_by_tab_and_keep_the_focus_on_the_moved_opening(
    phone_page, live_server, world, ranked
):
    page = phone_page
    first, second, third = ranked
    log_in(page, live_server.url, world.student_user.username)
    page.goto(live_server.url + "/me/preferences/")

    up = page.locator(f"#opening-{third.pk} [data-move='up']")
    assert page.get_by_role("button", name=korean("Move up: %(title)s", title=third.title)).count() == 1
    assert page.get_by_role("button", name=korean("Move down: %(title)s", title=first.title)).count() == 1
    # Tab reaches it: from the second opening's remove button, past the third's title link.
    page.locator(f"#opening-{second.pk} [data-move='remove']").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == third.title
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_ROW) == f"opening-{third.pk}"
    assert page.evaluate(ACTIVE_MOVE) == "up"

    page.keyboard.press("Enter")
    assert shown(page) == [first.pk, third.pk, second.pk]
    assert (page.evaluate(ACTIVE_ROW), page.evaluate(ACTIVE_MOVE)) == (f"opening-{third.pk}", "up")
    page.keyboard.press("Space")
    assert shown(page) == [third.pk, first.pk, second.pk]
    # At the top its up button is off, so the focus moves to its down button, on the same row.
    assert up.is_disabled() is True
    assert (page.evaluate(ACTIVE_ROW), page.evaluate(ACTIVE_MOVE)) == (f"opening-{third.pk}", "down")
    page.wait_for_function(
        "text => document.getElementById('ranking-status').textContent === text",
        arg=korean("“%(title)s” moved to number %(rank)s.", title=third.title, rank=1),
    )
    check_step(page, "ranking-keyboard-phone")


def test_the_drag_handle_is_a_thumb_sized_target(phone_page, live_server, world, ranked):
    page = phone_page
    log_in(page, live_server.url, world.student_user.username)
    page.goto(live_server.url + "/me/preferences/")

    sizes = [handle.bounding_box() for handle in page.locator("#ranking-list [data-drag]").all()]
    assert [(box["width"] >= 44, box["height"] >= 44) for box in sizes] == [(True, True)] * 3


def test_the_page_scrolls_while_an_opening_is_dragged_to_the_top(_browser, live_server, world):
    """Eight openings on a short screen: dragging the last one up to the screen's top edge scrolls the
    page up (SortableJS's auto-scroll), so it can reach first place in one gesture."""
    open_round(world.district)
    openings = [opening_of(world.company_a, title=f"공정 운영원 {n}") for n in range(1, 9)]
    for rank, opening in enumerate(openings, start=1):
        Preference.objects.create(student=world.student, opening=opening, rank=rank)
    context = _browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 600})
    page = context.new_page()
    try:
        log_in(page, live_server.url, world.student_user.username)
        page.goto(live_server.url + "/me/preferences/")
        last = page.locator(f"#opening-{openings[-1].pk}")
        last.scroll_into_view_if_needed()
        before = page.evaluate("() => window.scrollY")
        box = last.locator("[data-drag]").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2, 30, steps=12)
        for _ in range(20):  # hold near the top edge, as a thumb would
            page.mouse.move(box["x"] + box["width"] / 2 + 1, 20)
            page.wait_for_timeout(50)
            page.mouse.move(box["x"] + box["width"] / 2, 20)
        after = page.evaluate("() => window.scrollY")
        page.mouse.up()
        assert before - after >= 200, (before, after)
        assert shown(page).index(openings[-1].pk) < 7
    finally:
        context.close()


def test_without_javascript_each_button_confirms_on_the_row_and_keeps_the_focus(
    _browser, live_server, world, ranked
):
    first, second, third = ranked
    context = _browser.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, live_server.url, world.student_user.username)
        page.goto(live_server.url + "/me/preferences/")
        assert page.locator("[data-drag]").first.is_visible() is False  # no dragging without the script

        page.locator(f"#opening-{second.pk} [data-move='up']").click()
        page.wait_for_load_state()
        assert list(
            Preference.objects.filter(student=world.student)
            .order_by("rank")
            .values_list("opening", flat=True)
        ) == [second.pk, first.pk, third.pk]
        note = page.locator(f"#opening-{second.pk} [data-note]")
        expected = korean("“%(title)s” moved to number %(rank)s.", title=second.title, rank=1)
        assert (note.inner_text(), note.is_visible()) == (expected, True)
        # At the top its up button is off: the focus is on its down button. (Playwright's own checks
        # only: page.evaluate waits forever where scripts are off, and so would axe.)
        expect(page.locator(f"#opening-{second.pk} [data-move='down']")).to_be_focused()
        screenshot(page, "ranking-no-js-moved")

        page.locator(f"#opening-{third.pk} [data-move='remove']").click()
        page.wait_for_load_state()
        removed = page.locator(".ranking-note[role=status]")
        assert removed.inner_text() == korean("“%(title)s” is removed from your ranking.", title=third.title)
        assert page.locator("[data-note]").count() == 0
    finally:
        context.close()
