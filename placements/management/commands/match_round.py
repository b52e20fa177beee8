"""Run a district cohort's matching round from the shell and print its statistics.

    manage.py match_round --district pohang --cohort 2026

The run is started and executed in this process (no Celery worker needed), recorded like
any other run, and left for an official to review and publish in the admin. It uses the
round's lottery seed, as every run does: there is no option to choose another.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from district.models import District
from placements.models import MatchRun
from placements.services.run_execution import match_run_execute
from placements.services.runs import match_run_start


def _percent(share) -> str:
    return f"{share * 100:.1f}%" if isinstance(share, int | float) else "-"


class Command(BaseCommand):
    help = "Run the matching round of a district's cohort now, in this process, and print its statistics."

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="the district's slug, e.g. pohang")
        parser.add_argument(
            "--cohort",
            required=True,
            type=int,
            help="the cohort: the school year, e.g. 2026 (graduating in February 2027)",
        )

    def handle(self, *args, **options):
        district = District.objects.filter(slug=options["district"]).first()
        if district is None:
            known = ", ".join(District.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(f"No district with the slug {options['district']!r} (known: {known}).")
        try:
            run = match_run_start(district=district, cohort=options["cohort"], by=None, enqueue=False)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Run #{run.pk} of “{run.round}” is queued; executing it here…")
        run = match_run_execute(run_id=run.pk) or MatchRun.objects.get(pk=run.pk)
        if run.status != MatchRun.Status.SUCCEEDED:
            raise CommandError(f"Run #{run.pk} {run.status}: {run.error}")
        self._print(run)

    def _print(self, run: MatchRun) -> None:
        s = run.stats
        write = self.stdout.write
        write(self.style.SUCCESS(f"Run #{run.pk} succeeded in {s.get('duration_seconds')} s."))
        rows = [
            ("students in the round", s["students"]),
            ("students who ranked", s["students_who_ranked"]),
            ("matched", f"{s['matched']} ({_percent(s['matched_share'])})"),
            ("first choice", _percent(s["first_choice_share"])),
            ("top three", _percent(s["top3_share"])),
            ("local companies", _percent(s["local_share"])),
            ("openings / seats", f"{s['openings']} / {s['seats']}"),
            ("rankings read", s["preferences"]),
            ("seed", s["seed"]),
            ("input fingerprint", s["input_fingerprint"]),
        ]
        for label, value in rows:
            write(f"  {label:<24} {value}")
        if s.get("unmatched_by_reason"):
            write("  unmatched by reason:")
            for reason, count in sorted(s["unmatched_by_reason"].items(), key=lambda kv: -kv[1]):
                write(f"    {reason:<22} {count}")
        write("  seats filled by segment:")
        for name, row in s.get("seats_by_segment", {}).items():
            write(f"    {name:<22} {row['filled']:>6} / {row['seats']:<6}")
        steps = ("load", "fingerprint", "score", "engine", "explain", "write")
        timings = ", ".join(f"{k} {s['timings'][k]:.2f} s" for k in steps if k in s.get("timings", {}))
        write(f"  timings: {timings}")
        write(f"Review and publish it in the admin: /admin/placements/matchrun/{run.pk}/change/")
