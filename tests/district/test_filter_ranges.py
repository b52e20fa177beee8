"""Whole numbers too large or too small for the database, in every filter of every list page and API list.

`?department=99999999999999999999` once answered 500 on SQLite (an OverflowError from the
driver) and an unfiltered list on PostgreSQL. Every integer filter now checks its range and
answers 400 with a message on that field: pages render the same page with the error shown,
the API answers `{"<param>": ["…"]}`.

The filters are found, not listed by hand, so that a new one is covered:

- API lists: each router route's viewset and its `filterset_class`; the dashboard aggregates
  read `DashboardFilterForm`.
- Pages: every GET page of the URLconf (less the admin, which is officials' own tool), asked
  as a persona the access table lets in, with a query string; whatever FilterSet or form the
  page binds to that query string is its filter form. `PAGE_FILTERS_AT_LEAST` pins the ones
  known today, so that a page that stops binding its form to the query string is noticed.

`make test` runs this module twice: with the suite on PostgreSQL, and alone on SQLite, the
database of `make run` (DATABASE_URL=sqlite:///…; pytest-django makes an in-memory test DB).
"""

from __future__ import annotations

from html import escape

import django_filters
import pytest
from django import forms
from django.core.cache import cache
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test import Client
from django.test.utils import ContextList
from django.urls import reverse
from django_filters.utils import get_model_field

from tests.district import access_table as table
from tests.district.access_world import KWARGS, PERSONA_USERS, ROUTES, build_world, url_for

TOO_LARGE = "99999999999999999999"
TOO_SMALL = "-99999999999999999999"
HUGE_VALUES = (TOO_LARGE, TOO_SMALL)

# The first persona of this order that the access table lets GET a route asks for it.
PERSONA_ORDER = (
    table.ANONYMOUS,
    table.SCHOOL_A,
    table.RECRUITER_A,
    table.STUDENT,
    table.COORDINATOR,
    table.OFFICIAL,
    table.TOKEN,
)

# (route, parameter) pairs that the discovery below must find: a floor, not the whole list.
PAGE_FILTERS_AT_LEAST = {
    ("pathways:list", "school"),
    ("pathways:list", "department"),
    ("pathways:list", "job_role"),
    ("programs:list", "university"),
    ("companies_public:opening_list", "company"),
    ("companies_public:opening_list", "job_role"),
    ("companies_public:opening_list", "certification"),
    ("companies_public:opening_list", "min_salary"),
    ("companies_public:company_list", "area"),
    ("companies:applicant_list", "department"),
    ("companies:applicant_list", "certification"),
    ("schools:student_list", "department"),
    ("schools:student_list", "cohort"),
    ("schools:course_unit_list", "department"),
    ("schools:retention_list", "cohort"),
    ("dashboard", "district"),
    ("dashboard", "cohort"),
    ("dashboard", "year"),
    ("dashboard", "school"),
}


def range_message(model_field) -> str:
    low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
    return f"Enter a whole number between {low} and {high}."


def _key_field(queryset, to_field_name):
    meta = queryset.model._meta
    return meta.get_field(to_field_name) if to_field_name else meta.pk


def _integer(model_field) -> bool:
    while model_field is not None and model_field.is_relation:
        model_field = model_field.target_field
    return isinstance(model_field, models.IntegerField)


def filterset_integers(filterset) -> dict[str, object]:
    """The FilterSet's filters on whole numbers, each with the model field whose range bounds it."""
    found = {}
    model = filterset._meta.model
    for name, filter_ in filterset.filters.items():
        if isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
            field = _key_field(filter_.queryset, filter_.extra.get("to_field_name"))
        elif isinstance(filter_, django_filters.NumberFilter):
            field = get_model_field(model, filter_.field_name)
        else:
            continue
        if _integer(field):
            found[name] = field
    return found


def form_integers(form) -> set[str]:
    """The names of a plain form's fields that take a whole number (or the id of a row)."""
    found = set()
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            if _integer(_key_field(field.queryset, field.to_field_name)):
                found.add(name)
        elif isinstance(field, forms.IntegerField) or (
            isinstance(field, forms.TypedChoiceField) and field.coerce is int
        ):
            found.add(name)
    return found


def persona_for(key: str) -> str | None:
    allowed = table.TABLE.get(key, {}).get("GET", table.NOBODY)
    return next((persona for persona in PERSONA_ORDER if persona in allowed), None)


@pytest.fixture
def objects(db, settings):
    settings.OFFICIALS_REQUIRE_OTP = False
    objects = build_world()
    objects.clients = {
        table.ANONYMOUS: Client(raise_request_exception=False),
        table.TOKEN: Client(
            headers={"Authorization": f"Token {objects.token_key}"}, raise_request_exception=False
        ),
    }
    for persona, attribute in PERSONA_USERS.items():
        client = Client(raise_request_exception=False)
        client.force_login(getattr(objects.world, attribute))
        objects.clients[persona] = client
    for client in objects.clients.values():
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return objects


def ask(objects, persona: str, url: str, params: dict):
    cache.clear()  # API throttles count per client; these tests ask many times
    return objects.clients[persona].get(url, params)


# --- API lists ------------------------------------------------------------------------------------


def _api_lists():
    routes = []
    for route in ROUTES:
        if route.is_api and route.key.endswith("-list"):
            routes.append(route)
    return routes


def _viewset(route):
    from django.urls import resolve

    return resolve(reverse(route.key)).func.cls


API_LISTS = [route for route in _api_lists() if getattr(_viewset(route), "filterset_class", None)]


