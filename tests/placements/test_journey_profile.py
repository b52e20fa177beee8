"""Journey 7 (issue 15): a profile that companies can judge and students control.

On a 390 px phone, in Korean, through the pages only:

1. the student writes a 자기소개서 and adds a project with a PDF on /me/profile/, then applies,
   answering the opening's own question, and reads the copy the company received;
2. the recruiter opens the application and reads the snapshot, the school-verified facts
   first (the checked certificate with its number, the completed NCS unit, attendance);
3. the student rewrites an answer, and the recruiter still reads what was sent;
4. another company's recruiter gets 404 for the application and for its file.

What the school holds (a checked certificate, the curriculum, attendance) is set up as the
school's own pages would leave it; those pages have their journey in tests/schools.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from placements.models import Application
from schools.models import AttendanceRecord, CourseUnit, ProfileFile, SelfIntroduction
from tests import factories as f
from tests.browser import check_step, log_in

pytestmark = pytest.mark.browser

GROWTH = "포항에서 자라며 제철소와 이차전지 공장을 보고 제조업에 관심을 가졌습니다."
MOTIVATION = "전극 공정 실습에서 배운 설비 점검을 현장에서 이어 가고 싶습니다."
REWRITTEN = "고쳐 쓴 성장 과정입니다."
QUESTION = "교대 근무에서 중요하다고 생각하는 점을 적어 주세요."
ANSWER = "인수인계 기록을 꼼꼼히 남겨 다음 조가 바로 이어서 일할 수 있게 하는 것입니다."
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def school_facts(world):
    """A certificate the school checked, a finished NCS unit of the department, one year's attendance."""
    certificate = f.CertificationFactory(name="전기기능사")
    f.StudentCertificationFactory(
        student=world.student,
        certification=certificate,
        acquired_on=datetime.date(2026, 7, 10),
        number="26201012345A",
        verified_at=timezone.now(),
        verified_by=world.school_a_staff,
    )
    unit = f.NcsUnitFactory(name="이차전지 전극 공정 관리")
    CourseUnit.objects.create(
        department=world.student.department, ncs_unit=unit, title="전극 공정 실무", hours=68, grade_year=1
    )
    AttendanceRecord.objects.create(student=world.student, school_year=2025, absences=1, late=2, left_early=0)


def test_journey7_profile_apply_snapshot(
    phone_page, live_server, transactional_db, world, school_facts, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    page, base = phone_page, live_server.url
    opening = f.OpeningFactory(company=world.company_a, title="양극재 소성 공정 운영", own_question=QUESTION)

    # 1. The student writes the 자기소개서 and adds a project with a PDF.
    log_in(page, base, world.student_user.username)
    page.goto(base + "/me/profile/")
    expect(page.locator("#profile-verified-title .badge")).to_have_text("학교 확인")
    expect(page.locator("#fair-hiring-notice")).to_contain_text("채용절차법")
    page.fill("#id_growth", GROWTH)
    page.fill("#id_motivation", MOTIVATION)
    expect(page.locator('[data-counter-for="motivation"]')).to_have_text(f"{len(MOTIVATION)} / 1,000자")
    page.locator("#self-introduction").get_by_role("button", name="저장").click()
    page.wait_for_load_state()
    intro = SelfIntroduction.objects.get(student=world.student)
    assert (intro.growth, intro.motivation, intro.competence) == (GROWTH, MOTIVATION, "")
    check_step(page, "journey7-1-profile")

    pdf = tmp_path / "전극 공정 보고서.pdf"
    pdf.write_bytes(PDF)
    page.goto(base + "/me/profile/projects/new/")
    page.fill("#id_title", "전극 코팅 두께 측정 프로젝트")
    page.fill("#id_date", "2026-10-15")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(base + "/me/profile/#projects")
    expect(page.locator("#projects a", has_text="전극 공정 보고서.pdf")).to_have_count(1)
    stored = ProfileFile.objects.get(student=world.student)

    # ... then applies, answering the company's own question.
    page.goto(f"{base}/me/openings/{opening.pk}/apply/")
    expect(page.get_by_text(QUESTION)).to_have_count(1)
    page.fill("#id_answer", ANSWER)
    check_step(page, "journey7-1-apply")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/me/applications/")
    application = Application.objects.get(student=world.student, opening=opening)
    page.locator(f"a[href='/me/applications/{application.pk}/profile/']").click()
    copy = page.locator("[data-testid=profile-snapshot]")
    expect(copy).to_contain_text(GROWTH)
    expect(copy).to_contain_text(ANSWER)
    expect(copy.locator(f"a[href='/me/profile/files/{stored.pk}/download/']")).to_have_text(
        "전극 공정 보고서.pdf"
    )
    check_step(page, "journey7-1-student-copy")

    # 2. The recruiter reads the snapshot: the school's facts first, then the student's words.
    page.context.clear_cookies()
    log_in(page, base, world.recruiter_a.username)
    page.goto(f"{base}/company/applications/{application.pk}/")
    snapshot = page.locator("[data-testid=profile-snapshot]")
    verified = snapshot.locator(".profile-verified").first
    expect(verified).to_contain_text("전기기능사")
    expect(verified).to_contain_text("26201012345A")
    expect(verified).to_contain_text("이차전지 전극 공정 관리")
    expect(verified.locator("table tbody tr").first).to_have_text(re.compile(r"2025학년도\s*1\s*2\s*0"))
    own = snapshot.locator(".profile-own").first
    expect(own).to_contain_text(GROWTH)
    expect(own).to_contain_text(QUESTION)
    expect(own).to_contain_text(ANSWER)
    expect(own.locator(f"a[href='/company/applications/{application.pk}/files/{stored.pk}/']")).to_have_text(
        "전극 공정 보고서.pdf"
    )
    assert verified.bounding_box()["y"] < own.bounding_box()["y"]
    check_step(page, "journey7-2-recruiter")

    # 3. The student rewrites an answer; the recruiter still reads what was sent.
    page.context.clear_cookies()
    log_in(page, base, world.student_user.username)
    page.goto(base + "/me/profile/")
    page.fill("#id_growth", REWRITTEN)
    page.locator("#self-introduction").get_by_role("button", name="저장").click()
    page.wait_for_load_state()
    assert SelfIntroduction.objects.get(student=world.student).growth == REWRITTEN
    page.context.clear_cookies()
    log_in(page, base, world.recruiter_a.username)
    page.goto(f"{base}/company/applications/{application.pk}/")
    text = page.inner_text("[data-testid=profile-snapshot]")
    assert GROWTH in text
    assert REWRITTEN not in text
    check_step(page, "journey7-final")

    # 4. Another company's recruiter gets 404, for the application and for its file.
    page.context.clear_cookies()
    log_in(page, base, world.recruiter_b.username)
    assert page.goto(f"{base}/company/applications/{application.pk}/").status == 404
    assert page.request.get(f"{base}/company/applications/{application.pk}/files/{stored.pk}/").status == 404
