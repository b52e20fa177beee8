"""The access matrix: every URL pattern, every persona, every method, against one table.

The table is tests/district/access_table.py; the routes and the world are in
tests/district/access_world.py. This module

1. walks `django.urls.get_resolver()` and fails when a pattern has no row in the table (so a
   new page or API route cannot ship without someone deciding who may use it), or when the
   table keeps a row for a route that no longer exists;
2. requests every route as each of the ten personas, with GET and POST, and for API routes
   also PUT, PATCH and DELETE, against real objects owned by the A side of the world (school
   A, company A, the student of school A, the university's programme, the district's run);
3. checks each answer: a persona the table allows must not be refused; anyone else must be.

What counts as a refusal (`is_refusal`): 401, 403, 404 or 405, or a redirect to a login page
(the portal's or the admin's). A refused unsafe request must also leave every table of the
database as it was (`fingerprint`). Allowed means "not refused and no server error": 200,
201, 204, 302 elsewhere, 400 (a form or field error on an empty body) and 409 (a state
refusal after access was granted) are all answers of a view that let the caller in. 410
(an invitation link used up) and 429 (throttled) are neither, and fail loudly.

4. (issue 16) tries every route that names an object with the other district's object: each
   persona of Pohang, on pohang.localhost, asks for Ansan's student, opening, application, run
   and so on, and each persona of Ansan, on ansan.localhost, for Pohang's. Every answer must be
   a refusal and change nothing, public pages and API reads included (another district's
   object is not on this site). Each district's official is an official of the other district
   too, so what refuses them is the site's scope, not a missing role. The admin's object pages
   are tried by the officials with the other district's rows (the admin answers a row outside
   the official's scope with a redirect to its index, "does not exist"; everyone else is
   refused before any row is read, which step 2 already shows); the admin's changelists and
   the API's lists must show no row of the other district.

Speed: one world for the whole module, built once inside a transaction that is rolled back
at the end; every request runs in its own savepoint that is rolled back too, so an allowed
POST (a delete, a status change, a logout) cannot affect the next request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from district.models import DashboardToken
from tests.district.access_world import (
    ANSAN_HOST,
    BODIES,
    KWARGS,
    PERSONA_USERS,
    POHANG_HOST,
    QUERIES,
    ROUTES,
    Route,
    build_world,
    client_for,
    describe,
    fingerprint,
    is_refusal,
    send,
    table,
    url_for,
    verify_second_factor,
)


@pytest.fixture(autouse=True)
def tokens_used_just_now(request):
    """Each test that uses the world starts with its dashboard tokens' "last used" stamps fresh.

    A stamp is written only when it is older than DASHBOARD_TOKEN_TOUCH_SECONDS (300 s). The world
    is built once for the module, which runs for longer than that on a busy machine: a refused
    request late in the module would then write the stamp, and the fingerprint would count that
    as a change the refusal made.
    """
    if "matrix" in request.fixturenames:
        request.getfixturevalue("db")
        DashboardToken.objects.update(last_used_at=timezone.now())


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """One world for the module, in a transaction rolled back when the module ends."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                objects = build_world()
            objects.sessions = {}
            objects.clients = {
                "anonymous": Client(raise_request_exception=False),
                "token": Client(
                    headers={"Authorization": f"Token {objects.token_key}"}, raise_request_exception=False
                ),
            }
            for persona, attribute in PERSONA_USERS.items():
                client = Client(raise_request_exception=False)
                client.force_login(getattr(objects.world, attribute))
                objects.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
                objects.clients[persona] = client
            handler = objects.clients["anonymous"].handler
            for client in objects.clients.values():
                client.handler = handler  # one WhiteNoise scan rather than one per persona
            verify_second_factor(objects.world.official, objects.sessions["official"])
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield objects
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# --- The tests ---------------------------------------------------------------------------------------


def test_every_route_has_a_row_in_the_table():
    keys = [route.key for route in ROUTES]
    assert len(keys) == len(set(keys)), "two patterns share a name; key them apart in the table"
    missing = [route.key for route in ROUTES if not table.has_row(route.key, route.namespace)]
    assert not missing, f"routes without a row in tests/district/access_table.py: {missing}"
    stale = (set(table.TABLE) | set(table.ADMIN_ROWS)) - set(keys)
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


