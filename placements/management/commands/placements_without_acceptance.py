"""List the active placements made without the student's acceptance, for officials to review.

    manage.py placements_without_acceptance
    manage.py placements_without_acceptance --district pohang
    manage.py placements_without_acceptance --include-unlinked   # also placements with no application

Before the transition table (placements.services.applications), a recruiter could record
`hired` on any applicant, which made a placement the student never accepted. Each listed
placement's application has no `accepted` event. The command only lists; an official reviews
each one with the student's school and ends it in the administration (Placements: status
"Ended", end date and reason) when the student did not agree. Exits 0 whatever it finds.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from district.models import District
from placements.selectors.placements import placements_without_acceptance

COLUMNS = ("placement", "district", "school", "student no.", "company", "opening", "starts", "hired", "by")


class Command(BaseCommand):
    help = "List active placements whose application has no acceptance step, for officials to review and end."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="only this district (its slug, e.g. pohang)")
        parser.add_argument(
            "--include-unlinked",
            action="store_true",
            help="also list placements that have no application at all",
        )

    def handle(self, *args, **options):
        district_id = None
        if options["district"]:
            district = District.objects.filter(slug=options["district"]).first()
            if district is None:
                raise CommandError(f"No district with the slug {options['district']!r}.")
            district_id = district.pk
        placements = placements_without_acceptance(
            district_id=district_id, include_unlinked=options["include_unlinked"]
        )
        rows = [
            (
                str(p.pk),
                p.student.school.district.slug,
                p.student.school.name,
                p.student.student_number or "-",
                p.company.name,
                p.opening.title if p.opening else "-",
                p.starts_on.isoformat(),
                timezone.localtime(p.hired_at).strftime("%Y-%m-%d %H:%M") if p.hired_at else "no application",
                p.hired_by or "-",
            )
            for p in placements
        ]
        self.stdout.write(f"Placements without the student's acceptance: {len(rows)}")
        if not rows:
            return
        widths = [max(len(row[i]) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
        for row in [COLUMNS, *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(
            "Review each with the student's school; end those the student did not agree to in the "
            "administration (Placements: status Ended, end date and reason)."
        )
