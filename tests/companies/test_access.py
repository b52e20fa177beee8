"""Who may open and change what under /company/: every URL of the issue, with recruiters at A and B.

Company B's recruiter asking for company A's opening or applicant gets 404 (the same as a
missing row), and a write changes nothing. Other roles get 403; visitors the login page.
"""

import pytest

from companies.models import Company, Opening
from district.models import Membership
from placements.models import Application, ApplicationEvent, Placement
from tests import factories as f
from tests.companies.conftest import apply

S = Application.Status


@pytest.fixture
def draft_a(world):
    return f.OpeningFactory(company=world.company_a, status=Opening.Status.DRAFT, published_at=None)


@pytest.fixture
def join_request_a(world):
    user = f.UserFactory(username="asks_to_join_a")
    return f.MembershipFactory(
        user=user,
        district=world.district,
        role=Membership.Role.COMPANY_RECRUITER,
        company=world.company_a,
        is_active=False,
    )


def read_urls(opening, application):
    return [
        f"/company/openings/{opening.pk}/",
        f"/company/openings/{opening.pk}/edit/",
        f"/company/openings/{opening.pk}/applicants/",
        f"/company/applications/{application.pk}/",
    ]


ROLE_PAGES = ["/company/", "/company/openings/", "/company/openings/new/", "/company/team/"]


# --- Another company's objects: 404 ------------------------------------------------------------


def test_own_company_pages_open(recruiter_a, opening_a, application_a):
    for url in ROLE_PAGES + read_urls(opening_a, application_a):
        assert recruiter_a.get(url).status_code == 200, url


def test_other_companys_pages_answer_404(recruiter_b, opening_a, application_a):
    for url in read_urls(opening_a, application_a):
        assert recruiter_b.get(url).status_code == 404, url


def test_missing_rows_answer_the_same_404(recruiter_b):
    for url in [
        "/company/openings/999999/",
        "/company/openings/999999/applicants/",
        "/company/applications/999999/",
    ]:
        assert recruiter_b.get(url).status_code == 404


def test_other_companys_lists_do_not_show_our_rows(recruiter_b, opening_a, application_a):
    listed = recruiter_b.get("/company/openings/").context["page"].object_list
    assert opening_a not in list(listed)
    board = recruiter_b.get("/company/").context["board"]
    assert board.new_count == 0 and not board.open_openings


def test_edit_by_another_company_changes_nothing(recruiter_b, opening_a, opening_data):
    response = recruiter_b.post(f"/company/openings/{opening_a.pk}/edit/", opening_data(title="가로챈 제목"))
    assert response.status_code == 404
    opening_a.refresh_from_db()
    assert opening_a.title == "에코프로비엠 양극재 공정"


def test_submit_close_clone_by_another_company_change_nothing(recruiter_b, world, opening_a, draft_a):
    assert recruiter_b.post(f"/company/openings/{draft_a.pk}/submit/").status_code == 404
    assert recruiter_b.post(f"/company/openings/{opening_a.pk}/close/").status_code == 404
    assert recruiter_b.post(f"/company/openings/{opening_a.pk}/clone/").status_code == 404
    draft_a.refresh_from_db()
    opening_a.refresh_from_db()
    assert draft_a.status == Opening.Status.DRAFT
    assert opening_a.status == Opening.Status.PUBLISHED
    assert Opening.objects.count() == 2
    assert not Opening.objects.filter(company=world.company_b).exists()


def test_moving_another_companys_applicant_changes_nothing(recruiter_b, application_a):
    for status in (S.INTERVIEW, S.HIRED, S.REJECTED):
        response = recruiter_b.post(
            f"/company/applications/{application_a.pk}/move/", {"to_status": status, "note": "x"}
        )
        assert response.status_code == 404
    application_a.refresh_from_db()
    assert application_a.status == S.SUBMITTED
    assert ApplicationEvent.objects.filter(application=application_a).count() == 1
    assert not Placement.objects.exists()


def test_deciding_another_companys_join_request_changes_nothing(recruiter_b, join_request_a):
    assert recruiter_b.post(f"/company/team/{join_request_a.pk}/approve/").status_code == 404
    assert recruiter_b.post(f"/company/team/{join_request_a.pk}/decline/").status_code == 404
    join_request_a.refresh_from_db()
    assert join_request_a.is_active is False


