"""Issue 15 (school): attendance per school year (출결), entered or corrected by staff of the
student's school, and imported through the roster's optional columns."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from district.cohorts import school_year_of
from schools.models import AttendanceRecord, RosterImport, Student
from tests import factories as f
from tests.schools.conftest import ATTENDANCE_HEADER, HEADER, csv_bytes, xlsx_bytes
from tests.schools.test_roster_import import english_errors, upload

pytestmark = pytest.mark.django_db

THIS_YEAR = school_year_of(timezone.localdate())


def attendance_url(student):
    return reverse("schools:attendance", args=[student.pk])


def records(student=None):
    rows = AttendanceRecord.objects.order_by("student_id", "school_year")
    if student is not None:
        rows = rows.filter(student=student)
    return list(rows.values_list("school_year", "absences", "late", "left_early"))


# --- Staff's page ---------------------------------------------------------------------------


def test_staff_enter_and_correct_a_school_year(school_a_staff, world):
    student = world.student
    page = school_a_staff.get(attendance_url(student))
    assert (page.status_code, list(page.context["records"])) == (200, [])
    response = school_a_staff.post(
        attendance_url(student), {"school_year": 2025, "absences": 2, "late": 1, "left_early": 0}
    )
    assert (response.status_code, response["Location"]) == (302, attendance_url(student))
    assert records(student) == [(2025, 2, 1, 0)]
    # Correcting the same year changes its one record.
    assert school_a_staff.get(attendance_url(student), {"year": 2025}).context["form"].initial == {
        "school_year": 2025,
        "absences": 2,
        "late": 1,
        "left_early": 0,
    }
    school_a_staff.post(
        attendance_url(student), {"school_year": 2025, "absences": 3, "late": 0, "left_early": 4}
    )
    assert records(student) == [(2025, 3, 0, 4)]
    assert AttendanceRecord.objects.get().recorded_by == world.school_a_staff


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"school_year": "", "absences": 0, "late": 0, "left_early": 0},
            {"school_year": ["This field is required."]},
        ),
        (
            {"school_year": 2025, "absences": 367, "late": -1, "left_early": "x"},
            {
                "absences": ["Ensure this value is less than or equal to 366."],
                "late": ["Ensure this value is greater than or equal to 0."],
                "left_early": ["Enter a whole number."],
            },
        ),
        (
            {"school_year": THIS_YEAR + 1, "absences": 0, "late": 0, "left_early": 0},
            {"school_year": ["Enter a school year from 2000 to the current one."]},
        ),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(school_a_staff, world, data, errors):
    response = school_a_staff.post(attendance_url(world.student), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert records() == []


@pytest.mark.parametrize(
    "persona", ["school_b_staff", "recruiter_a", "student_user", "official", "anonymous"]
)
def test_only_staff_of_the_students_school_record_attendance(request, persona, world):
    client = request.getfixturevalue(persona)
    expected = {
        "school_b_staff": 404,
        "recruiter_a": 403,
        "student_user": 403,
        "official": 403,
        "anonymous": 302,
    }
    assert client.get(attendance_url(world.student)).status_code == expected[persona]
    data = {"school_year": 2025, "absences": 1, "late": 1, "left_early": 1}
    assert client.post(attendance_url(world.student), data).status_code == expected[persona]
    assert records() == []


# --- The roster import ----------------------------------------------------------------------

FULL = HEADER + ATTENDANCE_HEADER


def row(number, *attendance, name="박서준", department="이차전지 시스템제어과"):
    return [number, name, department, 2026, "", "", "", "", "재학", *attendance]


def test_an_import_without_the_attendance_columns_still_works(school_a_staff, world):
    upload(school_a_staff, csv_bytes([row("9900101")[:9]]), "r.csv")
    assert RosterImport.objects.get().status == "succeeded"
    assert (Student.objects.filter(student_number="9900101").count(), records()) == (1, [])


def test_an_import_with_attendance_adds_and_updates_the_school_years_record(school_a_staff, world):
    world.student.student_number = "9900100"
    world.student.save()
    AttendanceRecord.objects.create(student=world.student, school_year=2025, absences=9, late=9, left_early=9)
    data = xlsx_bytes(
        [
            row("9900100", 2025, 1, "", 3, name=world.student.name),  # an empty count keeps the recorded one
            row("9900101", "2025", "0", 2, 0),
            row("9900102", "", "", "", ""),  # no attendance at all
        ],
        header=FULL,
    )
    upload(school_a_staff, data)
    record = RosterImport.objects.get()
    assert (record.status, record.created_count, record.updated_count, english_errors(record)) == (
        "succeeded",
        2,
        1,
        [],
    )
    added = Student.objects.get(student_number="9900101")
    assert records(world.student) == [(2025, 1, 9, 3)]
    assert records(added) == [(2025, 0, 2, 0)]
    assert AttendanceRecord.objects.count() == 2
    assert AttendanceRecord.objects.get(student=added).recorded_by == world.school_a_staff


def test_bad_attendance_values_are_refused_with_row_errors_and_nothing_is_saved(school_a_staff, world):
    data = csv_bytes(
        [
            row("9900101", "", 1, 0, 0),  # counts but no school year
            row("9900102", 2025, 367, "1.5", "-1"),
            row("9900103", 1999, 0, 0, 0),
            row("9900104", 2025, 1, 1, 1),  # good, but the file is all or nothing
        ],
        header=FULL,
    )
    upload(school_a_staff, data, "r.csv")
    record = RosterImport.objects.get()
    assert record.status == "rejected"
    assert english_errors(record) == [
        "row 2, 출결 학년도: a value is required",
        "row 3, 결석: '367' is not a whole number from 0 to 366",
        "row 3, 지각: '1.5' is not a whole number from 0 to 366",
        "row 3, 조퇴: '-1' is not a whole number from 0 to 366",
        f"row 4, 출결 학년도: '1999' is not a year between 2000 and {THIS_YEAR}",
    ]
    numbers = ["9900101", "9900102", "9900103", "9900104"]
    assert (Student.objects.filter(student_number__in=numbers).count(), records()) == (0, [])


def test_the_export_carries_the_latest_school_year_and_re_imports_unchanged(school_a_staff, world):
    import io

    from openpyxl import load_workbook

    AttendanceRecord.objects.create(student=world.student, school_year=2024, absences=5, late=0, left_early=0)
    AttendanceRecord.objects.create(student=world.student, school_year=2025, absences=1, late=2, left_early=3)
    response = school_a_staff.get(reverse("schools:roster_export"), {"purpose": "출결 점검"})
    values = [
        [c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows()
    ]
    assert values[0][-4:] == ATTENDANCE_HEADER
    assert values[1][-4:] == [2025, 1, 2, 3]
    upload(school_a_staff, response.content)
    assert RosterImport.objects.get().status == "succeeded"
    assert records(world.student) == [(2024, 5, 0, 0), (2025, 1, 2, 3)]


def test_the_admin_shows_attendance_on_the_student(official, world):
    AttendanceRecord.objects.create(student=world.student, school_year=2025, absences=1, late=2, left_early=3)
    f.StudentCertificationFactory(student=world.student, number="Z-9")
    page = official.get(reverse("admin:schools_student_change", args=[world.student.pk]))
    assert page.status_code == 200
    assert "Z-9" in page.content.decode()
    inline = [fs for fs in page.context["inline_admin_formsets"] if fs.formset.model is AttendanceRecord]
    assert [form.original.school_year for form in inline[0]] == [2025]
