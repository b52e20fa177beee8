"""One deployment, many districts: each district's site keeps its sessions, roles and rows to itself.

issue 16 (ISOLATION). Pohang is served on pohang.localhost and Ansan on ansan.localhost
(`DistrictHost`), and people sign in through the real login form, so that their sessions are
bound to the site they signed in on (`district.sites`):

- a session made on Pohang's host is anonymous on Ansan's, and still valid on Pohang's after;
- the session cookie is host-only (no Domain attribute);
- on a site only that district's memberships count: a person with roles in both districts has
  only Ansan's on Ansan's host, and a Pohang official has no official access there;
- an official sees only the site's district in the admin, the dashboard's choices, the API and
  the evaluation pack, even when they are an official of both districts, and even when asking
  for the other district by its primary key;
- the host-name map is read on the first request, never at import or in `AppConfig.ready`, and
  is rebuilt when a district or a host name is saved or deleted.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from dashboard.tables import TABLES
from district.models import DistrictHost, Membership
from district.sites import SITE_MAP_CACHE_KEY, site_map
from tests import factories as f
from tests.builders import SETUP, build_world, opening_of, run_setup

POHANG, ANSAN = "pohang.localhost", "ansan.localhost"
PASSWORD = "a-long-enough-passphrase"
R = Membership.Role


@pytest.fixture
def ansan(world):
    """Ansan's own world of personas (ansan_official, ansan_staff_a, …), and both districts' hosts."""
    district = f.DistrictFactory(name="안산", slug="ansan", region="경기도 안산시", industry_focus="로봇")
    DistrictHost.objects.create(district=world.district, host=POHANG)
    DistrictHost.objects.create(district=district, host=ANSAN)
    return build_world(district=district, prefix="ansan_")


def sign_in(user, host: str) -> tuple[Client, object]:
    """Sign `user` in through the login form on `host`; returns the client and the login response."""
    user.set_password(PASSWORD)
    user.save()
    client = Client(HTTP_HOST=host)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/accounts/start/"
    return client, response


def ansan_job_role(ansan):
    return f.JobRoleFactory(segment=f.SegmentFactory(district=ansan.district))


def login_redirect(path: str) -> str:
    return f"/accounts/login/?next={path}"


# --- Sessions stay on their site ---------------------------------------------------------------------


def test_a_session_signed_in_on_pohang_is_anonymous_on_ansan_and_still_valid_on_pohang(world, ansan):
    client, login = sign_in(world.student_user, POHANG)
    assert client.get("/me/").status_code == 200

    on_ansan = client.get("/me/", HTTP_HOST=ANSAN)
    assert on_ansan.status_code == 302
    assert on_ansan["Location"] == login_redirect("/me/")
    assert client.get("/accounts/start/", HTTP_HOST=ANSAN)["Location"] == login_redirect("/accounts/start/")

    # The session was left as it was for its own site.
    assert client.get("/me/").status_code == 200
    assert client.session["_auth_user_id"] == str(world.student_user.pk)


def test_the_session_cookie_is_host_only(world, ansan):
    _client, login = sign_in(world.student_user, POHANG)
    cookie = login.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["domain"] == ""
    assert "domain=" not in cookie.output().lower()


def test_a_person_with_roles_in_both_districts_has_only_ansans_on_ansans_host(world, ansan):
    person = world.school_a_staff  # staff at Pohang's school A
    f.MembershipFactory(
        user=person, district=ansan.district, role=R.COMPANY_RECRUITER, company=ansan.company_a
    )

    client, _ = sign_in(person, ANSAN)
    assert client.get("/accounts/start/")["Location"] == "/company/"
    assert client.get("/company/").status_code == 200
    assert client.get("/school/").status_code == 403
    # Ansan's company's applicants, never Pohang's school's students.
    assert client.get(f"/school/students/{world.student.pk}/").status_code == 403

    at_home, _ = sign_in(person, POHANG)
    assert at_home.get("/accounts/start/")["Location"] == "/school/"
    assert at_home.get("/school/").status_code == 200
    assert at_home.get("/company/").status_code == 403


def test_pohangs_official_signed_in_on_ansans_host_has_no_official_access_there(world, ansan):
    client, _ = sign_in(world.official, ANSAN)
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/dashboard/").status_code == 403
    assert client.get(f"/admin/companies/company/{ansan.company_a.pk}/change/").status_code == 302
    assert client.get("/api/v1/match-runs/").status_code == 403


def test_a_student_cannot_apply_to_another_districts_opening(world, ansan):
    elsewhere = opening_of(ansan.company_a, job_role=ansan_job_role(ansan))
    fresh = f.UserFactory(username="fresh_student")
    f.MembershipFactory(user=fresh, district=world.district, role=R.STUDENT, school=world.school_a)
    f.StudentFactory(department=world.department_a, user=fresh, name="이새봄")
    client, _ = sign_in(fresh, POHANG)
    assert client.get(f"/me/openings/{elsewhere.pk}/apply/").status_code == 404
    assert client.post("/me/applications/new/", {"opening": elsewhere.pk}).status_code == 404
    assert not elsewhere.applications.exists()


def test_a_student_role_on_ansan_does_not_open_the_pohang_record_there(world, ansan):
    """A person whose student record is at Pohang's school, who also holds a student role at an Ansan
    school (moving between districts, say): on Ansan's site the Pohang record is not theirs to read."""
    person = world.student_user
    f.MembershipFactory(user=person, district=ansan.district, role=R.STUDENT, school=ansan.school_a)
    application = f.ApplicationFactory(student=world.student, opening=opening_of(world.company_a))

    on_ansan, _ = sign_in(person, ANSAN)
    assert on_ansan.get("/api/v1/applications/").json()["results"] == []
    assert on_ansan.get("/api/v1/students/").json()["results"] == []
    assert on_ansan.get(f"/api/v1/applications/{application.pk}/").status_code == 404

    at_home, _ = sign_in(person, POHANG)
    listed = at_home.get("/api/v1/applications/")
    assert [row["id"] for row in listed.json()["results"]] == [application.pk]


