"""Companies' tasks: named `companies.<service>`, enqueued by that name, each a call to its
service; the names they had before issue 13 still run, as aliases, for one release."""

from unittest import mock

import pytest
from celery import current_app
from django.conf import settings

from companies.services.signup import SignupPurgeResult
from companies.tasks import OLD_NAMES
from district.outbox import enqueue

# Each mail task and the arguments it takes; it calls `companies.services.mail.<its name after "companies.">`.
TASKS = {
    "companies.company_verification_email_send": (7,),
    "companies.opening_review_email_send": (7,),
    "companies.opening_revision_review_email_send": (7,),
    "companies.company_signup_notice_send": (7,),
    "companies.opening_submitted_notice_send": (7,),
    "companies.opening_revision_submitted_notice_send": (7,),
    "companies.join_request_email_send": (7,),
    "companies.join_approved_email_send": (7,),
    "companies.join_declined_email_send": ("a@b.kr", 7),
    "companies.signup_confirmation_email_send": (7,),
    "companies.signup_account_exists_email_send": ("a@b.kr", "join", 7),
    "companies.signup_company_registered_email_send": ("a@b.kr", "1234567890", 7),
    "companies.join_no_company_email_send": ("a@b.kr", "1234567890", 7),
}


def service_of(name: str) -> str:
    return "companies.services.mail." + name.removeprefix("companies.")


# The pipeline's tasks moved to placements, whose tasks module keeps their old names.
MOVED_TO_PLACEMENTS = {
    "companies.tasks.send_application_received_email_task",
    "companies.tasks.remind_stale_applications_task",
    "companies.tasks.send_stale_applications_reminder_task",
}


def test_every_task_of_the_module_is_listed_here():
    import placements.tasks  # noqa: F401 (registers the moved tasks' old names)

    registered = {name for name in current_app.tasks if name.startswith("companies.")}
    assert registered == {*TASKS, "companies.unconfirmed_signups_purge", *OLD_NAMES, *MOVED_TO_PLACEMENTS}


@pytest.mark.parametrize("name", sorted(TASKS))
def test_enqueue_by_name_runs_the_task_eagerly_and_it_calls_its_service(name):
    args = TASKS[name]
    with mock.patch(service_of(name), return_value=1) as called:
        enqueue(name, *args)
    called.assert_called_once_with(*args)


@pytest.mark.parametrize("old", sorted(OLD_NAMES))
def test_each_old_name_still_runs_the_renamed_task(old):
    new = OLD_NAMES[old]
    if new == "companies.unconfirmed_signups_purge":
        done = SignupPurgeResult(accounts=0, companies=0)
        with mock.patch("companies.tasks.unconfirmed_signups_purge", return_value=done) as purge:
            enqueue(old)
        purge.assert_called_once_with()
        return
    args = TASKS[new]
    with mock.patch(service_of(new), return_value=1) as called:
        enqueue(old, *args)
    called.assert_called_once_with(*args)


def test_the_old_names_are_exactly_the_tasks_before_issue_13():
    assert sorted(OLD_NAMES) == [
        "companies.tasks.purge_unconfirmed_signups_task",
        "companies.tasks.send_company_signup_notice_task",
        "companies.tasks.send_company_verification_email_task",
        "companies.tasks.send_join_approved_email_task",
        "companies.tasks.send_join_declined_email_task",
        "companies.tasks.send_join_no_company_email_task",
        "companies.tasks.send_join_request_email_task",
        "companies.tasks.send_opening_review_email_task",
        "companies.tasks.send_opening_revision_review_email_task",
        "companies.tasks.send_opening_revision_submitted_notice_task",
        "companies.tasks.send_opening_submitted_notice_task",
        "companies.tasks.send_signup_account_exists_email_task",
        "companies.tasks.send_signup_company_registered_email_task",
        "companies.tasks.send_signup_confirmation_email_task",
    ]


def test_the_mail_tasks_retry_mail_failures():
    for name in TASKS:
        task = current_app.tasks[name]
        assert ConnectionError in task.autoretry_for, name
        assert task.retry_kwargs == {"max_retries": 5}, name


def test_the_nightly_purge_is_scheduled_under_its_new_name():
    assert (
        settings.CELERY_BEAT_SCHEDULE["unconfirmed-signups-purge"]["task"]
        == "companies.unconfirmed_signups_purge"
    )
