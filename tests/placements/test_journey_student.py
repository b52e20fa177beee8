"""Journey 2 (issue 14): a student browses openings, ranks them, applies, and follows the answers.

On a 390 px phone, in Korean. Each step asserts what the student reads, then `check_step`
(axe, no sideways scroll, a screenshot tests/artifacts/journey2-<step>.png). The company's
side (moving the application, with a note for the student) is done through the services
between the steps, as a recruiter would on their own screen. Ranking uses the ranking page's
move buttons and its save button, never dragging.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from placements.models import Application, Placement, Preference
from placements.services.applications import application_move
from tests import factories as f
from tests.browser import check_step, log_in
from tests.builders import open_round

pytestmark = pytest.mark.browser

S = Application.Status
INTERVIEW_NOTE = "면접은 12월 15일 오전 10시, 본사 2층 회의실입니다. 신분증을 가져오세요."
OFFER_NOTE = "입사 서류는 첫 출근일에 제출하시면 됩니다."


def _korean_date(day: datetime.date) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일"


@pytest.fixture
def market(world):
    """Two openings at company A (one needs a certification the student lacks), one at company B."""
    lacking = f.CertificationFactory(name="위험물기능사")
    starts_on = timezone.localdate() + datetime.timedelta(days=55)
    wanted = f.OpeningFactory(
        company=world.company_a,
        title="양극재 소성 공정 운영",
        monthly_salary_krw=2_600_000,
        starts_on=starts_on,
        seats=2,
    )
    wanted.required_certifications.set([lacking])
    second = f.OpeningFactory(company=world.company_b, title="전구체 설비 보전")
    open_round(world.district)
    return {"wanted": wanted, "second": second, "starts_on": starts_on}


def test_journey2_browse_rank_apply_follow(phone_page, live_server, transactional_db, world, market):
    page, base = phone_page, live_server.url
    wanted, second = market["wanted"], market["second"]
    log_in(page, base, "student")
    page.wait_for_url(re.compile(r".*/me/$"))

    # 1. Browse: the openings list, then the opening with the student's fit.
    page.goto(base + "/openings/")
    assert page.get_by_role("heading", level=1).inner_text() == "채용공고"
    cards = page.locator('[data-testid="opening-list"]')
    assert cards.get_by_text("양극재 소성 공정 운영").is_visible()
    assert cards.get_by_text("전구체 설비 보전").is_visible()
    check_step(page, "journey2-browse")

    page.goto(f"{base}/openings/{second.pk}/")
    page.get_by_role("button", name="나의 희망 순위에 추가").click()
    page.wait_for_url(f"{base}/openings/{second.pk}/")
    page.goto(f"{base}/openings/{wanted.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "양극재 소성 공정 운영"
    fit = page.locator('[data-testid="fit"]')
    assert fit.get_by_role("heading", name="나의 적합도").is_visible()
    assert fit.get_by_text("위험물기능사").is_visible()
    check_step(page, "journey2-opening")
    fit.get_by_role("button", name="나의 희망 순위에 추가").click()
    page.wait_for_url(f"{base}/openings/{wanted.pk}/")

    # 2. Rank: the wanted opening is second; its "up" button makes it first, then save.
    page.goto(base + "/me/preferences/")
    items = page.locator("#ranking-list > li")
    assert items.count() == 2
    page.locator(f'#opening-{wanted.pk} [data-move="up"]').click()
    page.locator("[data-save]").click()
    page.wait_for_url(re.compile(r".*/me/preferences/.*"))
    page.wait_for_load_state()
    assert page.get_by_text("희망 순위를 저장했습니다.").is_visible()
    assert page.locator("#ranking-list > li").first.get_attribute("id") == f"opening-{wanted.pk}"
    assert list(
        Preference.objects.filter(student=world.student).order_by("rank").values_list("opening_id", flat=True)
    ) == [wanted.pk, second.pk]
    check_step(page, "journey2-rank")

    # 3. Apply: the confirmation names what is missing, and the student adds a note.
    page.goto(f"{base}/openings/{wanted.pk}/")
    page.get_by_role("link", name="지원하기").click()
    page.wait_for_url(f"{base}/me/openings/{wanted.pk}/apply/")
    assert page.get_by_role("heading", level=1).inner_text() == "지원하기"
    unmet = page.locator('[data-testid="unmet"]')
    assert unmet.get_by_role("heading", name="아직 충족하지 못한 요건").is_visible()
    assert unmet.locator("li.missed strong").all_inner_texts() == ["위험물기능사"]
    assert unmet.get_by_text("아직 보유하지 않은 필수 자격증").is_visible()
    page.get_by_label("기업에 전할 짧은 메모(선택)").fill("현장실습에서 소성로를 다뤄 봤습니다.")
    check_step(page, "journey2-apply")
    page.get_by_role("button", name="지원서 제출").click()
    page.wait_for_url(f"{base}/me/applications/")
    assert page.get_by_text("“양극재 소성 공정 운영”에 지원했습니다.").is_visible()
    application = Application.objects.get(student=world.student, opening=wanted)
    assert (application.status, application.note) == (S.SUBMITTED, "현장실습에서 소성로를 다뤄 봤습니다.")
    check_step(page, "journey2-applied")

    # 4. Follow: the company invites to an interview with a note; the student reads it word for word.
    application_move(
        application=application, to_status=S.INTERVIEW, by=world.recruiter_a, note=INTERVIEW_NOTE
    )
    page.goto(base + "/me/")
    notice = (
        f"에코프로비엠에서 “양극재 소성 공정 운영” 면접에 초대했습니다. 기업의 메시지: “{INTERVIEW_NOTE}”"
    )
    assert page.locator(".notifications li a").first.inner_text() == notice
    page.goto(base + "/me/applications/")
    card = page.locator(f"#application-{application.pk}")
    assert (
        card.locator('[data-testid="messages"] .message-note').last.inner_text().splitlines()[-1]
        == INTERVIEW_NOTE
    )
    assert card.get_by_text(f"기업의 메시지(면접, {_korean_date(timezone.localdate())}):").is_visible()
    check_step(page, "journey2-follow")

    # 5. The offer, with a note; the student accepts it.
    application_move(application=application, to_status=S.OFFERED, by=world.recruiter_a, note=OFFER_NOTE)
    page.goto(base + "/me/applications/")
    card = page.locator(f"#application-{application.pk}")
    assert card.get_by_text(OFFER_NOTE).is_visible()
    card.get_by_role("link", name="제안 수락").click()
    page.wait_for_url(f"{base}/me/applications/{application.pk}/accept/")
    check_step(page, "journey2-accept")
    page.get_by_role("button", name="예, 이 제안을 수락합니다").click()
    page.wait_for_url(f"{base}/me/applications/")
    assert page.get_by_text("채용 제안을 수락했습니다. 축하합니다!").is_visible()
    assert Placement.objects.get(student=world.student).application == application

    # 6. Home: the job in the future tense, with its salary, and no open application left.
    page.goto(base + "/me/")
    job = page.locator('[data-testid="job"]')
    assert (
        job.locator("strong").inner_text()
        == f"에코프로비엠: {_korean_date(market['starts_on'])}부터 근무 예정"
    )
    assert "월 2,600,000원" in job.inner_text()
    assert job.get_by_role("link", name="양극재 소성 공정 운영").get_attribute("href") == (
        f"/me/applications/#application-{application.pk}"
    )
    assert page.locator('[data-testid="open-applications"]').inner_text().startswith("진행 중인 지원 0건")
    check_step(page, "journey2-final")
