"""The access matrix: every URL pattern, every persona, every method, against one table.

The table is tests/district/access_table.py; the routes and the world are in
tests/district/access_world.py. This module

1. walks `django.urls.get_resolver()` and fails when a pattern has no row in the table (so a
   new page or API route cannot ship without someone deciding who may use it), or when the
   table keeps a row for a route that no longer exists;
2. requests every route as each of the nine personas, with GET and POST, and for API routes
   also PUT, PATCH and DELETE, against real objects owned by the A side of the world (school
   A, company A, the student of school A, the university's programme, the district's run);
3. checks each answer: a persona the table allows must not be refused; anyone else must be.

What counts as a refusal (`is_refusal`): 401, 403, 404 or 405, or a redirect to a login page
(the portal's or the admin's). A refused unsafe request must also leave every table of the
database as it was (`fingerprint`). Allowed means "not refused and no server error": 200,
201, 204, 302 elsewhere, 400 (a form or field error on an empty body) and 409 (a state
refusal after access was granted) are all answers of a view that let the caller in. 410
(an invitation link used up) and 429 (throttled) are neither, and fail loudly.

Speed: one world for the whole module, built once inside a transaction that is rolled back
at the end; every request runs in its own savepoint that is rolled back too, so an allowed
POST (a delete, a status change, a logout) cannot affect the next request.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests.district.access_world import (
    BODIES,
    KWARGS,
    PERSONA_USERS,
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
                client.handler = handler  # one WhiteNoise scan rather than nine
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
