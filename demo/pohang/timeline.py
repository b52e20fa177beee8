"""The Pohang demo's calendar: which cohorts it shows and when things happen, all from the seed day.

The demo is built relative to the day it is seeded (T, `timezone.localdate()` or
`seed_demo --today`), so it tells the same story on any day:

- **L**, the latest cohort surveyed on T (`Cohort.latest_surveyed`): graduated, surveyed on
  1 April, with about two thirds employed on the survey date, most of them in Pohang, some
  studying, and retention at 6 months once 1 October has passed (the dashboard's default).
- **L-1** and **L-2**, the cohorts before it: the same, with both retention checks done (the
  dashboard's retention curves show three cohorts).
- **G**, only from 1 to 31 March: the cohort that graduated in February and is not surveyed
  yet (its survey is on 1 April). Its hires have started; the KPIs do not count it yet.
- **C**, the cohort in its final year on T (`Cohort.in_final_year_on`): mid-round. Its
  matching round takes rankings for two more weeks, its openings are public and open, and
  some students have applied directly. In March and April C has just started its final year:
  "mid-round" then means the district opened the round early in the school year, for jobs
  that start after the winter's graduation, exactly as in the autumn.
- **C+1**: second-year students, with summer field practice planned.

The programme years are L, L+1 and L+2: they cover the cohorts the dashboard opens on and
the year of T. Rows whose date would come after T (a placement that ends later, a
retention check still to come, an expenditure later in the year) are left out or left
open, so nothing in the demo has happened in the future.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from district.cohorts import Cohort

D = datetime.date

# The roles a cohort plays, relative to the seed day. Each role draws from its own random
# streams, so a cohort in the same role tells the same story whatever the day.
L_MINUS_2, L_MINUS_1, LATEST, GRADUATING, CURRENT, JUNIOR = "L-2", "L-1", "L", "G", "C", "C+1"
GRADUATED_ROLES = (L_MINUS_2, L_MINUS_1, LATEST, GRADUATING)


def monday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def first_monday(year: int, month: int) -> datetime.date:
    day = D(year, month, 1)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


@dataclass(frozen=True)
class Timeline:
    today: datetime.date

    @cached_property
    def current(self) -> Cohort:
        return Cohort.in_final_year_on(self.today)

    @cached_property
    def latest(self) -> Cohort:
        return Cohort.latest_surveyed(self.today)

    @cached_property
    def roles(self) -> dict[str, int]:
        """Role → school year of every cohort on the roster, oldest first."""
        latest = self.latest.school_year
        roles = {L_MINUS_2: latest - 2, L_MINUS_1: latest - 1, LATEST: latest}
        # From 1 to 31 March the cohort that has just graduated is not surveyed yet.
        if self.current.school_year - self.latest.school_year == 2:
            roles[GRADUATING] = self.current.school_year - 1
        roles[CURRENT] = self.current.school_year
        roles[JUNIOR] = self.current.school_year + 1
        return roles

    @property
    def cohorts(self) -> tuple[int, ...]:
        return tuple(self.roles.values())

    def graduated(self) -> list[tuple[str, int]]:
        return [(role, year) for role, year in self.roles.items() if role in GRADUATED_ROLES]

    @property
    def program_years(self) -> tuple[int, int, int]:
        start = self.latest.school_year
        return (start, start + 1, start + 2)

    def has_passed(self, day: datetime.date) -> bool:
        return day <= self.today

    @property
    def second_semester(self) -> bool:
        """September to February: the final-year students' employment-linked field practice."""
        return self.today.month >= 9 or self.today.month <= 2
