"""The company dashboard: openings by status, new and stale applicants, the MOU pledge; query counts."""

import datetime

from django.utils import timezone

from companies.models import Opening
from placements.models import Application
from tests import factories as f
from tests.companies.conftest import apply

S = Application.Status


def test_dashboard_shows_openings_by_status(recruiter_a, world):
    f.OpeningFactory(company=world.company_a)
    f.OpeningFactory(company=world.company_a)
    f.OpeningFactory(company=world.company_a, status=Opening.Status.DRAFT, published_at=None)
    f.OpeningFactory(company=world.company_b)  # not ours
    board = recruiter_a.get("/company/").context["board"]
    counts = {item.value: item.count for item in board.openings_by_status}
    assert counts == {"draft": 1, "submitted": 0, "published": 2, "closed": 0, "rejected": 0}
    assert len(board.open_openings) == 3


def test_dashboard_lists_new_and_stale_applicants(recruiter_a, world, opening_a, opening_b):
    fresh = apply(f.StudentFactory(department=world.department_a, name="새지원자"), opening_a)
    stale = apply(world.student, opening_a, status=S.INTERVIEW, changed_days_ago=8)
    apply(
        f.StudentFactory(department=world.department_a, name="어제면접"),
        opening_a,
        status=S.INTERVIEW,
        changed_days_ago=6,
    )
    apply(f.StudentFactory(department=world.department_b, name="남의회사"), opening_b, changed_days_ago=20)
    board = recruiter_a.get("/company/").context["board"]
    assert board.new_count == 1
    assert [row["pk"] for row in board.new_applicants] == [fresh.pk]
    assert board.stale_count == 1
    assert [row["pk"] for row in board.stale_applications] == [stale.pk]


def test_new_applicants_show_no_contact_details(recruiter_a, world, opening_a):
    world.student.email = "haneul@example.kr"
    world.student.phone = "010-1234-5678"
    world.student.save()
    apply(world.student, opening_a)
    board = recruiter_a.get("/company/").context["board"]
    row = board.new_applicants[0]
    assert not {"student__email", "student__phone", "student__birth_date"} & set(row)
    html = recruiter_a.get("/company/").content.decode()
    assert "haneul@example.kr" not in html and "010-1234-5678" not in html


def test_mou_pledge_against_hires_this_year(recruiter_a, world):
    year = timezone.localdate().year
    f.AgreementFactory(
        company=world.company_a,
        pledged_hires_per_year=5,
        valid_from=datetime.date(year - 1, 1, 1),
        valid_until=datetime.date(year + 1, 12, 31),
    )
    f.AgreementFactory(
        company=world.company_a,
        pledged_hires_per_year=3,
        valid_from=datetime.date(year - 3, 1, 1),
        valid_until=datetime.date(year - 1, 12, 31),  # expired: not this year's pledge
    )
    f.PlacementFactory(company=world.company_a, starts_on=datetime.date(year, 3, 2))
    f.PlacementFactory(company=world.company_a, starts_on=datetime.date(year - 1, 3, 2))
    f.PlacementFactory(company=world.company_b, starts_on=datetime.date(year, 3, 2))
    board = recruiter_a.get("/company/").context["board"]
    assert (board.pledged, board.hires) == (5, 1)
    assert board.pledge_percent == 20


def test_dashboard_without_an_agreement(recruiter_a):
    board = recruiter_a.get("/company/").context["board"]
    assert (board.pledged, board.hires, board.pledge_percent) == (0, 0, None)


def _fill(world, count):
    year = timezone.localdate().year
    for n in range(count):
        opening = f.OpeningFactory(
            company=world.company_a, status=[Opening.Status.PUBLISHED, Opening.Status.DRAFT][n % 2]
        )
        for m in range(2):
            student = f.StudentFactory(department=world.department_a)
            apply(student, opening, status=[S.SUBMITTED, S.INTERVIEW][m], changed_days_ago=10 * m)
        f.AgreementFactory(company=world.company_a, valid_from=datetime.date(year, 1, 1))
        f.PlacementFactory(company=world.company_a, starts_on=datetime.date(year, 3, 2))


def test_query_count_is_the_same_for_few_and_many_rows(recruiter_a, world, django_assert_num_queries):
    # 1 session, 2 user, 3 memberships, 4 the company, 5 openings by status, 6 new/stale counts,
    # 7 newest applicants, 8 MOU pledge and hires, 9 current openings, 10 stalest applicants,
    # 11 join requests, 12 this year's hires, 13 hires waiting for a guardian's consent,
    # 14 the personal-data access log of the applicants named (one INSERT),
    # 15 memberships again for "can approve" (first recruiter).
    _fill(world, 1)
    with django_assert_num_queries(15):
        recruiter_a.get("/company/")
    _fill(world, 15)
    with django_assert_num_queries(15):
        response = recruiter_a.get("/company/")
    assert response.context["board"].new_count == 16


def test_a_recruiter_with_a_pending_company_sees_the_pending_page(world, pending_company):
    from django.test import Client

    from district.models import Membership

    user = f.UserFactory(username="pending_hr")
    f.MembershipFactory(
        user=user, district=world.district, role=Membership.Role.COMPANY_RECRUITER, company=pending_company
    )
    client = Client()
    client.force_login(user)
    response = client.get("/company/")
    assert response.status_code == 200
    assert response.context["state"] == "pending"
    assert "board" not in response.context
