"""The one loader of the matching's scoring inputs (`placements.selectors.scoring`).

A matching run and the nightly suggestions read the same openings: the district's public
ones (`companies.models.public_opening_q`: published, deadline not passed, company
verified). Before they shared a loader, the runs' copy left out the deadline, so a run
offered seats in openings that no longer took applications; the first test fails with it.
"""

import datetime

import pytest
from django.utils import timezone

from companies.models import Company, Opening
from placements.models import Suggestion
from placements.selectors.runs import round_inputs
from placements.selectors.scoring import opening_profiles, public_openings, student_profiles
from placements.services.suggestions import suggestions_refresh
from schools.models import CourseUnit, Student
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def openings(world):
    today = timezone.localdate()
    unverified = f.CompanyFactory(
        district=world.district, name="미인증 기업", verification=Company.Verification.PENDING
    )
    gumi = f.DistrictFactory(slug="gumi", name="구미", region="경상북도 구미시")
    return {
        "public": f.OpeningFactory(company=world.company_a, title="공개 공고"),
        "last_day": f.OpeningFactory(company=world.company_a, title="오늘 마감", apply_by=today),
        "past_deadline": f.OpeningFactory(
            company=world.company_a, title="마감 지남", apply_by=today - datetime.timedelta(days=1)
        ),
        "draft": f.OpeningFactory(company=world.company_b, title="초안", status=Opening.Status.DRAFT),
        "unverified": f.OpeningFactory(company=unverified, title="미인증 기업 공고"),
        "elsewhere": f.OpeningFactory(
            company=f.CompanyFactory(district=gumi, name="구미 기업"), title="다른 지구"
        ),
    }


def test_a_run_reads_only_public_openings_and_never_one_past_its_deadline(world, openings):
    match_round = f.MatchRoundFactory(district=world.district, cohort=2026)
    f.PreferenceFactory(student=world.student, opening=openings["past_deadline"], rank=1)

    inputs = round_inputs(match_round=match_round, today=timezone.localdate())

    expected = {openings["public"].pk, openings["last_day"].pk}
    assert set(inputs.openings) == expected
    assert set(inputs.opening_facts) == expected
    assert set(inputs.capacities) == expected
    assert inputs.ranked == {world.student.pk: [(1, openings["past_deadline"].pk)]}  # ranked, but not offered


def test_suggestions_read_the_same_public_openings(world, openings):
    suggestions_refresh(today=timezone.localdate())
    suggested = set(Suggestion.objects.filter(student=world.student).values_list("opening__title", flat=True))
    assert suggested == {"공개 공고", "오늘 마감"}


def test_the_loader_is_the_public_opening_rule_of_the_district(world, openings):
    loaded = public_openings(district_id=world.district.pk, today=timezone.localdate())
    assert sorted(loaded.values_list("title", flat=True)) == ["공개 공고", "오늘 마감"]


# --- Issue 15: the school-verified facts the fit reads ------------------------------------------------


def test_the_loaders_read_checked_certifications_completed_units_and_the_role_units(
    world, django_assert_num_queries
):
    electric, hazmat = f.CertificationFactory(name="전기기능사"), f.CertificationFactory(name="위험물기능사")
    f.StudentCertificationFactory(
        student=world.student, certification=electric, number="24-1-000123", verified_at=timezone.now()
    )
    f.StudentCertificationFactory(student=world.student, certification=hazmat)  # not checked yet
    grade1, grade2, grade3 = (f.NcsUnitFactory(name=f"{n}학년 단원") for n in (1, 2, 3))
    for unit, grade in ((grade1, 1), (grade2, 2), (grade3, 3)):
        CourseUnit.objects.create(
            department=world.student.department, ncs_unit=unit, title=unit.name, hours=34, grade_year=grade
        )
    other = f.StudentFactory(department=world.department_b)
    students = Student.objects.filter(pk__in=[world.student.pk, other.pk])

    # The certifications (with their check), the students, field practice, the curricula.
    with django_assert_num_queries(4):
        profiles = student_profiles(students, today=datetime.date(2026, 12, 1))
    mine = profiles[world.student.pk]
    assert (mine.certifications, mine.verified_certifications) == (
        frozenset({electric.pk, hazmat.pk}),
        frozenset({electric.pk}),
    )
    # In December 2026 the 2026 cohort is in grade 3: grades 1 and 2 are finished.
    assert mine.ncs_units == frozenset({grade1.pk, grade2.pk})
    assert profiles[other.pk].ncs_units == frozenset()
    # Once the next school year has started, grade 3 is finished too.
    later = student_profiles(students, today=datetime.date(2027, 3, 2))[world.student.pk]
    assert later.ncs_units == frozenset({grade1.pk, grade2.pk, grade3.pk})
    # In February 2026 the cohort was still in grade 2: only grade 1 is finished.
    earlier = student_profiles(students, today=datetime.date(2026, 2, 20))[world.student.pk]
    assert earlier.ncs_units == frozenset({grade1.pk})

    job = f.OpeningFactory(company=world.company_a, title="전극 공정")
    job.job_role.ncs_units.add(grade1, grade3)
    no_role = f.OpeningFactory(company=world.company_a, title="물류")  # a job role without NCS units
    # The openings, the certifications they require, the departments they prefer, the role units.
    with django_assert_num_queries(4):
        openings, _extras = opening_profiles(Opening.objects.filter(pk__in=[job.pk, no_role.pk]))
    assert openings[job.pk].role_ncs_units == frozenset({grade1.pk, grade3.pk})
    assert openings[no_role.pk].role_ncs_units == frozenset()
