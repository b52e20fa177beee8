"""Load the Pohang demo district: real names, made-up people and numbers, idempotent.

Every row is found by its natural key (a slug, a code, a name within its parent, a
student number within a school) and created or updated, so a second run changes no
row counts. Rows that people create while trying the demo (preferences, applications,
placements) are only created for students who have none yet, so a re-run never undoes
a demo session's work on them. Synthetic students come from a fixed random seed, so
every run builds the same roster.

The steps, in order: `places` (areas, organisations, openings, pathways, budget,
teachers), `students` (the roster and the demo student), then `hiring` (the 2025
cohort's hires and studies, field practice, the 2026 cohort's applications and its
matching round). `data` holds the names and numbers they load; `world` what they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from companies.models import Agreement, Company, Opening
from demo.accounts import AccountResult, ensure_demo_users, ensure_memberships
from demo.pohang import data as P
from demo.pohang import hiring, places, students
from demo.pohang.world import World
from demo.vocabulary import ensure_vocabulary
from district.models import Area, BudgetLine, CommuteTime, District, Expenditure
from placements.models import Application, Pathway, Placement, Preference
from schools.models import CourseUnit, Department, FieldPractice, School, Student, StudentCertification
from universities.models import CreditProgram, University


@dataclass
class PohangReport:
    district: District
    counts: dict[str, int]
    accounts: list[AccountResult] = field(default_factory=list)


def seed_pohang(*, reset_passwords: bool = False) -> PohangReport:
    """Create or refresh the Pohang demo district in one transaction."""
    with transaction.atomic():
        vocab = ensure_vocabulary()
        district, _ = District.objects.update_or_create(
            slug=P.DISTRICT["slug"], defaults={k: v for k, v in P.DISTRICT.items() if k != "slug"}
        )
        users, passwords = ensure_demo_users(reset_passwords=reset_passwords)
        w = World(district, vocab, users, timezone.localdate(), timezone.now())

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
        hiring.placements_2025(w)
        hiring.field_practices(w, demo_student)
        hiring.applications_2026(w, demo_student)
        hiring.match_round(w, demo_student)

        accounts = [
            AccountResult(
                username=users[role].username,
                role=role,
                organisation=labels[role],
                password=passwords[role][0],
                created=passwords[role][1],
            )
            for role in users
        ]
        return PohangReport(district=district, counts=district_counts(district), accounts=accounts)


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
        "placements": Placement.objects.filter(student__in=district_students).count(),
        "field practices": FieldPractice.objects.filter(student__in=district_students).count(),
        "preferences": Preference.objects.filter(student__in=district_students).count(),
        "budget lines": BudgetLine.objects.filter(district=district).count(),
        "expenditures": Expenditure.objects.filter(budget_line__district=district).count(),
    }
