"""One public read rule per entity (DESIGN.md §4): the public pages and the API list the same rows.

The pages show the site's district; the API's public resources list every district of the
deployment (clients narrow with `?district=`). So the API with `?district=<the page's
district>` answers exactly what the page lists, and without it adds the other district's
public rows and nothing else: drafts, expired openings, unverified companies and
unpublished pathways are hidden from both, and their detail answers 404 on both.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.api.views import CompanyViewSet, OpeningViewSet
from companies.selectors import public as companies_public
from placements.api.views import PathwayViewSet
from placements.selectors import pathways as pathways_public
from tests import factories as f
from tests.builders import expired_opening_of, opening_of, other_district
from universities import selectors as universities_public
from universities.api.views import CreditProgramViewSet

API = "/api/v1"


def page_ids(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["page"]}


def api_ids(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None  # every row fits on one page here
    return {row["id"] for row in body["results"]}


def test_the_public_viewsets_read_through_the_pages_selectors():
    assert CompanyViewSet.selector is companies_public.company_list_public
    assert OpeningViewSet.selector is companies_public.opening_list_public
    assert PathwayViewSet.selector is pathways_public.pathway_list_public
    assert CreditProgramViewSet.selector is universities_public.credit_program_list_public


def test_the_page_and_the_api_list_the_same_openings(anonymous, world):
    shown = opening_of(world.company_a, title="양극재 공정")
    also_shown = opening_of(world.company_b, title="전구체 공정")
    draft = opening_of(world.company_a, status="draft")
    submitted = opening_of(world.company_a, status="submitted")
    expired = expired_opening_of(world.company_b)
    unverified = f.CompanyFactory(district=world.district, verification="pending", verified_at=None)
    of_unverified = opening_of(unverified)
    elsewhere = opening_of(f.CompanyFactory(district=other_district()))

    page = page_ids(anonymous, "/openings/")
    assert page == {shown.pk, also_shown.pk}
    assert api_ids(anonymous, f"{API}/openings/?district={world.district.pk}") == page
    # issue 16 (ISOLATION): each district's site serves its own rows, through the API too.
    assert api_ids(anonymous, f"{API}/openings/") == page
    for hidden in (draft, submitted, expired, of_unverified):
        assert anonymous.get(f"/openings/{hidden.pk}/").status_code == 404
        assert anonymous.get(f"{API}/openings/{hidden.pk}/").status_code == 404
    # Another district's public opening is neither on this site's list, nor its page, nor its API
    # (it is on its own district's site).
    assert anonymous.get(f"/openings/{elsewhere.pk}/").status_code == 404
    assert anonymous.get(f"{API}/openings/{elsewhere.pk}/").status_code == 404


def test_the_page_and_the_api_list_the_same_companies(anonymous, world):
    pending = f.CompanyFactory(district=world.district, verification="pending", verified_at=None)
    rejected = f.CompanyFactory(
        district=world.district, verification="rejected", verified_at=None, rejection_reason="사업자 불일치"
    )
    f.CompanyFactory(district=other_district())  # another district's: not on this site

    page = page_ids(anonymous, "/companies/")
    assert page == {world.company_a.pk, world.company_b.pk}
    assert api_ids(anonymous, f"{API}/companies/?district={world.district.pk}") == page
    assert api_ids(anonymous, f"{API}/companies/") == page  # issue 16: not another district's
    for hidden in (pending, rejected):
        assert anonymous.get(f"/companies/{hidden.pk}/").status_code == 404
        assert anonymous.get(f"{API}/companies/{hidden.pk}/").status_code == 404


def test_the_page_and_the_api_list_the_same_pathways(anonymous, world):
    shown = f.PathwayFactory(district=world.district, department=world.department_a, slug="shown")
    hidden = f.PathwayFactory(
        district=world.district, department=world.department_a, slug="hidden", is_published=False
    )
    f.PathwayFactory(district=other_district(), slug="elsewhere")  # not on this site

    page = page_ids(anonymous, "/pathways/")
    assert page == {shown.pk}
    assert api_ids(anonymous, f"{API}/pathways/?district={world.district.pk}") == page
    assert api_ids(anonymous, f"{API}/pathways/") == page  # issue 16: not another district's
    assert anonymous.get(f"/pathways/{hidden.slug}/").status_code == 404
    assert anonymous.get(f"{API}/pathways/{hidden.pk}/").status_code == 404


def test_the_api_pathway_shows_only_verified_practice_companies(anonymous, world):
    pathway = f.PathwayFactory(district=world.district, department=world.department_a)
    pending = f.CompanyFactory(district=world.district, verification="pending", verified_at=None)
    pathway.practice_companies.set([world.company_a, pending])
    row = anonymous.get(f"{API}/pathways/{pathway.pk}/").json()
    assert [company["id"] for company in row["practice_companies"]] == [world.company_a.pk]


def test_the_page_and_the_api_list_the_same_credit_programmes(anonymous, world):
    # Programmes not taking students are public too: the page flags them, the API has is_active.
    open_now = f.CreditProgramFactory(university=world.university)
    closed = f.CreditProgramFactory(university=world.university, is_active=False)
    f.CreditProgramFactory(university=f.UniversityFactory(district=other_district()))  # not on this site

    page = page_ids(anonymous, "/programs/")
    assert page == {open_now.pk, closed.pk}
    assert api_ids(anonymous, f"{API}/credit-programs/?district={world.district.pk}") == page
    assert api_ids(anonymous, f"{API}/credit-programs/") == page  # issue 16: not another district's
    assert api_ids(anonymous, f"{API}/credit-programs/?is_active=true") == {open_now.pk}


def api_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_public_api_lists_run_constant_queries(anonymous, world):
    # openings: count, page rows (company, segment, job role, area), certifications, departments.
    # pathways: count, page rows, job roles, certifications, practice companies, programmes.
    # companies: count, page rows. credit-programs: count, page rows, partner companies.
    urls = [f"{API}/{prefix}/" for prefix in ("openings", "pathways", "companies", "credit-programs")]

    def add_rows(n):
        for _ in range(n):
            company = f.CompanyFactory(district=world.district)
            opening = opening_of(company)
            opening.required_certifications.set([f.CertificationFactory()])
            opening.preferred_departments.set([world.department_a])
            pathway = f.PathwayFactory(district=world.district, department=world.department_a)
            pathway.job_roles.set([opening.job_role])
            pathway.practice_companies.set([company])
            program = f.CreditProgramFactory(university=world.university)
            program.partner_companies.set([company])
            pathway.credit_programs.set([program])

    add_rows(1)
    few = [api_queries(anonymous, url) for url in urls]
    add_rows(15)
    assert [api_queries(anonymous, url) for url in urls] == few == [4, 6, 2, 3]
