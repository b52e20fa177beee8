"""The schools tasks: named `schools.<service>`, and their names from before issue 13 still run.

A message queued, or a row kept in the outbox, under an old name (`schools.tasks.…`) must
do the same work as the new task: the aliases only pass their arguments on.
"""

from celery import current_app
from django.core import mail

from district.outbox import enqueue
from schools.models import PracticeIncident, RosterImport, StudentInvitation
from schools.services.invitations import invitation_create
from tests import factories as f
from tests.schools.conftest import csv_bytes, roster_rows

NEW_NAMES = {"schools.roster_import_run", "schools.invitation_send", "schools.incident_notify"}
ALIASES = {
    "schools.tasks.run_roster_import": "schools.roster_import_run",
    "schools.tasks.send_student_invitation": "schools.invitation_send",
    "schools.tasks.notify_practice_incident": "schools.incident_notify",
}


def test_every_schools_task_is_named_after_its_service():
    current_app.loader.import_default_modules()
    names = {name for name in current_app.tasks if name.startswith("schools.")}
    # Retention moved to placements; its alias keeps the old schools name (placements/tasks.py).
    assert names == NEW_NAMES | set(ALIASES) | {"schools.tasks.record_retention_snapshots"}


def test_the_mail_tasks_retry_mail_errors():
    current_app.loader.import_default_modules()
    for name in ("schools.invitation_send", "schools.incident_notify"):
        task = current_app.tasks[name]
        assert [error.__name__ for error in task.autoretry_for[:3]] == [
            "SMTPException",
            "ConnectionError",
            "TimeoutError",
        ]
        assert task.retry_kwargs == {"max_retries": 5}


def test_the_old_roster_import_name_runs_the_import(world, media_root):
    (media_root / "rosters").mkdir(parents=True)
    (media_root / "rosters" / "queued.csv").write_bytes(csv_bytes(roster_rows(world.department_a.name, 3)))
    record = RosterImport.objects.create(
        school=world.school_a,
        original_name="queued.csv",
        file_format="csv",
        file_path="rosters/queued.csv",
        status="queued",
        total=3,
    )
    enqueue("schools.tasks.run_roster_import", record.pk)
    record.refresh_from_db()
    assert (record.status, record.created_count, record.file_path) == ("succeeded", 3, "")


def test_the_old_invitation_name_sends_the_invitation(world):
    student = f.StudentFactory(department=world.department_a, email="seojun@example.kr")
    invitation = invitation_create(student=student, by=world.school_a_staff, base_url="http://x/")
    assert mail.outbox == []  # the on-commit enqueue does not run inside the test's transaction
    enqueue("schools.tasks.send_student_invitation", invitation.pk, "http://x/")
    assert [message.to for message in mail.outbox] == [["seojun@example.kr"]]
    assert StudentInvitation.objects.get().sent_at is not None


def test_the_old_incident_name_emails_the_school(world, ready_practice):
    world.school_a_staff.email = "staff@hunghae.hs.kr"
    world.school_a_staff.save()
    incident = PracticeIncident.objects.create(
        practice=ready_practice, reporter_role="company", reported_by=world.school_a_staff, description="부상"
    )
    enqueue("schools.tasks.notify_practice_incident", incident.pk, "http://t/")
    assert [message.to for message in mail.outbox] == [["staff@hunghae.hs.kr"], ["official@example.kr"]]
