"""A real browser: a company signs up, is verified, posts an opening, and hires an applicant.

1. A recruiter signs up, confirms the address with the emailed link; an official verifies
   the company in the admin.
2. The recruiter posts an opening and submits it; the official approves it in the admin.
3. The opening is public (and on /openings/ when that page exists).
4. A student applies; the recruiter moves them to interview and then to hired.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import expect

from companies.models import Company, Opening
from placements.models import Application, Placement
from placements.services.applications import application_accept_offer, application_submit
from tests import factories as f
from tests.browser import screenshot

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password


def _admin_action(page, live_server, changelist: str, pk: int, action: str) -> None:
    page.goto(f"{live_server.url}{changelist}")
    page.check(f'input[name="_selected_action"][value="{pk}"]')
    page.select_option('select[name="action"]', action)
    page.click('button[name="index"]')
    page.wait_for_load_state()


@pytest.mark.browser
def test_company_signs_up_posts_an_opening_and_hires(page, _browser, live_server, transactional_db, world):
    segment = f.SegmentFactory(code="cathode", name="양극재")
    area = f.AreaFactory(district=world.district, name="영일만 산업단지")
    job_role = f.JobRoleFactory(name="양극재 소성 공정 운영원", segment=segment)
    f.CertificationFactory(name="전기기능사", qnet_code="7780")
    wanted = f.CertificationFactory(name="위험물기능사", qnet_code="7916")
    f.CertificationFactory(name="공유압기능사", qnet_code="7917")

    # 1. The recruiter signs up.
    page.goto(live_server.url + "/company/signup/")
    page.fill("#id_name", "영일만배터리")
    page.fill("#id_business_number", "123-45-67891")
    page.select_option("#id_segment", str(segment.pk))
    page.select_option("#id_area", str(area.pk))
    page.fill("#id_recruiter_name", "박채용")
    page.fill("#id_email", "hire@yeongil.example.kr")
    page.fill("#id_password1", "battery-cells-2026!")
    page.fill("#id_password2", "battery-cells-2026!")
    screenshot(page, "company-signup")
    page.click('button[name="signup"]')
    # Nobody is logged in yet: the page says to check the inbox, and the link is in the email.
    inbox = page.locator("#check-your-inbox")
    inbox.wait_for()
    assert "hire@yeongil.example.kr" in inbox.inner_text()
    screenshot(page, "company-check-inbox")
    assert [m.to for m in mail.outbox] == [["hire@yeongil.example.kr"]]
    link = re.search(r"/company/signup/confirm/[^\s]+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + link)
    screenshot(page, "company-confirm")
    page.click('button[name="confirm"]')
    page.wait_for_url(live_server.url + "/company/")
    assert page.locator("[data-company-state]").get_attribute("data-company-state") == "pending"
    screenshot(page, "company-pending")
    company = Company.objects.get(business_number="1234567891")
    assert company.verification == Company.Verification.PENDING

    # ... and an official verifies the company in the admin, in their own browser session.
    official_context = _browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    official = official_context.new_page()
    official.set_default_timeout(10_000)
    official.goto(live_server.url + "/admin/login/?next=/admin/")
    official.fill("#id_username", world.official.username)
    official.fill("#id_password", PASSWORD)
    official.click('input[type="submit"]')
    official.wait_for_url(live_server.url + "/admin/")
    _admin_action(
        official,
        live_server,
        "/admin/companies/company/?verification__exact=pending",
        company.pk,
        "verify_companies",
    )
    company.refresh_from_db()
    assert company.verification == Company.Verification.VERIFIED
    assert company.verified_by == world.official

    # 2. The recruiter posts an opening and submits it.
    page.goto(live_server.url + "/company/")
    assert page.locator("#openings-by-status").is_visible()
    screenshot(page, "company-dashboard")
    page.goto(live_server.url + "/company/openings/new/")
    page.fill("#id_title", "양극재 소성 공정 운영원 (4조 2교대)")
    page.select_option("#id_job_role", str(job_role.pk))
    page.fill("#id_description", "소성로 운전, 설비 점검, 품질 기록을 맡습니다.")
    page.fill("#id_seats", "2")
    # The certifications are a searchable list (Tom Select): typing narrows it, Enter picks.
    page.fill("#id_required_certifications-ts-control", "위험물")
    expect(page.locator("#id_required_certifications-ts-dropdown .option")).to_have_text(["위험물기능사"])
    page.keyboard.press("Enter")
    assert page.locator("#id_required_certifications").evaluate(
        "select => Array.from(select.selectedOptions, o => o.value)"
    ) == [str(wanted.pk)]
    page.check(f"#field-preferred_departments input[value='{world.department_a.pk}']")
    page.select_option("#id_work_area", str(area.pk))
    page.select_option("#id_shift_pattern", Opening.Shift.FOUR_CREWS_TWO_SHIFTS)
    page.fill("#id_monthly_salary_krw", "2900000")
    page.select_option("#id_employment_type", Opening.EmploymentType.PERMANENT)
    today = timezone.localdate()
    page.fill("#id_starts_on", (today + datetime.timedelta(days=90)).isoformat())
    page.fill("#id_apply_by", (today + datetime.timedelta(days=30)).isoformat())
    screenshot(page, "company-opening-form")
    # Wait for the page the POST leads to: wait_for_load_state alone can return before the
    # browser has even left the form, and the opening would not be saved yet.
    with page.expect_navigation():
        page.click('button[name="submit"]')
    page.locator("#opening-status").wait_for()
    opening = Opening.objects.get(company=company)
    assert opening.status == Opening.Status.SUBMITTED
    assert page.locator('#opening-status [data-status="submitted"]').is_visible()

    # ... and the official approves it.
    _admin_action(
        official,
        live_server,
        "/admin/companies/opening/?status__exact=submitted",
        opening.pk,
        "approve_openings",
    )
    official_context.close()

    # 3. The opening is public.
    opening.refresh_from_db()
    assert opening.status == Opening.Status.PUBLISHED
    try:
        resolve("/openings/")
    except Resolver404:
        pass
    else:
        page.goto(live_server.url + "/openings/")
        assert page.get_by_text(opening.title).first.is_visible()
        screenshot(page, "company-opening-public")

    # 4. A student applies (through the service: the student pages are another issue's) ...
    application = application_submit(student=world.student, opening=opening, by=world.student_user)

    # ... and the recruiter moves them to interview, then makes an offer, on the applicants page;
    # once the student accepts (through the service), the recruiter confirms the hire.
    page.goto(f"{live_server.url}/company/openings/{opening.pk}/applicants/")
    card = page.locator(f'[data-application="{application.pk}"]')
    assert card.get_by_text(world.student.name).is_visible()
    screenshot(page, "company-applicants")
    card.locator('button[data-move="interview"]').click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Application.Status.INTERVIEW
    card = page.locator(f'[data-application="{application.pk}"]')
    assert card.get_attribute("data-status") == "interview"
    assert card.locator('[data-move="hired"]').count() == 0  # no hire before the student accepts
    card.locator('button[data-move="offered"]').click()
    page.wait_for_load_state()
    application.refresh_from_db()
    application_accept_offer(application=application, by=world.student_user)
    page.reload()
    card = page.locator(f'[data-application="{application.pk}"]')
    card.locator('button[data-move="hired"]').click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Application.Status.HIRED
    placement = Placement.objects.get(application=application)
    assert placement.company == company and placement.is_local
    assert page.locator(f'[data-application="{application.pk}"]').get_attribute("data-status") == "hired"
    screenshot(page, "company-hired")
    page.goto(live_server.url + "/company/")
    # Hires count by the year the job starts, as the district's MOU figure does.
    expected = "1" if placement.starts_on.year == timezone.localdate().year else "0"
    assert page.locator("#mou-section").get_attribute("data-hires") == expected
    screenshot(page, "company-dashboard-after-hire")
