"""The district app's constraints each refuse a row that breaks them and allow their exceptions.

This module also holds the coverage check for all five apps: every constraint in
Meta.constraints and every unique field of the portal's models must have a refused
case in one of the registries, and every constraint an allowed case too.
"""

import datetime
import hashlib
import secrets
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from district.models import (
    Area,
    CommuteTime,
    DashboardToken,
    DistrictHost,
    Expenditure,
    IndustrySegment,
    JobRole,
    Membership,
)
from tests import constraint_registry as reg
from tests import factories as f
from tests.companies import test_constraints as companies_constraints
from tests.placements import test_constraints as placements_constraints
from tests.schools import test_constraints as schools_constraints
from tests.universities import test_constraints as universities_constraints

cases = reg.ConstraintCases("district")
R = Membership.Role


# --- District ---------------------------------------------------------------------


@cases.refused("district_years_ordered")
def programme_ends_before_it_starts():
    return f.DistrictFactory.build(program_start_year=2027, program_end_year=2025)


@cases.allowed("district_years_ordered")
def single_year_programme():
    return f.DistrictFactory.build(program_start_year=2026, program_end_year=2026)


@cases.refused("district_budget_not_negative")
def negative_budget():
    return f.DistrictFactory.build(annual_budget_krw=-1)


@cases.allowed("district_budget_not_negative")
def zero_budget():
    return f.DistrictFactory.build(annual_budget_krw=0)


@cases.refused("district.District.name")
def district_name_taken():
    district = f.DistrictFactory()
    return f.DistrictFactory.build(name=district.name, slug="other")


@cases.refused("district.District.slug")
def district_slug_taken():
    district = f.DistrictFactory()
    return f.DistrictFactory.build(name="다른 지구", slug=district.slug)


# --- User ---------------------------------------------------------------------------


@cases.refused("district.DistrictHost.host")
def host_name_served_by_another_district():
    # One host name, one district: the middleware could not tell two apart (issue 16).
    DistrictHost.objects.create(district=f.DistrictFactory(), host="pohang.localhost")
    return DistrictHost(district=f.DistrictFactory(name="안산", slug="ansan"), host="pohang.localhost")


@cases.refused("district.User.username")
def username_taken():
    existing = reg.user(username="kim")
    return f.UserFactory.build(username=existing.username, password="!")


# --- Membership -------------------------------------------------------------------


def _orgs():
    district = f.DistrictFactory()
    return SimpleNamespace(
        district=district,
        school=f.SchoolFactory(district=district),
        company=f.CompanyFactory(district=district),
        university=f.UniversityFactory(district=district),
    )


def _membership(role, user=None, district=None, **org):
    district = district or f.DistrictFactory()
    return Membership(user=user or reg.user(), district=district, role=role, **org)


@cases.refused("membership_org_matches_role")
def official_with_a_school():
    o = _orgs()
    return _membership(R.OFFICIAL, district=o.district, school=o.school)


@cases.refused("membership_org_matches_role")
def official_with_a_company():
    o = _orgs()
    return _membership(R.OFFICIAL, district=o.district, company=o.company)


@cases.refused("membership_org_matches_role")
def school_staff_without_a_school():
    return _membership(R.SCHOOL_STAFF)


@cases.refused("membership_org_matches_role")
def school_staff_with_a_school_and_a_university():
    o = _orgs()
    return _membership(R.SCHOOL_STAFF, district=o.district, school=o.school, university=o.university)


@cases.refused("membership_org_matches_role")
def student_without_a_school():
    return _membership(R.STUDENT)


@cases.refused("membership_org_matches_role")
def recruiter_with_a_company_and_a_school():
    o = _orgs()
    return _membership(R.COMPANY_RECRUITER, district=o.district, company=o.company, school=o.school)


@cases.refused("membership_org_matches_role")
def recruiter_without_a_company():
    return _membership(R.COMPANY_RECRUITER)


@cases.refused("membership_org_matches_role")
def recruiter_with_a_university_instead():
    o = _orgs()
    return _membership(R.COMPANY_RECRUITER, district=o.district, university=o.university)


@cases.refused("membership_org_matches_role")
def coordinator_without_a_university():
    return _membership(R.UNIVERSITY_COORDINATOR)


@cases.refused("membership_org_matches_role")
def coordinator_with_a_university_and_a_company():
    o = _orgs()
    return _membership(
        R.UNIVERSITY_COORDINATOR, district=o.district, university=o.university, company=o.company
    )


@cases.allowed("membership_org_matches_role")
def official_with_no_organisation():
    return _membership(R.OFFICIAL)


@cases.allowed("membership_org_matches_role")
def school_staff_with_a_school():
    o = _orgs()
    return _membership(R.SCHOOL_STAFF, district=o.district, school=o.school)


