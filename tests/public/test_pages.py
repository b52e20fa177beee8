"""The public pages: pathways, openings, companies and credit programmes, without logging in.

Only what the public allow-list admits appears (published pathways; published, unexpired
openings of verified companies; verified companies); the rest answers 404. Every list
runs a constant number of queries.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from companies.models import Company, Opening
from tests import factories as f
from tests.builders import expired_opening_of, opening_of, other_district

pytestmark = pytest.mark.django_db


def ids(page_or_list):
    return sorted(obj.pk for obj in page_or_list)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# --- Pathways -------------------------------------------------------------------------------


@pytest.fixture
def pathways(world):
    role_a = f.JobRoleFactory(name="설비 보전원")
    role_b = f.JobRoleFactory(name="품질 검사원")
    cathode = f.SegmentFactory(code="cathode", name="양극재")
    recycling = f.SegmentFactory(code="recycling", name="재활용")
    first = f.PathwayFactory(
        district=world.district, department=world.department_a, segment=cathode, title="가 경로", slug="ga"
    )
    first.job_roles.set([role_a])
    second = f.PathwayFactory(
        district=world.district, department=world.department_b, segment=recycling, title="나 경로", slug="na"
    )
    second.job_roles.set([role_b])
    hidden = f.PathwayFactory(
        district=world.district,
        department=world.department_a,
        segment=cathode,
        is_published=False,
        slug="hid",
    )
    elsewhere = f.PathwayFactory(district=other_district(), segment=cathode, slug="elsewhere")
    return {
        "first": first,
        "second": second,
        "hidden": hidden,
        "elsewhere": elsewhere,
        "roles": (role_a, role_b),
    }


def test_pathway_list_shows_the_districts_published_pathways(anonymous, pathways):
    response = anonymous.get("/pathways/")
    assert response.status_code == 200
    assert ids(response.context["page"]) == ids([pathways["first"], pathways["second"]])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("school={school_a}", ["first"]),
        ("department={department_b}", ["second"]),
        ("segment=recycling", ["second"]),
        ("job_role={role_a}", ["first"]),
        ("q=나", ["second"]),
    ],
)
def test_pathway_list_filters(anonymous, world, pathways, query, expected):
    query = query.format(
        school_a=world.school_a.pk, department_b=world.department_b.pk, role_a=pathways["roles"][0].pk
    )
    response = anonymous.get(f"/pathways/?{query}")
    assert ids(response.context["page"]) == ids(pathways[name] for name in expected)


def test_pathway_list_counts_live_openings(anonymous, world, pathways):
    role_a = pathways["roles"][0]
    opening_of(world.company_a, job_role=role_a)
    opening_of(world.company_b, job_role=role_a)
    f.OpeningFactory(company=world.company_a, job_role=role_a, status=Opening.Status.DRAFT)
    expired_opening_of(world.company_a, job_role=role_a)
    opening_of(f.CompanyFactory(district=other_district()), job_role=role_a)
    pending = f.CompanyFactory(
        district=world.district, verification=Company.Verification.PENDING, verified_at=None
    )
    opening_of(pending, job_role=role_a)
    page = anonymous.get("/pathways/").context["page"]
    counts = {p.slug: p.live_openings for p in page}
    assert counts == {"ga": 2, "na": 0}


def test_pathway_detail_draws_the_route(anonymous, world, pathways):
    pathway = pathways["first"]
    role_a = pathways["roles"][0]
    role_a.typical_monthly_salary_krw = 2_800_000
    role_a.save()
    certification = f.CertificationFactory(name="전기기능사")
    pathway.certifications.set([certification])
    pending = f.CompanyFactory(
        district=world.district, verification=Company.Verification.PENDING, verified_at=None, name="미확인"
    )
    pathway.practice_companies.set([world.company_a, pending])
    program = f.CreditProgramFactory(university=world.university, credits_required=80)
    pathway.credit_programs.set([program])
    live = opening_of(world.company_a, job_role=role_a, monthly_salary_krw=3_100_000)
    opening_of(f.CompanyFactory(district=other_district()), job_role=role_a)  # another district's
    f.OpeningFactory(company=world.company_a, job_role=role_a, status=Opening.Status.SUBMITTED)

    response = anonymous.get("/pathways/ga/")
    assert response.status_code == 200
    route = response.context["route"]
    assert route.practice_companies == [world.company_a]
    assert route.certifications == [certification]
    [step] = route.roles
    assert (step.job_role, step.openings, step.open_count) == (role_a, [live], 1)
    assert (route.pay_min, route.pay_max) == (2_800_000, 3_100_000)
    [program_step] = route.programs
    assert (program_step.program, program_step.degree_credits) == (program, 80)
    html = response.content.decode()
    assert 'data-testid="pathway-route"' in html
    assert f'href="/openings/{live.pk}/"' in html


def test_unpublished_or_unknown_pathway_answers_404(anonymous, pathways):
    assert anonymous.get("/pathways/hid/").status_code == 404
    assert anonymous.get("/pathways/no-such-thing/").status_code == 404


def test_pathway_list_query_count_is_constant(anonymous, world, pathways):
    # page rows, job roles (prefetch), then the filter form's choices: schools, departments,
    # segments, job roles (read once per version of the district's public pages, which the new
    # pathways move). No count, even once the rows fill more than a page: the rows carry it
    # (district.web.paginate's short_list). The district is the request's, from the cached host map.
    few = queries(anonymous, "/pathways/")
    for n in range(30):
        pathway = f.PathwayFactory(district=world.district, department=world.department_a, slug=f"more-{n}")
        pathway.job_roles.set([f.JobRoleFactory(), f.JobRoleFactory()])
        opening_of(world.company_a, job_role=pathway.job_roles.first())
    assert (few, queries(anonymous, "/pathways/")) == (6, 6)


def test_pathway_detail_query_count_is_constant(anonymous, world, pathways):
    # pathway, roles, certifications, practice companies, programmes, openings.
    pathway = pathways["first"]
    few = queries(anonymous, "/pathways/ga/")
    roles = [f.JobRoleFactory() for _ in range(5)]
    pathway.job_roles.add(*roles)
    pathway.certifications.add(*[f.CertificationFactory() for _ in range(5)])
    pathway.practice_companies.add(*[f.CompanyFactory(district=world.district) for _ in range(5)])
    pathway.credit_programs.add(*[f.CreditProgramFactory(university=world.university) for _ in range(5)])
    for role in roles:
        for _ in range(7):
            opening_of(world.company_b, job_role=role)
    assert queries(anonymous, "/pathways/ga/") == few == 6


# --- Openings -------------------------------------------------------------------------------


@pytest.fixture
def openings(world):
    today = timezone.localdate()
    cert = f.CertificationFactory(name="위험물기능사")
    role = f.JobRoleFactory(name="공정 운영원")
    cathode = f.SegmentFactory(code="cathode")
    recycling = f.SegmentFactory(code="recycling", name="재활용")
    recycler = f.CompanyFactory(district=world.district, segment=recycling, name="에코프로씨엔지")
    a = opening_of(
        world.company_a,
        title="양극재 소성 공정 운영원",
        description="소성로를 운전합니다.",
        job_role=role,
        shift_pattern=Opening.Shift.FOUR_CREWS_TWO_SHIFTS,
        monthly_salary_krw=3_300_000,
        apply_by=today + datetime.timedelta(days=5),
    )
    a.required_certifications.set([cert])
    b = opening_of(
        recycler,
        title="폐배터리 해체 작업자",
        description="배터리를 안전하게 해체합니다.",
        shift_pattern=Opening.Shift.DAY,
        monthly_salary_krw=2_700_000,
        apply_by=today + datetime.timedelta(days=20),
    )
    hidden = [
        f.OpeningFactory(company=world.company_a, status=Opening.Status.DRAFT, title="초안"),
        f.OpeningFactory(company=world.company_a, status=Opening.Status.SUBMITTED),
        f.OpeningFactory(company=world.company_a, status=Opening.Status.CLOSED),
        expired_opening_of(world.company_a),
        opening_of(
            f.CompanyFactory(
                district=world.district, verification=Company.Verification.PENDING, verified_at=None
            )
        ),
        opening_of(f.CompanyFactory(district=other_district())),
    ]
    assert cathode.code == "cathode"
    return {"a": a, "b": b, "hidden": hidden, "cert": cert, "role": role}


def test_opening_list_shows_only_published_unexpired_openings_of_verified_companies(anonymous, openings):
    response = anonymous.get("/openings/")
    assert response.status_code == 200
    assert ids(response.context["page"]) == ids([openings["a"], openings["b"]])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("segment=recycling", ["b"]),
        ("job_role={role}", ["a"]),
        ("certification={cert}", ["a"]),
        ("shift_pattern=day", ["b"]),
        ("min_salary=3000000", ["a"]),
        ("deadline_before={in_10_days}", ["a"]),
        ("deadline_after={in_10_days}", ["b"]),
        ("company={company_a}", ["a"]),
    ],
)
def test_opening_list_filters(anonymous, world, openings, query, expected):
    query = query.format(
        role=openings["role"].pk,
        cert=openings["cert"].pk,
        in_10_days=(timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        company_a=world.company_a.pk,
    )
    response = anonymous.get(f"/openings/?{query}")
    assert [o.pk for o in response.context["page"]] == [openings[name].pk for name in expected]


@pytest.mark.parametrize(
    "search, expected",
    [
        ("소성", ["a"]),  # a word of the title
        ("해체합니다", ["b"]),  # a word of the description
        ("씨엔지", []),  # not a prefix of any word
        ("에코프로씨", ["b"]),  # a prefix of the company's name (company A is 에코프로비엠)
        ("양극재 운영원", ["a"]),  # every word must match
        ("양극재 해체", []),
        ("배터리", ["b"]),  # a prefix of 배터리를 (a particle attached to the word)
        ("'\"():*&|!", ["a", "b"]),  # search syntax is ignored, not an error
    ],
)
def test_opening_search_is_full_text_over_title_description_and_company(
    anonymous, openings, search, expected
):
    response = anonymous.get("/openings/", {"q": search})
    assert response.status_code == 200
    assert ids(response.context["page"]) == ids(openings[name] for name in expected)


def test_opening_search_ranks_title_matches_first(anonymous, world, openings):
    in_description = opening_of(
        world.company_b,
        title="품질 검사원",
        description="소성 공정의 품질을 봅니다.",
        apply_by=openings["a"].apply_by,
    )
    page = anonymous.get("/openings/", {"q": "소성"}).context["page"]
    assert [o.pk for o in page] == [openings["a"].pk, in_description.pk]


def test_opening_list_sorts(anonymous, openings):
    by_deadline = [o.pk for o in anonymous.get("/openings/").context["page"]]
    by_salary = [o.pk for o in anonymous.get("/openings/?ordering=salary").context["page"]]
    by_salary_desc = [o.pk for o in anonymous.get("/openings/?ordering=-salary").context["page"]]
    assert by_deadline == [openings["a"].pk, openings["b"].pk]
    assert by_salary == [openings["b"].pk, openings["a"].pk]
    assert by_salary_desc == [openings["a"].pk, openings["b"].pk]


def test_opening_list_paginates(anonymous, world):
    for _ in range(45):
        opening_of(world.company_a)
    first = anonymous.get("/openings/").context["page"]
    third = anonymous.get("/openings/?page=3").context["page"]
    assert (first.paginator.num_pages, len(first), len(third)) == (3, 20, 5)
    assert 'rel="next"' in anonymous.get("/openings/").content.decode()


def test_a_bad_filter_value_is_shown_not_crashed(anonymous, openings):
    response = anonymous.get("/openings/?min_salary=lots&deadline_before=someday")
    assert response.status_code == 400  # the page, with the refused values marked on their fields
    assert response.context["filterset"].form.errors.keys() == {"min_salary", "deadline_before"}


def test_opening_list_query_count_is_constant(anonymous, world, openings):
    # page rows (with company and job role), required certifications (prefetch), then the filter
    # form's choices: companies, segments, job roles, certifications. No count, even once the
    # rows fill more than a page: the rows carry it (district.web.paginate's short_list).
    few = queries(anonymous, "/openings/?q=공정&min_salary=1")
    for _ in range(40):
        opening = opening_of(world.company_b, title="공정 운영원", job_role=f.JobRoleFactory())
        opening.required_certifications.set([f.CertificationFactory(), f.CertificationFactory()])
    assert (few, queries(anonymous, "/openings/?q=공정&min_salary=1")) == (6, 6)


def test_opening_detail_is_public_while_published_and_open(anonymous, world, openings):
    response = anonymous.get(f"/openings/{openings['a'].pk}/")
    assert response.status_code == 200
    assert response.context["fit"] is None
    html = response.content.decode()
    assert openings["cert"].name in html
    assert f"/accounts/login/?next=/openings/{openings['a'].pk}/" in html.replace("%2F", "/")


def test_opening_detail_answers_404_outside_the_allow_list(anonymous, openings):
    for opening in openings["hidden"][:-1]:  # the last one is public, in another district
        assert anonymous.get(f"/openings/{opening.pk}/").status_code == 404, opening
    assert anonymous.get("/openings/999999/").status_code == 404


# --- Companies ------------------------------------------------------------------------------


def test_company_list_shows_only_verified_partners_of_the_district(anonymous, world):
    f.CompanyFactory(district=world.district, verification=Company.Verification.PENDING, verified_at=None)
    f.CompanyFactory(
        district=world.district,
        verification=Company.Verification.REJECTED,
        verified_at=None,
        rejection_reason="사업자 번호 불일치",
    )
    f.CompanyFactory(district=other_district())
    opening_of(world.company_a)
    response = anonymous.get("/companies/")
    assert ids(response.context["page"]) == ids([world.company_a, world.company_b])
    counts = {c.pk: c.live_openings for c in response.context["page"]}
    assert counts == {world.company_a.pk: 1, world.company_b.pk: 0}


def test_company_detail_shows_openings_pathways_and_programmes(anonymous, world):
    opening = opening_of(world.company_a)
    expired_opening_of(world.company_a)
    pathway = f.PathwayFactory(district=world.district, department=world.department_a)
    pathway.practice_companies.set([world.company_a])
    program = f.CreditProgramFactory(university=world.university)
    program.partner_companies.set([world.company_a])
    response = anonymous.get(f"/companies/{world.company_a.pk}/")
    assert response.status_code == 200
    assert (response.context["openings"], response.context["pathways"], response.context["programs"]) == (
        [opening],
        [pathway],
        [program],
    )


def test_unverified_company_answers_404(anonymous, world):
    pending = f.CompanyFactory(
        district=world.district, verification=Company.Verification.PENDING, verified_at=None
    )
    assert anonymous.get(f"/companies/{pending.pk}/").status_code == 404


def test_company_list_query_count_is_constant(anonymous, world):
    # page rows (with segment, area and open-openings count), then the filter form's choices:
    # segments, areas. No count once the rows fill more than a page: the rows carry it.
    few = queries(anonymous, "/companies/")
    for _ in range(30):
        company = f.CompanyFactory(district=world.district, area=f.AreaFactory(district=world.district))
        opening_of(company)
    assert (few, queries(anonymous, "/companies/")) == (3, 3)


# --- Credit programmes ----------------------------------------------------------------------


def test_program_list_and_detail(anonymous, world):
    program = f.CreditProgramFactory(
        university=world.university, degree="bachelor", credits_required=140, eligibility="재직 3년 이상"
    )
    program.partner_companies.set([world.company_a])
    closed = f.CreditProgramFactory(university=world.university, is_active=False)
    f.CreditProgramFactory(university=f.UniversityFactory(district=other_district()))
    response = anonymous.get("/programs/")
    assert [p.pk for p in response.context["page"]] == [program.pk, closed.pk]  # open ones first
    detail = anonymous.get(f"/programs/{program.pk}/")
    assert detail.status_code == 200
    assert detail.context["degree_credits"] == 140
    assert "재직 3년 이상" in detail.content.decode()
    assert anonymous.get("/programs/999999/").status_code == 404


def test_program_list_query_count_is_constant(anonymous, world):
    # page rows (with university), partner companies (prefetch), then the filter form's
    # choices: universities. No count once the rows fill more than a page: the rows carry it.
    f.CreditProgramFactory(university=world.university).partner_companies.set([world.company_a])
    few = queries(anonymous, "/programs/")
    for _ in range(30):
        program = f.CreditProgramFactory(university=f.UniversityFactory(district=world.district))
        program.partner_companies.set([world.company_a, world.company_b])
    assert (few, queries(anonymous, "/programs/")) == (3, 3)


# --- Language -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/pathways/", "/openings/", "/companies/", "/programs/"])
def test_public_pages_are_korean_by_default_and_switch_to_english(anonymous, world, url):
    response = anonymous.get(url)
    assert response["Content-Language"] == "ko"
    link = f'href="/i18n/language/?language=en&amp;next={url.replace("/", "%2F")}"'
    assert link in response.content.decode()
    switched = anonymous.get("/i18n/language/", {"language": "en", "next": url}, follow=True)
    assert switched.redirect_chain[-1][0] == url
    assert switched["Content-Language"] == "en"
    assert '<html lang="en">' in switched.content.decode()


def test_search_falls_back_to_containment_without_postgresql(anonymous, openings, monkeypatch):
    # SQLite (the embedded default) has no full-text search here: every word must be contained.
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert ids(anonymous.get("/openings/", {"q": "씨엔지"}).context["page"]) == [openings["b"].pk]
    assert ids(anonymous.get("/openings/", {"q": "소성 운영"}).context["page"]) == [openings["a"].pk]
