"""The student's profile in a real Chromium at 390 px, in Korean (issue 15): the counter follows the
typing, the draft is saved as the student types, a project takes a PDF, and the print layout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from schools.models import ProfileFile, Project, SelfIntroduction
from tests.browser import check_step, log_in
from tests.schools.test_profile_uploads import PDF

pytestmark = pytest.mark.browser


def test_the_student_writes_a_self_introduction_and_adds_a_project(
    phone_page, live_server, world, media_root, tmp_path
):
    page = phone_page
    log_in(page, live_server.url, world.student_user.username)
    page.goto(live_server.url + "/me/profile/")
    expect(page.locator("#profile-verified-title .badge")).to_have_text("학교 확인")
    check_step(page, "profile-phone")

    growth = page.locator("#id_growth")
    growth.fill("포항에서 자라며 제철소를 보고 자랐습니다.")
    expect(page.locator('[data-counter-for="growth"]')).to_have_text("23 / 1,000자")
    expect(page.locator("[data-autosave-status]")).to_have_text(re.compile(r"^임시 저장됨 \d\d:\d\d$"))
    assert (
        SelfIntroduction.objects.get(student=world.student).growth
        == "포항에서 자라며 제철소를 보고 자랐습니다."
    )

    growth.fill("가" * 1001)
    expect(page.locator('[data-counter-for="growth"]')).to_have_text("1,001 / 1,000자")
    expect(page.locator('[data-errors-for="growth"] li')).to_have_text(
        "답변은 1,000자 이내로 써 주십시오. 지금 1,001자입니다."
    )
    assert (
        SelfIntroduction.objects.get(student=world.student).growth
        == "포항에서 자라며 제철소를 보고 자랐습니다."
    )

    pdf = tmp_path / "졸업 작품.pdf"
    pdf.write_bytes(PDF)
    page.goto(live_server.url + "/me/profile/projects/new/")
    page.fill("#id_title", "스마트팜 제어반")
    page.fill("#id_date", "2026-10-15")
    page.set_input_files("#id_file", str(pdf))
    check_step(page, "profile-project-form-phone")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/me/profile/#projects"
    expect(page.locator("#projects a", has_text="졸업 작품.pdf")).to_have_count(1)
    assert Project.objects.get().file == ProfileFile.objects.get()

    page.goto(live_server.url + "/me/profile/print/")
    expect(page.locator("[data-print]")).to_be_visible()  # shown by the static script
    expect(page.locator("h1")).to_have_text(f"{world.student.name} 학생 프로필")
    check_step(page, "profile-print-phone")
