"""A student's status has one word in every place: 재학, 졸업, 학업 중단 (import, filters, exports, pages)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from schools.exports import roster_xlsx
from schools.filters import StudentFilterSet
from schools.forms import StudentFilterForm
from schools.imports import STATUS_LABELS, status_code
from schools.models import Department, Student
from tests import factories as f
from tests.schools.conftest import csv_bytes


def test_the_exports_words_are_the_korean_labels_of_the_statuses():
    with translation.override("ko"):
        labels = {value: str(label) for value, label in Student.Status.choices}
    assert labels == STATUS_LABELS == {"enrolled": "재학", "graduated": "졸업", "left": "학업 중단"}


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("재학", "enrolled"),
        ("졸업", "graduated"),
        ("학업 중단", "left"),
        ("학업중단", "left"),
        (" 학업  중단 ", "left"),
        ("자퇴", "left"),
        ("퇴학", "left"),
        ("전출", "left"),
        ("Left", "left"),
        ("휴학", None),
    ],
)
def test_the_import_reads_each_word_of_a_status(word, status):
    assert status_code(word) == status


def test_the_filters_offer_the_same_words(world):
    with translation.override("ko"):
        form_choices = dict(StudentFilterForm(departments=Department.objects.none()).fields["status"].choices)
        filter_choices = dict(StudentFilterSet().filters["status"].extra["choices"])
        assert (form_choices["left"], filter_choices["left"]) == ("학업 중단", "학업 중단")
        assert (form_choices["graduated"], filter_choices["graduated"]) == ("졸업", "졸업")


def test_a_roster_with_both_words_imports_one_status_and_exports_the_one_word(school_a_staff, world):
    rows = [
        ["26100001", "중단1", world.department_a.name, 2026, "", "", "", "", "자퇴"],
        ["26100002", "중단2", world.department_a.name, 2026, "", "", "", "", "학업 중단"],
        ["26100003", "졸업1", world.department_a.name, 2025, "", "", "", "", "졸업"],
    ]
    school_a_staff.post(
        reverse("schools:roster_import"),
        {"file": SimpleUploadedFile("roster.csv", csv_bytes(rows))},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    imported = dict(
        Student.objects.filter(student_number__startswith="261")
        .values_list("name", "status")
        .order_by("name")
    )
    assert imported == {"중단1": "left", "중단2": "left", "졸업1": "graduated"}
    sheet = load_workbook(
        io.BytesIO(roster_xlsx(Student.objects.filter(student_number__startswith="261").order_by("name")))
    ).active
    assert [(row[1], row[8]) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("졸업1", "졸업"),
        ("중단1", "학업 중단"),
        ("중단2", "학업 중단"),
    ]


def test_a_graduate_reads_graduated_on_their_own_page(world, student_user):
    world.student.status = Student.Status.GRADUATED
    world.student.save()
    page = student_user.get(reverse("me:index"), HTTP_ACCEPT_LANGUAGE="ko")
    assert '<span id="student-status" data-status="graduated">졸업</span>' in page.content.decode()


def test_the_school_reads_graduated_on_the_student_pages(school_a_staff, world):
    graduate = f.StudentFactory(department=world.department_a, status=Student.Status.GRADUATED, name="졸업생")
    detail = school_a_staff.get(
        reverse("schools:student_detail", args=[graduate.pk]), HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert "<dd>졸업</dd>" in detail.content.decode()