def test_every_route_with_arguments_has_real_objects_to_name():
    named = [
        route.key
        for route in ROUTES
        if route.converters and route.namespace != "admin" and route.key not in KWARGS
    ]
    assert not named, f"routes with URL arguments but no entry in KWARGS: {named}"


def test_every_persona_has_a_session_or_a_token(matrix, db, settings):
    for persona in table.PERSONAS:
        assert client_for(persona, matrix).get(reverse("home")).status_code == 200
    assert client_for("token", matrix).get(reverse("api:dashboard-summary")).status_code == 200
    # The official's session passed the second factor, so the matrix holds with it required too.
    settings.OFFICIALS_REQUIRE_OTP = True
    assert client_for("official", matrix).get(reverse("dashboard")).status_code == 200


def asked(route: Route, method: str, persona: str) -> bool:
    """Whether the matrix sends this request.

    Every route gets GET from every persona and POST (API: every method) from every persona,
    except that on a model's admin routes only the official and the model's change view get
    POST from everyone: the admin refuses a non-official in `AdminSite.admin_view` before any
    route's own code runs, so POSTing each of its ~300 routes as eight refused personas would
    repeat one check ~2,000 times (a third of the module's run time) and learn nothing more.
    """
    if method == "GET" or persona == table.OFFICIAL or route.admin_model is None:
        return True
    return route.key.endswith("_change")


@pytest.mark.parametrize("route", ROUTES, ids=[route.key for route in ROUTES])
def test_route_answers_as_the_table_says(matrix, db, route):
    cache.clear()  # API throttles count per client; the matrix makes many requests
    url = url_for(route, matrix) + QUERIES.get(route.key, "")
    body = BODIES[route.key](matrix) if route.key in BODIES else {}
    before = fingerprint()
    problems, refused_writes = [], []
    for method in route.methods:
        allowed = table.allowed(route.key, route.namespace, method)
        for persona in table.PERSONAS:
            if not asked(route, method, persona):
                continue
            client = client_for(persona, matrix)
            savepoint = transaction.savepoint()
            response = send(client, method, url, body)
            refused = is_refusal(response)
            # An allowed request's writes are undone so that the next request sees the same
            # world. A refused one's are kept, and checked all at once below: there must be none.
            if refused:
                transaction.savepoint_commit(savepoint)
                if method != "GET":
                    refused_writes.append(f"{persona} {method}")
            else:
                transaction.savepoint_rollback(savepoint)
            where = f"{persona} {method} {url}: {describe(response)}"
            if response.status_code >= 500 or response.status_code in {410, 429}:
                problems.append(f"{where} (neither an answer nor a refusal)")
            elif persona in allowed and refused:
                problems.append(f"{where} refused, but the table allows it")
            elif persona not in allowed and not refused:
                problems.append(f"{where} answered, but the table refuses it")
    if fingerprint() != before:
        problems.append(f"{url}: refused requests changed the database ({', '.join(refused_writes)})")
    assert not problems, "\n".join(problems)


# --- issue 16 (ISOLATION): every persona against the other district's objects -------------------------

# Routes whose arguments name no district's object: the same URL on both sites.
NO_DISTRICT_OBJECT = {
    "password_reset_confirm",  # a user id and a token (an invalid one here)
    "companies:signup_confirm",  # likewise
    "dashboard-export",  # the name of a table, not a row
    "api:certification-detail",  # certifications are a national registry, shared by every district
}
# Links whose token is the authority wherever the link is opened: unsubscribing a saved search from
# an email works on any host (the email names its district's own site anyway).
TOKEN_LINKS = {"searches:unsubscribe"}
# Leaks this pass found outside the access layer, left to their owners (see the ISOLATION note):
# strict xfails, so that each one fails here, loudly, the day it is fixed and its line can go.
# (The SITES helper fixed the four public detail pages: another district's answers 404.)
KNOWN_LEAKS: dict[str, str] = {}


def _cross_param(route):
    marks = (
        [pytest.mark.xfail(strict=True, reason=KNOWN_LEAKS[route.key])] if route.key in KNOWN_LEAKS else []
    )
    return pytest.param(route, id=route.key, marks=marks)


