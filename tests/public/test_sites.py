"""One deployment, every district on its own host names (issue 16): the public site, its forms,
its emails and sign-up follow the district of the request's host.

Two districts: the personas' Pohang on pohang.localhost, and Ansan on ansan.localhost with a
site address and an email sender of its own. "testserver" (the test client's default host) is
claimed by no district and shows the default one (DEFAULT_DISTRICT_SLUG, Pohang).
"""

import re
from html import unescape

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from companies.forms import OpeningForm
from companies.models import Company
from companies.services.verification import company_verify
from district.models import DistrictHost, Membership
from district.sites import SITE_MAP_CACHE_KEY, SiteMap
from tests import factories as f
from tests.builders import opening_of

ANSAN_SENDER = "안산 직업교육 혁신지구 <noreply@ansan.example.kr>"
ANSAN_URL = "https://ansan.example.kr"
VALID_NUMBER = "123-45-67891"  # a number with a correct check digit (tests/companies/test_signup.py)


@pytest.fixture
def ansan(world):
    district = f.DistrictFactory(
        name="안산",
        slug="ansan",
        region="경기도 안산시",
        industry_focus="로봇",
        base_url=ANSAN_URL,
        email_sender=ANSAN_SENDER,
    )
    DistrictHost.objects.create(district=district, host="ansan.localhost")
    DistrictHost.objects.create(district=world.district, host="pohang.localhost")
    return district


@pytest.fixture
def ansan_world(ansan):
    """Ansan's own vocabulary, a verified company with a public opening, a pathway and a programme.

    Its segment has Pohang's code "cathode" on purpose: codes are unique within a district only.
    """
    segment = f.SegmentFactory(district=ansan, code="cathode", name="로봇 제어")
    role = f.JobRoleFactory(segment=segment, name="로봇 유지보수원")
    company = f.CompanyFactory(district=ansan, segment=segment, name="안산로봇")
    school = f.SchoolFactory(district=ansan, name="안산공업고")
    department = f.DepartmentFactory(school=school, name="로봇제어과")
    return {
        "segment": segment,
        "role": role,
        "company": company,
        "opening": opening_of(company, job_role=role, title="로봇 정비"),
        "pathway": f.PathwayFactory(
            district=ansan, department=department, segment=segment, slug="ansan-robot", is_published=True
        ),
        "program": f.CreditProgramFactory(university=f.UniversityFactory(district=ansan, name="안산대학")),
    }


@pytest.fixture
def pohang_world(world):
    segment = f.SegmentFactory(district=world.district, code="cathode", name="양극재")
    return {
        "opening": opening_of(
            world.company_a, job_role=f.JobRoleFactory(segment=segment), title="양극재 소성"
        ),
        "pathway": f.PathwayFactory(
            district=world.district,
            department=world.department_a,
            segment=segment,
            slug="pohang-cathode",
            is_published=True,
        ),
        "program": f.CreditProgramFactory(university=world.university),
    }


def on(host: str) -> Client:
    return Client(HTTP_HOST=host)


def ids(response) -> set[int]:
    assert response.status_code == 200
    return {row.pk for row in response.context["page"]}


def title_of(response) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1))


# --- Lists and details ---------------------------------------------------------------------


def test_each_host_lists_only_its_own_districts_rows(world, ansan_world, pohang_world):
    ansan, pohang = on("ansan.localhost"), on("pohang.localhost")
    assert ids(ansan.get("/openings/")) == {ansan_world["opening"].pk}
    assert ids(pohang.get("/openings/")) == {pohang_world["opening"].pk}
    assert ids(ansan.get("/companies/")) == {ansan_world["company"].pk}
    assert ids(pohang.get("/companies/")) == {world.company_a.pk, world.company_b.pk}
    assert ids(ansan.get("/pathways/")) == {ansan_world["pathway"].pk}
    assert ids(pohang.get("/pathways/")) == {pohang_world["pathway"].pk}
    assert ids(ansan.get("/programs/")) == {ansan_world["program"].pk}
    assert ids(pohang.get("/programs/")) == {pohang_world["program"].pk}


