"""The placements tasks: named `placements.<service>`, enqueued by name, old names kept one release."""

import ast
import pathlib

import pytest
from celery import current_app
from django.conf import settings
from django.core import mail

from district.outbox import enqueue
from placements import tasks
from placements.models import MatchRun, Suggestion
from placements.services.runs import match_run_start
from tests import factories as f
from tests.builders import back_date, build_market, published, save

RENAMED = {
    "placements.tasks.send_saved_search_digests": "placements.saved_search_digests_enqueue",
    "placements.tasks.send_saved_search_digest": "placements.saved_search_digest_send",
    "placements.tasks.match_run_execute_task": "placements.match_run_execute",
    "placements.tasks.send_match_offer_emails_task": "placements.match_offer_emails_send",
    "placements.tasks.send_match_company_email_task": "placements.match_company_email_send",
    "placements.tasks.refresh_suggestions_task": "placements.suggestions_refresh",
    "placements.tasks.send_application_cancelled_email_task": "placements.application_cancelled_notice_send",
}
# Tasks added since (issue 14): the student's email of a company's decision, the company's
# neutral notice that an application was withdrawn.
ADDED = [
    "placements.application_decision_email_send",
    "placements.application_withdrawn_notice_send",
    "placements.profile_reminders_send",  # issue 15: once per round, to students with no 자기소개서
    "placements.offer_email_send",  # issue 17: one offer email, paced by OFFER_EMAIL_RATE_LIMIT
]
# Tasks that moved here from companies and schools, under their old names there (their
# aliases are tested in tests/placements/test_recruiter_tasks.py and test_retention.py).
MOVED_HERE = {
    "companies.tasks.send_application_received_email_task": "placements.application_received_email_send",
    "companies.tasks.remind_stale_applications_task": "placements.stale_applications_remind",
    "companies.tasks.send_stale_applications_reminder_task": "placements.stale_applications_reminder_send",
    "schools.tasks.record_retention_snapshots": "placements.retention_record_due",
}


def registry() -> dict:
    app = current_app._get_current_object()
    app.loader.import_default_modules()
    return app.tasks


def test_every_task_is_named_after_the_service_it_calls():
    names = sorted(name for name in registry() if name.startswith("placements."))
    assert names == sorted([*RENAMED, *RENAMED.values(), *MOVED_HERE.values(), *ADDED])
    for old in MOVED_HERE:
        assert old in registry()
    for new in [*RENAMED.values(), *MOVED_HERE.values(), *ADDED]:
        assert getattr(tasks, new.split(".", 1)[1]).name == new


@pytest.mark.parametrize("old", RENAMED, ids=lambda name: name.rsplit(".", 1)[1])
def test_each_old_name_forwards_to_its_new_task(old, monkeypatch):
    forwarded = []
    monkeypatch.setattr(
        "district.outbox.enqueue", lambda name, *args, **kwargs: forwarded.append((name, args))
    )
    registry()[old].apply(args=[7])
    assert forwarded == [(RENAMED[old], (7,))]


@pytest.mark.django_db
def test_a_run_queued_under_the_old_name_still_runs(world):
    build_market(world)
    run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    registry()["placements.tasks.match_run_execute_task"].delay(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED
    assert run.stats["matched"] == 3


@pytest.mark.django_db
def test_the_old_digest_name_still_sends_the_digest(world):
    search = save(world, "q=보전")
    back_date(search)
    new = published(world.company_a, title="설비 보전원")
    assert registry()["placements.tasks.send_saved_search_digests"].delay().get() is None  # it forwards
    assert [message.to for message in mail.outbox] == [[world.student_user.email]]
    assert f"/openings/{new.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_run_start_enqueues_its_execution_by_name_and_it_runs_eagerly(
    world, django_capture_on_commit_callbacks
):
    build_market(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = match_run_start(district=world.district, cohort=2026, by=world.official)
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED


@pytest.mark.django_db
def test_enqueue_by_name_runs_the_task_eagerly(world):
    f.OpeningFactory(company=world.company_a, title="양극재 공정")
    enqueue("placements.suggestions_refresh")
    assert list(Suggestion.objects.values_list("student__name", "opening__title")) == [
        ("김하늘", "양극재 공정")
    ]


@pytest.mark.django_db
def test_enqueue_by_name_imports_the_tasks_modules_only_for_an_unknown_name(world, monkeypatch):
    """Importing them runs django.setup() and the system checks again: not once per enqueue."""
    registry()
    imports = []
    monkeypatch.setattr(current_app.loader, "import_default_modules", lambda: imports.append(1))
    enqueue("placements.suggestions_refresh")
    assert imports == []
    with pytest.raises(LookupError):
        enqueue("placements.no_such_service")
    assert imports == [1]


def test_the_beat_schedule_uses_the_new_names():
    entries = {
        key: entry["task"]
        for key, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if "placements" in entry["task"]
    }
    assert sorted(entries.values()) == [
        "placements.profile_reminders_send",
        "placements.retention_record_due",
        "placements.saved_search_digests_enqueue",
        "placements.stale_applications_remind",
        "placements.suggestions_refresh",
    ]
    for name in entries.values():
        assert name in registry()


ROOT = pathlib.Path(__file__).resolve().parents[2] / "placements"


def imported_modules(path: pathlib.Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("package", ["services", "selectors"])
def test_services_and_selectors_import_no_tasks_module(package):
    for path in sorted((ROOT / package).glob("*.py")):
        found = {name for name in imported_modules(path) if name.endswith(".tasks") or ".tasks." in name}
        assert found == set(), path.name


def test_selectors_import_no_service():
    for path in sorted((ROOT / "selectors").glob("*.py")):
        assert not {n for n in imported_modules(path) if n.startswith("placements.services")}, path.name