CROSS_ROUTES = [
    _cross_param(route)
    for route in ROUTES
    if route.namespace != "admin"
    and route.key in KWARGS
    and route.key not in NO_DISTRICT_OBJECT | TOKEN_LINKS
]
# Named object pages only: the unnamed "<object_id>/" route is the admin's redirect to the change
# page, which it sends before reading any row.
ADMIN_OBJECT_ROUTES = [
    route
    for route in ROUTES
    if route.namespace == "admin"
    and route.admin_model is not None
    and "object_id" in route.converters
    and route.key != route.route
]
# Admin models whose rows belong to no district: an official of any district reads them.
NATIONAL_ADMIN_MODELS = {"district.certification", "district.ncsunit"}


def of_the_other_district(matrix, model, side: str):
    """Whether a row (by pk) of `model` belongs to the district other than `side`'s.

    Rows up to `pohang_last_pk` are Pohang's, those built after it up to `ansan_last_pk` Ansan's;
    rows made later (the officials' second memberships, the national official, host names)
    belong to neither side here. The two officials are officials of both districts, so their
    user rows are rightly listed on both sites.
    """
    pohang, ansan = matrix.pohang_last_pk[model], matrix.ansan_last_pk[model]
    shared = matrix.officials_of_both if model._meta.label_lower == "district.user" else set()
    if side == "pohang":
        return lambda pk: pohang < pk <= ansan and pk not in shared
    return lambda pk: pk <= pohang and pk not in shared


@pytest.fixture(scope="module")
def sides(matrix, django_db_blocker):
    """Each district's personas on its own host, with the other district's objects to ask for.

    {district: (host, the other district's objects, {persona: client})}. Pohang's personas keep
    their sessions of the matrix; Ansan's sign in the same way (`force_login`, so their sessions
    are not bound to a site: what refuses them is the site's scope, not the session's binding).
    """
    handler = matrix.clients["anonymous"].handler
    ansan = matrix.ansan

    def clients(host, world, token_key):
        made = {}
        for persona in table.PERSONAS:
            extra = {"HTTP_AUTHORIZATION": f"Token {token_key}"} if persona == table.TOKEN else {}
            client = Client(raise_request_exception=False, HTTP_HOST=host, **extra)
            client.handler = handler
            if persona in PERSONA_USERS:
                with django_db_blocker.unblock():
                    client.force_login(getattr(world, PERSONA_USERS[persona]))
                client.session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
            made[persona] = client
        return made

    return {
        "pohang": (POHANG_HOST, ansan, clients(POHANG_HOST, matrix.world, matrix.token_key)),
        "ansan": (ANSAN_HOST, matrix, clients(ANSAN_HOST, ansan.world, ansan.token_key)),
    }


def _reset(client):
    from http.cookies import SimpleCookie

    client.cookies = SimpleCookie()
    if hasattr(client, "session_key"):
        client.cookies[settings.SESSION_COOKIE_NAME] = client.session_key
    return client


@pytest.mark.parametrize("route", CROSS_ROUTES)
def test_the_other_districts_objects_are_refused_to_everyone(matrix, sides, db, route):
    cache.clear()
    before = fingerprint()
    problems, writes = [], []
    for side, (host, other, clients) in sides.items():
        url = url_for(route, other) + QUERIES.get(route.key, "")
        body = BODIES[route.key](other) if route.key in BODIES else {}
        for method in route.methods:
            for persona, client in clients.items():
                savepoint = transaction.savepoint()
                response = send(_reset(client), method, url, body)
                where = f"{side} {persona} {method} {host}{url}: {describe(response)}"
                if is_refusal(response):
                    transaction.savepoint_commit(savepoint)  # kept: checked below, there must be no change
                    if method != "GET":
                        writes.append(f"{side} {persona} {method}")
                else:
                    transaction.savepoint_rollback(savepoint)
                    problems.append(f"{where} answered with the other district's object")
    if fingerprint() != before:
        problems.append(f"{route.key}: refused requests changed the database ({', '.join(writes)})")
    assert not problems, "\n".join(problems)


def _admin_refusal(response) -> bool:
    """Refused, or the admin's "does not exist" (a redirect to its index) for a row out of scope."""
    if is_refusal(response):
        return True
    return response.status_code == 302 and urlsplit(response["Location"]).path == reverse("admin:index")


