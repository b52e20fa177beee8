"""Anonymous public pages from the shared cache (issue 17, district.public_cache).

Real Redis (the run's REDIS_URL) and the real test client. Each test starts with an empty cache
(tests/conftest.py). "testserver" shows the default district, Pohang (the personas' world).
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from companies.models import Opening
from companies.services.openings import opening_approve, opening_close
from companies.services.revisions import opening_revision_approve, opening_revision_submit
from companies.services.verification import company_verify
from dashboard import kpis
from district.cohorts import Cohort
from district.models import DistrictHost
from district.public_cache import VERSION_KEY, public_versions
from tests import factories as f
from tests.builders import opening_of
from universities.services import credit_program_update

FIVE_PAGES = ["/", "/openings/", "/pathways/", "/companies/", "/programs/"]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def shown(world):
    """One row of each kind the five pages list, all public, in the personas' district."""
    role = f.JobRoleFactory(
        district=world.district, segment=world.company_a.segment, name="양극재 공정 운영원"
    )
    opening = opening_of(world.company_a, job_role=role, title="양극재 소성 운영")
    pathway = f.PathwayFactory(
        district=world.district,
        department=world.department_a,
        segment=world.company_a.segment,
        title="이차전지 공정 경로",
        slug="battery",
        is_published=True,
    )
    pathway.job_roles.set([role])
    program = f.CreditProgramFactory(university=world.university, name="이차전지융합과 재직자 과정")
    return {"role": role, "opening": opening, "pathway": pathway, "program": program}


def detail_pages(shown, world) -> list[str]:
    return [
        f"/openings/{shown['opening'].pk}/",
        f"/pathways/{shown['pathway'].slug}/",
        f"/companies/{world.company_a.pk}/",
        f"/programs/{shown['program'].pk}/",
    ]


def text(response) -> str:
    return response.content.decode()


