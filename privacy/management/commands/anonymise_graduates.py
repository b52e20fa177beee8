"""Anonymise former students whose retention period has passed (what the nightly task does).

    manage.py anonymise_graduates [--dry-run]

Prints how many students are due, how many an active placement or enrolment still keeps,
and how many were anonymised. Running it twice anonymises nobody the second time.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy import services


class Command(BaseCommand):
    help = "Anonymise students STUDENT_RETENTION_YEARS after graduation, unless still placed or enrolled."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, dry_run=False, batch_size=200, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        result = services.anonymise_graduates(dry_run=dry_run, batch_size=batch_size)
        years = settings.STUDENT_RETENTION_YEARS
        if dry_run:
            self.stdout.write(
                f"Dry run: {result.due} student(s) due for anonymisation ({years} years after graduation), "
                f"{result.held} held by an active placement or enrolment. Nothing changed."
            )
        else:
            self.stdout.write(
                f"Anonymised {result.anonymised} student(s); "
                f"{result.held} held by an active placement or enrolment."
            )