@cases.allowed("membership_org_matches_role")
def student_with_a_school():
    o = _orgs()
    return _membership(R.STUDENT, district=o.district, school=o.school)


@cases.allowed("membership_org_matches_role")
def recruiter_with_a_company():
    o = _orgs()
    return _membership(R.COMPANY_RECRUITER, district=o.district, company=o.company)


@cases.allowed("membership_org_matches_role")
def coordinator_with_a_university():
    o = _orgs()
    return _membership(R.UNIVERSITY_COORDINATOR, district=o.district, university=o.university)


@cases.refused("membership_org_matches_role")
def national_official_with_a_school():
    o = _orgs()
    return Membership(user=reg.user(), district=None, role=R.NATIONAL_OFFICIAL, school=o.school)


@cases.allowed("membership_org_matches_role", "membership_district_iff_local", "membership_one_national_role")
def national_official_with_no_organisation():
    return Membership(user=reg.user(), district=None, role=R.NATIONAL_OFFICIAL)


# --- The Ministry's national role (issue 16) ----------------------------------------


@cases.refused("membership_district_iff_local")
def national_official_in_a_district():
    return _membership(R.NATIONAL_OFFICIAL)


@cases.refused("membership_district_iff_local")
def city_official_without_a_district():
    return Membership(user=reg.user(), district=None, role=R.OFFICIAL)


@cases.refused("membership_district_iff_local")
def school_staff_without_a_district():
    o = _orgs()
    return Membership(user=reg.user(), district=None, role=R.SCHOOL_STAFF, school=o.school)


@cases.allowed("membership_district_iff_local")
def city_official_in_a_district():
    return _membership(R.OFFICIAL)


@cases.refused("membership_one_national_role")
def national_role_twice():
    first = Membership.objects.create(user=reg.user(), district=None, role=R.NATIONAL_OFFICIAL)
    return Membership(user=first.user, district=None, role=R.NATIONAL_OFFICIAL)


@cases.allowed("membership_one_national_role")
def national_official_who_is_also_a_city_official():
    first = Membership.objects.create(user=reg.user(), district=None, role=R.NATIONAL_OFFICIAL)
    return _membership(R.OFFICIAL, user=first.user)


@cases.refused("membership_one_official_per_district")
def second_official_membership_in_the_same_district():
    first = f.MembershipFactory(user=reg.user(), role=R.OFFICIAL)
    return _membership(R.OFFICIAL, user=first.user, district=first.district)


@cases.allowed("membership_one_official_per_district")
def official_in_two_districts():
    first = f.MembershipFactory(user=reg.user(), role=R.OFFICIAL)
    other = f.DistrictFactory(name="경주", slug="gyeongju")
    return _membership(R.OFFICIAL, user=first.user, district=other)


@cases.allowed("membership_one_official_per_district")
def official_who_is_also_school_staff():
    o = _orgs()
    first = f.MembershipFactory(user=reg.user(), district=o.district, role=R.OFFICIAL)
    return _membership(R.SCHOOL_STAFF, user=first.user, district=o.district, school=o.school)


@cases.refused("membership_unique_school_role")
def same_role_twice_at_a_school():
    o = _orgs()
    first = f.MembershipFactory(user=reg.user(), district=o.district, role=R.SCHOOL_STAFF, school=o.school)
    return _membership(R.SCHOOL_STAFF, user=first.user, district=o.district, school=o.school)


@cases.allowed("membership_unique_school_role")
def staff_at_two_schools():
    o = _orgs()
    first = f.MembershipFactory(user=reg.user(), district=o.district, role=R.SCHOOL_STAFF, school=o.school)
    other = f.SchoolFactory(district=o.district)
    return _membership(R.SCHOOL_STAFF, user=first.user, district=o.district, school=other)


@cases.refused("membership_unique_company")
def recruiter_twice_for_a_company():
    o = _orgs()
    first = f.MembershipFactory(
        user=reg.user(), district=o.district, role=R.COMPANY_RECRUITER, company=o.company
    )
    return _membership(R.COMPANY_RECRUITER, user=first.user, district=o.district, company=o.company)


@cases.allowed("membership_unique_company")
def recruiter_for_two_companies():
    o = _orgs()
    first = f.MembershipFactory(
        user=reg.user(), district=o.district, role=R.COMPANY_RECRUITER, company=o.company
    )
    other = f.CompanyFactory(district=o.district)
    return _membership(R.COMPANY_RECRUITER, user=first.user, district=o.district, company=other)


@cases.refused("membership_unique_university")
def coordinator_twice_for_a_university():
    o = _orgs()
    first = f.MembershipFactory(
        user=reg.user(), district=o.district, role=R.UNIVERSITY_COORDINATOR, university=o.university
    )
    return _membership(
        R.UNIVERSITY_COORDINATOR, user=first.user, district=o.district, university=o.university
    )


