"""Officials start, watch and publish runs in the admin; nobody else reaches those actions."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.models import Application, MatchRound, MatchRun
from tests import factories as f
from tests.builders import build_market, executed_run

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NOT_OFFICIALS = ["school_a_staff", "recruiter_a", "coordinator", "student_user"]


@pytest.fixture
def market(world):
    return build_market(world)


def run_page(run) -> str:
    return reverse("admin:placements_matchrun_change", args=[run.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Starting -----------------------------------------------------------------------------------------


def test_the_round_action_starts_a_run_that_the_task_executes(
    world, market, official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(
            reverse("admin:placements_matchround_changelist"),
            {"action": "start_match_runs", "_selected_action": [market.round.pk]},
            **EN,
        )
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert (run.status, run.created_by) == (MatchRun.Status.SUCCEEDED, world.official)
    assert "Queued a matching run for 1 matching round." in messages_of(response)


def test_the_round_action_reports_a_run_already_active(world, market, official):
    f.MatchRunFactory(round=market.round, status=MatchRun.Status.RUNNING)
    response = official.post(
        reverse("admin:placements_matchround_changelist"),
        {"action": "start_match_runs", "_selected_action": [market.round.pk]},
        **EN,
    )
    assert any("already queued or running" in m for m in messages_of(response))
    assert MatchRun.objects.count() == 1


def test_the_start_button_on_the_round_page_queues_a_run_and_shows_it(world, market, official):
    page = official.get(reverse("admin:placements_matchround_change", args=[market.round.pk]), **EN)
    assert 'id="start-run"' in page.content.decode()
    url = reverse("admin:placements_matchround_start_run", args=[market.round.pk])
    assert official.get(url).status_code == 405
    response = official.post(url)
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run_page(run)
    assert run.status == MatchRun.Status.QUEUED


def cells(html: str, field: str) -> list[str]:
    """The contents of one column of an admin inline table, top to bottom."""
    return re.findall(rf'<td class="field-{field}">\s*<p>(.*?)</p>', html)


def round_page(match_round) -> str:
    return reverse("admin:placements_matchround_change", args=[match_round.pk])


def test_the_round_page_lists_every_run_with_its_seed_fingerprint_statistics_and_starter(
    world, market, official
):
    first = executed_run(world)
    MatchRun.objects.filter(pk=first.pk).update(status=MatchRun.Status.FAILED, error="")  # an earlier attempt
    second = executed_run(world)
    by_shell = f.MatchRunFactory(round=market.round, status=MatchRun.Status.QUEUED, created_by=None)
    other_round = f.MatchRunFactory(round=f.MatchRoundFactory(district=world.district, cohort=2027))

    html = official.get(round_page(market.round), **EN).content.decode()

    assert re.search(r"<label>Lottery seed:</label>\s*<div class=\"readonly\">20260401</div>", html)
    # The runs' table, newest first: only this round's runs, each with its seed, fingerprint,
    # statistics and who started it (the operator's shell: nobody).
    assert cells(html, "run_link") == [
        f'<a href="{run_page(run)}">#{run.pk}</a>' for run in (by_shell, second, first)
    ]
    assert cells(html, "status") == ["Queued", "Succeeded", "Failed"]
    assert cells(html, "seed") == ["20260401"] * 3
    assert cells(html, "input_fingerprint") == ["-", second.input_fingerprint, first.input_fingerprint]
    assert second.input_fingerprint == first.input_fingerprint
    summary = "matched: 3, students: 5, first_choice_share: 40.0%, top3_share: 60.0%"
    assert cells(html, "statistics") == ["-", summary, summary]
    starter = (
        f'<a href="{reverse("admin:district_user_change", args=[world.official.pk])}">{world.official}</a>'
    )
    assert cells(html, "created_by") == ["-", starter, starter]
    assert f'href="{run_page(other_round)}"' not in html


def test_the_round_page_query_count_does_not_grow_with_runs(world, market, official):
    def count() -> int:
        official.get(round_page(market.round))  # warm caches (content types)
        with CaptureQueriesContext(connection) as captured:
            assert official.get(round_page(market.round)).status_code == 200
        return len(captured)

    f.MatchRunFactory(round=market.round, status=MatchRun.Status.FAILED, created_by=world.official)
    few = count()
    for _ in range(6):
        f.MatchRunFactory(round=market.round, status=MatchRun.Status.FAILED, created_by=world.official)
    # Session, user, memberships; the round; its runs (with their round and who started them);
    # the district choices of the form.
    assert count() == few == 6


def test_the_rounds_seed_cannot_be_changed_in_the_admin(world, market, official):
    match_round = market.round
    form = {
        "district": world.district.pk,
        "cohort": 2026,
        "title": "바뀐 제목",
        "preferences_close_at_0": "2026-12-01",
        "preferences_close_at_1": "18:00:00",
        "offer_response_days": 5,
        "seed": 1,
        "runs-TOTAL_FORMS": 0,
        "runs-INITIAL_FORMS": 0,
        "runs-MIN_NUM_FORMS": 0,
        "runs-MAX_NUM_FORMS": 1000,
    }
    response = official.post(round_page(match_round), form, **EN)
    assert response.status_code == 302, response.content.decode()[:3000]
    match_round.refresh_from_db()
    assert (match_round.title, match_round.seed) == ("바뀐 제목", 20260401)


# --- The run page ------------------------------------------------------------------------------------


def test_a_queued_run_page_refreshes_itself(world, market, official):
    run = f.MatchRunFactory(round=market.round, status=MatchRun.Status.QUEUED)
    html = official.get(run_page(run), **EN).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert 'data-status="queued"' in html
    assert 'id="publish-run"' not in html


def test_the_run_page_shows_statistics_and_explained_matches(world, market, official):
    run = executed_run(world)
    response = official.get(run_page(run), **EN)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]  # the run's row stays view-only
    html = response.content.decode()
    assert 'http-equiv="refresh"' not in html
    assert 'id="publish-run"' in html
    assert "Students in the round" in html and "60.0%" in html
    assert 'id="seats-by-company"' in html and "에코프로비엠" in html
    rows = dict(response.context["match_rows"])
    lines = {match.student.name: text for match, text in rows.items()}
    assert lines["이민준"][1] == (
        "Choice no. 1, “양극재 공정”: filled by students with a higher fit (cut-off 63, theirs 38)."
    )
    assert lines["박서연"][1] == (
        "Choice no. 1, “양극재 공정”: not eligible without the required certification 전기기능사."
    )
    assert lines["최지우"] == ["Ranked no openings."]
    assert "not eligible without the required certification 전기기능사" in html
    # The school-verified facts behind 김하늘's fit, by name.
    assert lines["김하늘"][2:] == [
        "School-checked certifications: 전기기능사.",
        "NCS units completed for this job: 이차전지 전극 공정 관리 and 1 more.",
    ]
    assert "School-checked certifications: 전기기능사." in html


def test_the_run_page_filters_and_paginates_matches(world, market, official):
    for _ in range(55):
        f.StudentFactory(department=world.department_b)
    run = executed_run(world)
    first = official.get(run_page(run), **EN)
    assert first.context["matches_page"].paginator.count == 60
    assert len(first.context["match_rows"]) == 50
    assert 'id="match-pages"' in first.content.decode()
    assert len(official.get(run_page(run) + "?page=2").context["match_rows"]) == 10
    matched = official.get(run_page(run) + "?outcome=matched")
    assert {m.student.name for m, _ in matched.context["match_rows"]} == {"김하늘", "이민준", "정도윤"}
    searched = official.get(run_page(run) + "?q=박서연")
    assert [m.student.name for m, _ in searched.context["match_rows"]] == ["박서연"]


def test_the_run_page_query_count_does_not_grow_with_matches(world, market, official):
    def count(run) -> int:
        official.get(run_page(run))  # warm caches (content types)
        with CaptureQueriesContext(connection) as captured:
            assert official.get(run_page(run)).status_code == 200
        return len(captured)

    few = count(executed_run(world))
    for _ in range(40):
        student = f.StudentFactory(department=world.department_b)
        f.PreferenceFactory(student=student, opening=market.cathode)
        f.PreferenceFactory(student=student, opening=market.recycling, rank=2)
    many = count(executed_run(world))
    # Session, user, memberships; the run (twice: the page's object and the change view's);
    # the matches' count and page (students, schools, openings, companies joined); the
    # titles of the openings the explanations mention; the round and users shown as
    # read-only fields.
    assert few == many


def test_another_districts_run_is_out_of_reach(world, market, official):
    other = f.DistrictFactory(slug="ansan", name="안산")
    foreign = f.MatchRunFactory(round=f.MatchRoundFactory(district=other), status=MatchRun.Status.SUCCEEDED)
    assert official.get(run_page(foreign)).status_code == 302  # the admin's "no such object"
    publish = reverse("admin:placements_matchrun_publish", args=[foreign.pk])
    assert official.post(publish).status_code == 404
    start = reverse("admin:placements_matchround_start_run", args=[foreign.round.pk])
    assert official.post(start).status_code == 404
    assert MatchRun.objects.get(pk=foreign.pk).status == MatchRun.Status.SUCCEEDED
    assert MatchRun.objects.filter(round=foreign.round).count() == 1


# --- Publishing -------------------------------------------------------------------------------------


def test_the_publish_button_opens_the_confirmation_page_whose_post_makes_the_offers(
    world, market, official, django_capture_on_commit_callbacks
):
    run = executed_run(world)
    html = official.get(run_page(run), **EN).content.decode()
    publish = reverse("admin:placements_matchrun_publish", args=[run.pk])
    # A link to the confirmation page, not a form that publishes at once.
    assert (
        f'<a href="{publish}" class="button default" id="publish-run">Publish: make the offers…</a>' in html
    )
    confirm = official.get(publish, **EN)
    assert confirm.status_code == 200
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.SUCCEEDED  # GET changes nothing
    assert not Application.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(publish, **EN)
    assert response.status_code == 302 and response["Location"] == run_page(run)
    assert "The run is published: the students have their offers." in messages_of(response)
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.PUBLISHED
    assert Application.objects.filter(status="offered", source="matching").count() == 3
    html = official.get(run_page(run), **EN).content.decode()
    assert 'id="publication"' in html and "3 offers were made." in html


def test_the_run_list_has_no_publish_action(world, market, official):
    run = executed_run(world)
    response = official.post(
        reverse("admin:placements_matchrun_changelist"),
        {"action": "publish_match_runs", "_selected_action": [run.pk]},
        **EN,
    )
    assert response.status_code == 200  # Django's "no action selected" page, nothing done
    assert response.context["cl"].model_admin.get_actions(response.wsgi_request) == {}
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.SUCCEEDED


# --- Everyone else -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_OFFICIALS)
def test_non_officials_reach_none_of_it(request, world, market, persona):
    client = request.getfixturevalue(persona)
    run = executed_run(world)
    urls = [
        reverse("admin:placements_matchrun_publish", args=[run.pk]),
        reverse("admin:placements_matchround_start_run", args=[market.round.pk]),
        reverse("admin:placements_matchrun_changelist"),
        reverse("admin:placements_matchround_changelist"),
    ]
    for url in urls:
        response = client.post(url, {"action": "start_match_runs", "_selected_action": [market.round.pk]})
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    confirmation = client.get(reverse("admin:placements_matchrun_publish", args=[run.pk]))
    assert confirmation.status_code == 302 and "/admin/login/" in confirmation["Location"]
    assert client.get(run_page(run)).status_code == 302
    assert MatchRun.objects.get().status == MatchRun.Status.SUCCEEDED
    assert MatchRound.objects.get().runs.count() == 1
    assert not Application.objects.exists()


def test_anonymous_is_sent_to_the_login_page(world, market, anonymous):
    run = executed_run(world)
    response = anonymous.post(reverse("admin:placements_matchrun_publish", args=[run.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert MatchRun.objects.get().status == MatchRun.Status.SUCCEEDED
