"""Under 14 (만 14세, PIPA art. 22-2): no account without a guardian's consent recorded on the student.

The rule depends on today's date, which a CHECK constraint cannot read, so it lives in
`Student.clean()` (admin and staff forms) and in the invitation services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from district.models import Membership, User
from schools.models import Student, StudentInvitation
from schools.selectors.invitations import token_hash
from schools.services.invitations import invitation_create
from tests import factories as f

PASSWORD = "battery-cathode-2026!"


def born_years_ago(years: int, days_later: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + datetime.timedelta(days=days_later)


@pytest.fixture
def child(world):
    """Turns 14 tomorrow."""
    return f.StudentFactory(
        department=world.department_a,
        name="최어린",
        email="child@example.kr",
        birth_date=born_years_ago(14, 1),
    )


def _open_invitation(student, by) -> tuple[StudentInvitation, str]:
    """An invitation with a known token, as the emailed link would carry it."""
    token = "t-" + str(student.pk) * 8
    invitation = StudentInvitation.objects.create(
        student=student,
        email=student.email,
        token_hash=token_hash(token),
        created_by=by,
        sent_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return invitation, token


def test_the_age_boundary_is_the_14th_birthday(world):
    turns_14_today = f.StudentFactory(department=world.department_a, birth_date=born_years_ago(14))
    turns_14_tomorrow = f.StudentFactory(department=world.department_a, birth_date=born_years_ago(14, 1))
    unknown = f.StudentFactory(department=world.department_a, birth_date=None)
    assert not turns_14_today.needs_guardian_consent()
    assert turns_14_tomorrow.needs_guardian_consent()
    assert not unknown.needs_guardian_consent()
    turns_14_tomorrow.guardian_consent_on = timezone.localdate()
    assert not turns_14_tomorrow.needs_guardian_consent()


def test_accepting_an_invitation_under_14_without_consent_is_refused(client, world, child):
    _invitation, token = _open_invitation(child, world.school_a_staff)
    with translation.override("en"):
        response = client.post(
            reverse("invitations:accept", args=[token]),
            {"password1": PASSWORD, "password2": PASSWORD},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "under 14" in response.content.decode() and "guardian" in response.content.decode()
    child.refresh_from_db()
    assert child.user_id is None
    assert not User.objects.filter(username="child@example.kr").exists()


def test_with_the_guardians_consent_the_invitation_creates_the_account(client, world, child):
    Student.objects.filter(pk=child.pk).update(
        guardian_consent_on=timezone.localdate(), guardian_consent_by=world.school_a_staff
    )
    _invitation, token = _open_invitation(child, world.school_a_staff)
    response = client.post(
        reverse("invitations:accept", args=[token]), {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.user.username == "child@example.kr"


def test_staff_cannot_invite_a_child_under_14_without_consent(world, child):
    with translation.override("en"), pytest.raises(ValidationError, match="under 14") as refused:
        invitation_create(student=child, by=world.school_a_staff, base_url="http://testserver/")
    assert refused.value.code == "guardian_consent"
    assert not StudentInvitation.objects.filter(student=child).exists()


def test_staff_record_the_consent_and_who_recorded_it(school_a_staff, world, child):
    response = school_a_staff.post(
        reverse("schools:student_edit", args=[child.pk]),
        {
            "name": child.name,
            "department": world.department_a.pk,
            "cohort": child.cohort,
            "birth_date": child.birth_date.isoformat(),
            "status": "enrolled",
            "email": child.email,
            "guardian_consent_on": "2026-03-02",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.guardian_consent_on, child.guardian_consent_by) == (
        datetime.date(2026, 3, 2),
        world.school_a_staff,
    )


def test_the_admin_refuses_an_account_for_a_child_without_consent(official, world, child):
    user = f.UserFactory(username="child-account")
    f.MembershipFactory(
        user=user, district=world.district, role=Membership.Role.STUDENT, school=world.school_a
    )
    data = {
        "name": child.name,
        "student_number": child.student_number,
        "school": world.school_a.pk,
        "department": world.department_a.pk,
        "cohort": child.cohort,
        "status": "enrolled",
        "birth_date": child.birth_date.isoformat(),
        "email": child.email,
        "user": user.pk,
    }
    # Every inline of the student's page posts its (empty) management form.
    for prefix in (
        "held_certifications",
        "attendance_records",
        "self_introduction",
        "activities",
        "projects",
        "profile_files",
        "profile_snapshots",
    ):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    url = reverse("admin:schools_student_change", args=[child.pk])
    with translation.override("en"):
        refused = official.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert "under 14" in str(refused.context["adminform"].form.non_field_errors())
    child.refresh_from_db()
    assert child.user_id is None

    allowed = official.post(url, {**data, "guardian_consent_on": "2026-03-02"})
    assert allowed.status_code == 302
    child.refresh_from_db()
    assert child.user == user
    assert child.guardian_consent_by == world.official


def test_the_model_refuses_a_linked_account_under_14_without_consent(world, child):
    child.user = f.UserFactory()
    with pytest.raises(ValidationError) as refused:
        child.full_clean()
    assert refused.value.error_dict["__all__"][0].code == "guardian_consent"
