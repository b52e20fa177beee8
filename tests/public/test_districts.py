"""/districts/: every district of the portal, with its home page's numbers and a link to its site."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dashboard import kpis
from district.models import DistrictHost
from tests import factories as f
from tests.builders import opening_of


@pytest.fixture
def ansan(world):
    district = f.DistrictFactory(
        name="안산",
        slug="ansan",
        region="경기도 안산시",
        industry_focus="로봇",
        program_start_year=2026,
        program_end_year=2028,
        base_url="https://ansan.example.kr",
    )
    DistrictHost.objects.create(district=district, host="ansan.localhost")
    DistrictHost.objects.create(district=world.district, host="pohang.localhost")
    DistrictHost.objects.create(district=world.district, host="pohang.example.kr")
    return district


def entries_of(response):
    assert response.status_code == 200
    return response.context["entries"]


def test_every_district_with_its_site_and_the_home_pages_numbers(world, ansan):
    segment = f.SegmentFactory(district=ansan, code="robot", name="로봇 제어")
    robots = f.CompanyFactory(district=ansan, segment=segment)
    opening_of(robots, job_role=f.JobRoleFactory(segment=segment), seats=3)
    f.CompanyFactory(district=ansan, segment=segment, verification="pending", verified_at=None)

    entries = entries_of(Client(HTTP_HOST="pohang.localhost").get("/districts/"))
    # By name: 안산 before 포항. Ansan links to its site address; Pohang (no address) to its first
    # host name in alphabetical order, with the scheme the visitor used.
    assert [(e.district, e.url, e.is_this_site) for e in entries] == [
        (ansan, "https://ansan.example.kr", False),
        (world.district, "http://pohang.example.kr", True),
    ]
    ansan_entry = entries[0]
    assert (ansan_entry.overview.partner_companies, ansan_entry.overview.open_openings) == (1, 1)
    assert (ansan_entry.overview.open_seats, ansan_entry.overview.pathways) == (3, 0)
    # The same numbers as each district's own home page (one rule: public.selectors.district_overviews).
    assert ansan_entry.overview == Client(HTTP_HOST="ansan.localhost").get("/").context["overview"]
    assert entries[1].overview == Client(HTTP_HOST="pohang.localhost").get("/").context["overview"]


def test_the_page_shows_each_district_and_links_to_its_site(world, ansan):
    page = Client(HTTP_HOST="ansan.localhost").get("/districts/").content.decode()
    assert '<a href="https://ansan.example.kr/">안산 직업교육 혁신지구</a>' in page
    assert '<a href="http://pohang.example.kr/">포항 직업교육 혁신지구</a>' in page
    assert page.count('data-district="') == 2
    assert "경기도 안산시" in page
    assert "경상북도 포항시" in page


def test_a_district_without_address_or_host_is_listed_without_a_link(world):
    entries = entries_of(Client().get("/districts/"))
    assert [(e.district, e.url, e.is_this_site) for e in entries] == [(world.district, "", True)]


def test_each_home_page_links_to_the_directory(world, ansan):
    for host in ("ansan.localhost", "pohang.localhost"):
        home = Client(HTTP_HOST=host).get("/").content.decode()
        assert home.count('href="/districts/"') == 2  # the hero's link and the footer's


def test_without_any_district_the_page_says_so(db):
    response = Client().get("/districts/")
    assert entries_of(response) == []
    # Korean msgid the catalogue already holds.
    assert "아직 설정된 혁신지구가 없습니다." in response.content.decode()


def test_each_scope_is_its_whole_district(world, ansan):
    school = f.SchoolFactory(district=ansan, name="안산공업고")
    pohang, theirs = kpis.district_scopes([world.district, ansan])
    assert (pohang.district, pohang.school_ids, pohang.whole_district) == (
        world.district,
        tuple(sorted([world.school_a.pk, world.school_b.pk])),
        True,
    )
    assert (theirs.district, theirs.school_ids, theirs.role) == (ansan, (school.pk,), "public")


def test_the_query_count_does_not_grow_with_the_districts(world):
    # schools of every district, verified companies by district, published pathways by district;
    # the districts come from the cached host map and each summary from the dashboard's cache
    # (the first request fills both, and is not counted).
    client = Client()

    def queries() -> int:
        assert client.get("/districts/").status_code == 200  # warms the host map and the summaries
        with CaptureQueriesContext(connection) as captured:
            assert len(entries_of(client.get("/districts/"))) == expected
        return len(captured.captured_queries)

    expected = 1
    one = queries()
    for slug, name in (("ansan", "안산"), ("gyeongju", "경주")):
        district = f.DistrictFactory(slug=slug, name=name)
        f.SchoolFactory(district=district)
        f.CompanyFactory(district=district, segment=f.SegmentFactory(district=district))
    expected = 3
    assert queries() == one == 3
