"""The API's doors: public allow-list, scoped resources, read-only tokens, the base viewset, the schema."""

import datetime
import hashlib
import tempfile

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import district.api.admin  # noqa: F401  (registers the token admin until district/admin.py imports it)
from config import api_urls
from district.api.base import PublicReadOnlyViewSet, ScopedViewSet
from district.api.permissions import PublicReadOnly
from district.api.tokens import dashboard_token_create, dashboard_token_revoke
from district.models import DashboardToken
from placements.models import Application, MatchRun, Placement
from tests import factories as f

API = "/api/v1"


def make_token(world, **extra):
    token, key = dashboard_token_create(
        district=world.district,
        name="시 BI 서버",
        expires_at=extra.pop("expires_at", timezone.now() + datetime.timedelta(days=30)),
        by=world.official,
    )
    return token, key


def token_client(key) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


@pytest.fixture
def token(world):
    return make_token(world)


@pytest.fixture
def token_reader(token):
    return token_client(token[1])


# --- The public allow-list ----------------------------------------------------------------------


def test_the_public_resources_are_exactly_the_allow_list():
    public = {prefix for prefix, viewset, _ in api_urls.PUBLIC}
    assert public == {
        "openings",
        "pathways",
        "companies",
        "schools",
        "departments",
        "credit-programs",
        "certifications",
        "job-roles",
    }
    for prefix, viewset, _basename in api_urls.router.registry:
        is_public = any(issubclass(p, PublicReadOnly) for p in viewset.permission_classes)
        assert is_public == (prefix in public), prefix
        assert issubclass(viewset, ScopedViewSet), prefix
        assert issubclass(viewset, PublicReadOnlyViewSet) == (prefix in public), prefix


@pytest.mark.parametrize(
    "prefix",
    [
        "openings",
        "pathways",
        "companies",
        "schools",
        "departments",
        "credit-programs",
        "certifications",
        "job-roles",
    ],
)
def test_anyone_reads_the_public_resources_and_nobody_writes_them(world, anonymous, prefix):
    response = anonymous.get(f"{API}/{prefix}/")
    assert response.status_code == 200, response.content
    assert {"count", "next", "previous", "results"} <= set(response.json())
    assert anonymous.post(f"{API}/{prefix}/", {}).status_code in {401, 403, 405}


