"""A real browser opens the front page on a phone and switches to English."""

import pytest

from tests import factories as f
from tests.browser import screenshot


@pytest.mark.browser
def test_phone_visitor_sees_korean_home_and_switches_to_english(phone_page, live_server, transactional_db):
    f.DistrictFactory()
    phone_page.goto(live_server.url + "/")
    assert phone_page.locator("html").get_attribute("lang") == "ko"
    screenshot(phone_page, "home-phone-ko")
    phone_page.locator(".site-menu > summary").click()  # the language switch is in the header's menu
    with phone_page.expect_navigation(url=live_server.url + "/"):
        phone_page.get_by_role("link", name="English").click()
    assert phone_page.locator("html").get_attribute("lang") == "en"
    phone_page.locator(".site-menu > summary").click()
    assert phone_page.get_by_role("link", name="한국어").is_visible()
