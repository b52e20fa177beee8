"""Credit programme pages for coordinators: CRUD, access for every URL, constant query counts."""

import datetime

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from district.models import Membership
from tests import factories as f
from universities.models import CreditProgram, CreditRecord


def test_a_coordinator_creates_a_programme_with_the_degrees_credits(coordinator, world):
    response = coordinator.post(
        reverse("universities:program_create"),
        {
            "name": "신소재배터리과 재직자 과정",
            "department_name": "신소재배터리과",
            "kind": "contract_department",
            "degree": "bachelor",
            "schedule": "evening",
            "min_months_employed": 0,
            "partner_companies": [world.company_a.pk],
            "is_active": "on",
        },
    )
    program = CreditProgram.objects.get()
    assert response.status_code == 302
    assert (program.university, program.credits_required) == (world.university, 140)
    assert list(program.partner_companies.all()) == [world.company_a]
    coordinator.post(
        reverse("universities:program_edit", args=[program.pk]),
        {
            "name": "신소재배터리과 재직자 과정",
            "kind": "special_admission",
            "degree": "associate",
            "credits_required": "",
            "schedule": "weekend",
            "min_months_employed": 24,
        },
    )
    program.refresh_from_db()
    assert (program.kind, program.credits_required, program.is_active) == ("special_admission", 80, False)
    assert not program.partner_companies.exists()


def test_a_programme_with_enrolments_is_not_deleted(coordinator, world):
    program = f.CreditProgramFactory(university=world.university)
    f.ProgramEnrollmentFactory(program=program, student=world.student)
    response = coordinator.post(reverse("universities:program_delete", args=[program.pk]))
    assert response.status_code == 302 and CreditProgram.objects.filter(pk=program.pk).exists()
    empty = f.CreditProgramFactory(university=world.university)
    coordinator.post(reverse("universities:program_delete", args=[empty.pk]))
    assert not CreditProgram.objects.filter(pk=empty.pk).exists()


def test_the_list_shows_only_the_coordinators_university(coordinator, world):
    own = f.CreditProgramFactory(university=world.university)
    f.CreditProgramFactory(university=f.UniversityFactory(district=world.district))
    assert list(coordinator.get(reverse("universities:program_list")).context["page"]) == [own]


# --- Access ---------------------------------------------------------------------------------------


@pytest.fixture
def records(world):
    program = f.CreditProgramFactory(university=world.university)
    enrollment = f.ProgramEnrollmentFactory(program=program, student=world.student)
    record = CreditRecord.objects.create(enrollment=enrollment, year=2026, term="1", credits=3)
    return program, enrollment, record


URLS = [
    ("universities:program_list", lambda p, e, r: [], "get", False),
    ("universities:program_create", lambda p, e, r: [], "get", False),
    ("universities:program_detail", lambda p, e, r: [p.pk], "get", True),
    ("universities:program_edit", lambda p, e, r: [p.pk], "get", True),
    ("universities:program_delete", lambda p, e, r: [p.pk], "get", True),
    ("universities:enrollment_create", lambda p, e, r: [p.pk], "get", True),
    ("universities:enrollment_detail", lambda p, e, r: [e.pk], "get", True),
    ("universities:credit_record_create", lambda p, e, r: [e.pk], "post", True),
    ("universities:credit_record_delete", lambda p, e, r: [e.pk, r.pk], "post", True),
    ("universities:enrollment_status", lambda p, e, r: [e.pk], "post", True),
]
IDS = [u[0] for u in URLS]


@pytest.fixture
def other_coordinator(world):
    user = f.UserFactory(username="coordinator_b")
    f.MembershipFactory(
        user=user,
        district=world.district,
        role=Membership.Role.UNIVERSITY_COORDINATOR,
        university=f.UniversityFactory(district=world.district, name="선린대학교"),
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "args", "method", "is_object"), URLS, ids=IDS)
def test_the_coordinator_is_let_in(coordinator, records, name, args, method, is_object):
    assert getattr(coordinator, method)(reverse(name, args=args(*records))).status_code in {200, 302, 400}


@pytest.mark.parametrize(("name", "args", "method", "is_object"), URLS, ids=IDS)
def test_another_universitys_coordinator_is_refused(
    other_coordinator, records, name, args, method, is_object
):
    response = getattr(other_coordinator, method)(reverse(name, args=args(*records)))
    assert response.status_code == (404 if is_object else 200)
    if not is_object and name == "universities:program_list":
        assert list(response.context["page"]) == []


@pytest.mark.parametrize("persona", ["student_user", "school_a_staff", "recruiter_a", "official"])
@pytest.mark.parametrize(("name", "args", "method", "is_object"), URLS, ids=IDS)
def test_other_roles_are_refused(request, records, persona, name, args, method, is_object):
    client = request.getfixturevalue(persona)
    assert getattr(client, method)(reverse(name, args=args(*records))).status_code == 403


@pytest.mark.parametrize(("name", "args", "method", "is_object"), URLS, ids=IDS)
def test_anonymous_visitors_are_sent_to_log_in(anonymous, records, name, args, method, is_object):
    response = getattr(anonymous, method)(reverse(name, args=args(*records)))
    assert response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("persona", ["school_a_staff", "recruiter_a", "coordinator", "official"])
def test_me_credits_is_for_students_only(request, persona, world):
    assert request.getfixturevalue(persona).get(reverse("me_credits:ledger")).status_code == 403


def test_me_credits_sends_anonymous_visitors_to_log_in(anonymous):
    response = anonymous.get(reverse("me_credits:ledger"))
    assert response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_a_closed_enrolment_refuses_new_credits(coordinator, records):
    _program, enrollment, _record = records
    enrollment.status = "withdrawn"
    enrollment.save()
    response = coordinator.post(
        reverse("universities:credit_record_create", args=[enrollment.pk]),
        {"year": 2026, "term": "2", "credits": 3},
    )
    assert response.status_code == 400 and CreditRecord.objects.count() == 1


# --- Query counts ------------------------------------------------------------------------------------


def _populate(world, n):
    for _ in range(n):
        program = f.CreditProgramFactory(university=world.university)
        program.partner_companies.add(world.company_a)
        for _ in range(2):
            student = f.StudentFactory(department=world.department_a)
            placement = f.PlacementFactory(
                student=student, company=world.company_a, starts_on=datetime.date(2024, 3, 4)
            )
            enrollment = f.ProgramEnrollmentFactory(program=program, student=student, placement=placement)
            CreditRecord.objects.create(enrollment=enrollment, year=2026, term="1", credits=10)
    return program


def test_the_programme_list_runs_constant_queries(coordinator, world, django_assert_num_queries):
    _populate(world, 2)
    # session, user, memberships, page of programmes with enrolment counts, partners (one page:
    # its rows give the total, no count)
    with django_assert_num_queries(5):
        coordinator.get(reverse("universities:program_list"))
    _populate(world, 20)
    with django_assert_num_queries(5):
        coordinator.get(reverse("universities:program_list"))


def test_the_enrolment_list_runs_constant_queries(coordinator, world, django_assert_num_queries):
    program = _populate(world, 1)
    url = reverse("universities:program_detail", args=[program.pk])
    # session, user, memberships, programme, partners, page of enrolments with credits (one
    # page: no count), the personal-data access log of the page's students (one INSERT)
    with django_assert_num_queries(7):
        coordinator.get(url)
    for _ in range(20):
        student = f.StudentFactory(department=world.department_a)
        f.ProgramEnrollmentFactory(program=program, student=student)
    with django_assert_num_queries(7):
        coordinator.get(url)
