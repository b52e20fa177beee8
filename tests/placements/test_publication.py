"""Publishing a matching run: trial runs are marked and never published, "Publish" is offered only
when publishing is allowed, and it goes through a confirmation page that says how many offers and
emails will go out (GET) before anything is sent (POST)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from placements.models import Application, MatchRun
from placements.selectors.runs import runs_awaiting_publication
from placements.services.runs import match_run_publish, publish_refusal
from tests import factories as f
from tests.builders import build_market, executed_run

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def run_page(run) -> str:
    return reverse("admin:placements_matchrun_change", args=[run.pk])


def confirmation(run) -> str:
    return reverse("admin:placements_matchrun_publish", args=[run.pk])


@pytest.fixture
def market(world):
    return build_market(world)


@pytest.fixture
def open_market(world):
    return build_market(world, close_at=timezone.now() + datetime.timedelta(days=2))


def close_rankings(match_round):
    """Rankings close now: runs started before are trials, runs started from now on are not."""
    match_round.preferences_close_at = timezone.now()
    match_round.save(update_fields=["preferences_close_at"])


# --- The confirmation page ------------------------------------------------------------------------


def test_the_confirmation_page_counts_the_offers_and_emails(world, market, official):
    # 김하늘 has an account (and an address); 이민준 has an address from the school; 정도윤 has none.
    market.minjun.email = "minjun@heunghae.hs.kr"
    market.minjun.save(update_fields=["email"])
    run = executed_run(world)
    response = official.get(confirmation(run), **EN)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.offers, preview.students_emailed, preview.students_without_email) == (3, 2, 1)
    # 에코프로비엠 (양극재 공정) and 포스코퓨처엠 (재활용 설비), one recruiter each.
    assert (preview.companies, preview.company_emails, preview.emails) == (2, 2, 4)
    html = response.content.decode()
    assert '<td class="num" id="preview-offers">3</td>' in html
    assert '<td class="num" id="preview-emails">4</td>' in html
    assert "1 offered student has no email address" in html
    assert 'id="confirm-publish">Publish and make 3 offers</button>' in html
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.SUCCEEDED
    assert not Application.objects.exists() and mail.outbox == []


def test_the_figures_are_what_publishing_then_sends(
    world, market, official, django_capture_on_commit_callbacks
):
    market.minjun.email = "minjun@heunghae.hs.kr"
    market.minjun.save(update_fields=["email"])
    run = executed_run(world)
    preview = official.get(confirmation(run)).context["preview"]
    with django_capture_on_commit_callbacks(execute=True):
        official.post(confirmation(run))
    assert Application.objects.filter(match__run=run, status="offered").count() == preview.offers
    assert len(mail.outbox) == preview.emails


def test_the_confirmation_page_names_what_is_skipped(world, market, official):
    # 정도윤 meanwhile applied to the opening the run matched him to.
    f.ApplicationFactory(student=market.doyun, opening=market.recycling)
    run = executed_run(world)
    preview = official.get(confirmation(run), **EN).context["preview"]
    assert (preview.offers, preview.skipped) == (2, [("already applied to that opening", 1)])


def test_publishing_from_the_confirmation_page(world, market, official, django_capture_on_commit_callbacks):
    run = executed_run(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(confirmation(run), **EN)
    assert (response.status_code, response["Location"]) == (302, run_page(run))
    assert messages_of(response) == ["The run is published: the students have their offers."]
    run.refresh_from_db()
    assert (run.status, run.published_by) == (MatchRun.Status.PUBLISHED, world.official)
    assert Application.objects.filter(status="offered").count() == 3


def test_a_published_run_has_no_publish_button_and_its_confirmation_page_says_why(world, market, official):
    run = executed_run(world)
    match_run_publish(run=run, by=world.official)
    html = official.get(run_page(run), **EN).content.decode()
    assert 'id="publish-run"' not in html
    response = official.get(confirmation(run), **EN)
    assert (response.status_code, response["Location"]) == (302, run_page(run))
    assert messages_of(response) == ["Only a run that succeeded can be published; this one is “Published”."]


def test_a_second_run_of_a_published_round_is_not_offered_for_publication(world, market, official):
    first, second = executed_run(world), executed_run(world)
    match_run_publish(run=first, by=world.official)
    html = official.get(run_page(second), **EN).content.decode()
    assert 'id="publish-run"' not in html
    assert f"Another run of “{market.round.title}” is already published." in html


# --- Trial runs ----------------------------------------------------------------------------------------


def test_the_round_page_offers_a_trial_run_while_rankings_are_open(world, open_market, official):
    page = reverse("admin:placements_matchround_change", args=[open_market.round.pk])
    html = official.get(page, **EN).content.decode()
    assert 'id="start-run">Start a trial run (rankings are still open)</button>' in html
    close_rankings(open_market.round)
    html = official.get(page, **EN).content.decode()
    assert 'id="start-run">Start a matching run</button>' in html


def test_a_run_started_while_rankings_are_open_is_a_trial_everywhere(
    world, open_market, official, django_capture_on_commit_callbacks
):
    start = reverse("admin:placements_matchround_start_run", args=[open_market.round.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(start, **EN)
    run = MatchRun.objects.get()
    assert run.is_trial is True
    assert messages_of(response) == [
        "The trial run is queued; this page refreshes until it finishes. Rankings are still open, "
        "so it cannot be published: start a new run once they close."
    ]
    # The run's title, its page, the runs list and the round's list of runs.
    assert str(run) == f"{open_market.round.title} #{run.pk} (Trial run, Succeeded)"
    html = official.get(run_page(run), **EN).content.decode()
    assert '<div class="module run-trial-box" id="run-trial">' in html
    assert 'id="publish-run"' not in html
    listing = official.get(reverse("admin:placements_matchrun_changelist"), **EN).content.decode()
    assert '<td class="field-run_kind"><span class="run-trial">Trial run</span></td>' in listing
    round_page = official.get(
        reverse("admin:placements_matchround_change", args=[open_market.round.pk]), **EN
    ).content.decode()
    assert f'>#{run.pk}</a> <span class="run-trial">Trial run</span>' in round_page


def test_a_trial_run_is_not_published_even_after_rankings_close(world, open_market, official):
    trial = executed_run(world)
    close_rankings(open_market.round)
    trial.refresh_from_db()
    assert trial.is_trial is True
    with pytest.raises(ValidationError) as refused:
        match_run_publish(run=trial, by=world.official)
    assert refused.value.code == "trial_run"
    response = official.get(confirmation(trial), **EN)
    assert messages_of(response) == [
        f"This was a trial run, started while rankings for “{open_market.round.title}” were still open; "
        "students may have changed their lists since. Start a new run and publish that one."
    ]
    assert official.post(confirmation(trial)).status_code == 302
    assert MatchRun.objects.get(pk=trial.pk).status == MatchRun.Status.SUCCEEDED
    assert not Application.objects.exists()
    # A run started after the close is the one to publish.
    final = executed_run(world)
    assert (final.is_trial, publish_refusal(final)) == (False, None)
    listing = official.get(reverse("admin:placements_matchrun_changelist"), **EN).content.decode()
    assert '<td class="field-run_kind">After rankings closed</td>' in listing


def test_while_rankings_are_open_the_run_page_says_when_publishing_opens(world, open_market, official):
    run = executed_run(world)
    html = official.get(run_page(run), **EN).content.decode()
    assert 'id="publish-run"' not in html
    assert f"Rankings for “{open_market.round.title}” are open until" in html


def test_runs_awaiting_publication_agree_with_the_publication_rule(world, open_market, official):
    trial = executed_run(world)
    close_rankings(open_market.round)
    final = executed_run(world)
    failed = f.MatchRunFactory(round=open_market.round, status=MatchRun.Status.FAILED)
    runs = [trial, final, failed]
    awaiting = set(runs_awaiting_publication().values_list("pk", flat=True))
    assert awaiting == {final.pk}
    assert {run.pk for run in runs if publish_refusal(run) is None} == awaiting
    match_run_publish(run=final, by=world.official)
    assert not runs_awaiting_publication().exists()


# --- Who may --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["school_a_staff", "recruiter_a", "coordinator", "student_user", "anonymous"]
)
def test_only_officials_see_the_confirmation_page(request, world, market, persona):
    run = executed_run(world)
    client = request.getfixturevalue(persona)
    for response in (client.get(confirmation(run)), client.post(confirmation(run))):
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/admin/login/")
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.SUCCEEDED


def test_the_confirmation_post_is_csrf_protected(world, market):
    from django.test import Client

    run = executed_run(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.official)
    assert client.post(confirmation(run)).status_code == 403
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.SUCCEEDED
