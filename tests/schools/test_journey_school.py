"""Journey 4, in a real Chromium and in Korean: roster → invitation → field practice.

School staff (at a desk, `page`) import a roster through the page, invite the new student, plan
a field practice, record the guardian's consent and the safety check, and start it on its start
date. The student (on a phone, `phone_page`) accepts the invitation, sets a password and writes
the first week of the practice diary. Each step checks what a person reads there and passes
`check_step` (axe, no sideways scroll on the phone, a screenshot in tests/artifacts/).
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from schools.imports import COLUMNS
from schools.models import FieldPractice, PracticeDiaryEntry, Student
from tests.browser import check_step, log_in, screenshot
from tests.builders import build_world
from tests.schools.conftest import csv_bytes

pytestmark = pytest.mark.browser

PASSWORD = "battery-cells-2026!"


def roster_csv(department: str) -> bytes:
    """One new student in the template's columns; the school-year column (whatever its name) is 2026."""
    values = {
        "student_number": "26000101",
        "name": "박서준",
        "department": department,
        "birth_date": "2008-05-01",
        "email": "seojun@example.kr",
        "status": "재학",
    }
    row = [values.get(column.key, 2026 if column.required else "") for column in COLUMNS]
    return csv_bytes([row], header=[column.header for column in COLUMNS])


def messages_of(page) -> list[str]:
    return page.locator("ul.messages li").all_inner_texts()


def test_roster_invitation_and_practice(page, phone_page, live_server):
    world = build_world()
    base = live_server.url
    today = timezone.localdate()

    # 1. Roster: the staff member uploads the roster file; every row is checked, then saved.
    log_in(page, base, "staff_a")
    page.goto(base + "/school/students/import/")
    assert page.locator("h1").inner_text() == "학생 명단 가져오기"
    page.set_input_files(
        "input[type=file]",
        {"name": "명단.csv", "mimeType": "text/csv", "buffer": roster_csv(world.department_a.name)},
    )
    page.get_by_role("button", name="검사 후 가져오기").click()
    page.wait_for_load_state()
    assert page.locator("#import-status").inner_text() == "가져오기 완료"
    assert (
        page.get_by_text("1행을 가져왔습니다.").inner_text() == "1행을 가져왔습니다. 학생 1명 추가, 0명 갱신."
    )
    student = Student.objects.get(student_number="26000101")
    assert (student.name, student.school, student.status, student.user) == (
        "박서준",
        world.school_a,
        "enrolled",
        None,
    )
    check_step(page, "journey4-roster")

    # 2. Invitation: the staff member opens the student from the roster and sends the link.
    page.get_by_role("link", name="명단 보기").click()
    page.get_by_role("link", name="박서준").click()
    page.get_by_role("button", name="비밀번호 설정 초대 보내기").click()
    page.wait_for_load_state()
    assert messages_of(page) == ["초대를 발송했습니다. 링크는 7일 동안 한 번만 사용할 수 있습니다."]
    assert mail.outbox[-1].to == ["seojun@example.kr"]
    link = re.search(r"https?://\S+/accounts/invite/\S+/", mail.outbox[-1].body).group(0)
    check_step(page, "journey4-invited")

    # The student opens the link on their phone and sets a password.
    phone = phone_page
    phone.goto(link)
    assert phone.locator("h1").inner_text() == "비밀번호 설정"
    assert phone.get_by_text("님, 환영합니다.").inner_text() == "포항흥해공업고 박서준 님, 환영합니다."
    assert phone.get_by_text("로그인 ID는").inner_text() == "로그인 ID는 seojun@example.kr입니다."
    check_step(phone, "journey4-invitation")
    phone.fill("input[name=password1]", PASSWORD)
    phone.fill("input[name=password2]", PASSWORD)
    phone.get_by_role("button", name="비밀번호 설정 후 로그인").click()
    phone.wait_for_load_state()
    assert messages_of(phone) == ["비밀번호를 설정하고 로그인했습니다."]
    assert phone.locator("h1").inner_text() == "박서준 님, 안녕하세요"
    student.refresh_from_db()
    assert student.user.username == "seojun@example.kr"
    check_step(phone, "journey4-signed-in")

    # 3. Practice: the staff member plans it from today, picking the student from the list.
    page.goto(base + "/school/practice/new/")
    assert page.locator("h1").inner_text() == "현장실습 계획 등록"
    assert page.locator("select[name=student] optgroup").evaluate_all(
        "groups => groups.map(g => g.label)"
    ) == ["이차전지 시스템제어과"]
    assert page.locator("select[name=student] option").all_inner_texts()[1:] == [
        "김하늘 (" + world.student.student_number + ")",
        "박서준 (26000101)",
    ]
    check_step(page, "journey4-practice-form")
    page.select_option("select[name=student]", label="박서준 (26000101)")
    page.select_option("select[name=company]", label=world.company_a.name)
    page.fill("input[name=starts_on]", today.isoformat())
    page.fill("input[name=ends_on]", (today + datetime.timedelta(days=27)).isoformat())
    page.fill("input[name=supervisor_name]", "김현장")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "박서준 · 에코프로비엠 현장실습"
    assert page.locator("#practice-status").inner_text() == "예정"
    check_step(page, "journey4-practice-planned")

    # The student is 18: the guardian's consent comes first, then the school's safety check.
    page.fill("#id_guardian_consent_on", today.isoformat())
    page.select_option("#id_guardian_consent_method", "written")
    page.get_by_role("button", name="동의 기록").click()
    page.wait_for_load_state()
    assert messages_of(page) == ["저장했습니다."]
    page.fill("#id_safety_checked_on", today.isoformat())
    page.get_by_role("button", name="안전 점검 완료 확인").click()
    page.wait_for_load_state()
    assert messages_of(page) == ["저장했습니다."]
    assert page.locator("[data-gate].gate-missing").count() == 0

    # Today is the start date, so the start button is there; it starts the practice.
    page.get_by_role("button", name="현장실습 시작").click()
    page.wait_for_load_state()
    assert page.locator("#practice-status").inner_text() == "진행 중"
    practice = FieldPractice.objects.get(student=student)
    assert (practice.status, practice.starts_on, practice.supervisor_name) == ("in_progress", today, "김현장")
    check_step(page, "journey4-practice")

    # 4. Diary: the student writes about this week on their phone.
    phone.goto(base + "/me/practice/")
    assert phone.locator("h1").inner_text() == "나의 현장실습"
    assert phone.locator("h2").first.inner_text() == "이번 주 실습 일지 작성"
    this_week = today - datetime.timedelta(days=today.weekday())
    assert phone.locator("select[name=week_starting]").input_value() == this_week.isoformat()
    phone.fill("textarea[name=text]", "안전교육을 받고 코인셀 조립 공정을 견학했습니다.")
    phone.get_by_role("button", name="저장").first.click()
    phone.wait_for_load_state()
    assert messages_of(phone) == ["실습 일지를 저장했습니다."]
    assert (
        phone.locator("ol.diary li p").first.inner_text()
        == "안전교육을 받고 코인셀 조립 공정을 견학했습니다."
    )
    entry = PracticeDiaryEntry.objects.get(practice=practice)
    assert (entry.week_starting, entry.written_by) == (this_week, student.user)
    check_step(phone, "journey4-diary")
    screenshot(phone, "journey4-final")