def test_own_join_request_can_be_decided(recruiter_a, join_request_a):
    assert recruiter_a.post(f"/company/team/{join_request_a.pk}/approve/").status_code == 302
    join_request_a.refresh_from_db()
    assert join_request_a.is_active


def test_writes_need_post(recruiter_a, opening_a, application_a, join_request_a):
    for url in [
        f"/company/openings/{opening_a.pk}/submit/",
        f"/company/openings/{opening_a.pk}/close/",
        f"/company/openings/{opening_a.pk}/clone/",
        f"/company/applications/{application_a.pk}/move/",
        f"/company/team/{join_request_a.pk}/approve/",
        f"/company/team/{join_request_a.pk}/decline/",
    ]:
        assert recruiter_a.get(url).status_code == 405, url
    opening_a.refresh_from_db()
    assert opening_a.status == Opening.Status.PUBLISHED


# --- Other roles and visitors --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["official", "school_a_staff", "coordinator", "student_user"])
def test_other_roles_are_refused(request, persona, opening_a, application_a, join_request_a):
    client = request.getfixturevalue(persona)
    # An official asking for the team is sent to the join requests in the administration
    # (tests/companies/test_join_requests_admin.py); every other page refuses them too.
    pages = [url for url in ROLE_PAGES if not (persona == "official" and url == "/company/team/")]
    for url in pages + read_urls(opening_a, application_a):
        assert client.get(url).status_code == 403, (persona, url)
    response = client.post(f"/company/applications/{application_a.pk}/move/", {"to_status": S.HIRED})
    assert response.status_code == 403
    assert client.post(f"/company/team/{join_request_a.pk}/approve/").status_code == 403
    application_a.refresh_from_db()
    assert application_a.status == S.SUBMITTED


def test_visitors_are_sent_to_log_in(anonymous, opening_a, application_a):
    for url in ROLE_PAGES + read_urls(opening_a, application_a):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    response = anonymous.post(f"/company/applications/{application_a.pk}/move/", {"to_status": S.HIRED})
    assert response.status_code == 302
    application_a.refresh_from_db()
    assert application_a.status == S.SUBMITTED


def test_signup_and_join_are_public(anonymous, world):
    assert anonymous.get("/company/signup/").status_code == 200
    assert anonymous.get("/company/join/").status_code == 200


def test_a_recruiter_visiting_signup_goes_to_the_dashboard(recruiter_a):
    assert recruiter_a.get("/company/signup/")["Location"] == "/company/"


# --- Unverified and rejected companies -------------------------------------------------------------


@pytest.mark.parametrize("state", [Company.Verification.PENDING, Company.Verification.REJECTED])
def test_an_unverified_company_cannot_post_or_act(world, state, opening_data):
    from django.test import Client

    company = f.CompanyFactory(
        district=world.district, verification=state, verified_at=None, rejection_reason="서류 미비"
    )
    user = f.UserFactory(username=f"hr_{state}")
    f.MembershipFactory(
        user=user, district=world.district, role=Membership.Role.COMPANY_RECRUITER, company=company
    )
    # Say an opening slipped in before (through the admin): the recruiter still cannot act on it.
    opening = f.OpeningFactory(company=company, status=Opening.Status.DRAFT, published_at=None)
    application = apply(world.student, opening)
    client = Client()
    client.force_login(user)

    page = client.get("/company/")
    assert page.status_code == 200 and page.context["state"] == state
    for url in ["/company/openings/", "/company/openings/new/", *read_urls(opening, application)]:
        assert client.get(url)["Location"] == "/company/", url
    assert client.get("/company/team/").status_code == 200  # the team can gather before verification
    client.post("/company/openings/new/", opening_data())
    client.post(f"/company/openings/{opening.pk}/submit/")
    client.post(f"/company/applications/{application.pk}/move/", {"to_status": S.INTERVIEW})
    assert company.openings.count() == 1
    opening.refresh_from_db()
    application.refresh_from_db()
    assert opening.status == Opening.Status.DRAFT
    assert application.status == S.SUBMITTED