def test_another_districts_detail_pages_answer_404_on_this_host(world, ansan_world, pohang_world):
    ansan, pohang = on("ansan.localhost"), on("pohang.localhost")
    pohang_urls = [
        f"/openings/{pohang_world['opening'].pk}/",
        f"/companies/{world.company_a.pk}/",
        f"/pathways/{pohang_world['pathway'].slug}/",
        f"/programs/{pohang_world['program'].pk}/",
    ]
    ansan_urls = [
        f"/openings/{ansan_world['opening'].pk}/",
        f"/companies/{ansan_world['company'].pk}/",
        f"/pathways/{ansan_world['pathway'].slug}/",
        f"/programs/{ansan_world['program'].pk}/",
    ]
    assert [ansan.get(url).status_code for url in pohang_urls] == [404, 404, 404, 404]
    assert [pohang.get(url).status_code for url in pohang_urls] == [200, 200, 200, 200]
    assert [ansan.get(url).status_code for url in ansan_urls] == [200, 200, 200, 200]
    assert [pohang.get(url).status_code for url in ansan_urls] == [404, 404, 404, 404]


def test_a_host_no_district_claims_shows_the_default_district(world, ansan_world, pohang_world):
    response = Client().get("/openings/")  # Host: testserver
    assert response.context["site_district"] == world.district
    assert ids(response) == {pohang_world["opening"].pk}
    assert Client(HTTP_HOST="unclaimed.localhost").get("/").context["district"] == world.district


def test_a_new_host_name_is_served_by_the_next_request(world):
    """The host map is cached (shared cache, the real one); adding a host name rebuilds it."""
    gyeongju = f.DistrictFactory(name="경주", slug="gyeongju", region="경상북도 경주시")
    client = on("gyeongju.localhost")
    assert client.get("/").context["site_district"] == world.district  # unclaimed: the default
    assert cache.get(SITE_MAP_CACHE_KEY).for_host("gyeongju.localhost") == world.district
    DistrictHost.objects.create(district=gyeongju, host="gyeongju.localhost")
    cached = cache.get(SITE_MAP_CACHE_KEY)
    assert isinstance(cached, SiteMap)
    assert cached.for_host("gyeongju.localhost") == gyeongju
    assert client.get("/").context["site_district"] == gyeongju


# --- Branding ------------------------------------------------------------------------------


def test_each_site_carries_its_districts_name(world, ansan):
    # Korean msgids that the catalogue already holds: "%(name)s Vocational Education Innovation
    # District" (포항 직업교육 혁신지구) and "Home" (홈).
    ansan_home = on("ansan.localhost").get("/")
    assert title_of(ansan_home) == "홈 · 안산 직업교육 혁신지구"
    assert title_of(on("pohang.localhost").get("/")) == "홈 · 포항 직업교육 혁신지구"
    assert title_of(Client().get("/openings/")).endswith(" · 포항 직업교육 혁신지구")
    footer = ansan_home.content.decode().split('<footer class="site-footer">')[1]
    assert "안산 직업교육 혁신지구 · 경기도 안산시 · " in footer
    assert "로봇" in footer
    assert "포항" not in footer
    assert '<h1 id="home-title">안산 직업교육 혁신지구</h1>' in ansan_home.content.decode()


def test_without_any_district_the_pages_say_the_generic_name(db):
    response = Client().get("/")
    assert response.context["site_district"] is None
    assert title_of(response) == "홈 · 직업교육 혁신지구"


# --- Forms: each district's own vocabulary ---------------------------------------------------


def test_signup_offers_only_the_sites_segments(world, ansan_world, pohang_world):
    form = on("ansan.localhost").get("/company/signup/").context["form"]
    assert list(form.fields["segment"].queryset) == [ansan_world["segment"]]


def test_a_segment_code_two_districts_share_filters_by_the_sites_one(world, ansan_world, pohang_world):
    # Both districts have a segment coded "cathode": each site reads its own.
    assert ids(on("ansan.localhost").get("/companies/?segment=cathode")) == {ansan_world["company"].pk}
    assert ids(on("ansan.localhost").get("/openings/?segment=cathode")) == {ansan_world["opening"].pk}
    assert ids(on("pohang.localhost").get("/pathways/?segment=cathode")) == {pohang_world["pathway"].pk}


def test_the_api_reads_a_shared_segment_code_as_the_hosts_segment(world, ansan_world, pohang_world):
    # The API lists every district; a segment code names the host's district's segment, so a code
    # two districts share neither fails nor mixes them.
    def company_ids(host):
        response = on(host).get("/api/v1/companies/?segment=cathode")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert company_ids("ansan.localhost") == {ansan_world["company"].pk}
    assert company_ids("pohang.localhost") == {world.company_a.pk, world.company_b.pk}


def test_the_opening_form_offers_the_companys_job_roles(world, ansan_world, pohang_world):
    form = OpeningForm(company=ansan_world["company"])
    assert list(form.fields["job_role"].queryset) == [ansan_world["role"]]


# --- Emails -----------------------------------------------------------------------------------


