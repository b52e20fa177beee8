"""Enrolment eligibility (refused with the exact reason, or accepted), credits and the /me/credits/ ledger."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from universities import services
from universities.models import CreditProgram, CreditRecord, ProgramEnrollment
from universities.selectors import ledger_line

D = datetime.date
TODAY = D(2026, 11, 28)


@pytest.fixture
def graduate(world):
    student = world.student
    student.status = "graduated"
    student.graduation_year = 2023
    student.save()
    return student


def program(world, **kwargs):
    kwargs.setdefault("university", world.university)
    kwargs.setdefault("min_months_employed", 0)
    return f.CreditProgramFactory(**kwargs)


def refusal(student, prog, on=TODAY) -> list[str]:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.enrollment_create(student=student, program=prog, by=None, enrolled_on=on)
    return refused.value.messages


# --- 재직자 특별전형 -------------------------------------------------------------------------


def test_special_admission_with_no_figure_needs_36_months(world, graduate):
    prog = program(world, kind=CreditProgram.Kind.SPECIAL_ADMISSION)
    f.PlacementFactory(student=graduate, company=world.company_a, starts_on=D(2024, 3, 4))
    assert services.required_months(prog) == 36
    assert refusal(graduate, prog) == ["재직자 특별전형 needs 36 months of employment; 김하늘 has 32."]
    assert not ProgramEnrollment.objects.exists()


def test_special_admission_accepts_36_months_to_the_day(world, graduate):
    prog = program(world, kind=CreditProgram.Kind.SPECIAL_ADMISSION)
    placement = f.PlacementFactory(student=graduate, company=world.company_a, starts_on=D(2023, 11, 28))
    assert refusal(graduate, prog, on=D(2026, 11, 26)) == [
        "재직자 특별전형 needs 36 months of employment; 김하늘 has 35."
    ]
    enrollment = services.enrollment_create(
        student=graduate, program=prog, by=None, enrolled_on=D(2026, 11, 27)
    )
    assert (enrollment.placement, enrollment.status) == (placement, "active")


def test_a_programme_can_ask_for_fewer_months(world, graduate):
    prog = program(world, kind=CreditProgram.Kind.SPECIAL_ADMISSION, min_months_employed=12)
    f.PlacementFactory(student=graduate, company=world.company_a, starts_on=D(2025, 11, 1))
    assert services.enrollment_create(student=graduate, program=prog, by=None, enrolled_on=TODAY)


def test_earlier_jobs_count_toward_the_months(world, graduate):
    prog = program(world, kind=CreditProgram.Kind.SPECIAL_ADMISSION)
    f.PlacementFactory(
        student=graduate,
        company=world.company_b,
        starts_on=D(2023, 3, 2),
        ends_on=D(2024, 2, 29),
        status="ended",
    )
    f.PlacementFactory(student=graduate, company=world.company_a, starts_on=D(2024, 3, 1))
    # 2023-03-02 .. 2026-11-28 without a gap: 44 months.
    assert services.months_employed(placements=graduate.placements.all(), on=TODAY) == 44
    assert services.enrollment_create(student=graduate, program=prog, by=None, enrolled_on=TODAY)


def test_months_employed_counts_overlaps_once_and_gaps_not_at_all():
    class P:
        def __init__(self, starts_on, ends_on=None):
            self.starts_on, self.ends_on = starts_on, ends_on

    spells = [
        P(D(2024, 1, 1), D(2024, 6, 30)),
        P(D(2024, 3, 1), D(2024, 6, 30)),
        P(D(2025, 1, 1), D(2025, 3, 31)),
    ]
    assert services.months_employed(placements=spells, on=D(2026, 1, 1)) == 9


def test_without_a_current_job_the_refusal_says_so(world, graduate):
    prog = program(world, kind=CreditProgram.Kind.WORK_STUDY)
    f.PlacementFactory(
        student=graduate,
        company=world.company_a,
        starts_on=D(2024, 3, 4),
        ends_on=D(2025, 3, 3),
        status="ended",
    )
    assert refusal(graduate, prog) == [
        "김하늘 has no current job recorded in the portal; this programme is for employed graduates."
    ]


# --- 계약학과 -------------------------------------------------------------------------------------


def test_a_contract_department_needs_a_job_at_a_partner_company(world, graduate):
    prog = program(world, kind=CreditProgram.Kind.CONTRACT_DEPARTMENT)
    prog.partner_companies.add(world.company_b)
    f.PlacementFactory(student=graduate, company=world.company_a, starts_on=D(2026, 3, 2))
    assert refusal(graduate, prog) == [
        "A contract department admits only employees of its partner companies (포스코퓨처엠); "
        "김하늘 works at 에코프로비엠."
    ]
    prog.partner_companies.add(world.company_a)
    enrollment = services.enrollment_create(student=graduate, program=prog, by=None, enrolled_on=TODAY)
    assert enrollment.placement.company == world.company_a


def test_a_contract_department_without_partners_admits_nobody(world, graduate):
    prog = program(world, kind=CreditProgram.Kind.CONTRACT_DEPARTMENT)
    f.PlacementFactory(student=graduate, company=world.company_a, starts_on=D(2026, 3, 2))
    assert refusal(graduate, prog) == [
        "This contract department has no partner companies yet, so nobody can enrol."
    ]


# --- Other refusals ---------------------------------------------------------------------------------


def test_every_reason_is_listed(world):
    prog = program(world, kind=CreditProgram.Kind.SPECIAL_ADMISSION, is_active=False)
    assert refusal(world.student, prog) == [
        "This programme is not accepting students.",
        "김하늘 has not graduated from high school; this programme is for graduates.",
        "김하늘 has no current job recorded in the portal; this programme is for employed graduates.",
        "재직자 특별전형 needs 36 months of employment; 김하늘 has 0.",
    ]


def test_a_graduate_cannot_enrol_twice(world, graduate):
    prog = program(world, kind=CreditProgram.Kind.CREDIT_BANK)
    services.enrollment_create(student=graduate, program=prog, by=None, enrolled_on=TODAY)
    assert refusal(graduate, prog) == ["김하늘 is already studying in this programme."]


def test_the_credit_bank_needs_no_job(world, graduate):
    prog = program(world, kind=CreditProgram.Kind.CREDIT_BANK, degree="bachelor", credits_required=140)
    assert services.enrollment_create(student=graduate, program=prog, by=None, enrolled_on=TODAY)


def test_enrolment_through_the_page_shows_the_reason(coordinator, world, graduate):
    prog = program(world, kind=CreditProgram.Kind.SPECIAL_ADMISSION)
    url = reverse("universities:enrollment_create", args=[prog.pk])
    data = {
        "school": world.school_a.pk,
        "student_number": graduate.student_number,
        "name": graduate.name,
        "enrolled_on": "2026-11-28",
    }
    refused = coordinator.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert (
        "재직자 특별전형 needs 36 months of employment; 김하늘 has 0."
        in refused.context["form"].non_field_errors()
    )
    f.PlacementFactory(student=graduate, company=world.company_a, starts_on=D(2023, 3, 2))
    accepted = coordinator.post(url, data)
    enrollment = ProgramEnrollment.objects.get()
    assert accepted.status_code == 302 and accepted.url == reverse(
        "universities:enrollment_detail", args=[enrollment.pk]
    )


def test_a_wrong_name_finds_nobody(coordinator, world, graduate):
    prog = program(world, kind=CreditProgram.Kind.CREDIT_BANK)
    response = coordinator.post(
        reverse("universities:enrollment_create", args=[prog.pk]),
        {
            "school": world.school_a.pk,
            "student_number": graduate.student_number,
            "name": "다른이름",
            "enrolled_on": "2026-11-28",
        },
    )
    assert response.status_code == 200 and not ProgramEnrollment.objects.exists()


# --- Credit records and the ledger --------------------------------------------------------------------


def _record(enrollment, year, term, credits):
    return CreditRecord.objects.create(enrollment=enrollment, year=year, term=term, credits=credits)


def test_expected_finish_extrapolates_the_average_per_semester(world, graduate):
    enrollment = f.ProgramEnrollmentFactory(program=program(world, credits_required=80), student=graduate)
    assert ledger_line(enrollment, []).expected_finish is None
    records = [
        _record(enrollment, 2026, "1", 15),
        _record(enrollment, 2026, "S", 3),
        _record(enrollment, 2026, "2", 18),
    ]
    line = ledger_line(enrollment, records)
    # 36 credits in two semesters: 18 a semester; 44 to go is 3 more semesters after autumn 2026.
    assert (line.earned, line.percent, line.per_term, line.expected_finish) == (36, 45, 18.0, (2028, 1))


def test_a_finished_ledger(world, graduate):
    enrollment = f.ProgramEnrollmentFactory(program=program(world, credits_required=40), student=graduate)
    line = ledger_line(enrollment, [_record(enrollment, 2026, "1", 20), _record(enrollment, 2026, "2", 21)])
    assert line.is_complete and line.percent == 100 and line.expected_finish == (2026, 2)


def test_the_coordinator_records_credits_per_term(coordinator, world, graduate):
    enrollment = f.ProgramEnrollmentFactory(
        program=program(world), student=graduate, enrolled_on=D(2026, 3, 2)
    )
    url = reverse("universities:credit_record_create", args=[enrollment.pk])
    assert coordinator.post(url, {"year": 2026, "term": "1", "credits": 15}).status_code == 302
    again = coordinator.post(url, {"year": 2026, "term": "1", "credits": 15})
    assert again.status_code == 400 and "term" in again.context["record_form"].errors
    assert coordinator.post(url, {"year": 2025, "term": "2", "credits": 15}).status_code == 400
    record = CreditRecord.objects.get()
    assert (record.credits, record.recorded_by) == (15, world.coordinator)
    coordinator.post(reverse("universities:credit_record_delete", args=[enrollment.pk, record.pk]))
    assert not CreditRecord.objects.exists()


def test_completing_needs_the_credits(coordinator, world, graduate):
    enrollment = f.ProgramEnrollmentFactory(program=program(world, credits_required=20), student=graduate)
    url = reverse("universities:enrollment_status", args=[enrollment.pk])
    coordinator.post(url, {"status": "completed"})
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    _record(enrollment, 2026, "1", 20)
    coordinator.post(url, {"status": "completed"})
    enrollment.refresh_from_db()
    assert enrollment.status == "completed"


def test_me_credits_shows_the_students_own_ledger_with_a_progress_bar(student_user, world, graduate):
    enrollment = f.ProgramEnrollmentFactory(program=program(world, credits_required=80), student=graduate)
    _record(enrollment, 2026, "1", 20)
    other = f.ProgramEnrollmentFactory(
        program=program(world), student=f.StudentFactory(department=world.department_a)
    )
    _record(other, 2026, "1", 30)
    response = student_user.get(reverse("me_credits:ledger"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    [line] = response.context["lines"]
    assert (line.enrollment, line.earned, line.required) == (enrollment, 20, 80)
    html = response.content.decode()
    assert f'<progress id="progress-{enrollment.pk}" value="20" max="80">' in html
    assert "expected to finish in the autumn semester of 2027" in html


def test_me_credits_with_no_enrolment_has_an_empty_state(student_user):
    response = student_user.get(reverse("me_credits:ledger"))
    assert response.status_code == 200 and response.context["lines"] == []


def test_me_credits_runs_constant_queries(student_user, world, graduate, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            enrollment = f.ProgramEnrollmentFactory(program=program(world), student=graduate)
            _record(enrollment, 2026, "1", 10)

    add(1)
    # session, user, memberships, enrolments with programme and university, their records
    with django_assert_num_queries(5):
        student_user.get(reverse("me_credits:ledger"))
    add(10)
    with django_assert_num_queries(5):
        student_user.get(reverse("me_credits:ledger"))