@cases.allowed("membership_unique_university")
def coordinator_for_two_universities():
    o = _orgs()
    first = f.MembershipFactory(
        user=reg.user(), district=o.district, role=R.UNIVERSITY_COORDINATOR, university=o.university
    )
    other = f.UniversityFactory(district=o.district)
    return _membership(R.UNIVERSITY_COORDINATOR, user=first.user, district=o.district, university=other)


# --- Areas and commutes -------------------------------------------------------------


@cases.refused("area_unique_code")
def area_code_taken_in_the_district():
    area = f.AreaFactory()
    return Area(district=area.district, code=area.code, name="다른 이름")


@cases.allowed("area_unique_code")
def same_area_code_in_another_district():
    area = f.AreaFactory()
    other = f.DistrictFactory(name="경주", slug="gyeongju")
    return Area(district=other, code=area.code, name=area.name)


def _two_areas():
    origin = f.AreaFactory()
    return origin, f.AreaFactory(district=origin.district)


@cases.refused("commute_unique_pair")
def commute_recorded_twice():
    origin, destination = _two_areas()
    CommuteTime.objects.create(origin=origin, destination=destination, minutes=25)
    return CommuteTime(origin=origin, destination=destination, minutes=30)


@cases.allowed("commute_unique_pair")
def commute_in_the_other_direction():
    origin, destination = _two_areas()
    CommuteTime.objects.create(origin=origin, destination=destination, minutes=25)
    return CommuteTime(origin=destination, destination=origin, minutes=30)


# --- Shared vocabulary ------------------------------------------------------------


# Each district has its own industry segments and job roles (issue 16): the same code or name in
# two districts is allowed, twice in one district is refused.


def _ansan():
    return f.DistrictFactory(name="안산", slug="ansan")


@cases.refused("segment_unique_code_per_district")
def segment_code_taken_in_the_district():
    segment = f.SegmentFactory()
    return IndustrySegment(district=segment.district, code=segment.code, name="다른 분야")


@cases.allowed("segment_unique_code_per_district")
def same_segment_code_in_another_district():
    segment = f.SegmentFactory()
    return IndustrySegment(district=_ansan(), code=segment.code, name=segment.name)


@cases.refused("jobrole_unique_name_per_district")
def job_role_name_taken_in_the_district():
    role = f.JobRoleFactory()
    return JobRole(district=role.district, name=role.name, segment=role.segment)


@cases.allowed("jobrole_unique_name_per_district")
def same_job_role_name_in_another_district():
    role = f.JobRoleFactory()
    other = _ansan()
    return JobRole(district=other, name=role.name, segment=f.SegmentFactory(district=other))


@cases.refused("district.Certification.name")
def certification_name_taken():
    cert = f.CertificationFactory()
    return f.CertificationFactory.build(name=cert.name)


@cases.refused("certification_unique_qnet_code")
def qnet_code_taken():
    cert = f.CertificationFactory()
    return f.CertificationFactory.build(qnet_code=cert.qnet_code)


@cases.allowed("certification_unique_qnet_code", "certification_national_has_code")
def two_private_certificates_without_a_code():
    f.CertificationFactory(grade="private", qnet_code="")
    return f.CertificationFactory.build(grade="private", qnet_code="")


@cases.refused("certification_national_has_code")
def national_qualification_without_a_code():
    return f.CertificationFactory.build(grade="40", qnet_code="")


@cases.allowed("certification_national_has_code")
def national_qualification_with_its_code():
    return f.CertificationFactory.build(grade="30", qnet_code="1320")


@cases.refused("district.NcsUnit.code")
def ncs_code_taken():
    unit = f.NcsUnitFactory()
    return f.NcsUnitFactory.build(code=unit.code)


@cases.refused("ncs_level_1_to_8")
def ncs_level_zero():
    return f.NcsUnitFactory.build(level=0)


@cases.refused("ncs_level_1_to_8")
def ncs_level_nine():
    return f.NcsUnitFactory.build(level=9)


@cases.allowed("ncs_level_1_to_8")
def ncs_level_one():
    return f.NcsUnitFactory.build(level=1)


@cases.allowed("ncs_level_1_to_8")
def ncs_level_eight():
    return f.NcsUnitFactory.build(level=8)


# --- Money and targets ------------------------------------------------------------


@cases.refused("budgetline_unique_category_year")
def budget_category_twice_in_a_year():
    line = f.BudgetLineFactory()
    return f.BudgetLineFactory.build(district=line.district, year=line.year, category=line.category)


@cases.allowed("budgetline_unique_category_year")
def budget_category_again_next_year():
    line = f.BudgetLineFactory()
    return f.BudgetLineFactory.build(district=line.district, year=line.year + 1, category=line.category)


