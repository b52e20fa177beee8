"""The admin home shows the work waiting for an official, each kind with its count and a link
to the list filtered to exactly those rows (district.admin_site.pending_work, filled by the
companies and placements admins)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from companies.models import Company, Opening, OpeningRevision
from district.admin_site import PendingWork, pending_work, register_pending_work
from district.models import Membership
from placements.models import MatchRun
from tests import factories as f
from tests.builders import other_district

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
KO = {"HTTP_ACCEPT_LANGUAGE": "ko"}


def join_request(company, username):
    user = f.UserFactory(username=username)
    return f.MembershipFactory(
        user=user,
        district=company.district,
        role=Membership.Role.COMPANY_RECRUITER,
        company=company,
        is_active=False,
    )


def closed_round(district, cohort=2026):
    return f.MatchRoundFactory(
        district=district, cohort=cohort, preferences_close_at=timezone.now() - datetime.timedelta(hours=1)
    )


@pytest.fixture
def work(world):
    """Two of each kind of pending work in the official's district, and decoys around them."""
    district = world.district
    for _ in range(2):
        f.CompanyFactory(district=district, verification=Company.Verification.PENDING, verified_at=None)
    f.CompanyFactory(
        district=district, verification=Company.Verification.REJECTED, rejection_reason="서류 미비"
    )
    for _ in range(3):
        f.OpeningFactory(company=world.company_a, status=Opening.Status.SUBMITTED)
    f.OpeningFactory(company=world.company_a, status=Opening.Status.DRAFT)
    OpeningRevision.objects.create(
        opening=f.OpeningFactory(company=world.company_b),
        changes={"title": "바뀐 제목"},
        submitted_by=world.recruiter_b,
    )
    # A company with no recruiter: its join request is the officials' to decide.
    lonely = f.CompanyFactory(district=district, name="신생배터리")
    join_request(lonely, "newcomer")
    # A company with a recruiter: its first recruiter decides (not counted as the officials' work).
    join_request(world.company_a, "colleague")
    # Runs: one publishable, one trial (rankings open), one of a round already published.
    f.MatchRunFactory(round=closed_round(district), status=MatchRun.Status.SUCCEEDED)
    f.MatchRunFactory(
        round=f.MatchRoundFactory(district=district, cohort=2027), status=MatchRun.Status.SUCCEEDED
    )
    done = closed_round(district, cohort=2025)
    f.MatchRunFactory(round=done, status=MatchRun.Status.PUBLISHED)
    f.MatchRunFactory(round=done, status=MatchRun.Status.SUCCEEDED)
    # Another district's work is not this official's.
    elsewhere = other_district()
    f.CompanyFactory(district=elsewhere, verification=Company.Verification.PENDING, verified_at=None)
    f.OpeningFactory(company=f.CompanyFactory(district=elsewhere), status=Opening.Status.SUBMITTED)
    f.MatchRunFactory(round=closed_round(elsewhere), status=MatchRun.Status.SUCCEEDED)
    return world


def rows(response) -> dict[str, tuple[str, int, str]]:
    return {w.key: (w.label, w.count, w.url) for w in response.context["pending_work"]}


def test_the_admin_home_lists_each_kind_of_pending_work_with_its_count_and_link(work, official):
    response = official.get("/admin/", **EN)
    assert response.status_code == 200
    assert rows(response) == {
        "companies": (
            "Companies awaiting verification",
            2,
            "/admin/companies/company/?verification__exact=pending",
        ),
        "openings": ("Openings awaiting review", 3, "/admin/companies/opening/?status__exact=submitted"),
        "opening_revisions": (
            "Changes to openings awaiting review",
            1,
            "/admin/companies/openingrevision/?status__exact=pending",
        ),
        "join_requests": (
            "Join requests awaiting an official",
            1,
            "/admin/district/membership/?join_requests=officials",
        ),
        "runs": ("Matching runs awaiting publication", 1, "/admin/placements/matchrun/?awaiting=publication"),
    }
    assert response.context["pending_total"] == 8
    html = response.content.decode()
    assert '<tr data-work="openings" class="pending-work-due">' in html
    assert '<a href="/admin/companies/opening/?status__exact=submitted">Openings awaiting review</a>' in html


def test_each_link_lists_exactly_the_rows_counted(work, official):
    for label, count, url in rows(official.get("/admin/")).values():
        response = official.get(url)
        assert response.status_code == 200, url
        assert response.context["cl"].result_count == count, label


def test_the_home_reads_in_korean(work, official):
    html = official.get("/admin/", **KO).content.decode()
    assert "처리할 일" in html
    assert "인증을 기다리는 기업" in html


def test_with_nothing_pending_the_home_says_so(world, official):
    response = official.get("/admin/", **EN)
    assert [w.count for w in response.context["pending_work"]] == [0, 0, 0, 0, 0]
    assert "Nothing is waiting for a decision." in response.content.decode()


def test_a_superuser_counts_every_district(work):
    client = Client()
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    counts = {key: count for key, (_label, count, _url) in rows(client.get("/admin/")).items()}
    assert counts == {"companies": 3, "openings": 4, "opening_revisions": 1, "join_requests": 1, "runs": 2}


@pytest.mark.parametrize(
    "persona", ["school_a_staff", "recruiter_a", "coordinator", "student_user", "anonymous"]
)
def test_everyone_else_is_sent_to_the_login_page(request, work, persona):
    response = request.getfixturevalue(persona).get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def test_the_admin_home_query_count_does_not_grow_with_the_work(world, official):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        official.get("/admin/")
        with CaptureQueriesContext(connection) as captured:
            official.get("/admin/")
        return len(captured)

    few = count()
    for _ in range(10):
        f.OpeningFactory(company=world.company_a, status=Opening.Status.SUBMITTED)
        f.CompanyFactory(district=world.district, verification=Company.Verification.PENDING, verified_at=None)
    # Session, user, memberships (the site's permission), then one count per kind of work.
    assert count() == few


def test_a_source_registered_again_replaces_the_old_one(rf, world):
    request = rf.get("/admin/")
    request.user = world.official
    before = [w.key for w in pending_work(request)]
    register_pending_work("test_only", lambda request: PendingWork("test_only", "Test", 7, "/x/"), order=5)
    register_pending_work("test_only", lambda request: None, order=5)  # hidden
    try:
        assert [w.key for w in pending_work(request)] == before
    finally:
        from district import admin_site

        del admin_site._pending_work["test_only"]
