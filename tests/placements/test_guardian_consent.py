"""A guardian's consent to a job (Labour Standards Act art. 66), recorded by the student's school.

The age rule is field practice's (`Student.needs_consent_to_work`), with 18 for a job. The
student may accept before the consent: the acceptance holds the seat and closes the other
applications, but it makes no placement and the company cannot record the hire. Recording the
consent makes the placement. Student, school and company each read where it stands.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from placements.models import Application, Notification, Placement
from placements.services.applications import (
    application_accept_offer,
    application_move,
    application_record_outside_hire,
    application_submit,
    seats_taken,
)
from placements.services.guardian_consent import application_record_guardian_consent
from schools.models import EMPLOYMENT_CONSENT_UNDER, FieldPractice
from schools.services.practice import ADULT_AGE, needs_guardian_consent
from tests import factories as f

pytestmark = pytest.mark.django_db

S = Application.Status


def _starts_on() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=60)


def _born(age_on_start: int, starts_on: datetime.date) -> datetime.date:
    """A birth date that makes the student exactly `age_on_start` on `starts_on` (their birthday)."""
    return datetime.date(starts_on.year - age_on_start, starts_on.month, min(starts_on.day, 28))


@pytest.fixture
def offer(world):
    """An offer from company A for a job starting in 60 days, to a student who is 17 that day."""
    starts_on = _starts_on()
    world.student.birth_date = _born(17, starts_on)
    world.student.save(update_fields=["birth_date"])
    opening = f.OpeningFactory(company=world.company_a, seats=1, starts_on=starts_on, title="전극 공정")
    application = application_submit(student=world.student, opening=opening, by=world.student_user)
    application_move(application=application, to_status=S.OFFERED, by=world.recruiter_a)
    return application


def test_the_age_rule_is_one_rule_for_jobs_and_field_practice(world):
    starts_on = datetime.date(2027, 3, 2)
    student = world.student
    cases = {None: (True, True), _born(17, starts_on): (True, True), _born(18, starts_on): (False, True)}
    cases[_born(19, starts_on)] = (False, False)
    for birth_date, (job, practice) in cases.items():
        student.birth_date = birth_date
        assert student.needs_consent_to_work(starts_on, under=EMPLOYMENT_CONSENT_UNDER) is job
        practice_row = FieldPractice(student=student, company=world.company_a, starts_on=starts_on)
        assert needs_guardian_consent(practice_row) is practice
    assert (EMPLOYMENT_CONSENT_UNDER, ADULT_AGE) == (18, 19)


def test_accepting_before_the_consent_holds_the_seat_but_makes_no_placement(world, offer):
    assert offer.needs_guardian_consent() is True
    application_accept_offer(application=offer, by=world.student_user)
    offer.refresh_from_db()
    assert offer.status == S.ACCEPTED
    assert not Placement.objects.filter(student=world.student).exists()
    assert seats_taken(offer.opening_id) == 1
    # The seat is held: another student's acceptance of the last seat is refused.
    other = f.StudentFactory(department=world.department_a, birth_date=datetime.date(2000, 1, 1))
    theirs = f.ApplicationFactory(
        student=other, opening=offer.opening, status=S.OFFERED, offered_at=timezone.now()
    )
    with pytest.raises(ValidationError) as refused:
        application_accept_offer(application=theirs, by=world.school_a_staff)
    assert refused.value.code == "no_seat"


def test_the_company_cannot_record_the_hire_before_the_consent(world, offer, recruiter_a):
    application_accept_offer(application=offer, by=world.student_user)
    with pytest.raises(ValidationError) as refused:
        application_move(application=offer, to_status=S.HIRED, by=world.recruiter_a)
    assert refused.value.code == "guardian_consent_required"
    page = recruiter_a.get(f"/company/applications/{offer.pk}/")
    assert [value for value, _ in page.context["form"].fields["to_status"].choices] == [S.CANCELLED]
    assert 'data-testid="consent-pending"' in page.content.decode()
    offer.refresh_from_db()
    assert offer.status == S.ACCEPTED


def test_recording_the_consent_makes_the_placement_and_tells_the_student(world, offer, settings):
    settings.LANGUAGE_CODE = "en"
    application_accept_offer(application=offer, by=world.student_user)
    consent_on = timezone.localdate()
    application_record_guardian_consent(
        application=offer, consent_on=consent_on, method="written", by=world.school_a_staff
    )
    offer.refresh_from_db()
    assert (offer.guardian_consent_on, offer.guardian_consent_method, offer.guardian_consent_by) == (
        consent_on,
        "written",
        world.school_a_staff,
    )
    placement = Placement.objects.get(student=world.student)
    assert (placement.application, placement.starts_on) == (offer, offer.opening.starts_on)
    assert seats_taken(offer.opening_id) == 1
    assert (
        Notification.objects.filter(user=world.student_user)
        .latest("pk")
        .text.startswith("Your school recorded your guardian's consent: your job “전극 공정”")
    )
    application_move(application=offer, to_status=S.HIRED, by=world.recruiter_a)
    offer.refresh_from_db()
    assert offer.status == S.HIRED


def test_consent_recorded_before_acceptance_lets_the_acceptance_count_at_once(world, offer):
    application_record_guardian_consent(
        application=offer, consent_on=timezone.localdate(), method="in_person", by=world.school_a_staff
    )
    application_accept_offer(application=offer, by=world.student_user)
    assert Placement.objects.get(student=world.student).application == offer


def test_a_student_of_18_on_the_start_date_needs_no_consent(world):
    starts_on = _starts_on()
    world.student.birth_date = _born(18, starts_on)
    world.student.save(update_fields=["birth_date"])
    opening = f.OpeningFactory(company=world.company_a, starts_on=starts_on)
    application = application_submit(student=world.student, opening=opening, by=world.student_user)
    application_move(application=application, to_status=S.OFFERED, by=world.recruiter_a)
    application_accept_offer(application=application, by=world.student_user)
    assert Placement.objects.get(student=world.student).application == application


def test_only_the_students_school_records_the_consent(world, offer):
    for outsider in (world.school_b_staff, world.recruiter_a, world.student_user, world.official):
        with pytest.raises(PermissionDenied):
            application_record_guardian_consent(
                application=offer, consent_on=timezone.localdate(), method="written", by=outsider
            )
    offer.refresh_from_db()
    assert offer.guardian_consent_on is None


def test_the_consent_needs_a_past_date_and_a_method(world, offer):
    with pytest.raises(ValidationError) as refused:
        application_record_guardian_consent(
            application=offer,
            consent_on=timezone.localdate() + datetime.timedelta(days=1),
            method="",
            by=world.school_a_staff,
        )
    assert sorted(refused.value.message_dict) == ["consent_on", "method"]


def test_an_outside_hire_of_a_minor_waits_for_the_consent(world, offer):
    with pytest.raises(ValidationError) as refused:
        application_record_outside_hire(
            application=offer,
            by=world.school_a_staff,
            starts_on=offer.opening.starts_on,
            student_agreed=True,
            note="전화로 확인",
        )
    assert [e.code for e in refused.value.error_dict["starts_on"]] == ["guardian_consent_required"]


# --- Pages: the school records it, the student and the company read where it stands ------------


def test_the_school_sees_the_gate_and_records_the_consent_on_its_page(world, offer, school_a_staff):
    application_accept_offer(application=offer, by=world.student_user)
    page = school_a_staff.get(f"/school/students/{world.student.pk}/").content.decode()
    assert 'data-testid="consent-needed"' in page
    assert f'href="/school/applications/{offer.pk}/guardian-consent/"' in page
    form = school_a_staff.get(f"/school/applications/{offer.pk}/guardian-consent/")
    assert form.status_code == 200
    bad = school_a_staff.post(
        f"/school/applications/{offer.pk}/guardian-consent/", {"consent_on": "", "method": ""}
    )
    assert bad.status_code == 400
    response = school_a_staff.post(
        f"/school/applications/{offer.pk}/guardian-consent/",
        {"consent_on": timezone.localdate().isoformat(), "method": "written"},
    )
    assert response.status_code == 302 and response["Location"] == f"/school/students/{world.student.pk}/"
    assert Placement.objects.get(student=world.student).application == offer
    page = school_a_staff.get(f"/school/students/{world.student.pk}/").content.decode()
    assert 'data-testid="consent-needed"' not in page


def test_another_school_cannot_open_the_consent_page(world, offer, school_b_staff):
    assert school_b_staff.get(f"/school/applications/{offer.pk}/guardian-consent/").status_code == 404


def test_the_student_reads_that_the_school_must_record_the_consent(world, offer, student_user):
    confirm = student_user.get(f"/me/applications/{offer.pk}/accept/")
    assert confirm.context["needs_consent"] is True
    application_accept_offer(application=offer, by=world.student_user)
    home = student_user.get("/me/")
    job = home.context["overview"].job
    assert (job.waits_for_consent, job.application_id, job.starts_on) == (
        True,
        offer.pk,
        offer.opening.starts_on,
    )
    applications = student_user.get("/me/applications/")
    assert applications.context["rows"][0]["waits_for_consent"] is True


def test_the_company_dashboard_lists_acceptances_waiting_for_consent(world, offer, recruiter_a):
    application_accept_offer(application=offer, by=world.student_user)
    board = recruiter_a.get("/company/").context["board"]
    assert [(row["pk"], row["student__name"]) for row in board.waiting_for_consent] == [
        (offer.pk, world.student.name)
    ]
    assert board.hire_rows == []