# --- An official sees the site's district only ---------------------------------------------------------


@pytest.fixture
def official_of_both(world, ansan):
    """Pohang's official, who is Ansan's official too, signed in on Pohang's host."""
    f.MembershipFactory(user=world.official, district=ansan.district, role=R.OFFICIAL)
    client, _ = sign_in(world.official, POHANG)
    return client


def test_the_admin_lists_only_the_sites_district(world, ansan, official_of_both):
    response = official_of_both.get("/admin/companies/company/")
    assert response.status_code == 200
    assert {c.pk for c in response.context["cl"].result_list} == {world.company_a.pk, world.company_b.pk}
    students = official_of_both.get("/admin/schools/student/")
    assert {s.pk for s in students.context["cl"].result_list} == {world.student.pk}
    # Another district's row answers "does not exist" (back to the admin's index).
    change = official_of_both.get(f"/admin/companies/company/{ansan.company_a.pk}/change/")
    assert (change.status_code, change["Location"]) == (302, "/admin/")


def test_the_dashboard_offers_only_the_sites_district(world, ansan, official_of_both):
    response = official_of_both.get("/dashboard/")
    assert response.status_code == 200
    assert [value for value, _label in response.context["form"].fields["district"].choices] == [
        "",
        world.district.pk,
    ]
    assert official_of_both.get(f"/dashboard/?district={ansan.district.pk}").status_code == 400


def test_the_evaluation_pack_is_the_sites_district_only(world, ansan, official_of_both):
    assert official_of_both.get("/dashboard/evaluation-pack.xlsx").status_code == 200
    assert (
        official_of_both.get(f"/dashboard/evaluation-pack.xlsx?district={ansan.district.pk}").status_code
        == 400
    )
    slug = next(iter(TABLES))
    assert official_of_both.get(f"/dashboard/export/{slug}.csv").status_code == 200
    assert (
        official_of_both.get(f"/dashboard/export/{slug}.csv?district={ansan.district.pk}").status_code == 400
    )
    summary = official_of_both.get(f"/api/v1/dashboard/summary/?district={ansan.district.pk}")
    assert summary.status_code == 400
    assert official_of_both.get("/api/v1/dashboard/summary/").json()["district"] == world.district.pk


