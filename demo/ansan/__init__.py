"""Load the Ansan demo district: a second, much smaller district (robots) on its own host name.

It shows one deployment serving two districts, each with its own vocabulary, organisations,
openings, budget and accounts. Its schools, companies and university are invented (see
`data`). It is built with the Pohang demo's steps (`demo.pohang.places`, `students`) fed
with Ansan's data, and, like Pohang, every row is found by its natural key, so a second run
changes nothing.

Only the final-year cohort has students (a few per department), and nobody has applied
or been placed yet: Ansan's demo is the district as it starts out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from demo.accounts import AccountResult, account_results, ensure_demo_users, ensure_memberships
from demo.ansan import data as A
from demo.pohang import district_counts, places, students
from demo.pohang.timeline import CURRENT, Timeline
from demo.pohang.world import World, aware
from demo.util import ensure_hosts
from demo.vocabulary import ensure_industry
from district.models import BudgetLine, District, Expenditure, KpiTarget
from placements.models import Placement
from schools.models import Student


@dataclass
class AnsanReport:
    district: District
    counts: dict[str, int]
    accounts: list[AccountResult] = field(default_factory=list)


def seed_ansan(*, reset_passwords: bool = False, today: datetime.date | None = None) -> AnsanReport:
    """Create or refresh the Ansan demo district in one transaction, as it stands on `today`."""
    today = today or timezone.localdate()
    timeline = Timeline(today)
    now = timezone.localtime() if today == timezone.localdate() else aware(today, 11)
    with transaction.atomic():
        start, _middle, end = timeline.program_years
        district, _ = District.objects.update_or_create(
            slug=A.DISTRICT["slug"],
            defaults={
                **{k: v for k, v in A.DISTRICT.items() if k != "slug"},
                "program_start_year": start,
                "program_end_year": end,
            },
        )
        ensure_hosts(district, A.HOSTS)
        vocab = ensure_industry(
            district,
            segments=A.SEGMENTS,
            job_roles=A.JOB_ROLES,
            certifications=A.CERTIFICATIONS,
            ncs_units=A.NCS_UNITS,
        )
        users, passwords = ensure_demo_users(reset_passwords=reset_passwords, accounts=A.ACCOUNTS)
        w = World(district, vocab, users, today, now, timeline)

        places.areas(w, A)
        places.companies(w, A)
        places.schools(w, A)
        places.universities(w, A)
        places.agreements(w, A)
        places.openings(w, A)
        places.pathways(w, A)
        places.budget(w, A)
        students.roster(w, A, A.SEGMENTS)
        forget_other_days(w)
        demo_plan = next(
            p
            for p in w.plans
            if (p.school, p.department) == A.DEMO_STUDENT
            and p.role == CURRENT
            and p.status == Student.Status.ENROLLED
        )
        students.link_demo_student(w, demo_plan)
        labels = ensure_memberships(
            district=district,
            users=users,
            school=w.schools[A.ROBOT_HS],
            company=w.companies[A.HANBIT],
            university=w.universities[A.UNIVERSITY],
        )
        accounts = account_results(users, passwords, labels)
        return AnsanReport(district=district, counts=district_counts(district), accounts=accounts)


def forget_other_days(w: World) -> None:
    """Remove what a seed on another day left that this day's would not make.

    On another day the programme years, the spending so far and the final-year cohort may
    differ (see demo.pohang.timeline); the rows found by natural key were updated in place,
    and these are the ones left over. On the same day nothing is removed.
    """
    years = w.timeline.program_years
    wanted = set()
    for index, category, month, day, _amount, description in A.EXPENDITURES:
        spent_on = datetime.date(years[index], month, day)
        if w.timeline.has_passed(spent_on):
            wanted.add((years[index], category, spent_on, description.format(year=years[index])))
    spent = Expenditure.objects.filter(budget_line__district=w.district).values_list(
        "pk", "budget_line__year", "budget_line__category", "spent_on", "description"
    )
    Expenditure.objects.filter(pk__in=[pk for pk, *key in spent if tuple(key) not in wanted]).delete()
    BudgetLine.objects.filter(district=w.district).exclude(year__in=years).delete()
    KpiTarget.objects.filter(district=w.district).exclude(year__in=years).delete()
    planned = {w.students[p.key].pk for p in w.plans}
    gone = Student.objects.filter(school__district=w.district).exclude(pk__in=planned)
    Placement.objects.filter(student__in=gone).delete()  # the one relation that protects a student
    gone.delete()
