"""The demo's calendar (`demo.pohang.timeline`): which cohorts it shows on every day of the year."""

import datetime

import pytest

from demo.pohang.timeline import Timeline, first_monday, monday_on_or_before

D = datetime.date


@pytest.mark.parametrize(
    ("today", "roles", "program_years", "second_semester"),
    [
        # January and February: the final-year cohort graduates this February.
        (
            D(2027, 1, 15),
            {"L-2": 2023, "L-1": 2024, "L": 2025, "C": 2026, "C+1": 2027},
            (2025, 2026, 2027),
            True,
        ),
        (
            D(2027, 2, 28),
            {"L-2": 2023, "L-1": 2024, "L": 2025, "C": 2026, "C+1": 2027},
            (2025, 2026, 2027),
            True,
        ),
        # March: the new final year has started; February's graduates await their survey.
        (
            D(2027, 3, 1),
            {"L-2": 2023, "L-1": 2024, "L": 2025, "G": 2026, "C": 2027, "C+1": 2028},
            (2025, 2026, 2027),
            False,
        ),
        (
            D(2027, 3, 31),
            {"L-2": 2023, "L-1": 2024, "L": 2025, "G": 2026, "C": 2027, "C+1": 2028},
            (2025, 2026, 2027),
            False,
        ),
        # From the survey day on, they are the latest surveyed cohort.
        (
            D(2027, 4, 1),
            {"L-2": 2024, "L-1": 2025, "L": 2026, "C": 2027, "C+1": 2028},
            (2026, 2027, 2028),
            False,
        ),
        (
            D(2027, 8, 31),
            {"L-2": 2024, "L-1": 2025, "L": 2026, "C": 2027, "C+1": 2028},
            (2026, 2027, 2028),
            False,
        ),
        (
            D(2027, 9, 1),
            {"L-2": 2024, "L-1": 2025, "L": 2026, "C": 2027, "C+1": 2028},
            (2026, 2027, 2028),
            True,
        ),
        (
            D(2026, 12, 7),
            {"L-2": 2023, "L-1": 2024, "L": 2025, "C": 2026, "C+1": 2027},
            (2025, 2026, 2027),
            True,
        ),
    ],
)
def test_the_cohorts_and_programme_years_on_a_day(today, roles, program_years, second_semester):
    timeline = Timeline(today)
    assert timeline.roles == roles
    assert timeline.cohorts == tuple(roles.values())
    assert timeline.program_years == program_years
    assert today.year in program_years  # the budget covers the current year
    assert timeline.second_semester is second_semester


def test_every_day_of_a_year_has_a_latest_surveyed_cohort_and_an_open_round_cohort():
    day = D(2027, 1, 1)
    while day.year == 2027:
        timeline = Timeline(day)
        assert timeline.latest.survey_on <= day < timeline.latest.survey_on.replace(year=day.year + 1)
        assert timeline.current.school_year in (
            timeline.latest.school_year + 1,
            timeline.latest.school_year + 2,
        )
        assert timeline.roles["C"] == timeline.current.school_year
        day += datetime.timedelta(days=1)


def test_mondays():
    assert first_monday(2027, 7) == D(2027, 7, 5)
    assert first_monday(2026, 6) == D(2026, 6, 1)
    assert monday_on_or_before(D(2026, 12, 7)) == D(2026, 12, 7)
    assert monday_on_or_before(D(2026, 12, 13)) == D(2026, 12, 7)
