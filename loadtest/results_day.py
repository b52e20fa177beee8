"""The results-day load test's data: a cohort with accounts, its round published, and the checks after.

    python -m loadtest.results_day setup OUTPUT.json [--students 600]   before gunicorn starts
    python -m loadtest.results_day publish PUBLISHED.json                just before the students arrive
    python -m loadtest.results_day check                                 after the run; exits 1 on a problem

`setup` builds the cohort with the synthetic builder (`demo.synthetic`) in its own district,
`results-day` on the host results-day.localhost: N enrolled final-year students who each rank
`--preferences` of `--openings` published openings (about 2.2 seats a student in all), and
the cohort's round, its rankings closed a minute ago. The Pohang demo stays as it is for the
anonymous visitors. Each student gets a real (non-demo) account that shares one random
password, hashed once (hashing it per account would add a quarter of a second each and
measure nothing), and the district gets a real official, who publishes. Rerunning it on a
database that a previous run left removes that run's offers, placements and notices, so the
round can be run and published again.

`publish` runs the round in this process (as `manage.py match_round` does) and publishes it
with `match_run_publish`, the service behind the official's button; the offers' emails are
queued on commit for the Celery worker that scripts/loadtest runs. It writes the time of the
publication for the report.

`check` reads the database: every accepted offer of the published run has exactly one
placement (except a job still waiting for a guardian's consent, which holds its seat without
one), and no opening has more seats taken than it has (`seats_taken`, the rule that
accepting an offer enforces).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

SLUG = "results-day"
NAME = "결과 발표일 부하 시험 지구"
HOST = "results-day.localhost"
STUDENT_PREFIX = "load_rd_"
OFFICIAL_USERNAME = "load_rd_official"
# With 30 of 60 openings ranked and twice the builder's seats, the round offers every student a job.
DEFAULT_OPENINGS = 60
DEFAULT_PREFERENCES = 30


# --- setup ------------------------------------------------------------------------------------------


def cohort_ensure(*, students: int, openings: int, preferences: int, password: str) -> dict:
    """Build (or keep) the results-day district with `students` students, their accounts and an official.

    Returns what the locustfile needs: the student usernames, the password and the host.
    """
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import F, Sum
    from django.db.models.functions import Least
    from django.utils import timezone

    from companies.models import Opening
    from companies.services.openings import MAX_SEATS
    from demo.synthetic import ScaleParams, seed_synthetic
    from demo.util import ensure_hosts
    from district.models import Membership, User
    from placements.models import MatchRound
    from schools.models import Student

    R = Membership.Role
    report = seed_synthetic(
        ScaleParams(students=students, openings=openings, preferences=preferences),
        slug=SLUG,
        name=NAME,
        show_progress=False,
    )
    hashed = make_password(password)
    with transaction.atomic():
        district = report.district
        # Twice the builder's seats (up to an opening's 200), so that every student's 30 choices
        # find a seat and the round offers each of them a job: the builder's 1.1 seats a student
        # left one in twenty whose choices had all filled. (Once: a kept district has them.)
        openings_here = Opening.objects.filter(company__district=district)
        if (openings_here.aggregate(seats=Sum("seats"))["seats"] or 0) < 2 * students:
            openings_here.update(seats=Least(F("seats") * 2, MAX_SEATS))
        ensure_hosts(district, [HOST])
        round_reset(district)
        # The rankings closed a minute ago: the run is the real one, not a trial, and may be published.
        MatchRound.objects.filter(district=district).update(
            preferences_close_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        cohort = list(
            Student.objects.filter(school__district=district, status=Student.Status.ENROLLED)
            .select_related("school")
            .order_by("pk")[:students]
        )
        if len(cohort) < students:
            raise LookupError(f"{SLUG} has {len(cohort)} enrolled students; asked for {students}")
        names = [f"{STUDENT_PREFIX}{n:04d}" for n in range(1, students + 1)]
        users = _accounts(User, [*names, OFFICIAL_USERNAME], hashed)
        # Other students of the district lose a load account they held from a larger run.
        Student.objects.filter(school__district=district, user__username__startswith=STUDENT_PREFIX).exclude(
            pk__in=[s.pk for s in cohort]
        ).update(user=None)
        for student, name in zip(cohort, names, strict=True):
            if student.user_id != users[name].pk:
                Student.objects.filter(user=users[name]).exclude(pk=student.pk).update(user=None)
                student.user = users[name]
                student.save(update_fields=["user"])
        Membership.objects.filter(user__in=users.values()).delete()
        Membership.objects.bulk_create(
            [
                Membership(user=users[name], district=district, role=R.STUDENT, school=student.school)
                for student, name in zip(cohort, names, strict=True)
            ]
            + [Membership(user=users[OFFICIAL_USERNAME], district=district, role=R.OFFICIAL)]
        )
    return {"password": password, "host": HOST, "students": names}


def _accounts(User, usernames: list[str], hashed: str) -> dict:
    """Plain (non-demo) active accounts with the shared password hash, created in bulk when missing."""
    have = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=name, name=name, email=f"{name}@example.com", password=hashed)
            for name in usernames
            if name not in have
        ]
    )
    User.objects.filter(username__in=usernames).update(password=hashed, is_demo=False, is_active=True)
    return User.objects.in_bulk(usernames, field_name="username")


def round_reset(district) -> None:
    """Remove what a previous results day left in `district`: its runs, offers, placements and notices."""
    from placements.models import Application, MatchRun, Notification, Placement

    Placement.objects.filter(student__school__district=district).delete()
    Application.objects.filter(student__school__district=district).delete()
    Notification.objects.filter(user__username__startswith=STUDENT_PREFIX).delete()
    MatchRun.objects.filter(district=district).delete()


# --- publish ----------------------------------------------------------------------------------------


def round_publish():
    """Run the district's round in this process and publish it as its official. Returns the run."""
    from district.models import District, User
    from placements.models import MatchRound, MatchRun
    from placements.services.run_execution import match_run_execute
    from placements.services.runs import match_run_publish, match_run_start

    district = District.objects.get(slug=SLUG)
    official = User.objects.get(username=OFFICIAL_USERNAME)
    match_round = MatchRound.objects.get(district=district)
    run = match_run_start(district=district, cohort=match_round.cohort, by=official, enqueue=False)
    run = match_run_execute(run_id=run.pk) or MatchRun.objects.get(pk=run.pk)
    if run.status != MatchRun.Status.SUCCEEDED:
        raise RuntimeError(f"run #{run.pk} {run.status}: {run.error}")
    return match_run_publish(run=run, by=official)