@pytest.mark.parametrize("route", ADMIN_OBJECT_ROUTES, ids=[route.key for route in ADMIN_OBJECT_ROUTES])
def test_an_official_gets_no_admin_page_of_the_other_districts_rows(matrix, sides, db, route):
    model = route.admin_model
    if model._meta.label_lower in NATIONAL_ADMIN_MODELS:
        pytest.skip("a national registry: every district's officials read it")

    def the_other_districts(side):
        other = of_the_other_district(matrix, model, side)
        pks = [pk for pk in model._default_manager.values_list("pk", flat=True) if other(pk)]
        return lambda m: m._default_manager.filter(pk__in=pks)

    rows_of = {side: the_other_districts(side) for side in ("pohang", "ansan")}
    cache.clear()
    before = fingerprint()
    problems, tried = [], 0
    for side, (host, _other, clients) in sides.items():
        if not rows_of[side](model).exists():
            continue
        url = url_for(route, matrix, rows_of[side])
        methods = ("GET", "POST") if route.key.endswith("_change") else ("GET",)
        for method in methods:
            savepoint = transaction.savepoint()
            response = send(_reset(clients[table.OFFICIAL]), method, url, {})
            tried += 1
            if _admin_refusal(response):
                transaction.savepoint_commit(savepoint)
            else:
                transaction.savepoint_rollback(savepoint)
                problems.append(f"{side} official {method} {host}{url}: {describe(response)}")
    if not tried:
        pytest.skip(f"no row of {model._meta.label} in either district")
    if fingerprint() != before:
        problems.append(f"{route.key}: refused requests changed the database")
    assert not problems, "\n".join(problems)


# API lists: the rows a persona reads on its own district's site are all of that district.
API_LISTS = [route for route in ROUTES if route.is_api and route.key.endswith("-list")]


@pytest.mark.parametrize("route", API_LISTS, ids=[route.key for route in API_LISTS])
def test_an_api_list_shows_no_row_of_the_other_district(matrix, sides, db, route):
    from django.urls import resolve

    view = resolve(reverse(route.key)).func.cls
    if getattr(view, "national", False):
        pytest.skip("a national registry: the same rows on every district's site")
    model = view.serializer_class.Meta.model
    other_rows = {side: of_the_other_district(matrix, model, side) for side in ("pohang", "ansan")}
    cache.clear()
    problems, seen = [], 0
    for side, (host, _other, clients) in sides.items():
        for persona, client in clients.items():
            response = _reset(client).get(reverse(route.key), {"page_size": 200})
            if response.status_code != 200:
                continue  # refused: the main matrix pins who may read the list
            ids = [row["id"] for row in response.json()["results"]]
            seen += len(ids)
            leaked = sorted(pk for pk in ids if other_rows[side](pk))
            if leaked:
                problems.append(f"{side} {persona} {host}{reverse(route.key)}: the other district's {leaked}")
    assert seen, "no persona read any row: the check would prove nothing"
    assert not problems, "\n".join(problems)


# Admin changelists: an official of both districts lists, on each district's site, that district's rows.
CHANGELISTS = [
    route
    for route in ROUTES
    if route.namespace == "admin" and route.admin_model and route.key.endswith("_changelist")
]


@pytest.mark.parametrize("route", CHANGELISTS, ids=[route.key for route in CHANGELISTS])
def test_an_admin_changelist_shows_no_row_of_the_other_district(matrix, sides, db, route):
    model = route.admin_model
    if model._meta.label_lower in NATIONAL_ADMIN_MODELS:
        pytest.skip("a national registry: every district's officials read it")
    other_rows = {side: of_the_other_district(matrix, model, side) for side in ("pohang", "ansan")}
    problems, answered = [], 0
    for side, (host, _other, clients) in sides.items():
        response = _reset(clients[table.OFFICIAL]).get(reverse(route.key))
        if response.status_code != 200:
            continue  # refused to officials too (the outbox): the main matrix pins it
        answered += 1
        leaked = sorted(row.pk for row in response.context["cl"].result_list if other_rows[side](row.pk))
        if leaked:
            problems.append(f"{side} official {host}{reverse(route.key)}: the other district's {leaked}")
    if not answered:
        pytest.skip("no official may list this model")
    assert not problems, "\n".join(problems)
