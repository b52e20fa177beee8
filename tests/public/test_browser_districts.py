"""A real browser opens /districts/ on a phone (390 px): no sideways scroll, no serious axe violation."""

import pytest

from district.models import DistrictHost
from tests import factories as f
from tests.browser import check_step


@pytest.mark.browser
def test_phone_visitor_reads_every_district(phone_page, live_server, transactional_db):
    pohang = f.DistrictFactory()
    ansan = f.DistrictFactory(
        name="안산",
        slug="ansan",
        region="경기도 안산시",
        industry_focus="로봇 제조",
        base_url="https://ansan.example.kr",
    )
    DistrictHost.objects.create(district=pohang, host="pohang.localhost")
    f.CompanyFactory(district=ansan, segment=f.SegmentFactory(district=ansan, code="robot", name="로봇"))
    phone_page.goto(live_server.url + "/districts/")
    cards = phone_page.locator("[data-district]")
    assert [cards.nth(i).get_attribute("data-district") for i in range(cards.count())] == ["ansan", "pohang"]
    assert phone_page.locator('[data-district="ansan"] h2').inner_text() == "안산 직업교육 혁신지구"
    assert phone_page.locator('[data-district="ansan"] [data-kpi="partner_companies"]').inner_text() == "1"
    check_step(phone_page, "districts-phone-ko")
