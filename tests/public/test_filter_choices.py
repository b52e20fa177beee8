"""The public filters' choices come from the shared cache, and a change shows in them at once (issue 17).

district.filters.cache_public_choices keys each district's dropdowns by its public version
(district.public_cache), which every change to a row they offer moves. These tests run with
the page cache off (PUBLIC_PAGE_CACHE_SECONDS = 0), as on a cache miss: every request renders
its page, and only the choices can be stale. Real Redis, the real test client; each test starts
with an empty cache (tests/conftest.py).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.services.verification import company_verify
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_not_stored(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def listed(world):
    """A published pathway with a job role, and an opening: every public dropdown has choices."""
    role = f.JobRoleFactory(
        district=world.district, segment=world.company_a.segment, name="양극재 공정 운영원"
    )
    pathway = f.PathwayFactory(
        district=world.district,
        department=world.department_a,
        segment=world.company_a.segment,
        slug="battery",
        is_published=True,
    )
    pathway.job_roles.set([role])
    f.OpeningFactory(company=world.company_a, job_role=role)
    return {"role": role, "pathway": pathway}


def options(response) -> str:
    html = response.content.decode()
    return html[html.index("<form") : html.index("</form>")]


def queries_of(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response


@pytest.mark.parametrize(
    ("url", "first", "again"),
    [("/openings/", 6, 2), ("/pathways/", 6, 2), ("/companies/", 3, 1), ("/programs/", 2, 1)],
)
def test_the_second_render_reads_its_choices_from_the_cache(listed, anonymous, url, first, again):
    """The first request reads each dropdown; later ones run only the list's own queries (its rows,
    and on /openings/ and /pathways/ the rows' chips)."""
    count, response = queries_of(anonymous, url)
    assert (response.status_code, count) == (200, first)
    count, second = queries_of(anonymous, url)
    assert (second.status_code, count) == (200, again)
    assert second.content == response.content


def test_each_language_has_its_own_choices(listed, anonymous):
    korean = options(anonymous.get("/openings/"))
    english = options(anonymous.get("/openings/", HTTP_ACCEPT_LANGUAGE="en"))
    assert ">전체</option>" in korean
    assert ">All</option>" in english
    assert ">전체</option>" in options(anonymous.get("/openings/"))


def _new_school(world, listed):
    f.SchoolFactory(district=world.district, name="새포항공업고")
    return "/pathways/", "새포항공업고"


def _renamed_segment(world, listed):
    segment = world.company_a.segment
    segment.name = "하이니켈 양극재"
    segment.save()
    return "/openings/", "하이니켈 양극재"


def _role_on_a_pathway(world, listed):
    role = f.JobRoleFactory(district=world.district, segment=world.company_a.segment, name="전극 코팅원")
    listed["pathway"].job_roles.add(role)
    return "/pathways/", "전극 코팅원"


def _new_area(world, listed):
    f.AreaFactory(district=world.district, name="흥해읍")
    return "/companies/", "흥해읍"


def _new_university(world, listed):
    f.UniversityFactory(district=world.district, name="새포항대학")
    return "/programs/", "새포항대학"


def _new_certification(world, listed):
    f.CertificationFactory(name="이차전지제조기능사")
    return "/openings/", "이차전지제조기능사"


def _verified_company(world, listed):
    """Verification writes with queryset.update() (no signal): the service moves the version."""
    pending = f.CompanyFactory(district=world.district, name="새싹전지", verification="pending")
    company_verify(company=pending, by=world.official)
    return "/openings/", "새싹전지"


@pytest.mark.parametrize(
    "change",
    [
        _new_school,
        _renamed_segment,
        _role_on_a_pathway,
        _new_area,
        _new_university,
        _new_certification,
        _verified_company,
    ],
)
def test_a_change_to_what_a_dropdown_offers_shows_at_once(world, listed, anonymous, change):
    for url in ("/openings/", "/pathways/", "/companies/", "/programs/"):
        anonymous.get(url)  # every dropdown cached
    url, shown = change(world, listed)
    assert shown in options(anonymous.get(url))


def test_another_district_keeps_its_own_choices(world, listed, anonymous):
    anonymous.get("/pathways/")
    other = f.DistrictFactory(slug="gumi", name="구미")
    f.SchoolFactory(district=other, name="다른지구공업고")
    assert "다른지구공업고" not in options(anonymous.get("/pathways/"))
