"""Choosing several things on a phone, without Ctrl-click: the opening form's certifications are a
searchable list (Tom Select, vendored), its departments a list of checkboxes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser import check_step, log_in

pytestmark = pytest.mark.browser


def test_a_recruiter_picks_certifications_and_departments_by_touch(phone_page, live_server, world):
    names = ("위험물기능사", "위험물산업기사", "전기기능사")
    wanted, *_others = (f.CertificationFactory(name=name) for name in names)
    page = phone_page
    log_in(page, live_server.url, world.recruiter_a.username)
    page.goto(live_server.url + "/company/openings/new/")
    assert page.locator("text=Ctrl").count() == 0

    page.locator("#id_required_certifications-ts-control").tap()
    page.keyboard.type("위험물")
    options = page.locator("#id_required_certifications-ts-dropdown .option")
    expect(options).to_have_text(["위험물기능사", "위험물산업기사"])
    options.first.tap()
    chosen = page.locator("#field-required_certifications .ts-control .item")
    expect(chosen).to_have_count(1)
    assert chosen.first.get_attribute("data-value") == str(wanted.pk)
    assert page.locator("#id_required_certifications-ts-control").input_value() == ""
    check_step(page, "opening-form-certifications-phone")

    box = page.locator(f"#field-preferred_departments label:has(input[value='{world.department_a.pk}'])")
    assert box.bounding_box()["height"] >= 44
    box.tap()
    assert box.locator("input").is_checked() is True
