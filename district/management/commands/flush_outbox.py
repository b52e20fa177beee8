"""Publish the Celery tasks kept in the outbox while Redis was down (beat does it every minute)."""

from django.core.management.base import BaseCommand, CommandError

from district.models import TaskOutbox
from district.outbox import outbox_flush


class Command(BaseCommand):
    help = (
        "Publish the tasks kept in the outbox while Redis was down, oldest first. "
        "Exits non-zero when some are still waiting (the broker is still unavailable)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="publish at most this many (default: all of them)"
        )

    def handle(self, *args, limit=None, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1")
        sent = 0
        while limit is None or sent < limit:
            batch = outbox_flush(limit=min(500, limit - sent) if limit else 500)
            sent += batch
            if batch == 0:
                break
        waiting = TaskOutbox.objects.count()
        self.stdout.write(f"published {sent} tasks; {waiting} waiting")
        if waiting and limit is None:
            last = TaskOutbox.objects.exclude(error="").order_by("-last_attempt_at").first()
            raise CommandError(
                f"{waiting} tasks still wait in the outbox: {last.error if last else 'unknown'}"
            )
