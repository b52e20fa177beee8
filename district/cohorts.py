"""The graduate cohort and its survey dates: one definition for every page, export, API and KPI.

A **cohort** is named by its school year (학년도). Korean school years start on 1 March, so
the students in their final year of school year 2026 graduate in **February 2027**
("2026학년도 (2027년 2월 졸업)"). The Ministry's graduate employment survey (KEDI,
취업통계조사) counts them as employed if they hold a job on **1 April 2027**, from insurance
records; retention is counted again 6 months (1 October 2027) and 12 months (1 April 2028)
after that date.

`Student.cohort`, `MatchRound.cohort` and the API's `cohort` parameter all hold the school
year. The dashboard, the schools' retention checks and the demo read the dates below, so
they cannot drift.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

SCHOOL_YEAR_STARTS_MONTH = 3
GRADUATION_MONTH = 2
SURVEY_MONTH = 4
SURVEY_DAY = 1
SIX_MONTH_CHECK_MONTH = SURVEY_MONTH + 6


# Vocational high schools (특성화고·마이스터고) run three grades; the cohort is in grade 3 in its final year.
FINAL_GRADE = 3


def school_year_of(day: datetime.date) -> int:
    """The school year (학년도) that `day` falls in: it starts on 1 March."""
    return day.year if day.month >= SCHOOL_YEAR_STARTS_MONTH else day.year - 1


def _april_first(calendar_year: int) -> datetime.date:
    return datetime.date(calendar_year, SURVEY_MONTH, SURVEY_DAY)


@dataclass(frozen=True, order=True)
class Cohort:
    """The students who finish school year `school_year` and graduate the next February."""

    school_year: int

    @property
    def graduation_year(self) -> int:
        """The calendar year of the graduation: the February after the school year."""
        return self.school_year + 1

    @property
    def graduation_month(self) -> datetime.date:
        """The first day of the graduation month (February of the next calendar year)."""
        return datetime.date(self.graduation_year, GRADUATION_MONTH, 1)

    @property
    def graduated_by(self) -> datetime.date:
        """The day the cohort counts as graduated: 1 March, when the next school year starts."""
        return datetime.date(self.graduation_year, SCHOOL_YEAR_STARTS_MONTH, 1)

    @property
    def survey_on(self) -> datetime.date:
        """The KEDI survey date: 1 April after the graduation."""
        return _april_first(self.graduation_year)

    @property
    def six_month_check_on(self) -> datetime.date:
        """Retention at 6 months: 1 October after the survey."""
        return datetime.date(self.graduation_year, SIX_MONTH_CHECK_MONTH, SURVEY_DAY)

    @property
    def twelve_month_check_on(self) -> datetime.date:
        """Retention at 12 months: 1 April a year after the survey."""
        return _april_first(self.graduation_year + 1)

    @property
    def programme_year(self) -> int:
        """The programme (fiscal, calendar) year in which the cohort is reported: the year of its survey.

        The district's budget lines, KPI targets, training hours, field practice, MOU hires and
        openings of that year are shown with the cohort: the evaluation of programme year 2027
        reports the 2026학년도 cohort's employment on 1 April 2027 next to what was spent in 2027.
        """
        return self.survey_on.year

    def grade_on(self, day: datetime.date) -> int:
        """The school grade (학년) the cohort is in on `day`: 3 in its final year, 4 or more once graduated.

        Vocational high school runs three grades, so the cohort of school year 2026 is in
        grade 1 in school year 2024. A grade's curriculum counts as completed once the next
        school year starts.
        """
        return FINAL_GRADE - (self.school_year - school_year_of(day))

    def is_surveyed(self, today: datetime.date) -> bool:
        return today >= self.survey_on

    @property
    def label(self) -> str:
        """The cohort as every page, export and API writes it: "2026학년도 (2027년 2월 졸업)"."""
        return gettext("School year %(year)s (graduating February %(graduation)s)") % {
            "year": self.school_year,
            "graduation": self.graduation_year,
        }

    @property
    def short_label(self) -> str:
        """The cohort where space is short: "2026학년도"."""
        return gettext("School year %(year)s") % {"year": self.school_year}

    def __str__(self) -> str:
        return self.label

    @classmethod
    def in_final_year_on(cls, today: datetime.date) -> Cohort:
        """The cohort in its final school year on `today` (the one a matching round is for)."""
        return cls(school_year_of(today))

    @classmethod
    def latest_surveyed(cls, today: datetime.date) -> Cohort:
        """The latest cohort whose survey date has come on `today` (the dashboard's default)."""
        graduation_year = today.year if today >= _april_first(today.year) else today.year - 1
        return cls(graduation_year - 1)

    @classmethod
    def graduated_on_or_before(cls, day: datetime.date) -> Cohort:
        """The latest cohort that counts as graduated on `day` (see `graduated_by`)."""
        return cls(school_year_of(day) - 1)

    @classmethod
    def graduating_in(cls, calendar_year: int) -> Cohort:
        """The cohort that graduates in February of `calendar_year` (for old `year` values)."""
        return cls(calendar_year - 1)


def cohort_label(school_year: int | None) -> str:
    """`Cohort(school_year).label`, or "" for no cohort (for templates and serializers)."""
    return "" if school_year is None else Cohort(school_year).label


def first_survey_on_or_after(day: datetime.date) -> datetime.date:
    """The first survey date (1 April) on or after `day`."""
    survey = _april_first(day.year)
    return survey if survey >= day else _april_first(day.year + 1)


@dataclass(frozen=True)
class RetentionDates:
    """When a job is checked: the survey date, then 6 and 12 months after it."""

    survey: datetime.date
    six_months: datetime.date
    twelve_months: datetime.date

    def for_milestone(self, milestone: int) -> datetime.date:
        return self.six_months if milestone == 6 else self.twelve_months


def retention_dates(starts_on: datetime.date) -> RetentionDates:
    """The survey dates that apply to a job starting on `starts_on`.

    A job counts from the first survey date on or after its start; it is checked again on
    1 October (6 months) and the next 1 April (12 months).
    """
    survey = first_survey_on_or_after(starts_on)
    return RetentionDates(
        survey,
        datetime.date(survey.year, SIX_MONTH_CHECK_MONTH, SURVEY_DAY),
        _april_first(survey.year + 1),
    )
