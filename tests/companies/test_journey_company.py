"""Journey 1, in a real Chromium, in Korean: sign-up → verification → opening → approval → public.

The company works on a phone (390 px); the official at a desktop, in the admin, deciding on
the company's and the opening's own pages (the buttons at the top, not a list action). At each
step the test reads what a person reads there and runs `check_step` (axe, no sideways scroll on
the phone, a screenshot in tests/artifacts/journey1-<step>.png).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from companies.models import Company, Opening
from tests import factories as f
from tests.browser import check_step, log_in

pytestmark = pytest.mark.browser


def text(page, selector: str) -> str:
    return " ".join(page.locator(selector).first.inner_text().split())


def test_journey_1_a_company_signs_up_is_verified_posts_an_opening_that_is_approved_and_public(
    phone_page, page, live_server, transactional_db, world
):
    base = live_server.url
    segment = f.SegmentFactory(code="cathode", name="양극재")
    area = f.AreaFactory(district=world.district, name="영일만 산업단지")
    job_role = f.JobRoleFactory(name="양극재 소성 공정 운영원", segment=segment)
    phone = phone_page

    # 1. Sign-up, on the phone.
    phone.goto(base + "/company/signup/")
    phone.fill("#id_name", "영일만배터리")
    phone.fill("#id_business_number", "123-45-67891")
    phone.select_option("#id_segment", str(segment.pk))
    phone.select_option("#id_area", str(area.pk))
    phone.fill("#id_recruiter_name", "박채용")
    phone.fill("#id_email", "hire@yeongil.example.kr")
    phone.fill("#id_password1", "battery-cells-2026!")
    phone.fill("#id_password2", "battery-cells-2026!")
    phone.click('button[name="signup"]')
    phone.locator("#check-your-inbox").wait_for()
    assert text(phone, "#check-your-inbox h1") == "메일함을 확인하십시오"
    check_step(phone, "journey1-signup")
    link = re.search(r"/company/signup/confirm/[^\s]+/", mail.outbox[0].body).group(0)
    phone.goto(base + link)
    phone.click('button[name="confirm"]')
    phone.wait_for_url(base + "/company/")
    assert text(phone, "[data-company-state] h1") == "기업 인증 대기 중입니다"
    check_step(phone, "journey1-awaiting-verification")
    company = Company.objects.get(business_number="1234567891")

    # 2. Verification, by the official at a desktop: the admin home says what waits.
    log_in(page, base, world.official.username)
    page.goto(base + "/admin/")
    row = page.locator('#pending-work tr[data-work="companies"]')
    assert " ".join(row.inner_text().split()) == "인증을 기다리는 기업 1"
    check_step(page, "journey1-admin-home")
    row.locator("a").click()
    page.get_by_role("link", name="영일만배터리").click()
    assert text(page, "#decision h2") == "결정을 기다리고 있습니다"
    assert text(page, "#decision p") == (
        "이 기업은 인증을 기다리고 있습니다. 인증하면 기업 담당자가 채용공고를 올릴 수 있고, "
        "반려하면 입력한 사유가 기업 담당자에게 전달됩니다."
    )
    check_step(page, "journey1-company-page")
    page.click("#decision-approve")
    page.wait_for_load_state()
    assert text(page, "ul.messagelist li.success") == "기업 1건을 인증했습니다."
    assert page.locator("#decision").count() == 0
    company.refresh_from_db()
    assert (company.verification, company.verified_by) == (Company.Verification.VERIFIED, world.official)
    check_step(page, "journey1-verified")

    # 3. The opening, on the phone.
    phone.goto(base + "/company/openings/new/")
    phone.fill("#id_title", "양극재 소성 공정 운영원 (4조 2교대)")
    phone.select_option("#id_job_role", str(job_role.pk))
    phone.fill("#id_description", "소성로 운전, 설비 점검, 품질 기록을 맡습니다.")
    phone.fill("#id_seats", "2")
    phone.select_option("#id_work_area", str(area.pk))
    phone.select_option("#id_shift_pattern", Opening.Shift.FOUR_CREWS_TWO_SHIFTS)
    phone.fill("#id_monthly_salary_krw", "2600000")
    phone.select_option("#id_employment_type", Opening.EmploymentType.PERMANENT)
    today = timezone.localdate()
    phone.fill("#id_starts_on", (today + datetime.timedelta(days=90)).isoformat())
    phone.fill("#id_apply_by", (today + datetime.timedelta(days=30)).isoformat())
    phone.click('button[name="submit"]')
    phone.wait_for_load_state()
    opening = Opening.objects.get(company=company)
    assert opening.status == Opening.Status.SUBMITTED
    assert text(phone, '#opening-status [data-status="submitted"]') == "검토 대기"
    check_step(phone, "journey1-opening-submitted")

    # 4. Approval, by the official, on the opening's own page; the salary shows in full.
    page.goto(base + "/admin/")
    row = page.locator('#pending-work tr[data-work="openings"]')
    assert " ".join(row.inner_text().split()) == "검토를 기다리는 채용공고 1"
    row.locator("a").click()
    page.get_by_role("link", name="양극재 소성 공정 운영원 (4조 2교대)").click()
    salary = page.locator("#id_monthly_salary_krw")
    assert salary.input_value() == "2600000"
    assert salary.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert text(page, "#decision-approve") == "승인 후 게시"
    check_step(page, "journey1-opening-page")
    page.click("#decision-approve")
    page.wait_for_load_state()
    assert text(page, "ul.messagelist li.success") == "채용공고 1건을 게시했습니다."
    opening.refresh_from_db()
    assert (opening.status, opening.reviewed_by) == (Opening.Status.PUBLISHED, world.official)
    page.goto(base + "/admin/")
    assert " ".join(page.locator("#pending-work").inner_text().split()).endswith(
        "처리를 기다리는 일이 없습니다."
    )
    check_step(page, "journey1-approved")

    # 5. Public: anyone sees it on /openings/, on a phone.
    visitor = phone.context.browser.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    visitor.goto(base + "/openings/")
    card = visitor.locator(f'[data-opening="{opening.pk}"]')
    assert text(visitor, f'[data-opening="{opening.pk}"] h2') == "양극재 소성 공정 운영원 (4조 2교대)"
    assert "영일만배터리" in card.inner_text().split("\n")
    assert "2,600,000원" in card.inner_text()
    check_step(visitor, "journey1-final")
    visitor.context.close()