def test_an_email_about_an_ansan_company_comes_from_ansan(world, ansan, django_capture_on_commit_callbacks):
    company = f.CompanyFactory(district=ansan, verification="pending", verified_at=None)
    recruiter = f.UserFactory(username="ansan-hr", email="hr@ansan-robot.example.kr")
    f.MembershipFactory(
        user=recruiter, district=ansan, role=Membership.Role.COMPANY_RECRUITER, company=company
    )
    official = f.UserFactory(username="ansan-official", is_staff=True)
    f.MembershipFactory(user=official, district=ansan, role=Membership.Role.OFFICIAL)
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=company, by=official)
    assert [(m.from_email, m.to) for m in mail.outbox] == [(ANSAN_SENDER, ["hr@ansan-robot.example.kr"])]


# --- Sign-up and joining ------------------------------------------------------------------------


def signup_data(segment, **overrides):
    return {
        "name": "안산배터리",
        "business_number": VALID_NUMBER,
        "segment": segment.pk,
        "area": "",
        "recruiter_name": "김채용",
        "email": "hire@ansan-battery.example.kr",
        "password1": "robot-arms-2026!",
        "password2": "robot-arms-2026!",
        **overrides,
    }


def test_signup_with_a_number_registered_in_pohang_registers_a_new_ansan_company(
    world, ansan_world, django_capture_on_commit_callbacks
):
    pohang_number = world.company_a.business_number
    with django_capture_on_commit_callbacks(execute=True):
        response = on("ansan.localhost").post(
            "/company/signup/", signup_data(ansan_world["segment"], business_number=pohang_number)
        )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "companies/signup_sent.html"
    assert "포항" not in response.content.decode()
    created = Company.objects.get(district=ansan_world["company"].district, business_number=pohang_number)
    assert (created.name, created.verification) == ("안산배터리", Company.Verification.PENDING)
    assert Company.objects.filter(business_number=pohang_number).count() == 2
    # One message: the confirmation link on Ansan's site, from Ansan. Nothing hints at Pohang.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.from_email, message.to) == (ANSAN_SENDER, ["hire@ansan-battery.example.kr"])
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1
    assert links[0].startswith(f"{ANSAN_URL}/company/signup/confirm/")
    assert "포항" not in message.body
    assert world.company_a.name not in message.body


def test_signup_with_a_number_registered_on_this_site_is_told_by_email_only(
    world, ansan_world, django_capture_on_commit_callbacks
):
    ansan_number = ansan_world["company"].business_number
    with django_capture_on_commit_callbacks(execute=True):
        response = on("ansan.localhost").post(
            "/company/signup/", signup_data(ansan_world["segment"], business_number=ansan_number)
        )
    assert [t.name for t in response.templates][0] == "companies/signup_sent.html"
    assert Company.objects.filter(business_number=ansan_number).count() == 1
    assert [(m.from_email, m.to) for m in mail.outbox] == [(ANSAN_SENDER, ["hire@ansan-battery.example.kr"])]
    assert f"{ANSAN_URL}/company/join/" in mail.outbox[0].body
    assert "안산" in mail.outbox[0].body


def test_joining_finds_only_the_sites_companies(world, ansan_world, django_capture_on_commit_callbacks):
    data = {
        "business_number": world.company_a.business_number,
        "recruiter_name": "이채용",
        "email": "join@ansan.example.kr",
        "password1": "robot-arms-2026!",
        "password2": "robot-arms-2026!",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = on("ansan.localhost").post("/company/join/", data)
    assert [t.name for t in response.templates][0] == "companies/signup_sent.html"
    assert not Membership.objects.filter(user__email="join@ansan.example.kr").exists()
    # The "no company to join" message of Ansan, with Ansan's sign-up link: Pohang's company is not named.
    assert [(m.from_email, m.to) for m in mail.outbox] == [(ANSAN_SENDER, ["join@ansan.example.kr"])]
    assert f"{ANSAN_URL}/company/signup/" in mail.outbox[0].body
    assert world.company_a.name not in mail.outbox[0].body
    assert "포항" not in mail.outbox[0].body


def test_a_password_reset_on_ansans_site_comes_from_ansan(world, ansan):
    user = f.UserFactory(username="ansan-user", email="user@ansan.example.kr")
    user.set_password("robot-arms-2026!")
    user.save()
    response = on("ansan.localhost").post("/accounts/password_reset/", {"email": "user@ansan.example.kr"})
    assert response.status_code == 302
    assert [(m.from_email, m.to) for m in mail.outbox] == [(ANSAN_SENDER, ["user@ansan.example.kr"])]
    assert "http://ansan.localhost/accounts/reset/" in mail.outbox[0].body
