"""Load the demo data: the Pohang and Ansan districts by default, or synthetic data at scale for benchmarks.

    manage.py seed_demo                      # Pohang and Ansan, with one demo account per role each
    manage.py seed_demo --reset-passwords    # ... and new passwords for the demo accounts
    manage.py seed_demo --today 2027-05-20   # the demo as it stands on another day
    manage.py seed_demo --students 70000 --openings 20000 --preferences 30

Both modes can run any number of times. See demo/ for what they load.
"""

import argparse
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.accounts import AccountResult, DemoDataError, ensure_national_demo_user
from demo.ansan import seed_ansan
from demo.pohang import seed_pohang
from demo.synthetic import ScaleParams, seed_synthetic


class Command(BaseCommand):
    help = (
        "Load the Pohang and Ansan demo districts and their demo accounts (idempotent), or, with --students, "
        "--openings and --preferences, synthetic data at scale in the 'synthetic' district."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the existing demo accounts new passwords (new accounts always get one).",
        )
        parser.add_argument(
            "--today",
            type=_day,
            metavar="YYYY-MM-DD",
            help="Build the Pohang demo as it stands on this day (default: today). Dates, cohorts "
            "and the open matching round all follow it.",
        )
        scale = parser.add_argument_group("scale mode (all three together)")
        scale.add_argument("--students", type=int, metavar="N", help="students in the synthetic cohort")
        scale.add_argument("--openings", type=int, metavar="M", help="published openings")
        scale.add_argument(
            "--preferences", type=int, metavar="K", help="ranked openings per student (0 to 30)"
        )

    def handle(self, *args, **options):
        scale = [options["students"], options["openings"], options["preferences"]]
        try:
            if any(value is not None for value in scale):
                if any(value is None for value in scale):
                    raise CommandError("Scale mode needs --students, --openings and --preferences together.")
                self._scale(ScaleParams(*scale), options["verbosity"])
            else:
                self._pohang(options["reset_passwords"], options["today"])
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc

    def _pohang(self, reset_passwords: bool, today: datetime.date | None) -> None:
        report = seed_pohang(reset_passwords=reset_passwords, today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district '{report.district.slug}' ({report.district}) is loaded "
                f"as on {report.timeline.today.isoformat()}."
            )
        )
        latest, current = report.timeline.latest, report.timeline.current
        self.stdout.write(
            f"  latest surveyed cohort: school year {latest.school_year} (surveyed {latest.survey_on}); "
            f"matching round open for school year {current.school_year}"
        )
        self._district(report.district, report.counts, report.accounts)
        ansan = seed_ansan(reset_passwords=reset_passwords, today=report.timeline.today)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo district '{ansan.district.slug}' ({ansan.district}) is loaded.")
        )
        self._district(ansan.district, ansan.counts, ansan.accounts)
        with transaction.atomic():
            ministry = ensure_national_demo_user(reset_passwords=reset_passwords)
        self.stdout.write("")
        self.stdout.write(
            "Ministry of Education (every district, read-only): /dashboard/districts/ on either site"
        )
        self._accounts([ministry])
        accounts = report.accounts + ansan.accounts + [ministry]
        self.stdout.write("")
        if not all(account.password for account in accounts):
            self.stdout.write("(Existing accounts keep their password; --reset-passwords gives new ones.)")
        self.stdout.write(
            "Each district's accounts sign in on its own site. "
            "localhost and 127.0.0.1 show the default district (Pohang)."
        )
        self.stdout.write(
            "Note: demo accounts can sign in only while DEBUG is on "
            "(district.backends.PortalBackend refuses them otherwise)."
        )
        if not settings.DEMO_ACCOUNTS_ENABLED:
            self.stdout.write(self.style.WARNING("DEBUG is off here, so these accounts cannot sign in now."))

    def _district(self, district, counts: dict[str, int], accounts: list[AccountResult]) -> None:
        """One district's counts, site address and demo accounts."""
        for label, count in counts.items():
            self.stdout.write(f"  {label:<22} {count:>6}")
        self.stdout.write(f"  site: {district.link('/')}")
        self._accounts(accounts)

    def _accounts(self, accounts: list[AccountResult]) -> None:
        self.stdout.write("  demo accounts:")
        for account in accounts:
            secret = f"password: {account.password}" if account.password else "password unchanged"
            self.stdout.write(
                f"    {account.username:<16} {account.role:<23} {secret}  ({account.organisation})"
            )

    def _scale(self, params: ScaleParams, verbosity: int) -> None:
        # The raw stream, not Django's OutputWrapper: the bar redraws its line with "\r" and
        # must not get a newline or the error colour added to each write.
        stream = getattr(self.stderr, "_out", self.stderr)
        report = seed_synthetic(
            params,
            progress_stream=stream,
            show_progress=verbosity > 0,
            log=(lambda message: stream.write(message + "\n")) if verbosity > 0 else None,
        )
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Synthetic district '{report.district.slug}' loaded in {report.seconds:.1f}s."
                )
            )
            for label, seconds in report.timings.items():
                self.stdout.write(f"  {label:<36} {seconds:>7.1f}s")
        else:
            self.stdout.write(
                f"Synthetic district '{report.district.slug}' already holds these numbers; nothing changed."
            )
        for label, count in report.counts.items():
            self.stdout.write(f"  {label:<22} {count:>10,}")


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {value!r}") from None
