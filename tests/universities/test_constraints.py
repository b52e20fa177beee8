"""The universities app's constraints each refuse a row that breaks them and allow their exceptions."""

import datetime

import pytest

from tests import constraint_registry as reg
from tests import factories as f
from universities.models import CreditRecord

cases = reg.ConstraintCases("universities")


# --- University and programme --------------------------------------------------------


@cases.refused("university_unique_name")
def university_name_taken_in_the_district():
    university = f.UniversityFactory()
    return f.UniversityFactory.build(district=university.district, name=university.name)


@cases.allowed("university_unique_name")
def same_university_name_in_another_district():
    university = f.UniversityFactory()
    other = f.DistrictFactory(name="경주", slug="gyeongju")
    return f.UniversityFactory.build(district=other, name=university.name)


@cases.refused("creditprogram_credits_positive")
def programme_without_credits():
    return f.CreditProgramFactory.build(university=f.UniversityFactory(), credits_required=0)


@cases.allowed("creditprogram_credits_positive")
def programme_of_one_credit():
    return f.CreditProgramFactory.build(university=f.UniversityFactory(), credits_required=1)


# --- Enrolment ------------------------------------------------------------------------


def _enrolled(status="active"):
    return f.ProgramEnrollmentFactory(status=status)


def _again(first, status="active"):
    return f.ProgramEnrollmentFactory.build(
        program=first.program, student=first.student, enrolled_on=datetime.date(2027, 3, 2), status=status
    )


@cases.refused("enrollment_one_active_per_program")
def second_active_enrolment():
    return _again(_enrolled())


@cases.allowed("enrollment_one_active_per_program")
def re_enrolment_after_withdrawing():
    return _again(_enrolled("withdrawn"))


@cases.allowed("enrollment_one_active_per_program")
def re_enrolment_after_completing():
    return _again(_enrolled("completed"))


@cases.allowed("enrollment_one_active_per_program")
def withdrawn_twice():
    return _again(_enrolled("withdrawn"), status="withdrawn")


@cases.allowed("enrollment_one_active_per_program")
def active_in_two_programmes():
    first = _enrolled()
    other = f.CreditProgramFactory(university=first.program.university)
    return f.ProgramEnrollmentFactory.build(program=other, student=first.student)


# --- Credits --------------------------------------------------------------------------


def _credits(enrollment=None, year=2026, term="1", credits=15):
    return CreditRecord(enrollment=enrollment or _enrolled(), year=year, term=term, credits=credits)


@cases.refused("creditrecord_one_per_term")
def term_recorded_twice():
    first = _credits()
    first.save()
    return _credits(first.enrollment, credits=3)


@cases.allowed("creditrecord_one_per_term")
def next_term_the_same_year():
    first = _credits()
    first.save()
    return _credits(first.enrollment, term="2")


@cases.allowed("creditrecord_one_per_term")
def same_term_the_next_year():
    first = _credits()
    first.save()
    return _credits(first.enrollment, year=2027)


@cases.refused("creditrecord_credits_1_to_30")
def term_of_zero_credits():
    return _credits(credits=0)


@cases.refused("creditrecord_credits_1_to_30")
def term_of_31_credits():
    return _credits(credits=31)


@cases.allowed("creditrecord_credits_1_to_30")
def term_of_one_credit():
    return _credits(credits=1)


@cases.allowed("creditrecord_credits_1_to_30")
def term_of_30_credits():
    return _credits(credits=30)


# --- The tests --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", cases.refused_params())
def test_database_refuses(case):
    reg.assert_refused(case)


@pytest.mark.django_db
@pytest.mark.parametrize("case", cases.allowed_params())
def test_database_allows(case):
    reg.assert_allowed(case)
