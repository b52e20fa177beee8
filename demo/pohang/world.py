"""What the steps of the Pohang demo share: the world built so far, fixed random streams, times."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from companies.models import Company, Opening
from demo.pohang import data as P
from demo.pohang.timeline import Timeline
from demo.vocabulary import Vocabulary
from district.models import Area, District, Membership, User
from placements.models import Application
from schools.models import Department, School, Student
from universities.models import CreditProgram, University

R = Membership.Role
AS = Application.Status


def random_stream(purpose: str) -> random.Random:
    """One independent, fixed random stream per purpose, so adding one never shifts another."""
    return random.Random(f"{P.SEED}:{purpose}")


def aware(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass
class World:
    """What the later steps need from the earlier ones."""

    district: District
    vocab: Vocabulary
    users: dict[str, User]
    today: datetime.date
    now: datetime.datetime
    timeline: Timeline
    areas: dict[str, Area] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    schools: dict[str, School] = field(default_factory=dict)
    departments: dict[tuple[str, str], Department] = field(default_factory=dict)
    universities: dict[str, University] = field(default_factory=dict)
    programs: dict[tuple[str, str], CreditProgram] = field(default_factory=dict)
    openings: dict[tuple[str, str], Opening] = field(default_factory=dict)
    students: dict[tuple[str, str], Student] = field(default_factory=dict)
    plans: list[StudentPlan] = field(default_factory=list)

    def cohort_of(self, role: str) -> int | None:
        return self.timeline.roles.get(role)

    def plans_of(self, role: str, *, enrolled: bool = False) -> list[StudentPlan]:
        return [
            p for p in self.plans if p.role == role and (not enrolled or p.status == Student.Status.ENROLLED)
        ]


@dataclass
class StudentPlan:
    school: str
    department: str
    number: str
    name: str
    birth_date: datetime.date
    cohort: int
    role: str  # the cohort's role on the seed day (see timeline)
    status: str
    commute_area: str
    interest: str
    certifications: list[tuple[str, datetime.date]]

    @property
    def key(self) -> tuple[str, str]:
        return (self.school, self.number)
