"""/api/v1/match-runs/: officials start, read and publish their district's runs; nobody else can."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from district.api.tokens import dashboard_token_create
from district.models import Membership
from placements.models import Application, MatchRun
from tests import factories as f
from tests.builders import build_market, executed_run

API = "/api/v1/match-runs/"
NOT_OFFICIALS = ["school_a_staff", "school_b_staff", "recruiter_a", "coordinator", "student_user"]


@pytest.fixture
def market(world):
    return build_market(world)


def start(client, **body):
    return client.post(
        API,
        {"district": "pohang", "cohort": 2026, **body},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


def test_an_official_starts_a_run_and_reads_it_when_it_has_finished(
    world, market, official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = start(official)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["seed"], body["cohort"]) == ("queued", market.round.seed, 2026)
    assert response["Location"].endswith(f"{API}{body['id']}/")
    detail = official.get(f"{API}{body['id']}/")
    assert detail.status_code == 200
    run = detail.json()
    assert run["status"] == "succeeded"
    assert (run["stats"]["matched"], run["stats"]["students"]) == (3, 5)
    assert len(run["input_fingerprint"]) == 64


@pytest.mark.parametrize("seed", [42, None, "anything"])
def test_an_official_cannot_pick_the_seed_of_a_run(world, market, official, seed):
    response = start(official, seed=seed)
    assert response.status_code == 400
    assert response.json() == {
        "seed": [
            "The lottery seed belongs to the round and was fixed when its rankings opened; "
            "a run cannot choose another."
        ]
    }
    assert not MatchRun.objects.exists()


def test_the_district_may_be_given_by_id(world, market, official):
    response = start(official, district=str(world.district.pk))
    assert response.status_code == 201
    assert MatchRun.objects.get().district == world.district


def test_a_second_start_while_one_is_queued_is_a_conflict(world, market, official):
    assert start(official).status_code == 201  # on_commit never runs here: the run stays queued
    response = start(official)
    assert response.status_code == 409
    assert response.json()["code"] == "run_active"
    assert "already queued or running" in response.json()["detail"]
    assert MatchRun.objects.count() == 1


def test_bad_input_is_refused_with_the_field_named(world, market, official):
    response = start(official, cohort=2031)
    assert response.status_code == 400
    assert "cohort" in response.json()
    assert official.post(API, {"district": "pohang"}, content_type="application/json").status_code == 400
    assert not MatchRun.objects.exists()


def test_another_districts_runs_and_district_answer_as_missing(world, market, official):
    other = f.DistrictFactory(slug="ansan", name="안산")
    f.MatchRoundFactory(district=other, cohort=2026)
    foreign = f.MatchRunFactory(round=f.MatchRoundFactory(district=other, cohort=2027), status="succeeded")
    assert start(official, district="ansan").status_code == 404
    assert start(official, district="nowhere").status_code == 404
    assert official.get(f"{API}{foreign.pk}/").status_code == 404
    assert official.post(f"{API}{foreign.pk}/publish/").status_code == 404
    assert MatchRun.objects.get(pk=foreign.pk).status == "succeeded"


def test_an_official_publishes_a_run_that_succeeded(world, market, official):
    run = executed_run(world)
    response = official.post(f"{API}{run.pk}/publish/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert response.json()["stats"]["publication"]["offers"] == 3
    assert Application.objects.filter(status="offered", source="matching").count() == 3
    again = official.post(f"{API}{run.pk}/publish/")
    assert (again.status_code, again.json()["code"]) == (409, "not_publishable")


@pytest.mark.parametrize("persona", NOT_OFFICIALS)
def test_everyone_else_is_refused_on_every_endpoint(request, world, market, persona):
    client = request.getfixturevalue(persona)
    run = executed_run(world)
    assert start(client).status_code == 403
    assert client.get(API).status_code == 403
    assert client.get(f"{API}{run.pk}/").status_code == 403
    assert client.post(f"{API}{run.pk}/publish/").status_code == 403
    assert MatchRun.objects.count() == 1
    assert MatchRun.objects.get().status == "succeeded"
    assert not Application.objects.exists()


def test_anonymous_callers_are_refused(world, market, anonymous):
    run = executed_run(world)
    assert start(anonymous).status_code == 401
    assert anonymous.get(f"{API}{run.pk}/").status_code == 401
    assert anonymous.post(f"{API}{run.pk}/publish/").status_code == 401
    assert MatchRun.objects.get().status == "succeeded"


def test_an_inactive_official_is_refused(world, market, official):
    Membership.objects.filter(user=world.official).update(is_active=False)
    assert start(official).status_code == 403
    assert not MatchRun.objects.exists()


def test_a_dashboard_token_reads_the_runs_statistics_but_not_the_runs(world, market):
    """Since API 1.1 a token reads /dashboard/matching/, not the runs (issue 12)."""
    _row, key = dashboard_token_create(
        district=world.district,
        name="BI",
        by=world.official,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    reader = Client(headers={"Authorization": f"Token {key}"})
    run = executed_run(world)
    assert reader.get(API).status_code == 403
    assert reader.get(f"{API}{run.pk}/").status_code == 403
    response = reader.get("/api/v1/dashboard/matching/", {"cohort": 2026})
    assert response.status_code == 200
    [match_round] = response.json()
    assert (match_round["id"], match_round["cohort"]) == (run.round_id, 2026)
    assert match_round["cohort_label"] == "2026학년도 (2027년 2월 졸업)"
    [summary] = match_round["runs"]
    assert (summary["id"], summary["status"]) == (run.pk, "succeeded")
    assert (summary["stats"]["matched"], summary["stats"]["students"]) == (3, 5)
    assert "seed" not in summary["stats"] and "timings" not in summary["stats"]
    assert start(reader).status_code == 403
    assert reader.post(f"{API}{run.pk}/publish/").status_code == 403
    assert MatchRun.objects.get().status == "succeeded"
