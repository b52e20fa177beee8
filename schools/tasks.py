"""Celery tasks for schools: large roster imports, and the invitation and incident emails.

Each task is named `schools.<service>` and its body is one call to that service, which
is safe to run twice: the import is claimed with a conditional UPDATE, an invitation is
sent once. Services enqueue these tasks by name (`district.outbox.enqueue`), so this
module imports services and never the other way round.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from district.taskbase import MAIL_RETRY, task_alias
from schools.services.incidents import incident_notify as incident_notify_service
from schools.services.invitations import invitation_send as invitation_send_service
from schools.services.roster import roster_import_run as roster_import_run_service


@shared_task(
    name="schools.roster_import_run",
    soft_time_limit=settings.ROSTER_IMPORT_SOFT_TIME_LIMIT,
    time_limit=settings.ROSTER_IMPORT_TIME_LIMIT,
)
def roster_import_run(roster_import_id: int) -> None:
    roster_import_run_service(roster_import_id=roster_import_id)


@shared_task(name="schools.invitation_send", **MAIL_RETRY)
def invitation_send(invitation_id: int, base_url: str) -> bool:
    return invitation_send_service(invitation_id=invitation_id, base_url=base_url)


@shared_task(name="schools.incident_notify", **MAIL_RETRY)
def incident_notify(incident_id: int, base_url: str) -> int:
    return incident_notify_service(incident_id=incident_id, base_url=base_url)


# The names these tasks had before issue 13, kept for one release: messages already queued
# and rows in the outbox still run.
run_roster_import = task_alias("schools.tasks.run_roster_import", "schools.roster_import_run")
send_student_invitation = task_alias("schools.tasks.send_student_invitation", "schools.invitation_send")
notify_practice_incident = task_alias("schools.tasks.notify_practice_incident", "schools.incident_notify")
