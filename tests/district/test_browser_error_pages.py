"""The error pages on a phone: the portal's header and footer, Korean, accessible, no sideways scroll."""

import pytest

from tests.browser import check_step, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_404_and_403_on_a_phone(phone_page, live_server, world):
    phone_page.goto(live_server.url + "/no-such-page/")
    assert phone_page.locator("h1").inner_text() == "페이지를 찾을 수 없습니다"
    assert phone_page.locator("html").get_attribute("lang") == "ko"
    check_step(phone_page, "korean-error-404")

    log_in(phone_page, live_server.url, world.recruiter_a.username)
    phone_page.goto(live_server.url + "/school/students/")
    assert phone_page.locator("h1").inner_text() == "이 페이지에 접근할 권한이 없습니다"
    check_step(phone_page, "korean-error-403")
    phone_page.get_by_role("link", name="내 업무로 가기").click()
    assert phone_page.url == live_server.url + "/company/"


def test_openings_filter_on_a_phone(phone_page, live_server, world):
    phone_page.goto(live_server.url + "/openings/")
    options = phone_page.locator("select[name=ordering] option").all_text_contents()
    assert options[:3] == ["기본 순서", "최신 등록순", "마감일 가까운 순"]
    check_step(phone_page, "korean-openings-filter")
