"""A field hidden from a role on some rows is neither searchable nor sortable for that role (issue 12).

A recruiter lists the students who applied to the company, with the student number, date of
birth and contact details null until the student accepts an offer. A search or a sort on one
of those fields revealed it anyway (prefix searches rebuilt a number in 42 requests).

The declaration is `schools.visibility.HIDDEN_STUDENT_FIELDS`, read through
`hidden_student_fields(user)`. `test_no_list_endpoint_searches_or_sorts_on_a_hidden_field`
iterates over it for every list endpoint of the API router (a new endpoint is covered
without editing this file) and every persona, the read-only token included.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_filters.utils import get_model_field

from config.api_urls import router
from district.api.tokens import dashboard_token_create
from district.models import Membership
from schools.models import Student
from schools.visibility import HIDDEN_STUDENT_FIELDS, hidden_student_fields
from tests import factories as f

PEOPLE = {
    "official": "official",
    "school_a": "school_a_staff",
    "school_b": "school_b_staff",
    "recruiter_a": "recruiter_a",
    "recruiter_b": "recruiter_b",
    "coordinator": "coordinator",
    "student": "student_user",
}
PERSONAS = [*PEOPLE, "token", "anonymous"]
LISTS = [(prefix, basename, viewset) for prefix, viewset, basename in router.registry]
NO_MATCH = "zz-matches-nothing-zz"


@pytest.fixture
def applicant(world):
    """The world's student, with contact details, applied to company A (not accepted: hidden from A)."""
    Student.objects.filter(pk=world.student.pk).update(
        student_number="2026-0417", email="haneul@example.kr", phone="010-2345-6789"
    )
    opening = f.OpeningFactory(company=world.company_a)
    f.ApplicationFactory(student=world.student, opening=opening)
    world.student.refresh_from_db()
    return world.student


@pytest.fixture
def clients(world):
    _token, key = dashboard_token_create(
        district=world.district,
        name="시 BI 서버",
        expires_at=timezone.now() + datetime.timedelta(days=30),
        by=world.official,
    )
    clients = {"anonymous": Client(), "token": Client(headers={"Authorization": f"Token {key}"})}
    for persona, attribute in PEOPLE.items():
        clients[persona] = Client()
        clients[persona].force_login(getattr(world, attribute))
    return clients


def _user(world, persona):
    return getattr(world, PEOPLE[persona]) if persona in PEOPLE else None


def ordering_params(viewset, field: str) -> list[str]:
    """`ordering` values that would sort the endpoint's rows on the Student field `field`.

    The field's own name, and every alias of the endpoint's ordering filter whose path ends on
    that field of Student (e.g. "number" for student_number, or "student__birth_date" on a
    list of applications).
    """
    params = {field}
    filterset = getattr(viewset, "filterset_class", None)
    ordering = filterset.base_filters.get("ordering") if filterset else None
    for param, path in getattr(ordering, "param_map", {}).items():
        model_field = get_model_field(filterset._meta.model, path)
        if model_field is not None and model_field.model is Student and model_field.name == field:
            params.add(param)
    return sorted(params)


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_the_declaration_hides_the_private_fields_from_recruiters_only(world):
    assert {
        Membership.Role.COMPANY_RECRUITER: frozenset({"student_number", "birth_date", "email", "phone"})
    } == HIDDEN_STUDENT_FIELDS
    assert {persona: hidden_student_fields(_user(world, persona)) for persona in PEOPLE} == {
        "official": frozenset(),
        "school_a": frozenset(),
        "school_b": frozenset(),
        "recruiter_a": HIDDEN_STUDENT_FIELDS[Membership.Role.COMPANY_RECRUITER],
        "recruiter_b": HIDDEN_STUDENT_FIELDS[Membership.Role.COMPANY_RECRUITER],
        "coordinator": frozenset(),
        "student": frozenset(),
    }


@pytest.mark.parametrize(("prefix", "basename", "viewset"), LISTS, ids=[row[0] for row in LISTS])
def test_no_list_endpoint_searches_or_sorts_on_a_hidden_field(
    world, applicant, clients, prefix, basename, viewset
):
    url = reverse(f"api:{basename}-list")
    problems = []
    for persona in PERSONAS:
        cache.clear()  # throttles count per client
        client = clients[persona]
        hidden = hidden_student_fields(_user(world, persona))
        plain = client.get(url)
        for field in sorted(hidden):
            for param in ordering_params(viewset, field):
                for value in (param, f"-{param}"):
                    response = client.get(url, {"ordering": value})
                    if plain.status_code != 200:  # refused anyway: the same refusal
                        if response.status_code != plain.status_code:
                            problems.append(f"{persona} ordering={value}: {response.status_code}")
                    elif response.status_code != 400 or list(response.json()) != ["ordering"]:
                        problems.append(f"{persona} ordering={value}: {response.status_code}")
            if plain.status_code == 200:
                hidden_value = str(getattr(applicant, field))
                found = client.get(url, {"q": hidden_value})
                nothing = client.get(url, {"q": NO_MATCH})
                if (found.status_code, _ids(found)) != (nothing.status_code, _ids(nothing)):
                    problems.append(f"{persona} q=<{field}> answers {_ids(found)}, unlike q={NO_MATCH}")
    assert not problems, "\n".join(problems)


def test_a_recruiter_cannot_search_or_sort_students_on_the_hidden_number(world, applicant, recruiter_a):
    url = reverse("api:student-list")
    listed = recruiter_a.get(url).json()["results"]
    assert [(row["id"], row["student_number"], row["email"]) for row in listed] == [
        (applicant.pk, None, None)
    ]
    # The name still finds the applicant; the number, or a prefix of it, finds nothing.
    assert _ids(recruiter_a.get(url, {"q": applicant.name})) == [applicant.pk]
    assert _ids(recruiter_a.get(url, {"q": "2026-0417"})) == []
    assert _ids(recruiter_a.get(url, {"q": "2026-04"})) == []
    response = recruiter_a.get(url, {"ordering": "number"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "ordering": ["Select a valid choice. number is not one of the available choices."]
    }
    assert recruiter_a.get(url, {"ordering": "-name"}).status_code == 200


def test_school_staff_still_search_and_sort_on_the_number(world, applicant, school_a_staff, official):
    url = reverse("api:student-list")
    for client in (school_a_staff, official):
        assert _ids(client.get(url, {"q": "2026-0417"})) == [applicant.pk]
        assert _ids(client.get(url, {"ordering": "-number"})) == [applicant.pk]


def test_a_recruiter_sees_and_searches_the_number_of_none_once_the_offer_is_accepted(
    world, applicant, recruiter_a
):
    """The rule is per role, not per row: after acceptance the number shows but still does not search."""
    applicant.applications.update(status="accepted")
    url = reverse("api:student-list")
    assert [row["student_number"] for row in recruiter_a.get(url).json()["results"]] == ["2026-0417"]
    assert _ids(recruiter_a.get(url, {"q": "2026-0417"})) == []


def test_a_list_without_ordering_refuses_an_ordering(world, official):
    response = official.get(reverse("api:match-run-list"), {"ordering": "cohort"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"ordering": ["This list cannot be sorted; leave out “ordering”."]}