def queries_of(client, url, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return len(queries), response


# --- No cookie, and the second request from the cache ----------------------------------------------


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("url", FIVE_PAGES)
def test_an_anonymous_get_sets_no_cookie_and_the_second_runs_no_query(shown, url, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Language"] == language
    assert first.cookies == {}
    assert not first.has_header("Set-Cookie")
    assert first["X-Cache"] == "miss"
    assert first["Vary"] == "Accept-Language, Cookie"

    count, second = queries_of(client, url)
    assert count == 0
    assert second["X-Cache"] == "hit"
    assert second.cookies == {}
    assert second["Vary"] == "Accept-Language, Cookie"
    assert second["Content-Language"] == language
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert second.content == first.content
    # What every other response carries is added to a stored page again.
    assert second["X-Frame-Options"] == first["X-Frame-Options"] == "DENY"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_hit_is_answered_before_any_other_middleware_with_the_headers_the_miss_had(shown, anonymous):
    first = anonymous.get("/openings/")
    second = anonymous.get("/openings/")
    # No session, user, language or district was looked up for it (the capacity target: a hit
    # costs little more than /healthz).
    assert not hasattr(second.wsgi_request, "session")
    assert not hasattr(second.wsgi_request, "user")
    assert not hasattr(second.wsgi_request, "district")
    assert hasattr(first.wsgi_request, "district")
    assert {k: v for k, v in second.items() if k != "X-Cache"} == {
        k: v for k, v in first.items() if k != "X-Cache"
    }
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")


def test_the_detail_pages_are_stored_too(shown, world, anonymous):
    for url in detail_pages(shown, world):
        first = anonymous.get(url)
        assert (first.status_code, first["X-Cache"], first.cookies) == (200, "miss", {}), url
        count, second = queries_of(anonymous, url)
        assert (count, second["X-Cache"]) == (0, "hit"), url


def test_a_head_is_served_from_the_entry_a_get_stored(shown, anonymous):
    anonymous.get("/companies/")
    with CaptureQueriesContext(connection) as queries:
        head = anonymous.head("/companies/")
    assert (len(queries), head.status_code, head["X-Cache"], head.content) == (0, 200, "hit", b"")


def test_a_query_string_is_its_own_entry(shown, anonymous):
    assert anonymous.get("/openings/")["X-Cache"] == "miss"
    searched = anonymous.get("/openings/", {"q": "없는말"})
    assert searched["X-Cache"] == "miss"
    assert "양극재 소성 운영" not in text(searched)
    assert anonymous.get("/openings/", {"q": "없는말"})["X-Cache"] == "hit"
    assert "양극재 소성 운영" in text(anonymous.get("/openings/"))


def test_only_a_200_is_stored(world, anonymous):
    assert anonymous.get("/openings/999999/").status_code == 404
    again = anonymous.get("/openings/999999/")
    assert (again.status_code, again["X-Cache"]) == (404, "miss")


def test_pages_with_a_form_still_set_their_csrf_cookie_and_are_not_stored(world, anonymous):
    response = anonymous.get("/accounts/login/")
    assert response.cookies["csrftoken"].value
    assert not response.has_header("X-Cache")


def test_zero_seconds_turns_the_cache_off(shown, anonymous, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    anonymous.get("/openings/")
    count, again = queries_of(anonymous, "/openings/")
    assert not again.has_header("X-Cache")
    assert count > 0


# --- A session is never served from the cache, never stored -----------------------------------------


def test_a_signed_in_student_never_gets_the_visitors_page(shown, anonymous, student_user):
    url = f"/openings/{shown['opening'].pk}/"
    assert anonymous.get(url)["X-Cache"] == "miss"
    assert anonymous.get(url)["X-Cache"] == "hit"
    page = student_user.get(url)
    assert not page.has_header("X-Cache")
    assert 'data-testid="fit"' in text(page)
    assert "지원하기" in text(page)  # "Apply now"
    assert 'data-testid="fit"' not in text(anonymous.get(url))


def test_a_signed_in_students_page_is_never_stored(shown, anonymous, student_user):
    url = f"/openings/{shown['opening'].pk}/"
    assert 'data-testid="fit"' in text(student_user.get(url))
    assert 'data-testid="fit"' in text(student_user.get(url))
    visitor = anonymous.get(url)
    assert visitor["X-Cache"] == "miss"
    assert 'data-testid="fit"' not in text(visitor)


def test_any_session_cookie_skips_the_cache(shown, anonymous):
    anonymous.get("/openings/")
    stranger = Client()
    stranger.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = stranger.get("/openings/")
    assert not response.has_header("X-Cache")
    assert "양극재 소성 운영" in text(response)


def test_a_visitor_with_a_message_waiting_is_not_served_from_the_cache(shown, anonymous):
    anonymous.get("/")
    with_message = Client()
    with_message.cookies["messages"] = "anything"
    assert not with_message.get("/").has_header("X-Cache")


# --- One entry per language and per host ---------------------------------------------------------


def test_each_language_has_its_entry_whether_chosen_by_cookie_or_header(shown):
    korean = Client().get("/openings/")
    assert (korean["X-Cache"], korean["Content-Language"]) == ("miss", "ko")
    by_header = Client(**EN).get("/openings/")
    assert (by_header["X-Cache"], by_header["Content-Language"]) == ("miss", "en")
    assert '<html lang="en">' in text(by_header)

    cookie = Client()
    cookie.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    by_cookie = cookie.get("/openings/")
    assert (by_cookie["X-Cache"], by_cookie["Content-Language"]) == ("hit", "en")
    assert by_cookie.content == by_header.content

    # The cookie wins over the header, as LocaleMiddleware decides: the Korean entry.
    both = Client(**EN)
    both.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    answer = both.get("/openings/")
    assert (answer["X-Cache"], answer["Content-Language"]) == ("hit", "ko")
    assert answer.content == korean.content


@pytest.fixture
def ansan(world):
    district = f.DistrictFactory(name="안산", slug="ansan", region="경기도 안산시", industry_focus="로봇")
    DistrictHost.objects.create(district=district, host="ansan.localhost")
    DistrictHost.objects.create(district=world.district, host="pohang.localhost")
    company = f.CompanyFactory(district=district, name="안산로봇")
    role = f.JobRoleFactory(district=district, name="로봇 유지보수원")
    opening_of(company, job_role=role, title="로봇 정비")
    return district


def test_each_host_has_its_entry(shown, ansan):
    pohang, other = Client(HTTP_HOST="pohang.localhost"), Client(HTTP_HOST="ansan.localhost")
    for client in (pohang, other):
        assert client.get("/openings/")["X-Cache"] == "miss"
    pohang_page, ansan_page = pohang.get("/openings/"), other.get("/openings/")
    assert (pohang_page["X-Cache"], ansan_page["X-Cache"]) == ("hit", "hit")
    assert "양극재 소성 운영" in text(pohang_page)
    assert "로봇 정비" not in text(pohang_page)
    assert "로봇 정비" in text(ansan_page)
    assert "양극재 소성 운영" not in text(ansan_page)


def test_a_change_forgets_only_its_own_districts_pages(shown, ansan, world):
    pohang, other = Client(HTTP_HOST="pohang.localhost"), Client(HTTP_HOST="ansan.localhost")
    pohang.get("/companies/")
    other.get("/companies/")
    world.company_b.name = "포스코퓨처엠 주식회사"
    world.company_b.save()
    assert other.get("/companies/")["X-Cache"] == "hit"
    fresh = pohang.get("/companies/")
    assert fresh["X-Cache"] == "miss"
    assert "포스코퓨처엠 주식회사" in text(fresh)


def test_a_host_name_moved_to_another_district_forgets_the_pages_stored_under_it(shown, ansan, world):
    pohang = Client(HTTP_HOST="pohang.localhost")
    assert "양극재 소성 운영" in cached(pohang, "/openings/")
    host = DistrictHost.objects.get(host="pohang.localhost")
    host.district = ansan
    host.save()
    moved = pohang.get("/openings/")
    assert moved["X-Cache"] == "miss"
    assert "로봇 정비" in text(moved)
    assert "양극재 소성 운영" not in text(moved)


# --- Each kind of change shows at once -------------------------------------------------------------


def cached(client, url) -> str:
    """The page, stored: fetched twice, the second from the cache."""
    client.get(url)
    second = client.get(url)
    assert second["X-Cache"] == "hit"
    return text(second)


def test_publishing_an_opening_shows_at_once(shown, world, anonymous):
    waiting = f.OpeningFactory(
        company=world.company_a,
        job_role=shown["role"],
        title="전극 코팅 운영",
        status=Opening.Status.SUBMITTED,
    )
    assert "전극 코팅 운영" not in cached(anonymous, "/openings/")
    opening_approve(opening=waiting, by=world.official)
    page = anonymous.get("/openings/")
    assert page["X-Cache"] == "miss"
    assert "전극 코팅 운영" in text(page)


def test_closing_an_opening_shows_at_once(shown, world, anonymous):
    url = f"/openings/{shown['opening'].pk}/"
    assert "양극재 소성 운영" in cached(anonymous, "/openings/")
    assert cached(anonymous, url)
    opening_close(opening=Opening.objects.get(pk=shown["opening"].pk), by=world.recruiter_a)
    assert "양극재 소성 운영" not in text(anonymous.get("/openings/"))
    assert anonymous.get(url).status_code == 404


def test_an_approved_revision_shows_at_once(shown, world, anonymous):
    url = f"/openings/{shown['opening'].pk}/"
    assert "양극재 소성 운영" in cached(anonymous, url)
    revision = opening_revision_submit(
        opening=shown["opening"], data={"title": "양극재 소성 반장"}, by=world.recruiter_a
    )
    assert "양극재 소성 반장" not in text(anonymous.get(url))  # proposed, not approved: the page stays
    opening_revision_approve(revision=revision, by=world.official)
    assert "양극재 소성 반장" in text(anonymous.get(url))
    assert "양극재 소성 반장" in text(anonymous.get("/openings/"))


def test_verifying_a_company_shows_at_once(shown, world, anonymous):
    pending = f.CompanyFactory(district=world.district, name="새싹전지", verification="pending")
    assert "새싹전지" not in cached(anonymous, "/companies/")
    company_verify(company=pending, by=world.official)
    assert "새싹전지" in text(anonymous.get("/companies/"))


def admin_form_data(response) -> dict:
    """What the admin's change page would post back unchanged: its form and its inlines."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)
    return data


def admin_change(client, url, **changes):
    data = admin_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""


def test_a_company_changed_in_the_admin_shows_at_once(shown, world, anonymous, official):
    assert "에코프로비엠" in cached(anonymous, "/companies/")
    assert "에코프로비엠" in cached(anonymous, "/openings/")
    admin_change(official, f"/admin/companies/company/{world.company_a.pk}/change/", name="에코프로비엠 포항")
    assert "에코프로비엠 포항" in text(anonymous.get("/companies/"))
    assert "에코프로비엠 포항" in text(anonymous.get("/openings/"))


def test_a_pathway_changed_in_the_admin_shows_at_once(shown, world, anonymous, official):
    assert "이차전지 공정 경로" in cached(anonymous, "/pathways/")
    assert cached(anonymous, "/pathways/battery/")
    admin_change(
        official, f"/admin/placements/pathway/{shown['pathway'].pk}/change/", title="배터리 공정 경로"
    )
    assert "배터리 공정 경로" in text(anonymous.get("/pathways/"))
    assert "배터리 공정 경로" in text(anonymous.get("/pathways/battery/"))


def test_a_programme_changed_by_its_coordinator_shows_at_once(shown, world, anonymous):
    program = shown["program"]
    assert "이차전지융합과 재직자 과정" in cached(anonymous, "/programs/")
    credit_program_update(program=program, by=world.coordinator, name="이차전지 야간 학위과정")
    assert "이차전지 야간 학위과정" in text(anonymous.get("/programs/"))


def test_a_new_pathway_link_shows_at_once(shown, world, anonymous):
    """A many-to-many link alone (no row saved) moves the version too."""
    url = "/pathways/battery/"
    assert "포스코퓨처엠" not in cached(anonymous, url)
    shown["pathway"].practice_companies.add(world.company_b)
    assert "포스코퓨처엠" in text(anonymous.get(url))


# --- Versions -----------------------------------------------------------------------------------


def test_a_missing_version_starts_from_the_clock_and_moves_at_once_and_at_the_commit(
    world, django_capture_on_commit_callbacks
):
    key = VERSION_KEY.format(world.district.pk)
    cache.delete(key)
    start = public_versions([world.district.pk])[world.district.pk]
    assert start > 1_700_000_000_000  # milliseconds since 1970: never a small number an old entry had
    assert public_versions([world.district.pk]) == {world.district.pk: start}
    with django_capture_on_commit_callbacks(execute=True):
        world.company_a.save()
        assert cache.get(key) == start + 1
    assert cache.get(key) == start + 2


def test_a_certification_is_national_and_moves_every_districts_version(shown, ansan, world):
    certification = f.CertificationFactory(name="전기기능사")
    before = public_versions([world.district.pk, ansan.pk])
    certification.name = "전기기능사(개정)"
    certification.save()
    assert public_versions([world.district.pk, ansan.pk]) == {
        world.district.pk: before[world.district.pk] + 1,
        ansan.pk: before[ansan.pk] + 1,
    }


def test_a_change_in_a_school_department_moves_only_its_districts_version(shown, ansan, world):
    before = public_versions([world.district.pk, ansan.pk])
    world.department_a.name = "이차전지 제어과"
    world.department_a.save()
    assert public_versions([world.district.pk, ansan.pk]) == {
        world.district.pk: before[world.district.pk] + 1,
        ansan.pk: before[ansan.pk],
    }


# --- The home page's figures follow the dashboard's cache ------------------------------------------


def delete_keys(pattern: str) -> int:
    """Delete the cache's keys that match `pattern`, as Redis does when they expire."""
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(f"*{pattern}*"))
    return client.delete(*keys) if keys else 0


def open_seats_on(response) -> str:
    html = text(response)
    start = html.index('href="/openings/">', html.index("numbers-heading")) + len('href="/openings/">')
    return html[start : html.index("<", start)]


def test_the_home_pages_figures_follow_the_dashboards_cache(shown, world, anonymous):
    assert open_seats_on(anonymous.get("/")) == "2"
    waiting = f.OpeningFactory(company=world.company_a, seats=5, status=Opening.Status.SUBMITTED)
    opening_approve(opening=waiting, by=world.official)

    # The page is rendered again (the version moved), with the dashboard's cached summary.
    again = anonymous.get("/")
    assert again["X-Cache"] == "miss"
    assert open_seats_on(again) == "2"
    scope = kpis.district_scopes([world.district])[0]
    cohort = Cohort.latest_surveyed(timezone.localdate()).school_year
    assert kpis.dashboard_data("summary", scope=scope, cohort=cohort)["open_seats"] == 2

    # The dashboard's entry expires: the stored home page is read until it expires too.
    assert delete_keys(":dashboard:v2:summary:") == 1  # the district's summary, in Korean
    assert open_seats_on(anonymous.get("/")) == "2"
    # One stored home page: the current version's replaced the old one under the same key.
    assert delete_keys(":public:page:") == 1
    assert open_seats_on(anonymous.get("/")) == "7"
    assert kpis.dashboard_data("summary", scope=scope, cohort=cohort)["open_seats"] == 7


def test_without_the_dashboards_cache_the_home_page_shows_a_change_at_once(shown, world, anonymous, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert open_seats_on(anonymous.get("/")) == "2"
    assert anonymous.get("/")["X-Cache"] == "hit"
    opening_approve(
        opening=f.OpeningFactory(company=world.company_a, seats=5, status=Opening.Status.SUBMITTED),
        by=world.official,
    )
    assert open_seats_on(anonymous.get("/")) == "7"


# --- The language links ------------------------------------------------------------------------------


def test_the_language_link_sets_the_cookie_and_returns_to_the_page(world, anonymous):
    response = anonymous.get("/i18n/language/", {"language": "en", "next": "/openings/?q=전지"})
    assert response.status_code == 302
    assert response["Location"] == "/openings/?q=%EC%A0%84%EC%A7%80"  # 전지
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert anonymous.get("/openings/")["Content-Language"] == "en"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/openings/", "http://pohang.localhost.evil.example/", ""],
)
def test_the_language_link_refuses_to_leave_the_site(world, anonymous, target):
    response = anonymous.get("/i18n/language/", {"language": "en", "next": target})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_language_link_accepts_its_own_host_in_full(world):
    client = Client(HTTP_HOST="pohang.localhost")
    response = client.get("/i18n/language/", {"language": "ko", "next": "http://pohang.localhost/programs/"})
    assert response["Location"] == "http://pohang.localhost/programs/"


def test_an_https_page_is_not_sent_back_to_http(world):
    response = Client().get("/i18n/language/", {"language": "en", "next": "http://testserver/"}, secure=True)
    assert response["Location"] == "/"


def test_a_language_the_site_does_not_offer_sets_no_cookie(world, anonymous):
    response = anonymous.get("/i18n/language/", {"language": "fr", "next": "/pathways/"})
    assert (response.status_code, response["Location"]) == (302, "/pathways/")
    assert response.cookies == {}


def test_the_language_link_answers_only_get(world, anonymous):
    assert anonymous.post("/i18n/language/", {"language": "en", "next": "/"}).status_code == 405


def test_every_page_links_to_the_other_language(shown, anonymous):
    korean = text(anonymous.get("/openings/", {"q": "전지"}))
    link = 'href="/i18n/language/?language=en&amp;next=%2Fopenings%2F%3Fq%3D%25EC%25A0%2584%25EC%25A7%2580"'
    assert korean.count(link) == 2  # the phone's menu and the desk's row
    assert 'lang="en" hreflang="en" rel="nofollow">English</a>' in korean
    english = text(Client(**EN).get("/"))
    assert 'lang="ko" hreflang="ko" rel="nofollow">한국어</a>' in english
    assert "csrfmiddlewaretoken" not in korean
