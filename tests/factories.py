"""factory_boy factories for every model the tests build.

Defaults make a coherent Pohang-like world: a school's department belongs to that
school, an opening's company is verified and published, and so on. Override what a
test is about and leave the rest.
"""

import datetime
import itertools

import factory
from django.utils import timezone

from companies.models import Agreement, Company, Opening
from district.models import (
    Area,
    BudgetLine,
    Certification,
    District,
    IndustrySegment,
    JobRole,
    KpiTarget,
    Membership,
    NcsUnit,
    User,
)
from placements.models import Application, MatchRound, MatchRun, Pathway, Placement, Preference
from schools.models import Department, FieldPractice, School, Student, StudentCertification
from universities.models import CreditProgram, ProgramEnrollment, University

_business_numbers = itertools.count(1000000)


def valid_business_number(seed: int) -> str:
    """A 10-digit business number with a correct check digit, different for each seed."""
    from companies.validators import business_number_checksum_ok

    base = f"{seed % 10**9:09d}"
    for last in range(10):
        candidate = base + str(last)
        if business_number_checksum_ok(candidate):
            return candidate
    raise AssertionError("a check digit always exists")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    name = "포항"
    slug = "pohang"
    region = "경상북도 포항시"
    industry_focus = "이차전지"
    program_start_year = 2025
    program_end_year = 2027
    annual_budget_krw = 350_000_000


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"지역 {n}")


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrySegment
        django_get_or_create = ("district", "code")

    district = factory.SubFactory(DistrictFactory)
    code = "cathode"
    name = "양극재"


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole

    district = factory.LazyAttribute(lambda o: o.segment.district if o.segment else DistrictFactory())
    name = factory.Sequence(lambda n: f"공정 운영원 {n}")
    segment = factory.SubFactory(SegmentFactory)
    typical_monthly_salary_krw = 2_800_000


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    name = factory.Sequence(lambda n: f"자격 {n}")
    qnet_code = factory.Sequence(lambda n: f"{7000 + n}")
    grade = Certification.Grade.CRAFTSMAN


class NcsUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NcsUnit

    code = factory.Sequence(lambda n: f"19010203{n % 100:02d}_22v{n // 100 + 1}")
    name = factory.Sequence(lambda n: f"전지 셀 조립 {n}")
    level = 3


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"포항{n}공업고")
    kind = School.Kind.SPECIALISED


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"이차전지학과 {n}")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    department = factory.SubFactory(DepartmentFactory)
    school = factory.SelfAttribute("department.school")
    student_number = factory.Sequence(lambda n: f"2026{n:05d}")
    name = factory.Sequence(lambda n: f"학생{n}")
    birth_date = datetime.date(2008, 5, 1)
    cohort = 2026


class StudentCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentCertification

    student = factory.SubFactory(StudentFactory)
    certification = factory.SubFactory(CertificationFactory)
    acquired_on = datetime.date(2025, 7, 1)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"에코배터리 {n}")
    business_number = factory.LazyFunction(lambda: valid_business_number(next(_business_numbers)))
    segment = factory.SubFactory(SegmentFactory)
    verification = Company.Verification.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    company = factory.SubFactory(CompanyFactory)
    district = factory.SelfAttribute("company.district")
    title = factory.Sequence(lambda n: f"채용 협약 {n}")
    signed_on = datetime.date(2025, 3, 1)
    valid_from = datetime.date(2025, 3, 1)
    valid_until = datetime.date(2027, 12, 31)
    pledged_hires_per_year = 5


class OpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opening

    company = factory.SubFactory(CompanyFactory)
    job_role = factory.SubFactory(JobRoleFactory)
    title = factory.Sequence(lambda n: f"양극재 공정 운영 {n}")
    description = "양극재 소성 공정의 설비 운전과 품질 점검을 맡습니다."
    seats = 2
    shift_pattern = Opening.Shift.FOUR_CREWS_TWO_SHIFTS
    monthly_salary_krw = 2_900_000
    employment_type = Opening.EmploymentType.PERMANENT
    apply_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    status = Opening.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = University

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"포항{n}대학")
    kind = University.Kind.JUNIOR_COLLEGE


class CreditProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditProgram

    university = factory.SubFactory(UniversityFactory)
    name = factory.Sequence(lambda n: f"이차전지융합과 재직자 과정 {n}")
    kind = CreditProgram.Kind.SPECIAL_ADMISSION
    degree = CreditProgram.Degree.ASSOCIATE
    credits_required = 80
    schedule = CreditProgram.Schedule.EVENING
    min_months_employed = 36


class ProgramEnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramEnrollment

    program = factory.SubFactory(CreditProgramFactory)
    student = factory.SubFactory(StudentFactory)
    enrolled_on = datetime.date(2026, 3, 2)


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway

    district = factory.SubFactory(DistrictFactory)
    slug = factory.Sequence(lambda n: f"pathway-{n}")
    title = factory.Sequence(lambda n: f"이차전지 공정 경로 {n}")
    department = factory.SubFactory(DepartmentFactory)
    segment = factory.SubFactory(SegmentFactory)


class MatchRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRound

    district = factory.SubFactory(DistrictFactory)
    cohort = 2026
    title = "2026 졸업 예정자 매칭"
    preferences_close_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    seed = 20260401  # fixed, so that tests know every run's lottery (production draws one per round)


class MatchRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRun

    round = factory.SubFactory(MatchRoundFactory)
    district = factory.SelfAttribute("round.district")
    cohort = factory.SelfAttribute("round.cohort")
    seed = factory.SelfAttribute("round.seed")


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    student = factory.SubFactory(StudentFactory)
    opening = factory.SubFactory(OpeningFactory)
    rank = 1


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    student = factory.SubFactory(StudentFactory)
    opening = factory.SubFactory(OpeningFactory)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    student = factory.SubFactory(StudentFactory)
    company = factory.SubFactory(CompanyFactory)
    starts_on = datetime.date(2026, 3, 2)


class FieldPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldPractice

    student = factory.SubFactory(StudentFactory)
    company = factory.SubFactory(CompanyFactory)
    starts_on = datetime.date(2026, 7, 1)
    ends_on = datetime.date(2026, 8, 31)
    supervisor_name = "김현장"


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    district = factory.SubFactory(DistrictFactory)
    year = 2026
    category = BudgetLine.Category.CURRICULUM
    planned_krw = 100_000_000


class KpiTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiTarget

    district = factory.SubFactory(DistrictFactory)
    year = 2026
    indicator = KpiTarget.Indicator.EMPLOYMENT_RATE
    target = 70


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"사용자{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kr")
    password = factory.django.Password("correct-horse-battery-staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    district = factory.SubFactory(DistrictFactory)
    role = Membership.Role.OFFICIAL
