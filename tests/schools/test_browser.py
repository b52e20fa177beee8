"""A real browser, JavaScript off, on a phone: staff import a roster and look after a field practice."""

import datetime

import pytest
from django.test import Client

from schools.models import Student
from tests import factories as f
from tests.browser import screenshot
from tests.schools.conftest import roster_rows, xlsx_bytes


@pytest.fixture
def staff_page(_browser, live_server, transactional_db):
    district = f.DistrictFactory()
    school = f.SchoolFactory(district=district, name="포항흥해공업고")
    department = f.DepartmentFactory(school=school, name="이차전지 시스템제어과")
    user = f.UserFactory(username="staff")
    f.MembershipFactory(user=user, district=district, role="school_staff", school=school)
    client = Client()
    client.force_login(user)
    context = _browser.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.department = department
    yield page
    context.close()


@pytest.mark.browser
def test_import_with_errors_then_a_good_file_without_javascript(staff_page, live_server):
    page = staff_page
    dept = page.department.name
    bad = roster_rows(dept, 3) + [["26000099", "오류", "이차전지과", 2026, "", "", "", "", ""]]
    page.goto(live_server.url + "/school/students/import/")
    page.set_input_files(
        "input[type=file]",
        {"name": "명단.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx_bytes(bad)},
    )
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#import-status").get_attribute("data-status") == "rejected"
    assert "이차전지과" in page.locator("#import-errors").inner_text()
    screenshot(page, "school-roster-import-errors-phone")
    assert Student.objects.count() == 0

    page.goto(live_server.url + "/school/students/import/")
    page.set_input_files(
        "input[type=file]",
        {
            "name": "명단.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": xlsx_bytes(roster_rows(dept, 3)),
        },
    )
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#import-status").get_attribute("data-status") == "succeeded"
    page.goto(live_server.url + "/school/students/")
    assert page.locator("#roster tbody tr").count() == 3
    screenshot(page, "school-roster-phone")


@pytest.mark.browser
def test_field_practice_gates_page_without_javascript(staff_page, live_server):
    page = staff_page
    student = f.StudentFactory(department=page.department, birth_date=datetime.date(2008, 5, 1))
    company = f.CompanyFactory(district=page.department.school.district, name="에코프로비엠")
    practice = f.FieldPracticeFactory(student=student, company=company, supervisor_name="")
    page.goto(f"{live_server.url}/school/practice/{practice.pk}/")
    assert page.locator("[data-gate].gate-missing").count() == 3
    page.fill("#id_guardian_consent_on", "2026-06-01")
    page.select_option("#id_guardian_consent_method", "written")
    page.locator("form[action$='/consent/'] button").click()
    page.wait_for_load_state()
    assert page.locator("[data-gate=consent]").get_attribute("class") == "gate-ok"
    screenshot(page, "school-practice-gates-phone")
