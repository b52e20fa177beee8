"""Journey in Chromium at 390 px (issue 15, what a company sees, and when):

1. a student with a 자기소개서 and a project with a PDF applies, answering the opening's own
   question, and opens "what the company sees" from their applications;
2. the recruiter sees the snapshot, the school-verified facts first, and its file link;
3. the student edits the profile, and the recruiter still sees the snapshot;
4. another company's recruiter gets 404.

The profile is written through the ORM here: the student's profile pages are another part of
the issue; the journey that writes it through them goes there. Locators use URLs, ids and
data attributes, not words, so that they hold in both languages.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest

from placements.models import Application
from schools.models import ProfileFile, Project, SelfIntroduction
from tests import factories as f
from tests.browser import check_step, log_in

pytestmark = pytest.mark.browser

GROWTH = "포항 흥해에서 자라며 공장 설비에 관심을 가졌습니다."
NEW_GROWTH = "나중에 고쳐 쓴 성장 과정입니다."
QUESTION = "우리 회사 공정 중 가장 해 보고 싶은 일은 무엇입니까?"
ANSWER = "양극재 소성 공정의 설비 점검을 해 보고 싶습니다."
PDF = b"%PDF-1.4\n% portfolio\n%%EOF\n"


def _profile(student, media_root) -> ProfileFile:
    SelfIntroduction.objects.create(student=student, growth=GROWTH)
    relative = Path("profiles") / str(student.pk) / "journey.pdf"
    (Path(media_root) / relative).parent.mkdir(parents=True, exist_ok=True)
    (Path(media_root) / relative).write_bytes(PDF)
    file = ProfileFile.objects.create(
        student=student,
        path=str(relative),
        original_name="포트폴리오.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    Project.objects.create(
        student=student, title="배터리 셀 조립 실습", date=datetime.date(2026, 6, 1), file=file
    )
    return file


def test_the_company_sees_the_snapshot_and_later_edits_do_not_reach_it(
    phone_page, live_server, transactional_db, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    base = live_server.url
    file = _profile(world.student, settings.MEDIA_ROOT)
    opening = f.OpeningFactory(company=world.company_a, title="양극재 공정 운영", own_question=QUESTION)
    page = phone_page

    # 1. The student applies, answering the company's own question.
    log_in(page, base, world.student_user.username)
    page.goto(f"{base}/me/openings/{opening.pk}/apply/")
    assert page.locator("[data-testid=what-company-sees] a[href='/me/profile/']").count() == 1
    assert page.locator("[data-testid=no-self-introduction]").count() == 0
    check_step(page, "snapshot-1-apply-phone")
    page.fill("#id_answer", ANSWER)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/me/applications/")
    application = Application.objects.get(student=world.student, opening=opening)
    page.locator(f"a[href='/me/applications/{application.pk}/profile/']").click()
    page.wait_for_url(f"{base}/me/applications/{application.pk}/profile/")
    assert GROWTH in page.inner_text("[data-testid=profile-snapshot]")
    check_step(page, "snapshot-1-student-copy-phone")

    # 2. The recruiter sees the snapshot, the school's facts first, and the file's link.
    page.context.clear_cookies()
    log_in(page, base, world.recruiter_a.username)
    page.goto(f"{base}/company/applications/{application.pk}/")
    snapshot = page.locator("[data-testid=profile-snapshot]")
    text = snapshot.inner_text()
    assert GROWTH in text and ANSWER in text
    assert (
        snapshot.locator(".profile-verified").first.bounding_box()["y"]
        < (snapshot.locator(".profile-own").first.bounding_box()["y"])
    )
    link = snapshot.locator(f"a[href='/company/applications/{application.pk}/files/{file.pk}/']")
    assert link.count() == 1
    check_step(page, "snapshot-2-recruiter-phone")

    # 3. The student edits the profile; the recruiter still sees what was sent.
    SelfIntroduction.objects.filter(student=world.student).update(growth=NEW_GROWTH)
    page.reload()
    text = page.inner_text("[data-testid=profile-snapshot]")
    assert GROWTH in text and NEW_GROWTH not in text

    # 4. Another company's recruiter gets 404.
    page.context.clear_cookies()
    log_in(page, base, world.recruiter_b.username)
    response = page.goto(f"{base}/company/applications/{application.pk}/")
    assert response.status == 404
    response = page.request.get(f"{base}/company/applications/{application.pk}/files/{file.pk}/")
    assert response.status == 404
