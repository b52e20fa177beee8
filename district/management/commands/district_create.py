"""Create a district with its host names, industry vocabulary, budget and first official.

    manage.py district_create --slug ansan --name 안산 --region "경기도 안산시" --industry-focus 로봇 \\
        --years 2025-2027 --annual-budget 350000000 --host ansan.example.kr \\
        --vocabulary ansan.json --official-username ansan-kim --official-email kim@ansan.go.kr

The vocabulary file (JSON) holds the district's industry segments, job roles and budget lines:
see `district.onboarding.read_vocabulary`. Nothing is written when anything is wrong, and a
second run with the same arguments changes nothing. The work is `district.onboarding.district_create`,
which the admin's "add district" page calls too.
"""

import argparse
import re

from django.core.management.base import BaseCommand, CommandError

from district.onboarding import (
    DistrictCreateError,
    DistrictPlan,
    district_create,
    official_invitation_link,
    read_vocabulary,
)


class Command(BaseCommand):
    help = (
        "Create a district with its host names, industry vocabulary, budget lines and first official "
        "(who is emailed a link to set their password). Refuses a slug, name or host name already in "
        "use; a second run with the same arguments changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="short name in addresses, such as ansan")
        parser.add_argument("--name", required=True, help="the district's name, such as 안산")
        parser.add_argument("--region", required=True, help="such as 경기도 안산시")
        parser.add_argument("--industry-focus", required=True, help="such as 로봇")
        parser.add_argument(
            "--years",
            required=True,
            type=_years,
            metavar="START-END",
            help="programme years, such as 2025-2027",
        )
        parser.add_argument("--annual-budget", type=int, default=0, metavar="KRW", help="the yearly grant")
        parser.add_argument(
            "--host",
            action="append",
            default=[],
            dest="hosts",
            help="a host name the district's site answers on, such as ansan.example.kr (repeatable)",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="scheme and host for links in emails (default: https://<first host>)",
        )
        parser.add_argument(
            "--email-sender", default="", help='such as "안산 직업교육 혁신지구 <noreply@ansan.example.kr>"'
        )
        parser.add_argument("--description", default="")
        parser.add_argument("--vocabulary", metavar="FILE", help="JSON: segments, job_roles and budget")
        parser.add_argument("--official-username", required=True)
        parser.add_argument("--official-email", required=True)
        parser.add_argument("--official-name", default="")
        parser.add_argument(
            "--show-link",
            action="store_true",
            help="also print the official's password link (when email is not set up yet)",
        )

    def handle(self, *args, **options):
        start, end = options["years"]
        hosts = tuple(host.lower() for host in options["hosts"])
        base_url = options["base_url"] or (f"https://{hosts[0]}" if hosts else "")
        try:
            vocabulary = read_vocabulary(options["vocabulary"]) if options["vocabulary"] else {}
            plan = DistrictPlan(
                slug=options["slug"],
                name=options["name"],
                region=options["region"],
                industry_focus=options["industry_focus"],
                start_year=start,
                end_year=end,
                annual_budget_krw=options["annual_budget"],
                hosts=hosts,
                base_url=base_url,
                email_sender=options["email_sender"],
                description=options["description"],
                official_username=options["official_username"],
                official_email=options["official_email"],
                official_name=options["official_name"],
                **vocabulary,
            )
            result = district_create(plan=plan)
        except DistrictCreateError as exc:
            raise CommandError(str(exc)) from exc
        district = result.district
        if not result.created:
            self.stdout.write(
                f"District '{district.slug}' ({district}) already exists as asked; nothing changed."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"District '{district.slug}' ({district}) created for {start}–{end}, "
                f"on {', '.join(hosts) or 'no host name yet'}."
            )
        )
        self.stdout.write(
            f"  {district.segments.count()} industry segments, {district.job_roles.count()} job roles, "
            f"{district.budget_lines.count()} budget lines"
        )
        self.stdout.write(
            f"  first official: {result.official.username}, invited by email at {result.official.email} "
            "to set a password, then to add a second factor"
        )
        if options["show_link"]:
            self.stdout.write(
                f"  password link: {official_invitation_link(user=result.official, district=district)}"
            )


def _years(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{4})", value.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not programme years in the form 2025-2027: {value!r}")
    return int(match[1]), int(match[2])
