"""Journey 3, in a real Chromium, in Korean: round → publish → accept → hire → dashboard.

1. The official opens the round's admin page (rankings have closed) and starts a run; the
   admin home then lists it as awaiting publication.
2. Publishing goes through the confirmation page, which says how many offers and emails go
   out; its button makes them.
3. The student accepts the offer on their phone (the existing accept button, then its confirmation).
4. The recruiter confirms the hire on their phone.
5. The official sees the hire counted on the dashboard.

At each step the test reads what a person reads there and runs `check_step` (axe, no sideways
scroll on the phone, a screenshot in tests/artifacts/journey3-<step>.png).
"""

from __future__ import annotations

import pytest

from placements.models import Application, MatchRun, Placement
from tests.browser import check_step, log_in
from tests.builders import build_market

pytestmark = pytest.mark.browser


def text(page, selector: str) -> str:
    return " ".join(page.locator(selector).first.inner_text().split())


def new_phone(browser):
    return browser.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()


def test_journey_3_a_round_is_published_and_an_offer_becomes_a_hire_on_the_dashboard(
    page, phone_page, live_server, transactional_db, world
):
    base = live_server.url
    market = build_market(world)  # the round's rankings closed an hour ago
    match_round = market.round

    # 1. The round: the official starts a run from the round's page.
    log_in(page, base, world.official.username)
    page.goto(f"{base}/admin/placements/matchround/{match_round.pk}/change/")
    assert text(page, "#start-run") == "매칭 실행 시작"
    check_step(page, "journey3-round")
    page.click("#start-run")
    page.wait_for_url(f"{base}/admin/placements/matchrun/**")
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.SUCCEEDED
    page.goto(base + "/admin/")
    row = page.locator('#pending-work tr[data-work="runs"]')
    assert " ".join(row.inner_text().split()) == "게시를 기다리는 매칭 실행 1"
    check_step(page, "journey3-admin-home")

    # 2. Publish, through the confirmation page.
    row.locator("a").click()
    page.locator(
        f'a[href$="/admin/placements/matchrun/{run.pk}/change/?_changelist_filters=awaiting%3Dpublication"]'
    ).click()
    assert text(page, "#publish-run") == "게시: 채용 제안 발송…"
    check_step(page, "journey3-run")
    page.click("#publish-run")
    assert text(page, "#preview-offers") == "3"
    # 김하늘 (an account) gets an email; the other two students have no address;
    # one recruiter at each of the two companies.
    assert text(page, "#preview-student-emails") == "1"
    assert text(page, "#preview-company-emails") == "2(기업 2곳)"
    assert text(page, "#preview-emails") == "3"
    assert text(page, "#preview-no-email") == (
        "채용 제안을 받는 학생 중 2명은 이메일 주소가 없습니다. 이 학생들은 로그인하면 자기 화면에서 "
        "제안을 볼 수 있고, 학교에서 알려 줄 수도 있습니다."
    )
    assert text(page, "#confirm-publish") == "게시하고 채용 제안 3건 보내기"
    assert MatchRun.objects.get().status == MatchRun.Status.SUCCEEDED  # nothing sent yet
    check_step(page, "journey3-publish-confirmation")
    page.click("#confirm-publish")
    page.wait_for_load_state()
    assert (
        text(page, "ul.messagelist li")
        == "매칭 실행 결과를 게시했습니다. 학생들에게 채용 제안이 전달되었습니다."
    )
    assert MatchRun.objects.get().status == MatchRun.Status.PUBLISHED
    offer = Application.objects.get(student=market.haneul)
    assert (offer.status, offer.opening) == (Application.Status.OFFERED, market.cathode)
    check_step(page, "journey3-published")

    # 3. Accept: the student, on their phone.
    student = phone_page
    log_in(student, base, "student")
    student.goto(base + "/me/applications/")
    student.locator(f'a[href="/me/applications/{offer.pk}/accept/"]').click()
    check_step(student, "journey3-accept-confirmation")
    student.locator("form button[type=submit]", has_text="예, 이 제안을 수락합니다").click()
    student.wait_for_load_state()
    offer.refresh_from_db()
    assert offer.status == Application.Status.ACCEPTED
    check_step(student, "journey3-accepted")

    # 4. Hire: the recruiter, on their phone.
    recruiter = new_phone(phone_page.context.browser)
    log_in(recruiter, base, world.recruiter_a.username)
    recruiter.goto(f"{base}/company/openings/{market.cathode.pk}/applicants/")
    card = recruiter.locator(f'[data-application="{offer.pk}"]')
    assert card.get_by_text("김하늘").first.is_visible()
    card.locator('button[data-move="hired"]').click()
    recruiter.wait_for_load_state()
    offer.refresh_from_db()
    assert offer.status == Application.Status.HIRED
    assert recruiter.locator(f'[data-application="{offer.pk}"]').get_attribute("data-status") == "hired"
    check_step(recruiter, "journey3-hired")
    recruiter.context.close()
    placement = Placement.objects.get(application=offer)
    assert (placement.company, placement.student) == (world.company_a, market.haneul)

    # 5. Dashboard: the official sees the hire counted for the round's cohort.
    page.goto(f"{base}/dashboard/?cohort={match_round.cohort}")
    hired = page.locator("#table-funnel tbody tr", has_text="채용 확정")
    assert " ".join(hired.inner_text().split()) == "채용 확정 1"
    by_company = page.locator("#table-placements-by-company tbody tr", has_text="에코프로비엠")
    assert by_company.locator("td").nth(1).inner_text() == "1"
    check_step(page, "journey3-final")
