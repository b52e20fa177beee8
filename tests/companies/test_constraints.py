"""The companies app's constraints each refuse a row that breaks them and allow their exceptions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from companies.models import OpeningRevision
from tests import constraint_registry as reg
from tests import factories as f

cases = reg.ConstraintCases("companies")


# --- Company ----------------------------------------------------------------------


def _company(**overrides):
    return f.CompanyFactory.build(district=f.DistrictFactory(), segment=f.SegmentFactory(), **overrides)


@cases.refused("company_verified_has_time")
def verified_without_a_time():
    return _company(verification="verified", verified_at=None)


@cases.allowed("company_verified_has_time")
def pending_without_a_time():
    return _company(verification="pending", verified_at=None)


@cases.allowed("company_verified_has_time")
def verified_with_a_time():
    return _company(verification="verified", verified_at=timezone.now())


@cases.refused("company_rejected_has_reason")
def rejected_without_a_reason():
    return _company(verification="rejected", verified_at=None, rejection_reason="")


@cases.allowed("company_rejected_has_reason")
def rejected_with_a_reason():
    return _company(verification="rejected", verified_at=None, rejection_reason="사업자 정보 불일치")


@cases.refused("company_unique_number_per_district")
def business_number_taken():
    company = f.CompanyFactory()
    return f.CompanyFactory.build(
        district=company.district, segment=company.segment, business_number=company.business_number
    )


@cases.allowed("company_unique_number_per_district")
def business_number_registered_in_another_district():
    # A company with sites in two districts registers once in each (issue 16).
    company = f.CompanyFactory()
    other = f.DistrictFactory(name="안산", slug="ansan")
    return f.CompanyFactory.build(
        district=other, segment=f.SegmentFactory(district=other), business_number=company.business_number
    )


# --- Agreement --------------------------------------------------------------------


def _agreement(**overrides):
    company = f.CompanyFactory()
    return f.AgreementFactory.build(company=company, district=company.district, **overrides)


@cases.refused("agreement_dates_ordered")
def agreement_expiring_before_it_starts():
    return _agreement(valid_from=datetime.date(2026, 3, 1), valid_until=datetime.date(2026, 2, 28))


@cases.allowed("agreement_dates_ordered")
def agreement_valid_for_one_day():
    return _agreement(valid_from=datetime.date(2026, 3, 1), valid_until=datetime.date(2026, 3, 1))


@cases.refused("agreement_priority_max_10")
def priority_eleven():
    return _agreement(priority=11)


@cases.allowed("agreement_priority_max_10")
def priority_ten():
    return _agreement(priority=10)


# --- Opening ----------------------------------------------------------------------


def _opening(**overrides):
    return f.OpeningFactory.build(company=f.CompanyFactory(), job_role=f.JobRoleFactory(), **overrides)


@cases.refused("opening_seats_1_to_200")
def opening_without_seats():
    return _opening(seats=0)


@cases.refused("opening_seats_1_to_200")
def opening_with_201_seats():
    return _opening(seats=201)


@cases.allowed("opening_seats_1_to_200")
def opening_with_one_seat():
    return _opening(seats=1)


@cases.allowed("opening_seats_1_to_200")
def opening_with_200_seats():
    return _opening(seats=200)


@cases.refused("opening_salary_not_negative")
def negative_salary():
    return _opening(monthly_salary_krw=-1)


@cases.allowed("opening_salary_not_negative")
def unpaid_opening():
    return _opening(monthly_salary_krw=0)


@cases.refused("opening_deadline_before_start")
def deadline_on_the_start_date():
    day = datetime.date(2026, 9, 1)
    return _opening(apply_by=day, starts_on=day)


@cases.refused("opening_deadline_before_start")
def deadline_after_the_start_date():
    return _opening(apply_by=datetime.date(2026, 9, 2), starts_on=datetime.date(2026, 9, 1))


@cases.allowed("opening_deadline_before_start")
def deadline_the_day_before_the_start():
    return _opening(apply_by=datetime.date(2026, 8, 31), starts_on=datetime.date(2026, 9, 1))


@cases.refused("opening_rejected_has_reason")
def opening_rejected_without_a_reason():
    return _opening(status="rejected", rejection_reason="")


@cases.allowed("opening_rejected_has_reason")
def opening_rejected_with_a_reason():
    return _opening(status="rejected", rejection_reason="최저임금 미달")


@cases.allowed("opening_rejected_has_reason")
def draft_opening_without_a_reason():
    return _opening(status="draft", rejection_reason="")


# --- OpeningRevision ----------------------------------------------------------------


def _revision(opening=None, **overrides):
    return OpeningRevision(opening=opening or f.OpeningFactory(), changes={"title": "새 제목"}, **overrides)


@cases.refused("opening_one_pending_revision")
def a_second_pending_revision():
    first = _revision()
    first.save()
    return _revision(first.opening)


@cases.allowed("opening_one_pending_revision")
def a_pending_revision_beside_a_withdrawn_one():
    first = _revision(status="withdrawn")
    first.save()
    return _revision(first.opening)


@cases.refused("opening_revision_rejected_has_reason")
def revision_rejected_without_a_reason():
    return _revision(status="rejected", reason="")


@cases.allowed("opening_revision_rejected_has_reason")
def revision_rejected_with_a_reason():
    return _revision(status="rejected", reason="외부 링크는 게시할 수 없습니다.")


# --- The tests --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", cases.refused_params())
def test_database_refuses(case):
    reg.assert_refused(case)


@pytest.mark.django_db
@pytest.mark.parametrize("case", cases.allowed_params())
def test_database_allows(case):
    reg.assert_allowed(case)


@pytest.mark.django_db
def test_a_taken_business_number_gets_the_custom_message():
    duplicate = business_number_taken()
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            duplicate.full_clean()
        # The rule is on (district, business number) together: the message is not a single field's.
        assert caught.value.message_dict == {
            "__all__": ["A company with this business registration number is already registered."]
        }
