"""Enrolment eligibility (refused with the exact reason, or accepted), credits and the /me/credits/ ledger."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from privacy.models import PersonalDataAccess
from tests import factories as f
from universities import selectors, services
from universities.models import CreditProgram, CreditRecord, ProgramEnrollment
from universities.selectors import ledger_line

D = datetime.date
TODAY = D(2026, 11, 28)


@pytest.fixture
def graduate(world):
    student = world.student
    student.status = "graduated"
    student.cohort = 2023
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


# --- The enrolment page: finding the graduate ---------------------------------------------------

NEUTRAL = "No student matches these details."


def enrol_url(prog):
    return reverse("universities:enrollment_create", args=[prog.pk])


def details(world, student, **changes):
    data = {
        "school": student.school_id,
        "student_number": student.student_number,
        "name": student.name,
        "birth_date": student.birth_date.isoformat(),
        "enrolled_on": "2026-11-28",
    }
    return data | changes


def nonfield_html(response) -> str:
    """The refusal as the page prints it, above the form."""
    html = response.content.decode()
    start = html.index('<ul class="errorlist nonfield">')
    return html[start : html.index("</ul>", start) + len("</ul>")]


def test_enrolment_through_the_page_shows_the_reason(coordinator, world, graduate):
    prog = program(world, kind=CreditProgram.Kind.SPECIAL_ADMISSION)
    refused = coordinator.post(enrol_url(prog), details(world, graduate), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "김하늘 has no current job recorded in the portal; this programme is for employed graduates.",
        "재직자 특별전형 needs 36 months of employment; 김하늘 has 0.",
    ]
    f.PlacementFactory(student=graduate, company=world.company_a, starts_on=D(2023, 3, 2))
    accepted = coordinator.post(enrol_url(prog), details(world, graduate))
    enrollment = ProgramEnrollment.objects.get()
    assert accepted.status_code == 302 and accepted.url == reverse(
        "universities:enrollment_detail", args=[enrollment.pk]
    )


@pytest.mark.parametrize(
    "wrong",
    ["school", "student_number", "name", "birth_date"],
)
def test_one_wrong_detail_gives_the_one_neutral_refusal(coordinator, world, wrong):
    """The world's student has not graduated: only a full match may say so."""
    prog = program(world, kind=CreditProgram.Kind.SPECIAL_ADMISSION)
    student = world.student
    right = coordinator.post(enrol_url(prog), details(world, student), HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "김하늘 has not graduated from high school; this programme is for graduates."
        in right.context["form"].non_field_errors()
    )
    neighbour = f.StudentFactory(department=world.department_a)  # the next number exists too
    changed = {
        "school": world.school_b.pk,
        "student_number": neighbour.student_number,
        "name": "김하나",
        "birth_date": "2008-05-02",
    }[wrong]
    response = coordinator.post(
        enrol_url(prog), details(world, student, **{wrong: changed}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [NEUTRAL]}
    assert nonfield_html(response) == f'<ul class="errorlist nonfield"><li>{NEUTRAL}</li></ul>'
    assert not ProgramEnrollment.objects.exists()


def test_a_student_without_a_recorded_birth_date_is_never_found(coordinator, world):
    prog = program(world, kind=CreditProgram.Kind.CREDIT_BANK)
    student = f.StudentFactory(department=world.department_a, birth_date=None, status="graduated")
    response = coordinator.post(
        enrol_url(prog),
        details(world, world.student, student_number=student.student_number, name=student.name),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.context["form"].errors == {"__all__": [NEUTRAL]}


def test_a_student_of_another_district_is_not_found(world):
    other_school = f.SchoolFactory(district=f.DistrictFactory(slug="gumi", name="구미"))
    stranger = f.StudentFactory(department=f.DepartmentFactory(school=other_school), status="graduated")
    assert other_school.district_id != world.district.pk
    found = selectors.find_graduate(
        district_id=world.district.pk,
        school=other_school,
        student_number=stranger.student_number,
        name=stranger.name,
        birth_date=stranger.birth_date,
    )
    assert found is None


def test_another_districts_school_is_not_offered(coordinator, world):
    prog = program(world, kind=CreditProgram.Kind.CREDIT_BANK)
    other_school = f.SchoolFactory(district=f.DistrictFactory(slug="gumi", name="구미"))
    stranger = f.StudentFactory(department=f.DepartmentFactory(school=other_school), status="graduated")
    response = coordinator.post(enrol_url(prog), details(world, stranger), HTTP_ACCEPT_LANGUAGE="en")
    assert list(response.context["form"].errors) == ["school"]
    # Not a look-up: nothing logged, nothing counted.
    assert not PersonalDataAccess.objects.exists()


def test_every_lookup_writes_one_access_log_row(coordinator, world, graduate):
    prog = program(world, kind=CreditProgram.Kind.CREDIT_BANK)
    coordinator.post(enrol_url(prog), details(world, graduate, name="김하나"))
    coordinator.post(enrol_url(prog), details(world, graduate, birth_date="2008-05-02"))
    coordinator.post(enrol_url(prog), details(world, graduate))
    rows = PersonalDataAccess.objects.order_by("pk")
    assert [(r.user, r.student, r.kind, r.what) for r in rows] == [
        (world.coordinator, None, "view", "universities:enrollment_create"),
        (world.coordinator, None, "view", "universities:enrollment_create"),
        (world.coordinator, graduate, "view", "universities:enrollment_create"),
    ]
    assert ProgramEnrollment.objects.get().student == graduate


def test_the_31st_lookup_in_an_hour_is_refused_without_looking(coordinator, world, graduate):
    prog = program(world, kind=CreditProgram.Kind.CREDIT_BANK)
    for number in range(30):
        missed = coordinator.post(
            enrol_url(prog),
            details(world, graduate, student_number=f"9{number:04d}"),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert missed.context["form"].errors == {"__all__": [NEUTRAL]}
    refused = coordinator.post(enrol_url(prog), details(world, graduate), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused.context["form"].errors == {
        "__all__": ["You have looked up 30 students in the past hour, the most allowed. Try again later."]
    }
    assert not ProgramEnrollment.objects.exists()
    assert PersonalDataAccess.objects.count() == 30
    assert PersonalDataAccess.objects.filter(student__isnull=False).count() == 0
    # The budget is the coordinator's own: a colleague still looks up.
    colleague = f.UserFactory(username="coordinator2")
    f.MembershipFactory(
        user=colleague, district=world.district, role="university_coordinator", university=world.university
    )
    other = Client()
    other.force_login(colleague)
    assert other.post(enrol_url(prog), details(world, graduate)).status_code == 302


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
