"""Roster import: checked whole, saved all or nothing, re-imports update, limits and wrong files refused."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from district.exports import safe_cell
from district.models import ExportLog
from schools.imports import MAX_ROWS
from schools.models import RosterImport, Student, StudentCertification
from tests import factories as f
from tests.schools.conftest import TEMPLATE_HEADER, csv_bytes, roster_rows, xlsx_bytes

IMPORT_URL = reverse("schools:roster_import")


def upload(client, data, name="roster.xlsx", school=None):
    payload = {"file": SimpleUploadedFile(name, data)}
    if school is not None:
        payload["school"] = school.pk
    # English, so that messages can be compared; the catalogue's Korean is the lead's job.
    return client.post(IMPORT_URL, payload, HTTP_ACCEPT_LANGUAGE="en")


def english_errors(record):
    from schools.imports import describe

    with translation.override("en"):
        return [describe(error) for error in record.errors]


@pytest.fixture
def vocabulary(world):
    area = f.AreaFactory(district=world.district, code="yeongil", name="영일만")
    cert = f.CertificationFactory(name="전기기능사", qnet_code="7780")
    return area, cert


def test_a_good_xlsx_file_adds_every_student(school_a_staff, world, vocabulary):
    area, cert = vocabulary
    dept = world.department_a.name
    rows = [
        [
            "202600101",
            "박서준",
            dept,
            2026,
            datetime.date(2008, 3, 4),
            "영일만",
            "전기기능사(2025-07-01)",
            "",
            "재학",
        ],
        ["202600102", "이서연", dept, 2026, "2008.11.30", "yeongil", "7780", "lee@example.kr", ""],
        [202600103, "최도윤", dept, 2027.0, 20090102, "", "", "", "졸업"],
    ]
    response = upload(school_a_staff, xlsx_bytes(rows))
    record = RosterImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "schools:roster_import_detail", args=[record.pk]
    )
    assert (record.status, record.total, record.created_count, record.updated_count) == ("succeeded", 3, 3, 0)
    park = Student.objects.get(school=world.school_a, student_number="202600101")
    assert (park.name, park.birth_date, park.commute_area, park.department) == (
        "박서준",
        datetime.date(2008, 3, 4),
        area,
        world.department_a,
    )
    assert park.held_certifications.get().acquired_on == datetime.date(2025, 7, 1)
    lee = Student.objects.get(student_number="202600102")
    assert (lee.birth_date, lee.email, lee.commute_area) == (
        datetime.date(2008, 11, 30),
        "lee@example.kr",
        area,
    )
    assert lee.held_certifications.get().certification == cert
    choi = Student.objects.get(student_number="202600103")
    assert (choi.cohort, choi.birth_date, choi.status) == (
        2027,
        datetime.date(2009, 1, 2),
        "graduated",
    )
    page = school_a_staff.get(response.url)
    assert page.context["import"].status == "succeeded"
    assert '<meta http-equiv="refresh"' not in page.content.decode()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp949"])
def test_a_good_csv_file_in_any_korean_encoding(school_a_staff, world, encoding):
    data = csv_bytes(roster_rows(world.department_a.name, 2), encoding=encoding)
    upload(school_a_staff, data, name="명단.csv")
    assert RosterImport.objects.get().status == "succeeded"
    assert set(Student.objects.filter(school=world.school_a).values_list("name", flat=True)) >= {
        "학생1",
        "학생2",
    }


def test_three_bad_rows_save_nothing_and_every_error_is_reported(school_a_staff, world):
    dept = world.department_a.name
    rows = roster_rows(dept, 12)
    rows.append(["202600099", "오류1", "이차전지과", 2026, "", "", "", "", ""])  # row 14
    rows.append(["202600098", "오류2", dept, 2026, "2008-13-01", "", "", "", ""])  # row 15
    rows.append(["202600097", "", dept, "내년", "", "", "", "bad-email", "휴학"])  # row 16
    response = upload(school_a_staff, xlsx_bytes(rows))
    record = RosterImport.objects.get()
    assert record.status == "rejected"
    assert not Student.objects.filter(school=world.school_a).exclude(pk=world.student.pk).exists()
    assert english_errors(record) == [
        "row 14, 학과: unknown department '이차전지과'",
        "row 15, 생년월일: '2008-13-01' is not a date (write it as YYYY-MM-DD)",
        "row 16, 이름: a value is required",
        "row 16, 졸업 학년도: '내년' is not a year between 2000 and 2100",
        "row 16, 이메일: 'bad-email' is not an email address",
        "row 16, 상태: unknown status '휴학' (use 재학, 졸업 or 학업 중단)",
    ]
    page = school_a_staff.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert len(page.context["errors"]) == 6
    assert 'id="import-errors"' in page.content.decode()


def test_repeated_student_numbers_in_one_file_are_errors(school_a_staff, world):
    rows = roster_rows(world.department_a.name, 2)
    rows.append(list(rows[0]))
    upload(school_a_staff, xlsx_bytes(rows))
    record = RosterImport.objects.get()
    assert english_errors(record) == ["row 4, 학번: student number '26000001' is already on row 2"]


def test_a_reimport_updates_students_matched_on_their_number(school_a_staff, world):
    dept_b = f.DepartmentFactory(school=world.school_a, name="기계설비과")
    cert = f.CertificationFactory(name="공유압기능사")
    upload(school_a_staff, xlsx_bytes(roster_rows(world.department_a.name, 3)))
    first = Student.objects.get(student_number="26000002")
    rows = roster_rows(world.department_a.name, 4)  # three known numbers and a new one
    rows[1] = ["26000002", "학생2(개명)", dept_b.name, 2027, "", "", "공유압기능사(2026-01-05)", "", ""]
    upload(school_a_staff, xlsx_bytes(rows))
    latest = RosterImport.objects.order_by("-pk").first()
    assert (latest.status, latest.created_count, latest.updated_count) == ("succeeded", 1, 1)
    assert Student.objects.filter(school=world.school_a, student_number__startswith="2600000").count() == 4
    second = Student.objects.get(pk=first.pk)
    assert (second.name, second.department, second.cohort) == ("학생2(개명)", dept_b, 2027)
    # An empty optional cell leaves what is recorded alone.
    assert (second.birth_date, second.email) == (datetime.date(2008, 5, 1), "s2@example.kr")
    assert StudentCertification.objects.get(student=second, certification=cert).acquired_on == datetime.date(
        2026, 1, 5
    )


def test_a_reimport_marking_a_student_as_left_closes_their_account(school_a_staff, world):
    student = world.student
    rows = [[student.student_number, student.name, world.department_a.name, 2026, "", "", "", "", "자퇴"]]
    upload(school_a_staff, xlsx_bytes(rows))
    student.refresh_from_db()
    world.student_user.refresh_from_db()
    assert student.status == "left"
    assert world.student_user.is_active is False
    assert not world.student_user.memberships.filter(is_active=True).exists()


def test_the_same_number_at_another_school_is_another_student(school_a_staff, world):
    other = f.StudentFactory(department=world.department_b, student_number="26000001", name="다른학교")
    upload(school_a_staff, xlsx_bytes(roster_rows(world.department_a.name, 1)))
    other.refresh_from_db()
    assert other.name == "다른학교"
    assert Student.objects.filter(student_number="26000001").count() == 2


def test_departments_of_another_school_are_unknown(school_a_staff, world):
    upload(school_a_staff, xlsx_bytes(roster_rows(world.department_b.name, 1)))
    assert english_errors(RosterImport.objects.get()) == [
        f"row 2, 학과: unknown department '{world.department_b.name}'"
    ]


# --- Limits and wrong files ------------------------------------------------------------------


def form_errors(response):
    return response.context["form"].errors["file"]


def test_more_than_5000_rows_is_refused(school_a_staff, world):
    data = csv_bytes(roster_rows(world.department_a.name, MAX_ROWS + 1))
    response = upload(school_a_staff, data, name="big.csv")
    assert response.status_code == 200
    assert "more than 5,000 students" in form_errors(response)[0]
    assert not RosterImport.objects.exists()


def test_exactly_5000_rows_is_accepted_for_the_background(
    school_a_staff, world, media_root, django_capture_on_commit_callbacks
):
    data = csv_bytes(roster_rows(world.department_a.name, MAX_ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        upload(school_a_staff, data, name="big.csv")
    record = RosterImport.objects.get()
    assert (record.status, record.total, record.created_count) == ("succeeded", 5000, 5000)


def test_a_file_over_5_mb_is_refused_with_its_size(school_a_staff):
    response = upload(school_a_staff, b"a" * (5 * 1024 * 1024 + 1), name="huge.csv")
    assert response.status_code == 200
    assert form_errors(response) == ["The file is 5.0 MB; the limit is 5 MB."]


def test_unknown_and_missing_columns_are_refused(school_a_staff, world):
    header = ["학번", "이름", "학과", "주민등록번호"]
    response = upload(school_a_staff, xlsx_bytes([["1", "김", world.department_a.name, "x"]], header=header))
    errors = form_errors(response)
    assert errors[0].startswith("Unknown column '주민등록번호'. The columns are: 학번, 이름")
    assert errors[1] == "The required column '졸업 학년도' is missing."
    assert not RosterImport.objects.exists()


def test_a_header_of_the_template_and_five_spare_columns_is_checked_column_by_column(school_a_staff, world):
    header = TEMPLATE_HEADER + [f"메모{n}" for n in range(1, 6)]  # 18 columns
    response = upload(
        school_a_staff, csv_bytes(roster_rows(world.department_a.name, 1), header=header), "r.csv"
    )
    assert [error.split(".")[0] for error in form_errors(response)] == [
        "Unknown column '메모1'",
        "Unknown column '메모2'",
        "Unknown column '메모3'",
        "Unknown column '메모4'",
        "Unknown column '메모5'",
    ]


def test_a_header_of_more_than_the_template_and_five_columns_is_refused_at_once(school_a_staff, world):
    header = TEMPLATE_HEADER + [f"메모{n}" for n in range(1, 7)]  # 19 columns
    response = upload(
        school_a_staff, csv_bytes(roster_rows(world.department_a.name, 1), header=header), "r.csv"
    )
    assert form_errors(response) == ["The first row has 19 columns; the template has 13. Use its columns."]
    assert not RosterImport.objects.exists()


def test_150000_unknown_columns_give_one_short_refusal(school_a_staff):
    """The report: a 1 MB CSV of 150,000 unknown headers made a 15 MB error page."""
    data = ",".join(f"c{n}" for n in range(150_000)).encode() + b"\n1,2,3\n"
    response = upload(school_a_staff, data, "wide.csv")
    assert form_errors(response) == [
        "The first row has 150,000 columns; the template has 13. Use its columns."
    ]
    assert len(response.content) < 20_000
    assert not RosterImport.objects.exists()


def test_a_csv_cell_over_the_csv_modules_limit_is_a_form_error(school_a_staff, world):
    data = f"학번,이름,학과,졸업연도\n1,{'가' * 140_000},{world.department_a.name},2026\n".encode()
    response = upload(school_a_staff, data, "long.csv")
    assert form_errors(response) == [
        "The CSV file could not be read: a cell is far longer than a roster needs. Use the template."
    ]
    assert not RosterImport.objects.exists()


@pytest.mark.parametrize(
    ("bad_rows", "listed", "more"),
    [(100, 100, None), (101, 100, "…and 1 more problem."), (250, 100, "…and 150 more problems.")],
)
def test_the_import_page_lists_100_problems_then_how_many_more(school_a_staff, world, bad_rows, listed, more):
    rows = roster_rows("이차전지과", bad_rows)  # no such department: one problem a row
    response = upload(school_a_staff, csv_bytes(rows), "r.csv")
    assert len(RosterImport.objects.get().errors) == bad_rows
    page = school_a_staff.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.context["errors"][-1] == f"row {listed + 1}, 학과: unknown department '이차전지과'"
    assert html.count("<li>row ") == listed
    assert f"Nothing was saved. Fix these {bad_rows} problems and upload the file again:" in html
    assert page.context["more"] == (bad_rows - listed)
    if more is None:
        assert 'id="import-errors-more"' not in html
    else:
        assert f'<p id="import-errors-more">{more}</p>' in html


def test_english_headers_are_accepted(school_a_staff, world):
    header = ["student number", "name", "department", "cohort"]
    upload(school_a_staff, xlsx_bytes([["77", "김", world.department_a.name, 2026]], header=header))
    assert RosterImport.objects.get().status == "succeeded"
    assert Student.objects.get(student_number="77").cohort == 2026


@pytest.mark.parametrize("old_header", ["졸업연도", "graduation year"])
def test_the_old_graduation_year_column_is_read_with_its_old_meaning_and_the_import_says_so(
    school_a_staff, world, old_header
):
    """A roster made before the cohort became the school year: 졸업연도 2027 is 2026학년도."""
    header = ["학번", "이름", "학과", old_header]
    response = upload(
        school_a_staff, xlsx_bytes([["78", "김", world.department_a.name, 2027]], header=header)
    )
    record = RosterImport.objects.get()
    assert (record.status, record.errors) == ("succeeded", [{"code": "legacy_graduation_year"}])
    assert Student.objects.get(student_number="78").cohort == 2026
    page = school_a_staff.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["errors"] == [
        "The file has the old column “졸업연도” (the calendar year of graduation). Each value was read "
        "that way and saved as the school year before it: 2027 became 2026학년도 (graduating in "
        "February 2027). The new template's column is “졸업 학년도”."
    ]
    assert 'id="import-notice"' in page.content.decode()


def test_the_old_and_the_new_cohort_column_together_are_refused(school_a_staff, world):
    header = ["학번", "이름", "학과", "졸업 학년도", "졸업연도"]
    response = upload(
        school_a_staff, xlsx_bytes([["79", "김", world.department_a.name, 2026, 2027]], header=header)
    )
    assert form_errors(response) == ["The column '졸업연도' appears twice."]


def test_the_template_names_the_new_column_and_explains_it(school_a_staff, world):
    response = school_a_staff.get(reverse("schools:roster_template"), HTTP_ACCEPT_LANGUAGE="en")
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]][:4] == ["학번", "이름", "학과", "졸업 학년도"]
    guide = {row[0]: row[1] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert guide["졸업 학년도"] == (
        "Required. The school year (학년도) of the student's final year: 2026 for those graduating "
        "in February 2027."
    )


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7\n\x00\x01binary", "roster.xlsx", "neither an Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "roster.csv", "neither an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "roster.xls", "old Excel file (.xls)"),
        (_zip(["readme.txt"]), "roster.xlsx", "zip archive but not an Excel workbook"),
        (_zip(["[Content_Types].xml", "word/document.xml"]), "roster.xlsx", "zip archive but not an Excel"),
        (b"PK\x03\x04 broken zip", "roster.xlsx", "zip archive but not an Excel"),
        ("학번,이름\n".encode("utf-16"), "roster.csv", "neither an Excel workbook"),
    ],
    ids=["pdf-named-xlsx", "png-named-csv", "old-xls", "plain-zip", "docx", "broken-zip", "utf16"],
)
def test_a_file_that_is_not_really_xlsx_or_csv_is_refused(school_a_staff, data, name, message):
    response = upload(school_a_staff, data, name=name)
    assert response.status_code == 200
    assert message in form_errors(response)[0]
    assert not RosterImport.objects.exists()


def test_an_xlsx_named_csv_is_read_as_xlsx(school_a_staff, world):
    upload(school_a_staff, xlsx_bytes(roster_rows(world.department_a.name, 1)), name="roster.csv")
    record = RosterImport.objects.get()
    assert (record.file_format, record.status) == ("xlsx", "succeeded")


def test_an_empty_file_and_a_header_alone_are_refused(school_a_staff):
    assert "empty" in form_errors(upload(school_a_staff, b"", name="empty.csv"))[0]
    assert "first row is empty" in form_errors(upload(school_a_staff, b"\n\n", name="blank.csv"))[0]
    assert "no students" in form_errors(upload(school_a_staff, xlsx_bytes([])))[0]


# --- Large files in the background ------------------------------------------------------------


def test_a_large_import_runs_in_celery_and_reports_progress(
    school_a_staff, world, media_root, settings, django_capture_on_commit_callbacks
):
    settings.ROSTER_IMPORT_SYNC_ROWS = 5
    seen = []
    from schools.services import roster

    original = roster._finish

    def spy(record, status, **kwargs):
        seen.append(RosterImport.objects.get(pk=record.pk).processed)
        return original(record, status, **kwargs)

    roster._finish = spy
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = upload(
                school_a_staff, csv_bytes(roster_rows(world.department_a.name, 250)), name="big.csv"
            )
            assert RosterImport.objects.get().status == "queued"
        assert len(callbacks) == 1
    finally:
        roster._finish = original
    record = RosterImport.objects.get()
    assert (record.status, record.total, record.processed, record.created_count) == (
        "succeeded",
        250,
        250,
        250,
    )
    assert seen == [250]  # progress was written to the row before it finished
    assert record.file_path == "" and not any(media_root.rglob("*.csv"))  # the upload is removed
    assert response.url == reverse("schools:roster_import_detail", args=[record.pk])


def test_the_progress_page_refreshes_while_running_and_shows_a_progress_bar(school_a_staff, world):
    record = RosterImport.objects.create(
        school=world.school_a,
        original_name="big.xlsx",
        file_format="xlsx",
        status="checking",
        total=900,
        processed=300,
    )
    html = school_a_staff.get(reverse("schools:roster_import_detail", args=[record.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="import-progress" value="300" max="900">' in html


def test_a_redelivered_import_task_does_nothing(world, media_root):
    from schools.tasks import roster_import_run as roster_import_task

    record = RosterImport.objects.create(
        school=world.school_a, original_name="x.csv", file_format="csv", status="succeeded", total=1
    )
    roster_import_task(record.pk)
    record.refresh_from_db()
    assert record.status == "succeeded" and record.started_at is None


# --- Template and export ------------------------------------------------------------------------


def test_the_template_has_the_columns_and_a_guide(school_a_staff, world):
    response = school_a_staff.get(reverse("schools:roster_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == TEMPLATE_HEADER
    guide = " ".join(str(c.value) for row in workbook.worksheets[1].iter_rows() for c in row)
    assert world.department_a.name in guide


def test_the_export_round_trips_and_is_safe_from_formula_injection(school_a_staff, world):
    f.StudentFactory(department=world.department_a, name='=HYPERLINK("http://evil")', student_number="+82")
    f.StudentCertificationFactory(student=world.student, certification=f.CertificationFactory(name="@위험"))
    response = school_a_staff.get(reverse("schools:roster_export"), {"purpose": "명단 점검"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == TEMPLATE_HEADER
    cells = [str(v) for row in values[1:] for v in row if v is not None]
    assert '\'=HYPERLINK("http://evil")' in cells and "'+82" in cells
    assert "'@위험(2025-07-01)" in cells
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert ExportLog.objects.filter(user=world.school_a_staff, format="xlsx").count() == 1
    # Re-importing the export changes nothing.
    before = list(Student.objects.order_by("pk").values())
    upload(school_a_staff, response.content)
    record = RosterImport.objects.get()
    assert (record.status, record.created_count, record.updated_count) == ("succeeded", 0, 0)
    assert list(Student.objects.order_by("pk").values()) == before


def test_another_schools_staff_cannot_export_this_school(school_b_staff, world):
    url = reverse("schools:roster_export") + f"?school={world.school_a.pk}"
    assert school_b_staff.get(url).status_code == 404


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx"])
def test_safe_cell_prefixes_formula_characters(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("김하늘") == "김하늘"
    assert safe_cell(5) == 5


def test_a_workbook_with_xml_entities_is_refused(school_a_staff, world):
    """A "billion laughs" workbook: defusedxml makes openpyxl refuse it rather than expand it."""
    good = xlsx_bytes(roster_rows(world.department_a.name, 1))
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declaration = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                if data.startswith(b"<?xml"):
                    head, _sep, rest = data.partition(b"?>")
                    data = head + b"?>" + declaration + rest
                else:
                    data = declaration + data
            target.writestr(item, data)
    response = upload(school_a_staff, buffer.getvalue())
    assert response.status_code == 200
    assert "could not be read" in form_errors(response)[0]
    assert not RosterImport.objects.exists()


def test_an_import_whose_worker_died_is_taken_over(world, media_root, settings):
    from django.utils import timezone

    from schools.services.roster import roster_import_run

    relative = "rosters/stale.csv"
    (media_root / "rosters").mkdir(parents=True)
    (media_root / relative).write_bytes(csv_bytes(roster_rows(world.department_a.name, 3)))
    started = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    record = RosterImport.objects.create(
        school=world.school_a,
        original_name="x.csv",
        file_format="csv",
        file_path=relative,
        status="checking",
        started_at=started,
        total=3,
        processed=2,
    )
    fresh = RosterImport.objects.create(
        school=world.school_a,
        original_name="y.csv",
        file_format="csv",
        status="checking",
        started_at=timezone.now(),
    )
    roster_import_run(roster_import_id=fresh.pk)
    roster_import_run(roster_import_id=record.pk)
    record.refresh_from_db()
    fresh.refresh_from_db()
    assert (record.status, record.created_count, record.file_path) == ("succeeded", 3, "")
    assert fresh.status == "checking"  # still running elsewhere: left alone
