"""Accounts and ids for the load test, written as JSON for the locustfile.

Demo accounts sign in only while DEBUG is on, and the load test measures the production
configuration (DEBUG off), so this creates real accounts instead: students linked to
enrolled students of the demo district's match-round cohort, recruiters of companies
with published openings, and a read-only dashboard token. Every load account shares one
random password, hashed once (hashing it per user would add a second per account to the
set-up and measure nothing). Running it again replaces the password and the token.

    python -m loadtest.setup_accounts OUTPUT.json [--students N] [--recruiters N]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import sys
from pathlib import Path

STUDENT_PREFIX = "load_student_"
RECRUITER_PREFIX = "load_recruiter_"
TOKEN_NAME = "load test"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--recruiters", type=int, default=10)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    try:
        data = create(students=args.students, recruiters=args.recruiters)
    except LookupError as error:
        print(f"loadtest setup: {error}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    args.output.chmod(0o600)  # it holds a password and a token key
    print(
        f"loadtest setup: {len(data['students'])} students, {len(data['recruiters'])} recruiters, "
        f"{len(data['openings'])} public openings, {len(data['pathways'])} pathways, 1 dashboard token"
    )
    return 0


def create(*, students: int, recruiters: int) -> dict:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from companies.models import Company, Opening
    from district.api.tokens import dashboard_token_create
    from district.models import DashboardToken, District, Membership, User
    from placements.models import Application, MatchRound
    from schools.models import Student

    R = Membership.Role
    district = District.objects.filter(slug=settings.DEFAULT_DISTRICT_SLUG).first()
    if district is None:
        raise LookupError(f"no district {settings.DEFAULT_DISTRICT_SLUG!r}: run `manage.py seed_demo` first")
    password = secrets.token_urlsafe(18)
    hashed = make_password(password)

    with transaction.atomic():
        match_round = MatchRound.objects.filter(district=district).order_by("-cohort").first()
        pool = Student.objects.filter(
            school__district=district, status=Student.Status.ENROLLED, user__isnull=True
        )
        if match_round is not None:
            pool = pool.filter(cohort=match_round.cohort)
        chosen = list(pool.order_by("pk")[:students])
        existing = list(Student.objects.filter(user__username__startswith=STUDENT_PREFIX).order_by("pk"))
        picked = (existing + chosen)[:students]
        if len(picked) < students:
            raise LookupError(
                f"only {len(picked)} enrolled students without an account; asked for {students}"
            )
        student_accounts = []
        for n, student in enumerate(picked, start=1):
            user = _user(User, f"{STUDENT_PREFIX}{n:03d}", hashed, student.name)
            if student.user_id != user.pk:
                Student.objects.filter(user=user).exclude(pk=student.pk).update(user=None)
                student.user = user
                student.save(update_fields=["user"])
            Membership.objects.get_or_create(
                user=user,
                district=district,
                role=R.STUDENT,
                school=student.school,
                defaults={"is_active": True},
            )
            student_accounts.append(user.username)

        companies = list(
            Company.objects.filter(district=district, openings__status=Opening.Status.PUBLISHED)
            .distinct()
            .order_by("pk")
        )
        if not companies:
            raise LookupError("the district has no company with a published opening")
        recruiter_accounts = []
        for n in range(1, recruiters + 1):
            company = companies[(n - 1) % len(companies)]
            user = _user(User, f"{RECRUITER_PREFIX}{n:03d}", hashed, f"Load recruiter {n}")
            Membership.objects.filter(user=user).exclude(company=company).delete()
            Membership.objects.get_or_create(
                user=user,
                district=district,
                role=R.COMPANY_RECRUITER,
                company=company,
                defaults={"is_active": True},
            )
            openings = list(Opening.objects.filter(company=company).values_list("pk", flat=True))
            applications = list(
                Application.objects.filter(opening__company=company).values_list("pk", flat=True)[:50]
            )
            recruiter_accounts.append(
                {"username": user.username, "openings": openings, "applications": applications}
            )

        DashboardToken.objects.filter(district=district, name=TOKEN_NAME).delete()
        _token, key = dashboard_token_create(
            district=district,
            name=TOKEN_NAME,
            expires_at=timezone.now() + datetime.timedelta(days=1),
            by=None,
        )

    return {
        "password": password,
        "students": student_accounts,
        "recruiters": recruiter_accounts,
        "dashboard_token": key,
        **public_ids(),
    }


def public_ids() -> dict:
    """The ids that anonymous visitors of the default (demo) district's site open: its public
    openings and companies, and its pathways' slugs."""
    from django.conf import settings

    from companies.selectors.public import company_list_public, opening_list_public
    from district.models import District
    from placements.selectors.pathways import pathway_list_public

    district = District.objects.get(slug=settings.DEFAULT_DISTRICT_SLUG)
    return {
        "openings": list(opening_list_public(district=district).values_list("pk", flat=True)),
        "companies": list(company_list_public(district=district).values_list("pk", flat=True)),
        "pathways": list(pathway_list_public(district=district).values_list("slug", flat=True)),
    }


def _user(User, username: str, hashed: str, name: str):
    """A plain (non-demo) active account with the shared password."""
    user, _created = User.objects.get_or_create(username=username, defaults={"name": name})
    user.password = hashed
    user.name = name
    user.email = f"{username}@example.com"
    user.is_demo = False
    user.is_active = True
    user.save()
    return user


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