def test_every_api_list_with_filters_is_covered():
    assert {route.key for route in API_LISTS} == {
        "api:opening-list",
        "api:pathway-list",
        "api:company-list",
        "api:school-list",
        "api:department-list",
        "api:credit-program-list",
        "api:certification-list",
        "api:job-role-list",
        "api:application-list",
        "api:student-list",
        "api:placement-list",
        "api:match-run-list",
    }


def test_api_lists_refuse_out_of_range_integers_in_every_filter(objects):
    problems, asked = [], set()
    for route in API_LISTS:
        filterset_class = _viewset(route).filterset_class
        filterset = filterset_class(queryset=filterset_class._meta.model.objects.none())
        persona = persona_for(route.key)
        for name, model_field in filterset_integers(filterset).items():
            asked.add(f"{route.key}?{name}")
            for value in HUGE_VALUES:
                response = ask(objects, persona, reverse(route.key), {name: value})
                body = response.content[:200].decode(errors="replace")
                if response.status_code != 400 or response.json() != {name: [range_message(model_field)]}:
                    problems.append(f"{route.key}?{name}={value} as {persona}: {response.status_code} {body}")
    assert problems == [], "\n".join(problems)
    # Ids (district, company, school, ...) and whole numbers (min_salary, cohort, cohort).
    assert {"api:opening-list?company", "api:opening-list?min_salary", "api:student-list?department"} <= asked
    assert len(asked) == 27


def test_dashboard_api_refuses_out_of_range_integers(objects):
    from dashboard.forms import DashboardFilterForm

    names = {
        name
        for name, field in DashboardFilterForm.base_fields.items()
        if isinstance(field, forms.IntegerField | forms.TypedChoiceField)
    }
    assert names == {"district", "cohort", "year", "school"}
    problems = []
    for route in ROUTES:
        if not route.key.startswith("api:dashboard-"):
            continue
        for name in sorted(names):
            for value in HUGE_VALUES:
                # The comparison of every district is the Ministry's; the rest are an official's.
                persona = table.NATIONAL if route.key == "api:dashboard-districts" else table.OFFICIAL
                response = ask(objects, persona, reverse(route.key), {name: value})
                if response.status_code != 400 or list(response.json()) != [name]:
                    body = response.content[:200].decode(errors="replace")
                    problems.append(f"{route.key}?{name}={value}: {response.status_code} {body}")
    assert problems == [], "\n".join(problems)


# --- Pages ------------------------------------------------------------------------------------------


def _page_routes():
    return [
        route
        for route in ROUTES
        if not route.is_api
        and route.namespace != "admin"
        and not route.namespace.startswith("admin:")
        and persona_for(route.key) is not None
        and (not route.converters or route.key in KWARGS)
    ]


def _filter_forms(response):
    """The filter forms a page bound to its query string: {parameter: (form, model field or None)}."""
    found = {}
    query = response.wsgi_request.GET
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    values = [value for context in contexts if context is not None for value in context.flatten().values()]
    for value in values:
        if isinstance(value, django_filters.FilterSet) and value.data is query:
            for name, field in filterset_integers(value).items():
                found[name] = (value.form, field)
        elif isinstance(value, forms.BaseForm) and value.data is query:
            for name in form_integers(value):
                found.setdefault(name, (value, None))
    return found


def test_pages_refuse_out_of_range_integers_in_every_filter(objects):
    problems, discovered = [], set()
    for route in _page_routes():
        persona = persona_for(route.key)
        url = url_for(route, objects)
        probe = ask(objects, persona, url, {"page": "1"})
        if probe.status_code != 200 or probe.get("Content-Type", "").split(";")[0] != "text/html":
            continue
        for name in _filter_forms(probe):
            discovered.add((route.key, name))
        for name in sorted(
            set(_filter_forms(probe)) | {n for k, n in PAGE_FILTERS_AT_LEAST if k == route.key}
        ):
            for value in HUGE_VALUES:
                response = ask(objects, persona, url, {name: value})
                where = f"{route.key}?{name}={value} as {persona}"
                if response.status_code != 400:
                    problems.append(f"{where}: {response.status_code}")
                    continue
                form, model_field = _filter_forms(response).get(name, (None, None))
                errors = [e["message"] for e in form.errors.get_json_data().get(name, [])] if form else []
                if not errors:
                    problems.append(f"{where}: 400 without an error on {name}")
                    continue
                if model_field is not None and errors != [range_message(model_field)]:
                    problems.append(f"{where}: {errors}")
                if escape(errors[0]) not in response.content.decode():
                    problems.append(f"{where}: the message is not shown: {errors[0]}")
    assert problems == [], "\n".join(problems)
    assert PAGE_FILTERS_AT_LEAST - discovered == set()


# --- Detail URLs: a huge id is a missing row ----------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "companies_public:opening_detail",
        "programs:detail",
        "schools:student_detail",
        "companies:opening_detail",
        "universities:program_detail",
        "api:opening-detail",
        "api:student-detail",
        "api:application-detail",
    ],
)
def test_detail_urls_with_a_huge_id_answer_404(objects, key):
    url = reverse(key, kwargs={"pk": 1}).replace("/1/", f"/{TOO_LARGE}/")
    assert ask(objects, persona_for(key), url, {}).status_code == 404


def test_a_huge_school_in_the_query_string_answers_404(objects):
    for key in ("schools:roster_template", "schools:roster_export", "schools:department_create"):
        assert ask(objects, table.SCHOOL_A, reverse(key), {"school": TOO_LARGE}).status_code == 404, key
