"""Issue 15 (school): staff of the student's school check a certification against the certificate:
its number and issue date; they can correct the check or take it back."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import PersonalDataAccess
from schools.models import StudentCertification
from schools.services.verification import certification_unverify, certification_verify
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    return f.StudentCertificationFactory(
        student=world.student, certification=f.CertificationFactory(name="전기기능사")
    )


def check_url(held):
    return reverse("schools:certification_check", args=[held.student_id, held.pk])


def uncheck_url(held):
    return reverse("schools:certification_uncheck", args=[held.student_id, held.pk])


def test_staff_of_the_students_school_check_a_certification(school_a_staff, world, held):
    page = school_a_staff.get(check_url(held))
    assert page.status_code == 200
    assert page.context["form"].initial == {"number": "", "acquired_on": datetime.date(2025, 7, 1)}
    response = school_a_staff.post(
        check_url(held), {"number": "  25-1234-5678 ", "acquired_on": "2025-07-04"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:student_detail", args=[world.student.pk])
    held.refresh_from_db()
    assert (held.number, held.acquired_on, held.verified_by) == (
        "25-1234-5678",
        datetime.date(2025, 7, 4),
        world.school_a_staff,
    )
    assert held.is_verified is True
    assert timezone.now() - held.verified_at < datetime.timedelta(minutes=1)


def test_the_students_page_shows_the_check_and_the_profile_document_gives_the_number(
    school_a_staff, world, held
):
    from schools.selectors.profile import verified_facts

    before = verified_facts(student=world.student)["certifications"]
    assert [(c["number"], c["verified_on"]) for c in before] == [("", None)]
    certification_verify(
        held=held, number="A-77", acquired_on=datetime.date(2025, 7, 1), by=world.school_a_staff
    )
    after = verified_facts(student=world.student)["certifications"]
    assert [(c["name"], c["number"], c["acquired_on"]) for c in after] == [
        ("전기기능사", "A-77", "2025-07-01")
    ]
    page = school_a_staff.get(reverse("schools:student_detail", args=[world.student.pk]))
    assert f'data-held="{held.pk}" data-checked="yes"' in page.content.decode()


def test_a_check_can_be_corrected_and_taken_back(school_a_staff, world, held):
    certification_verify(
        held=held, number="OLD-1", acquired_on=datetime.date(2025, 7, 1), by=world.school_b_staff
    )
    school_a_staff.post(check_url(held), {"number": "NEW-2", "acquired_on": "2025-06-30"})
    held.refresh_from_db()
    assert (held.number, held.acquired_on, held.verified_by) == (
        "NEW-2",
        datetime.date(2025, 6, 30),
        world.school_a_staff,
    )
    response = school_a_staff.post(uncheck_url(held))
    assert response.status_code == 302
    held.refresh_from_db()
    # The number stays on record; the certification shows as not yet checked.
    assert (held.number, held.verified_at, held.verified_by, held.is_verified) == ("NEW-2", None, None, False)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"number": "   ", "acquired_on": "2025-07-01"},
            "number",
            "Enter the number printed on the certificate.",
        ),
        ({"number": "x" * 41, "acquired_on": "2025-07-01"}, "number", None),
        ({"number": "A-1", "acquired_on": ""}, "acquired_on", "This field is required."),
        ({"number": "A-1", "acquired_on": "2025-13-01"}, "acquired_on", "Enter a valid date."),
    ],
)
def test_bad_input_is_refused_on_the_form_and_nothing_changes(school_a_staff, held, data, field, message):
    response = school_a_staff.post(check_url(held), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    if message:
        assert errors == [message]
    else:
        assert errors == ["Ensure this value has at most 40 characters (it has 41)."]
    # What was typed stays in the form.
    assert response.context["form"].data["number"] == data["number"]
    held.refresh_from_db()
    assert (held.number, held.verified_at) == ("", None)


def test_an_issue_date_in_the_future_is_refused(school_a_staff, held):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = school_a_staff.post(
        check_url(held), {"number": "A-1", "acquired_on": tomorrow.isoformat()}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.context["form"].errors["acquired_on"] == ["The issue date cannot be in the future."]
    held.refresh_from_db()
    assert held.verified_at is None


def test_the_service_trims_and_requires_the_number(world, held):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        certification_verify(
            held=held, number=" \t", acquired_on=datetime.date(2025, 7, 1), by=world.school_a_staff
        )
    assert refused.value.message_dict == {"number": ["Enter the number printed on the certificate."]}
    done = certification_verify(
        held=held, number=" 1234 ", acquired_on=datetime.date(2025, 7, 1), by=world.school_a_staff
    )
    assert done.number == "1234"
    assert certification_unverify(held=held, by=world.school_a_staff).verified_at is None


@pytest.mark.parametrize(
    "persona", ["school_b_staff", "recruiter_a", "student_user", "official", "anonymous"]
)
def test_others_cannot_check_or_uncheck(request, persona, world, held):
    client = request.getfixturevalue(persona)
    certification_verify(
        held=held, number="A-1", acquired_on=datetime.date(2025, 7, 1), by=world.school_a_staff
    )
    expected = {
        "school_b_staff": 404,
        "recruiter_a": 403,
        "student_user": 403,
        "official": 403,
        "anonymous": 302,
    }
    assert client.get(check_url(held)).status_code == expected[persona]
    assert (
        client.post(check_url(held), {"number": "B-2", "acquired_on": "2025-01-01"}).status_code
        == expected[persona]
    )
    assert client.post(uncheck_url(held)).status_code == expected[persona]
    held.refresh_from_db()
    assert (held.number, held.acquired_on, held.is_verified) == ("A-1", datetime.date(2025, 7, 1), True)


def test_another_students_certification_is_404(school_a_staff, world, held):
    other = f.StudentFactory(department=world.department_a)
    url = reverse("schools:certification_check", args=[other.pk, held.pk])
    assert school_a_staff.get(url).status_code == 404
    assert school_a_staff.post(url, {"number": "X", "acquired_on": "2025-01-01"}).status_code == 404
    assert StudentCertification.objects.get(pk=held.pk).verified_at is None


def test_opening_the_check_page_is_logged(school_a_staff, world, held):
    school_a_staff.get(check_url(held))
    assert list(PersonalDataAccess.objects.values_list("user_id", "student_id", "what")) == [
        (world.school_a_staff.pk, world.student.pk, "schools:certification_check")
    ]
