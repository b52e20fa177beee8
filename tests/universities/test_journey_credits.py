"""Journey 5, in a real Chromium and in Korean: enrolment → credits.

A university coordinator (at a desk, `page`) finds a graduate who works at a partner company
by their four details, enrols them in a contract department and records a term's credits.
The graduate (on a phone, `phone_page`) signs in and reads their credits on /me/credits/.
Each step checks what a person reads there and passes `check_step` (axe, no sideways scroll on
the phone, a screenshot in tests/artifacts/).
"""

import datetime

import pytest
from django.utils import timezone

from schools.models import Student
from tests import factories as f
from tests.browser import check_step, log_in, screenshot
from tests.builders import build_world, other_student
from universities.models import CreditProgram, CreditRecord, ProgramEnrollment

pytestmark = pytest.mark.browser


def messages_of(page) -> list[str]:
    return page.locator("ul.messages li").all_inner_texts()


def test_a_graduate_is_enrolled_and_reads_their_credits(page, phone_page, live_server):
    world = build_world()
    base = live_server.url
    today = timezone.localdate()
    # A graduate of 포항제철공고 who has worked at 에코프로비엠 since March.
    graduate = other_student(
        world,
        username="junho",
        name="이준호",
        student_number="25000042",
        birth_date=datetime.date(2007, 3, 15),
        status=Student.Status.GRADUATED,
    )
    f.PlacementFactory(student=graduate, company=world.company_a, starts_on=datetime.date(2026, 3, 2))
    program = f.CreditProgramFactory(
        university=world.university,
        name="이차전지융합과 계약학과",
        kind=CreditProgram.Kind.CONTRACT_DEPARTMENT,
        credits_required=80,
        min_months_employed=0,
    )
    program.partner_companies.add(world.company_a)

    # 1. Enrolment: the coordinator opens the programme and finds the graduate by four details.
    log_in(page, base, "coordinator")
    page.goto(f"{base}/university/programs/{program.pk}/")
    assert page.locator("h1").inner_text() == "이차전지융합과 계약학과"
    page.get_by_role("link", name="졸업생 등록").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "이차전지융합과 계약학과에 졸업생 등록"
    page.select_option("select[name=school]", label="포항제철공고")
    page.fill("input[name=student_number]", "25000042")
    page.fill("input[name=name]", "이준호")
    page.fill("input[name=birth_date]", "2007-03-15")
    assert page.locator("input[name=enrolled_on]").input_value() == today.isoformat()
    check_step(page, "journey5-enrolment-form")
    page.get_by_role("button", name="확인 후 등록").click()
    page.wait_for_load_state()
    assert messages_of(page) == ["이준호 학생을 등록했습니다."]
    assert page.locator("h1").inner_text() == "이준호"
    enrollment = ProgramEnrollment.objects.get()
    assert (enrollment.student, enrollment.program, enrollment.placement.company) == (
        graduate,
        program,
        world.company_a,
    )
    assert page.locator(".ledger label").inner_text() == "80학점 중 0학점"
    assert page.locator(".expected-finish").inner_text() == "첫 학점이 기록되면 예상 이수 시기가 표시됩니다."
    check_step(page, "journey5-enrolment")

    # 2. Credits: the coordinator records the autumn semester's 18 credits.
    page.fill("input[name=year]", str(today.year))
    page.select_option("select[name=term]", CreditRecord.Term.AUTUMN)
    page.fill("input[name=credits]", "18")
    page.get_by_role("button", name="기록", exact=True).click()
    page.wait_for_load_state()
    assert messages_of(page) == ["학점을 기록했습니다."]
    assert page.locator(".ledger label").inner_text() == "80학점 중 18학점"
    assert page.locator("table tbody tr td").all_inner_texts()[:3] == [str(today.year), "2학기", "18"]
    check_step(page, "journey5-credits-recorded")

    # 3. The graduate signs in on their phone and reads the same credits.
    phone = phone_page
    log_in(phone, base, "junho")
    phone.goto(base + "/me/credits/")
    assert phone.locator("h1").inner_text() == "나의 학점"
    line = phone.locator(f"section[aria-labelledby=program-{enrollment.pk}]")
    assert line.locator("h2").inner_text() == "포항대학교 · 이차전지융합과 계약학과"
    assert line.locator(".ledger label").inner_text() == "80학점 중 18학점"
    assert line.locator("table tbody tr td").all_inner_texts() == [str(today.year), "2학기", "18"]
    # 62 credits to go at 18 a semester: four more semesters, so the autumn semester two years on.
    assert line.locator(".expected-finish").inner_text() == (
        f"학기당 18.0학점씩 이수하면 {today.year + 2}년 2학기에 마칠 것으로 예상됩니다."
    )
    check_step(phone, "journey5-credits")
    screenshot(phone, "journey5-final")