# --- check ------------------------------------------------------------------------------------------


@dataclass
class RoundCheck:
    """What the database holds after the results day, and what is wrong with it."""

    offers: int = 0
    accepted: int = 0
    declined: int = 0
    still_open: int = 0
    awaiting_consent: int = 0
    # Accepted offers (application ids) with no placement, or with more than one.
    without_placement: list[int] = field(default_factory=list)
    with_several: list[int] = field(default_factory=list)
    # (opening id, seats, seats taken) for every opening with more taken than it has.
    overfilled: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        found = []
        if self.without_placement:
            found.append(
                f"{len(self.without_placement)} accepted offers have no placement "
                f"(applications {_ids(self.without_placement)})"
            )
        if self.with_several:
            found.append(
                f"{len(self.with_several)} accepted offers have more than one placement "
                f"(applications {_ids(self.with_several)})"
            )
        if self.overfilled:
            found.append(
                f"{len(self.overfilled)} openings are over-filled: "
                + ", ".join(f"#{pk} {taken} of {seats} seats" for pk, seats, taken in self.overfilled[:10])
            )
        return found


def _ids(ids: list[int]) -> str:
    return ", ".join(str(pk) for pk in ids[:10]) + (" …" if len(ids) > 10 else "")


def round_check(district) -> RoundCheck:
    """Check the published run of `district`'s round: placements of the accepted offers, and seats."""
    from django.db.models import Count

    from companies.models import Opening
    from placements.models import Application, MatchRun
    from placements.services.applications import seats_taken

    S = Application.Status
    result = RoundCheck()
    run = MatchRun.objects.filter(district=district, status=MatchRun.Status.PUBLISHED).first()
    if run is not None:
        offers = Application.objects.filter(match__run=run)
        result.offers = offers.count()
        by_status = dict(offers.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        result.accepted = by_status.get(S.ACCEPTED, 0) + by_status.get(S.HIRED, 0)
        result.declined = by_status.get(S.DECLINED, 0)
        result.still_open = by_status.get(S.OFFERED, 0)
        accepted = (
            offers.filter(status__in=[S.ACCEPTED, S.HIRED])
            .select_related("student", "opening")
            .annotate(placements=Count("placement"))
            .order_by("pk")
        )
        for application in accepted:
            if application.placements > 1:
                result.with_several.append(application.pk)
            elif application.placements == 0:
                if application.needs_guardian_consent():
                    result.awaiting_consent += 1
                else:
                    result.without_placement.append(application.pk)
    openings = Opening.objects.filter(company__district=district).order_by("pk")
    for pk, seats in openings.values_list("pk", "seats"):
        taken = seats_taken(pk)
        if taken > seats:
            result.overfilled.append((pk, seats, taken))
    return result


# --- command line -----------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser("setup")
    setup.add_argument("output", type=Path)
    setup.add_argument("--students", type=int, default=600)
    setup.add_argument("--openings", type=int, default=DEFAULT_OPENINGS)
    setup.add_argument("--preferences", type=int, default=DEFAULT_PREFERENCES)
    publish = commands.add_parser("publish")
    publish.add_argument("output", type=Path)
    commands.add_parser("check")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if args.command == "setup":
        return _setup(args)
    if args.command == "publish":
        return _publish(args)
    return _check()


def _setup(args) -> int:
    from loadtest.setup_accounts import public_ids

    try:
        data = cohort_ensure(
            students=args.students,
            openings=args.openings,
            preferences=args.preferences,
            password=secrets.token_urlsafe(18),
        )
        data.update(public_ids())
    except LookupError as error:
        print(f"results-day setup: {error}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    args.output.chmod(0o600)  # it holds the password
    print(
        f"results-day setup: {len(data['students'])} students with accounts on {HOST}, "
        f"{args.openings} openings, {args.preferences} ranked each; "
        f"{len(data['openings'])} public Pohang openings for the visitors"
    )
    return 0


def _publish(args) -> int:
    from django.core.exceptions import ValidationError

    try:
        run = round_publish()
    except (RuntimeError, ValidationError) as error:
        print(f"results-day publish: {error}", file=sys.stderr)
        return 1
    stats = run.stats
    publication = stats["publication"]
    args.output.write_text(
        json.dumps({"published_at": run.published_at.timestamp(), "offers": publication["offers"]})
    )
    print(
        f"run #{run.pk}: {stats['students']} students, {stats['matched']} matched in "
        f"{stats.get('duration_seconds')} s; published {publication['offers']} offers "
        f"(skipped: {publication['skipped'] or 'none'})"
    )
    return 0


def _check() -> int:
    from district.models import District

    result = round_check(District.objects.get(slug=SLUG))
    print(
        f"database: {result.offers} offers, {result.accepted} accepted, {result.declined} declined, "
        f"{result.still_open} still open; {result.awaiting_consent} accepted jobs await a guardian's consent"
    )
    if result.problems:
        print("FAIL: " + "; ".join(result.problems))
        return 1
    print("PASS: every accepted offer has exactly one placement; no opening has more seats taken than it has")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
