"""Dashboard downloads: CSV and XLSX per table, the evaluation pack, formula injection, the access log."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from dashboard.tables import TABLES
from district.exports import FORMULA_PREFIXES
from district.models import ExportLog
from placements.models import Placement
from schools.models import CourseUnit, Teacher, TeacherTraining, TrainingCompletion
from tests import factories as f
from tests.builders import NASTY

D = datetime.date


@pytest.fixture
def nasty_world(world):
    """Names an attacker could control (a company's name, a training's title) that start a formula."""
    year = 2026
    world.school_a.name = NASTY[0]
    world.school_a.save()
    world.company_a.name = NASTY[1]
    world.company_a.save()
    world.department_a.name = NASTY[2]
    world.department_a.save()
    cert = f.CertificationFactory(name=NASTY[3])
    world.student.cohort = year
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
        response = official.get(f"/dashboard/export/{slug}.{fmt}?year=2026")
        assert response.status_code == 200, response.content[:500]
        assert response["Content-Disposition"].startswith("attachment;")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "csv":
            rows = _assert_no_formula_in_csv(content)
            assert rows[0] == [str(c.label) for c in TABLES[slug].columns]
        else:
            assert _assert_no_formula_in_workbook(content) >= len(TABLES[slug].columns)


def test_the_injected_names_arrive_as_text(nasty_world, official):
    content = official.get("/dashboard/export/placements-by-school.csv?year=2026").content
    rows = _assert_no_formula_in_csv(content)
    assert ["'" + NASTY[0], "1", "1", "0", "1"] in rows


def test_the_evaluation_pack_has_the_ministrys_sheets_and_no_formulas(nasty_world, official):
    response = official.get("/dashboard/evaluation-pack.xlsx?year=2026", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    _assert_no_formula_in_workbook(response.content)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
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
    official.get("/dashboard/export/funnel.csv?year=2026", REMOTE_ADDR="203.0.113.7")
    official.get(
        f"/dashboard/evaluation-pack.xlsx?year=2025&school={world.school_b.pk}", REMOTE_ADDR="203.0.113.8"
    )
    rows = list(ExportLog.objects.order_by("at", "pk"))
    assert [(r.what, r.format, r.ip_address) for r in rows] == [
        ("funnel.csv", "csv", "203.0.113.7"),
        ("evaluation-pack.xlsx", "xlsx", "203.0.113.8"),
    ]
    assert all(r.user == world.official and r.district == world.district and r.token is None for r in rows)
    assert rows[0].filters == {"district": world.district.pk, "year": 2026}
    assert rows[1].filters == {"district": world.district.pk, "year": 2025, "school": world.school_b.pk}


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
    assert official.get("/dashboard/evaluation-pack.xlsx?year=19").status_code == 400
    assert not ExportLog.objects.exists()
