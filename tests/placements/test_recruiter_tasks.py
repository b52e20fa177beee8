"""The applicant pipeline's tasks that moved from companies (issue 13): named
`placements.<service>`, enqueued by name; their old `companies.tasks.*` names still run."""

from unittest import mock

import pytest
from celery import current_app

from district.outbox import enqueue

TASKS = {
    "placements.application_received_email_send": (
        (7,),
        "placements.services.company_mail.application_received_email_send",
    ),
    "placements.stale_applications_remind": (
        (),
        "placements.services.company_mail.stale_applications_remind",
    ),
    "placements.stale_applications_reminder_send": (
        (7,),
        "placements.services.company_mail.stale_applications_reminder_send",
    ),
}
OLD_NAMES = {
    "companies.tasks.send_application_received_email_task": "placements.application_received_email_send",
    "companies.tasks.remind_stale_applications_task": "placements.stale_applications_remind",
    "companies.tasks.send_stale_applications_reminder_task": "placements.stale_applications_reminder_send",
}


@pytest.mark.parametrize("name", sorted(TASKS))
def test_enqueue_by_name_runs_the_task_eagerly_and_it_calls_its_service(name):
    args, service = TASKS[name]
    with mock.patch(service, return_value=1) as called:
        enqueue(name, *args)
    called.assert_called_once_with(*args)


@pytest.mark.parametrize("old", sorted(OLD_NAMES))
def test_each_old_name_still_runs_the_renamed_task(old):
    assert old in current_app.tasks
    args, service = TASKS[OLD_NAMES[old]]
    with mock.patch(service, return_value=1) as called:
        enqueue(old, *args)
    called.assert_called_once_with(*args)


def test_the_mail_tasks_retry_mail_failures():
    for name in ("placements.application_received_email_send", "placements.stale_applications_reminder_send"):
        task = current_app.tasks[name]
        assert ConnectionError in task.autoretry_for, name
        assert task.retry_kwargs == {"max_retries": 5}, name