def test_openings_are_published_unexpired_and_of_verified_companies(world, anonymous):
    published = f.OpeningFactory(company=world.company_a, title="양극재 공정")
    draft = f.OpeningFactory(company=world.company_a, status="draft")
    expired = f.OpeningFactory(
        company=world.company_a,
        apply_by=timezone.localdate() - datetime.timedelta(days=1),
        starts_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    unverified = f.CompanyFactory(district=world.district, verification="pending", verified_at=None)
    hidden = f.OpeningFactory(company=unverified)
    ids = [row["id"] for row in anonymous.get(f"{API}/openings/").json()["results"]]
    assert ids == [published.pk]
    for opening in (draft, expired, hidden):
        assert anonymous.get(f"{API}/openings/{opening.pk}/").status_code == 404
    detail = anonymous.get(f"{API}/openings/{published.pk}/").json()
    assert detail["company"] == {"id": world.company_a.pk, "name": world.company_a.name}
    assert "created_by" not in detail and "rejection_reason" not in detail


def test_openings_filter_with_the_shared_filterset(world, anonymous):
    cert = f.CertificationFactory(name="위험물기능사")
    rich = f.OpeningFactory(company=world.company_a, monthly_salary_krw=3_500_000, title="전극 코팅")
    poor = f.OpeningFactory(company=world.company_b, monthly_salary_krw=2_200_000, title="셀 검사")
    rich.required_certifications.add(cert)

    def ids(query):
        response = anonymous.get(f"{API}/openings/?{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(f"certification={cert.pk}") == [rich.pk]
    assert ids("min_salary=3000000") == [rich.pk]
    assert ids("q=검사") == [poor.pk]
    assert ids("q=코팅 전극") == [rich.pk]
    assert ids(f"company={world.company_b.pk}") == [poor.pk]
    assert ids("ordering=-salary") == [rich.pk, poor.pk]
    assert ids("ordering=salary") == [poor.pk, rich.pk]
    assert anonymous.get(f"{API}/openings/?certification=999999").status_code == 400


def test_public_lists_are_paginated(world, anonymous):
    for _ in range(3):
        f.OpeningFactory(company=world.company_a)
    page = anonymous.get(f"{API}/openings/?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert len(anonymous.get(page["next"]).json()["results"]) == 1


def test_companies_are_verified_only_and_pathways_published_only(world, anonymous):
    pending = f.CompanyFactory(district=world.district, verification="pending", verified_at=None)
    companies = [row["id"] for row in anonymous.get(f"{API}/companies/").json()["results"]]
    assert pending.pk not in companies and world.company_a.pk in companies
    shown = f.PathwayFactory(district=world.district, department=world.department_a)
    hidden = f.PathwayFactory(district=world.district, department=world.department_a, is_published=False)
    pathways = [row["id"] for row in anonymous.get(f"{API}/pathways/").json()["results"]]
    assert shown.pk in pathways and hidden.pk not in pathways
    by_school = anonymous.get(f"{API}/pathways/?school={world.school_b.pk}").json()["results"]
    assert by_school == []


# --- Scoped resources ----------------------------------------------------------------------------


@pytest.fixture
def applications(world):
    """An application from each school: A's to company A, B's to company B; and one in another district."""
    student_b = f.StudentFactory(department=world.department_b, name="박바다")
    opening_a = f.OpeningFactory(company=world.company_a)
    opening_b = f.OpeningFactory(company=world.company_b)
    other_district = f.DistrictFactory(slug="ansan", name="안산")
    outsider = f.StudentFactory(
        department=f.DepartmentFactory(school=f.SchoolFactory(district=other_district))
    )
    return {
        "a": Application.objects.create(student=world.student, opening=opening_a),
        "b": Application.objects.create(student=student_b, opening=opening_b, status="accepted"),
        "other": Application.objects.create(
            student=outsider, opening=f.OpeningFactory(company=f.CompanyFactory(district=other_district))
        ),
        "student_b": student_b,
    }


def _ids(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("prefix", ["applications", "students", "placements", "match-runs"])
def test_scoped_resources_refuse_anonymous_callers(anonymous, prefix):
    assert anonymous.get(f"{API}/{prefix}/").status_code == 401


def test_applications_are_scoped_by_role(
    world, applications, official, school_a_staff, recruiter_a, recruiter_b, student_user, coordinator
):
    a, b = applications["a"].pk, applications["b"].pk
    assert _ids(official, f"{API}/applications/") == {a, b}
    assert _ids(school_a_staff, f"{API}/applications/") == {a}
    assert _ids(recruiter_a, f"{API}/applications/") == {a}
    assert _ids(recruiter_b, f"{API}/applications/") == {b}
    assert _ids(student_user, f"{API}/applications/") == {a}
    assert _ids(coordinator, f"{API}/applications/") == set()
    # Out of scope answers 404, the same as missing.
    assert school_a_staff.get(f"{API}/applications/{b}/").status_code == 404
    assert recruiter_a.get(f"{API}/applications/{b}/").status_code == 404
    assert official.get(f"{API}/applications/{applications['other'].pk}/").status_code == 404
    assert official.get(f"{API}/applications/?school={world.school_b.pk}").json()["count"] == 1


def test_placements_are_scoped_by_role(world, official, school_b_staff, recruiter_a, student_user):
    mine = Placement.objects.create(
        student=world.student, company=world.company_a, starts_on=datetime.date(2026, 3, 2)
    )
    student_b = f.StudentFactory(department=world.department_b)
    theirs = Placement.objects.create(
        student=student_b, company=world.company_b, starts_on=datetime.date(2026, 3, 2)
    )
    assert _ids(official, f"{API}/placements/") == {mine.pk, theirs.pk}
    assert _ids(school_b_staff, f"{API}/placements/") == {theirs.pk}
    assert _ids(recruiter_a, f"{API}/placements/") == {mine.pk}
    assert _ids(student_user, f"{API}/placements/") == {mine.pk}
    assert official.get(f"{API}/placements/?cohort=2026&is_local=true").json()["count"] == 2


def test_students_are_scoped_and_recruiters_see_contacts_only_after_acceptance(
    world, applications, official, school_a_staff, recruiter_a, recruiter_b, student_user
):
    world.student.email, world.student.phone = "haneul@example.kr", "010-1234-5678"
    world.student.save()
    student_b = applications["student_b"]
    student_b.email = "bada@example.kr"
    student_b.save()
    assert _ids(official, f"{API}/students/") == {world.student.pk, student_b.pk}
    assert _ids(school_a_staff, f"{API}/students/") == {world.student.pk}
    assert _ids(student_user, f"{API}/students/") == {world.student.pk}
    # Recruiter A: 김하늘 applied but has not accepted, so no contact details or birth date.
    row = recruiter_a.get(f"{API}/students/").json()["results"]
    assert [r["id"] for r in row] == [world.student.pk]
    assert (row[0]["email"], row[0]["phone"], row[0]["birth_date"], row[0]["student_number"]) == (None,) * 4
    # Recruiter B: 박바다 accepted company B's offer.
    row = recruiter_b.get(f"{API}/students/").json()["results"]
    assert [(r["id"], r["email"]) for r in row] == [(student_b.pk, "bada@example.kr")]
    assert official.get(f"{API}/students/{world.student.pk}/").json()["email"] == "haneul@example.kr"
    assert school_a_staff.get(f"{API}/students/{student_b.pk}/").status_code == 404


def test_match_runs_are_for_officials_only(world, official, school_a_staff, recruiter_a, student_user):
    run = f.MatchRunFactory(round=f.MatchRoundFactory(district=world.district))
    assert _ids(official, f"{API}/match-runs/") == {run.pk}
    for client in (school_a_staff, recruiter_a, student_user):
        assert client.get(f"{API}/match-runs/").status_code == 403
    assert MatchRun.objects.count() == 1


def test_scoped_resources_are_read_only(world, official):
    assert official.post(f"{API}/applications/", {}).status_code in {403, 405}
    assert official.delete(f"{API}/placements/1/").status_code in {403, 404, 405}


# --- Dashboard tokens ------------------------------------------------------------------------------


def test_tokens_are_stored_hashed_with_an_expiry(world, token):
    row, key = token
    stored = DashboardToken.objects.get(pk=row.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.key_prefix, stored.key_hash, stored.name}
    assert key.startswith(f"idp_{stored.key_prefix}_")
    assert stored.expires_at > timezone.now()


def test_a_token_reads_dashboards_and_public_data_but_writes_nothing(world, token, token_reader):
    assert token_reader.get(f"{API}/dashboard/summary/").status_code == 200
    assert token_reader.get(f"{API}/dashboard/matching/").status_code == 200
    assert token_reader.get(f"{API}/openings/").status_code == 200
    assert token_reader.get("/api/schema/").status_code == 200
    for method in ("post", "put", "patch", "delete"):
        for path in (f"{API}/dashboard/summary/", f"{API}/openings/", f"{API}/placements/"):
            response = getattr(token_reader, method)(path, {}, content_type="application/json")
            assert response.status_code == 403, (method, path)
    DashboardToken.objects.filter(pk=token[0].pk, last_used_at__isnull=False).get()


def test_a_token_does_not_read_students_personal_data(token_reader):
    assert token_reader.get(f"{API}/students/").status_code == 403


def test_a_token_reads_no_per_student_record(world, applications, token_reader):
    """Issue 12: applications (with the company's feedback), placements and runs are aggregates only."""
    placement = f.PlacementFactory(student=applications["a"].student, company=world.company_a)
    run = f.MatchRunFactory(round=f.MatchRoundFactory(district=world.district))
    for path in (
        f"{API}/applications/",
        f"{API}/applications/{applications['a'].pk}/",
        f"{API}/placements/",
        f"{API}/placements/{placement.pk}/",
        f"{API}/match-runs/",
        f"{API}/match-runs/{run.pk}/",
    ):
        assert token_reader.get(path).status_code == 403, path


def test_a_token_sees_only_its_district(world, applications, token_reader):
    funnel = token_reader.get(f"{API}/dashboard/funnel/", {"cohort": 2026}).json()
    assert sum(step["count"] for step in funnel) == 2


@pytest.mark.parametrize(
    "header",
    ["Token idp_00000000_nope", "Token not-a-key", "Token a b", "Token"],
)
def test_unknown_or_malformed_tokens_are_refused(world, header):
    client = Client(headers={"Authorization": header})
    assert client.get(f"{API}/dashboard/summary/").status_code == 401


def test_revoked_expired_and_tampered_tokens_are_refused(world):
    revoked, revoked_key = make_token(world)
    dashboard_token_revoke(token=revoked, by=world.official)
    assert token_client(revoked_key).get(f"{API}/dashboard/summary/").status_code == 401
    expired, expired_key = make_token(world)
    DashboardToken.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert token_client(expired_key).get(f"{API}/dashboard/summary/").status_code == 401
    _live, live_key = make_token(world)
    tampered = live_key[:-2] + ("AA" if not live_key.endswith("AA") else "BB")
    assert token_client(tampered).get(f"{API}/dashboard/summary/").status_code == 401
    assert token_client(live_key).get(f"{API}/dashboard/summary/").status_code == 200


def test_a_token_cannot_be_made_without_a_future_expiry(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_token(world, expires_at=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        make_token(world, expires_at=timezone.now() + datetime.timedelta(days=5000))


def test_officials_create_a_token_in_the_admin_and_see_its_key_once(world, official):
    expires = timezone.localtime() + datetime.timedelta(days=60)
    response = official.post(
        "/admin/district/dashboardtoken/add/",
        {
            "district": world.district.pk,
            "name": "포항시 BI",
            "expires_at_0": expires.date().isoformat(),
            "expires_at_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    token = DashboardToken.objects.get(name="포항시 BI")
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    key = next(word.rstrip('”."') for m in shown for word in m.split() if word.startswith("idp_"))
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_hash
    assert token.created_by == world.official
    assert token_client(key).get(f"{API}/dashboard/summary/").status_code == 200
    # The key is shown on the next page only, and never again.
    assert key in official.get(response["Location"]).content.decode()
    page = official.get(f"/admin/district/dashboardtoken/{token.pk}/change/").content.decode()
    assert key not in page


@pytest.mark.parametrize(
    "days, message",
    [(-1, "Choose an expiry date in the future."), (5000, "A token may live at most 366 days.")],
)
def test_an_expiry_in_the_past_or_too_far_is_a_form_error_in_the_admin(
    world, official, settings, days, message
):
    settings.DASHBOARD_TOKEN_MAX_DAYS = 366
    expires = timezone.localtime() + datetime.timedelta(days=days)
    response = official.post(
        "/admin/district/dashboardtoken/add/",
        {
            "district": world.district.pk,
            "name": "포항시 BI",
            "expires_at_0": expires.date().isoformat(),
            "expires_at_1": "09:00:00",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200  # the form again, not a 500
    assert response.context["adminform"].form.errors["expires_at"] == [message]
    assert not DashboardToken.objects.exists()


def test_officials_revoke_tokens_with_an_admin_action(world, official, token):
    row, key = token
    response = official.post(
        "/admin/district/dashboardtoken/",
        {"action": "revoke", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None and row.revoked_by == world.official
    assert token_client(key).get(f"{API}/dashboard/summary/").status_code == 401


def test_other_roles_cannot_reach_the_token_admin(school_a_staff, recruiter_a):
    for client in (school_a_staff, recruiter_a):
        response = client.get("/admin/district/dashboardtoken/")
        assert (response.status_code, response["Location"]) == (
            302,
            "/admin/login/?next=/admin/district/dashboardtoken/",
        )


# --- The base viewset fails closed ----------------------------------------------------------------


def test_a_viewset_without_a_selector_is_refused_at_definition():
    with pytest.raises(ImproperlyConfigured):

        class Forgetful(ScopedViewSet):
            serializer_class = None


def test_a_viewset_with_its_own_queryset_is_refused_at_definition():
    with pytest.raises(ImproperlyConfigured):

        class Bypass(ScopedViewSet):
            selector = staticmethod(lambda **kw: Placement.objects.all())
            queryset = Placement.objects.all()


# --- Schema and docs -------------------------------------------------------------------------------


def test_the_schema_validates_without_warnings():
    with tempfile.NamedTemporaryFile(suffix=".yaml") as out:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", out.name)
        with open(out.name, encoding="utf-8") as schema:
            text = schema.read()
    for path in ("/api/v1/dashboard/summary/", "/api/v1/openings/", "/api/v1/students/"):
        assert path in text
    assert "dashboardToken" in text


def test_the_docs_work_offline(db, anonymous):
    assert anonymous.get("/api/schema/").status_code == 200
    page = anonymous.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "<script>" not in html  # the split view serves its script separately (CSP)
    script = anonymous.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
