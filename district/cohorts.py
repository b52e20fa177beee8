"""The graduate cohort's survey dates: one definition for the KPIs and for retention.

The Ministry's graduate employment survey (KEDI, 취업통계조사) counts a graduate as
employed if they hold a job on the survey date, 1 April; retention is counted again
6 and 12 months after that date. The dashboard's employment rate and the schools'
6- and 12-month retention checks both read these functions, so they cannot drift.
"""

import datetime
from dataclasses import dataclass

SURVEY_MONTH = 4
SURVEY_DAY = 1


def survey_date(year: int) -> datetime.date:
    """The survey date of the cohort graduating in `year`: 1 April of that year."""
    return datetime.date(year, SURVEY_MONTH, SURVEY_DAY)


def first_survey_on_or_after(day: datetime.date) -> datetime.date:
    """The first survey date (1 April) on or after `day`."""
    survey = survey_date(day.year)
    return survey if survey >= day else survey_date(day.year + 1)


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
        datetime.date(survey.year, SURVEY_MONTH + 6, SURVEY_DAY),
        survey_date(survey.year + 1),
    )