@cases.refused("budgetline_planned_not_negative")
def negative_planned_amount():
    return f.BudgetLineFactory.build(district=f.DistrictFactory(), planned_krw=-1)


@cases.allowed("budgetline_planned_not_negative")
def zero_planned_amount():
    return f.BudgetLineFactory.build(district=f.DistrictFactory(), planned_krw=0)


def _expenditure(amount):
    return Expenditure(
        budget_line=f.BudgetLineFactory(),
        spent_on="2026-04-01",
        amount_krw=amount,
        description="교육 장비",
    )


@cases.refused("expenditure_amount_positive")
def zero_expenditure():
    return _expenditure(0)


@cases.refused("expenditure_amount_positive")
def negative_expenditure():
    return _expenditure(-10_000)


@cases.allowed("expenditure_amount_positive")
def one_won_expenditure():
    return _expenditure(1)


@cases.refused("kpitarget_unique_indicator_year")
def indicator_twice_in_a_year():
    target = f.KpiTargetFactory()
    return f.KpiTargetFactory.build(district=target.district, year=target.year, indicator=target.indicator)


@cases.allowed("kpitarget_unique_indicator_year")
def another_indicator_the_same_year():
    target = f.KpiTargetFactory()
    return f.KpiTargetFactory.build(district=target.district, year=target.year, indicator="retention_6m")


@cases.refused("kpitarget_not_negative")
def negative_target():
    return f.KpiTargetFactory.build(district=f.DistrictFactory(), target=Decimal("-0.01"))


@cases.allowed("kpitarget_not_negative")
def zero_target():
    return f.KpiTargetFactory.build(district=f.DistrictFactory(), target=Decimal("0"))


# --- Dashboard tokens ----------------------------------------------------------------

# created_at is auto_now_add: save() overwrites it with the current time, so each token
# also sets it to about now, for validate_constraints() to see the same row.


def _token(expires_in=datetime.timedelta(days=30), **overrides):
    now = timezone.now()
    values = {
        "district": f.DistrictFactory(),
        "name": "시청 BI 서버",
        "key_prefix": secrets.token_hex(4),
        "key_hash": hashlib.sha256(b"key").hexdigest(),
        "created_at": now,
        "expires_at": now + expires_in,
    }
    return DashboardToken(**(values | overrides))


@cases.refused("dashboardtoken_expires_after_creation")
def token_already_expired():
    return _token(expires_in=-datetime.timedelta(days=1))


@cases.allowed("dashboardtoken_expires_after_creation", "dashboardtoken_has_hash")
def token_valid_for_a_month():
    return _token()


@cases.refused("dashboardtoken_has_hash")
def token_without_a_hash():
    return _token(key_hash="")


@cases.refused("district.DashboardToken.key_prefix")
def token_prefix_taken():
    first = _token()
    first.save()
    return _token(district=first.district, key_prefix=first.key_prefix)


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
def test_membership_message_names_the_rule():
    membership = official_with_a_school()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        membership.validate_constraints()
    assert caught.value.messages == [
        "Set exactly the organisation that the role belongs to: none for an official, a school "
        "for school staff and students, a company for a recruiter, a university for a coordinator."
    ]


# --- Coverage of every portal app ---------------------------------------------------

REGISTRIES = [
    cases,
    schools_constraints.cases,
    companies_constraints.cases,
    universities_constraints.cases,
    placements_constraints.cases,
]


def _all_keys(attribute):
    return set().union(*(getattr(registry, attribute) for registry in REGISTRIES))


def test_every_registry_belongs_to_a_portal_app_once():
    """One registry for each portal app that declares a constraint or a unique field, and no other."""
    constrained = [
        label
        for label in reg.PORTAL_APPS
        if reg.declared_constraints([label]) or reg.declared_unique_fields([label])
    ]
    assert sorted(r.app_label for r in REGISTRIES) == sorted(constrained)


def test_every_constraint_and_unique_field_has_a_refused_case():
    declared = set(reg.declared_constraints()) | set(reg.declared_unique_fields())
    tested = _all_keys("refused_keys")
    assert declared - tested == set(), "constraints or unique fields without a refused case"
    assert tested - declared == set(), "refused cases for constraints that no longer exist"
    assert declared == tested


def test_every_constraint_has_an_allowed_case():
    declared = set(reg.declared_constraints())
    allowed = {key for key in _all_keys("allowed_keys") if "." not in key}
    assert declared - allowed == set(), "constraints without an allowed case"
    assert allowed - declared == set(), "allowed cases for constraints that no longer exist"


def test_each_app_tests_its_own_constraints():
    for registry in REGISTRIES:
        own = set(reg.declared_constraints([registry.app_label])) | set(
            reg.declared_unique_fields([registry.app_label])
        )
        assert registry.refused_keys | registry.allowed_keys <= own, registry.app_label
