"""Delete sign-ups and join requests whose emailed link expired unused (what the nightly task does).

    manage.py purge_unconfirmed_signups [--dry-run]

Prints how many accounts, and pending companies left with nothing, were deleted (or would be,
with --dry-run). Running it twice deletes nothing the second time.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from companies.services.signup import unconfirmed_signups_purge


class Command(BaseCommand):
    help = (
        "Delete accounts never confirmed within PASSWORD_RESET_TIMEOUT of signing up or asking to join, "
        "with their pending companies that nothing else holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        result = unconfirmed_signups_purge(dry_run=dry_run)
        days = settings.PASSWORD_RESET_TIMEOUT / 86400
        if dry_run:
            self.stdout.write(
                f"Dry run: {result.accounts} unconfirmed account(s) older than {days:g} days and "
                f"{result.companies} pending company(ies) would be deleted. Nothing changed."
            )
        else:
            self.stdout.write(
                f"Deleted {result.accounts} unconfirmed account(s) older than {days:g} days and "
                f"{result.companies} pending company(ies)."
            )
