"""Dashboard downloads: CSV and XLSX per table, the evaluation pack, formula injection, the access log."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dashboard.tables import TABLES
from district.exports import FORMULA_PREFIXES
from district.models import ExportLog
from placements.models import Placement
from schools.models import CourseUnit, Teacher, TeacherTraining, TrainingCompletion
from tests import factories as f
from tests.builders import NASTY, build_cohort

D = datetime.date


@pytest.fixture
def nasty_world(world):
    """Names an attacker could control (a company's name, a training's title) that start a formula."""
    cohort, year = 2025, 2026  # 2025학년도, graduated in February 2026 and working since March
    world.school_a.name = NASTY[0]
    world.school_a.save()
    world.company_a.name = NASTY[1]
    world.company_a.save()
    world.department_a.name = NASTY[2]
    world.department_a.save()
    cert = f.CertificationFactory(name=NASTY[3])
    world.student.cohort = cohort
    world.student.save()
    f.StudentCertificationFactory(student=world.student, certification=cert)
    opening = f.OpeningFactory(
        company=world.company_a,
        status="closed",
        apply_by=D(year, 1, 10),
        starts_on=D(year, 3, 2),
        title=NASTY[4],
    )
    opening.required_certifications.add(cert)
    Placement.objects.create(
        student=world.student, company=world.company_a, opening=opening, starts_on=D(year, 3, 2)
    )
    line = f.BudgetLineFactory(district=world.district, year=year, description=NASTY[5])
    line.expenditures.create(spent_on=D(year, 5, 1), amount_krw=1000, description=NASTY[6])
    f.AgreementFactory(company=world.company_a)
    training = TeacherTraining.objects.create(
        district=world.district, title=NASTY[0], provider=NASTY[1], hours=10,
        starts_on=D(year, 7, 1), ends_on=D(year, 7, 2),
    )  # fmt: skip
    teacher = Teacher.objects.create(school=world.school_a, name=NASTY[3])
    TrainingCompletion.objects.create(
        training=training, teacher=teacher, completed_on=D(year, 7, 2), hours=10
    )
    unit = CourseUnit.objects.create(
        department=world.department_a, ncs_unit=f.NcsUnitFactory(), title=NASTY[4], hours=10
    )
    unit.co_developers.add(world.company_a)
    program = f.CreditProgramFactory(university=world.university, name=NASTY[5])
    f.ProgramEnrollmentFactory(program=program, student=world.student, enrolled_on=D(year, 3, 2))
    return world


def _assert_no_formula_in_workbook(content: bytes) -> int:
    workbook = load_workbook(io.BytesIO(content))
    texts = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts += 1
                    assert not cell.value.startswith(FORMULA_PREFIXES), (
                        sheet.title,
                        cell.coordinate,
                        cell.value,
                    )
    return texts


def _assert_no_formula_in_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_PREFIXES), value
    return rows


@pytest.mark.parametrize("slug", sorted(TABLES))
def test_every_table_downloads_as_csv_and_xlsx_without_formulas(nasty_world, official, slug):
    for fmt in ("csv", "xlsx"):
        response = official.get(f"/dashboard/export/{slug}.{fmt}?cohort=2025")
        assert response.status_code == 200, response.content[:500]
        assert response["Content-Disposition"].startswith("attachment;")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "csv":
            rows = _assert_no_formula_in_csv(content)
            assert rows[0] == [str(c.label) for c in TABLES[slug].columns]
        else:
            assert _assert_no_formula_in_workbook(content) >= len(TABLES[slug].columns)


def test_the_injected_names_arrive_as_text(nasty_world, official):
    content = official.get("/dashboard/export/placements-by-school.csv?cohort=2025").content
    rows = _assert_no_formula_in_csv(content)
    assert ["'" + NASTY[0], "1", "1", "0", "1", "1", "1"] in rows


def test_the_evaluation_pack_has_the_ministrys_sheets_and_no_formulas(nasty_world, official):
    response = official.get("/dashboard/evaluation-pack.xlsx?cohort=2025", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    _assert_no_formula_in_workbook(response.content)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Cover",
        "Key performance indicators",
        "Participants",
        "Placements by company",
        "Retention",
        "Credit programmes",
        "Budget lines",
        "Expenditures",
        "Teacher trainings",
        "Training hours by school",
        "Co-developed units",
        "MOU pledges",
    ]
    participants = list(workbook["Participants"].iter_rows(values_only=True))
    assert participants[1][:3] == ("'" + NASTY[0], "'" + NASTY[2], 1)
    expenditures = list(workbook["Expenditures"].iter_rows(values_only=True))
    assert expenditures[1][2] == "'" + NASTY[6]


def test_each_download_writes_an_access_log_row(world, official):
    official.get("/dashboard/export/funnel.csv?cohort=2025", REMOTE_ADDR="203.0.113.7")
    official.get(
        f"/dashboard/evaluation-pack.xlsx?cohort=2024&school={world.school_b.pk}", REMOTE_ADDR="203.0.113.8"
    )
    rows = list(ExportLog.objects.order_by("at", "pk"))
    assert [(r.what, r.format, r.ip_address) for r in rows] == [
        ("funnel.csv", "csv", "203.0.113.7"),
        ("evaluation-pack.xlsx", "xlsx", "203.0.113.8"),
    ]
    assert all(r.user == world.official and r.district == world.district and r.token is None for r in rows)
    assert rows[0].filters == {"district": world.district.pk, "cohort": 2025}
    assert rows[1].filters == {"district": world.district.pk, "cohort": 2024, "school": world.school_b.pk}


def test_downloads_are_for_officials_only(world, anonymous, school_a_staff, recruiter_a, student_user):
    assert anonymous.get("/dashboard/export/funnel.csv").status_code == 302
    for client in (school_a_staff, recruiter_a, student_user):
        assert client.get("/dashboard/export/funnel.csv").status_code == 403
        assert client.get("/dashboard/evaluation-pack.xlsx").status_code == 403
    assert not ExportLog.objects.exists()


def test_unknown_tables_and_bad_filters_are_refused(official):
    assert official.get("/dashboard/export/passwords.csv").status_code == 404
    assert official.get("/dashboard/export/funnel.pdf").status_code == 404
    assert official.get("/dashboard/export/funnel.csv?school=999999").status_code == 400
    assert official.get("/dashboard/evaluation-pack.xlsx?cohort=19").status_code == 400
    assert official.get("/dashboard/evaluation-pack.xlsx?year=19").status_code == 400
    assert not ExportLog.objects.exists()


def test_the_evaluation_pack_has_a_cover_formats_and_a_name_with_its_filter(world, official):
    from urllib.parse import quote

    build_cohort(world, 10)
    school = world.school_b
    response = official.get(
        f"/dashboard/evaluation-pack.xlsx?cohort=2025&school={school.pk}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    korean = quote(f"evaluation-pohang-2025-{school.name}.xlsx", safe="")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"evaluation-pohang-2025-school{school.pk}.xlsx\"; filename*=UTF-8''{korean}"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["Cover", "Key performance indicators", "Participants"]
    cover = workbook["Cover"]
    assert timezone.localdate() < D(2027, 4, 1)  # the premise: the 12-month check is still to come
    assert [[cell.value for cell in row] for row in cover.iter_rows(max_row=10)][:9] == [
        ["Item", "Contents"],
        ["Report", "Evaluation pack of the Vocational Education Innovation District"],
        ["District", "포항"],
        ["Cohort", "School year 2025 (graduating February 2026)"],
        ["Survey date", "1 Apr 2026"],
        ["Retention check at 6 months", "1 Oct 2026"],
        ["Retention check at 12 months", "1 Apr 2027 (to be checked)"],
        ["Programme year", "2026 (budget, targets, training, agreements)"],
        ["Schools", school.name],
    ]
    assert cover["A10"].value == "Generated at"
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 20\d\d, \d\d:\d\d", cover["B10"].value)  # 7 Dec 2026, 20:00
    # Every sheet keeps its header in view and has columns sized to their contents.
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
    assert cover.column_dimensions["A"].width == 30  # "Retention check at 12 months" + 2
    # Numbers carry a thousands separator (rates one decimal); the unit says what is counted.
    kpis = {row[0].value: row for row in workbook["Key performance indicators"].iter_rows(min_row=2)}
    planned = kpis["Budget planned (KRW)"]
    assert (planned[1].value, planned[1].number_format, planned[2].value) == (10_000_000, "#,##0", "KRW")
    rate = kpis["Employment rate"]
    assert (rate[1].value, rate[1].number_format, rate[2].value) == (100, "#,##0.0", "%")  # all 5 of school B
    assert kpis["Graduates in the cohort"][2].value == "people"
    assert kpis["Open openings"][2].value == "openings"
    assert kpis["Co-developed curriculum units"][2].value == "units"
    assert kpis["Teacher-training hours"][2].value == "hours"
    lines = list(workbook["Budget lines"].iter_rows(min_row=2))
    assert [(c.value, c.number_format) for c in lines[0][3:5]] == [
        (10_000_000, "#,##0"),
        (1_000_000, "#,##0"),
    ]


def test_the_evaluation_pack_of_the_whole_district_is_named_for_it(world, official):
    response = official.get("/dashboard/evaluation-pack.xlsx?cohort=2024")
    assert response["Content-Disposition"] == 'attachment; filename="evaluation-pohang-2024.xlsx"'
    cover = load_workbook(io.BytesIO(response.content))["표지"]  # the cover sheet, in Korean
    assert cover["B4"].value == "2024학년도 (2025년 2월 졸업)"  # the cohort's label, in Korean
    assert cover["B5"].value == "2025년 4월 1일"
