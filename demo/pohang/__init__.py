"""Load the Pohang demo district: real names, made-up people and numbers, idempotent.

Every row is found by its natural key (a slug, a code, a name within its parent, a
student number within a school) and created or updated, so a second run changes no
row counts. Rows that people create while trying the demo (preferences, applications,
placements) are only created for students who have none yet, so a re-run on the same day
never undoes a demo session's work on them. Synthetic students come from a fixed random seed, so
every run builds the same roster.

Everything is dated relative to the seed day (`timeline`): the latest surveyed cohort, the
two before it, the final-year cohort mid-round and the second-years. When the demo is
seeded on another day than it was last seeded for, the district's demo rows are removed
and built again for the new day (`clear_if_moved`).

The steps, in order: `places` (areas, organisations, openings, pathways, budget,
teachers), `students` (the roster and the demo student), then `hiring` (the graduated
cohorts' jobs, retention and studies, field practice, the final-year cohort's applications
and its matching round), with `profiles` (attendance, 자기소개서, awards, projects and the
snapshots companies see) in between. `data` holds the names and numbers they load; `world` what they share.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from companies.models import Agreement, Company, Opening
from demo.accounts import AccountResult, account_results, ensure_demo_users, ensure_memberships
from demo.pohang import data as P
from demo.pohang import hiring, places, profiles, students
from demo.pohang.hiring import ROUND_OPEN_FOR
from demo.pohang.timeline import Timeline
from demo.pohang.world import World, aware
from demo.util import ensure_hosts
from demo.vocabulary import ensure_vocabulary
from district.models import Area, BudgetLine, CommuteTime, District, Expenditure
from placements.models import Application, MatchRound, MatchRun, Pathway, Placement, Preference
from schools.models import (
    Activity,
    AttendanceRecord,
    CourseUnit,
    Department,
    FieldPractice,
    ProfileFile,
    ProfileSnapshot,
    Project,
    School,
    SelfIntroduction,
    Student,
    StudentCertification,
)
from universities.models import CreditProgram, ProgramEnrollment, University


@dataclass
class PohangReport:
    district: District
    counts: dict[str, int]
    timeline: Timeline
    accounts: list[AccountResult] = field(default_factory=list)


def seed_pohang(*, reset_passwords: bool = False, today: datetime.date | None = None) -> PohangReport:
    """Create or refresh the Pohang demo district in one transaction, as it stands on `today`."""
    today = today or timezone.localdate()
    timeline = Timeline(today)
    now = timezone.localtime() if today == timezone.localdate() else aware(today, 11)
    with transaction.atomic():
        clear_if_moved(timeline)
        start, _middle, end = timeline.program_years
        district, _ = District.objects.update_or_create(
            slug=P.DISTRICT["slug"],
            defaults={
                **{k: v for k, v in P.DISTRICT.items() if k != "slug"},
                "program_start_year": start,
                "program_end_year": end,
            },
        )
        ensure_hosts(district, P.HOSTS)
        vocab = ensure_vocabulary(district)
        users, passwords = ensure_demo_users(reset_passwords=reset_passwords)
        w = World(district, vocab, users, today, now, timeline)

        places.areas(w)
        places.companies(w)
        places.schools(w)
        places.universities(w)
        places.agreements(w)
        places.openings(w)
        places.pathways(w)
        places.budget(w)
        places.teachers(w)
        students.roster(w)
        demo_student = students.demo_student(w)
        labels = ensure_memberships(
            district=district,
            users=users,
            school=w.schools[P.HEUNGHAE],
            company=w.companies[P.ECOPRO_BM],
            university=w.universities[P.POHANG_UNI],
        )
        hiring.graduates(w)
        hiring.field_practices(w, demo_student)
        profiles.attendance(w)
        profiles.own_profiles(w, demo_student)
        hiring.applications(w, demo_student)
        profiles.snapshots(w)
        hiring.match_round(w, demo_student)

        accounts = account_results(users, passwords, labels)
        return PohangReport(
            district=district, counts=district_counts(district), timeline=timeline, accounts=accounts
        )


def seeded_for(district: District) -> datetime.date | None:
    """The day the demo district was seeded for: its open round closes two weeks after it."""
    match_round = MatchRound.objects.filter(district=district).order_by("-cohort").first()
    if match_round is None:
        return None
    return timezone.localdate(match_round.preferences_close_at) - ROUND_OPEN_FOR


def clear_if_moved(timeline: Timeline) -> bool:
    """Remove the demo district when it was seeded for another day than `timeline`'s.

    Everything in the demo is dated from the seed day: on a later day placements would have
    ended, checks and practices come due and the cohorts move on (each 1 March and 1 April),
    so the district is built again rather than patched. On the same day nothing is removed,
    and a re-run keeps what people did while trying the demo. Users and the national
    registries (certifications, NCS units) stay; the district's own segments and job roles
    go with it. Returns whether the district was removed.
    """
    district = District.objects.filter(slug=P.DISTRICT["slug"]).first()
    if district is None:
        return False
    students = Student.objects.filter(school__district=district)
    cohorts = set(students.values_list("cohort", flat=True).distinct())
    if not cohorts or (cohorts == set(timeline.cohorts) and seeded_for(district) == timeline.today):
        return False
    # The profile rows first, each in one statement: left to the students' cascade, every
    # snapshot would be collected and its application updated one by one (and audited).
    Application.objects.filter(student__in=students).update(profile_snapshot=None)
    for model in (ProfileSnapshot, Project, ProfileFile, Activity, SelfIntroduction, AttendanceRecord):
        model.objects.filter(student__in=students).delete()
    ProgramEnrollment.objects.filter(student__in=students).delete()
    Placement.objects.filter(student__in=students).delete()
    FieldPractice.objects.filter(student__in=students).delete()
    students.delete()
    MatchRun.objects.filter(district=district).delete()
    MatchRound.objects.filter(district=district).delete()
    Expenditure.objects.filter(budget_line__district=district).delete()
    BudgetLine.objects.filter(district=district).delete()
    Pathway.objects.filter(district=district).delete()
    Department.objects.filter(school__district=district).update(replaced=None, reorganised_year=None)
    CourseUnit.objects.filter(department__school__district=district).delete()
    Department.objects.filter(school__district=district).delete()
    School.objects.filter(district=district).delete()
    district.delete()
    return True


def district_counts(district: District) -> dict[str, int]:
    """Row counts of the district's main records, for the command's summary."""
    district_students = Student.objects.filter(school__district=district)
    return {
        "areas": Area.objects.filter(district=district).count(),
        "commute times": CommuteTime.objects.filter(origin__district=district).count(),
        "schools": School.objects.filter(district=district).count(),
        "departments": Department.objects.filter(school__district=district).count(),
        "curriculum units": CourseUnit.objects.filter(department__school__district=district).count(),
        "students": district_students.count(),
        "certifications held": StudentCertification.objects.filter(student__in=district_students).count(),
        "... checked by school": StudentCertification.objects.filter(
            student__in=district_students, verified_at__isnull=False
        ).count(),
        "attendance records": AttendanceRecord.objects.filter(student__in=district_students).count(),
        "self-introductions": SelfIntroduction.objects.filter(student__in=district_students).count(),
        "awards and activities": Activity.objects.filter(student__in=district_students).count(),
        "projects": Project.objects.filter(student__in=district_students).count(),
        "companies": Company.objects.filter(district=district).count(),
        "agreements": Agreement.objects.filter(district=district).count(),
        "openings": Opening.objects.filter(company__district=district).count(),
        "published openings": Opening.objects.filter(
            company__district=district, status=Opening.Status.PUBLISHED
        ).count(),
        "universities": University.objects.filter(district=district).count(),
        "credit programmes": CreditProgram.objects.filter(university__district=district).count(),
        "pathways": Pathway.objects.filter(district=district).count(),
        "applications": Application.objects.filter(student__in=district_students).count(),
        "profile snapshots": ProfileSnapshot.objects.filter(student__in=district_students).count(),
        "placements": Placement.objects.filter(student__in=district_students).count(),
        "field practices": FieldPractice.objects.filter(student__in=district_students).count(),
        "preferences": Preference.objects.filter(student__in=district_students).count(),
        "budget lines": BudgetLine.objects.filter(district=district).count(),
        "expenditures": Expenditure.objects.filter(budget_line__district=district).count(),
    }