def test_the_api_serves_only_the_sites_district(world, ansan, official_of_both):
    def ids(url):
        response = official_of_both.get(url)
        assert response.status_code == 200, response.content[:300]
        return {row["id"] for row in response.json()["results"]}

    assert ids("/api/v1/students/") == {world.student.pk}
    assert ids("/api/v1/companies/") == {world.company_a.pk, world.company_b.pk}
    assert ids(f"/api/v1/companies/?district={ansan.district.pk}") == set()
    assert official_of_both.get(f"/api/v1/students/{ansan.student.pk}/").status_code == 404
    assert official_of_both.get(f"/api/v1/companies/{ansan.company_a.pk}/").status_code == 404
    # Anonymous readers of Ansan's host get Ansan's public rows.
    on_ansan = Client(HTTP_HOST=ANSAN).get("/api/v1/companies/").json()["results"]
    assert {row["id"] for row in on_ansan} == {ansan.company_a.pk, ansan.company_b.pk}


def test_a_dashboard_token_reads_only_on_its_own_districts_site(world, ansan):
    from district.api.tokens import dashboard_token_create

    token, key = dashboard_token_create(
        district=world.district,
        name="시 BI 서버",
        expires_at=timezone.now() + datetime.timedelta(days=30),
        by=None,
    )
    headers = {"Authorization": f"Token {key}"}
    assert Client(HTTP_HOST=POHANG, headers=headers).get("/api/v1/dashboard/summary/").status_code == 200
    type(token).objects.filter(pk=token.pk).update(last_used_at=None)
    refused = Client(HTTP_HOST=ANSAN, headers=headers).get("/api/v1/dashboard/summary/")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "이 토큰은 해당 지구의 사이트에서만 사용할 수 있습니다."}
    token.refresh_from_db()
    assert token.last_used_at is None  # a refused request leaves no trace on the token


# --- The host-name map --------------------------------------------------------------------------------

NOT_LOADED_AT_START = (
    SETUP
    + """
from django.core.cache import cache
from district.sites import SITE_MAP_CACHE_KEY, site_map
from config.wsgi import application  # the WSGI app gunicorn imports before it forks
assert cache.get(SITE_MAP_CACHE_KEY) is None, "the host map was loaded at start-up"
try:
    site_map()  # the first request's read: the database is unreachable, so it must fail here
except Exception as error:
    print("first read:", type(error).__name__)
"""
)


def test_the_host_map_is_not_read_at_import_or_when_apps_are_ready():
    # No database at all (a closed port) and the in-process cache: a read at import or in
    # AppConfig.ready would fail django.setup(), or leave the map in this process's cache.
    result = run_setup(
        NOT_LOADED_AT_START, DEBUG="true", DATABASE_URL="postgres://nobody@127.0.0.1:9/none", REDIS_URL=None
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "first read: OperationalError"


def test_the_host_map_is_rebuilt_when_a_district_or_a_host_name_changes(world):
    assert site_map().for_host("ansan.localhost") == world.district  # unclaimed: the default district
    ansan = f.DistrictFactory(name="안산", slug="ansan")
    host = DistrictHost.objects.create(district=ansan, host="ansan.localhost")
    assert site_map().for_host("ansan.localhost:8000") == ansan
    assert cache.get(SITE_MAP_CACHE_KEY).by_host == {"ansan.localhost": ansan.pk}

    ansan.name = "안산시"
    ansan.save()
    assert site_map().for_host("ansan.localhost").name == "안산시"

    host.delete()
    assert site_map().for_host("ansan.localhost") == world.district
    ansan.delete()
    assert set(site_map().by_pk) == {world.district.pk}
