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
from placements.selectors.scoring import public_openings
from placements.services.suggestions import suggestions_refresh
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
