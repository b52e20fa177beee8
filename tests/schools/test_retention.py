"""Retention snapshots (KEDI: employed on the survey date, 1 April), confirmed or corrected by schools."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from placements.models import Placement
from schools import services
from schools.models import RetentionReview
from schools.tasks import record_retention_snapshots
from tests import factories as f

D = datetime.date


def placement(world, starts_on=None, **kwargs):
    starts_on = starts_on or D(2026, 3, 2)
    return f.PlacementFactory(student=world.student, company=world.company_a, starts_on=starts_on, **kwargs)


@pytest.mark.parametrize(
    ("starts_on", "survey", "six", "twelve"),
    [
        (D(2026, 3, 2), D(2026, 4, 1), D(2026, 10, 1), D(2027, 4, 1)),
        (D(2026, 4, 1), D(2026, 4, 1), D(2026, 10, 1), D(2027, 4, 1)),  # starting on the survey day counts
        (D(2026, 4, 2), D(2027, 4, 1), D(2027, 10, 1), D(2028, 4, 1)),  # one day late: next year's survey
    ],
)
def test_survey_dates_around_1_april(starts_on, survey, six, twelve):
    dates = services.retention_dates(starts_on)
    assert (dates.survey, dates.six_months, dates.twelve_months) == (survey, six, twelve)


def test_nothing_is_recorded_before_the_check_date(world):
    p = placement(world)
    services.retention_record_due(today=D(2026, 9, 30))
    p.refresh_from_db()
    assert (p.retention_6m, p.retention_12m) == ("", "")


def test_the_6_month_record_on_1_october_and_12_month_on_1_april(world):
    p = placement(world)
    assert services.retention_record_due(today=D(2026, 10, 1)) == {"six_months": 1, "twelve_months": 0}
    p.refresh_from_db()
    assert (p.retention_6m, p.retention_6m_checked_on, p.retention_12m) == ("employed", D(2026, 10, 1), "")
    assert services.retention_record_due(today=D(2027, 3, 31)) == {"six_months": 0, "twelve_months": 0}
    assert services.retention_record_due(today=D(2027, 4, 1)) == {"six_months": 0, "twelve_months": 1}
    p.refresh_from_db()
    assert (p.retention_12m, p.retention_12m_checked_on) == ("employed", D(2027, 4, 1))


@pytest.mark.parametrize(
    ("ends_on", "expected_12m"),
    [(D(2027, 3, 31), "left"), (D(2027, 4, 1), "employed"), (D(2027, 4, 2), "employed")],
    ids=["left-the-day-before", "left-on-the-survey-day", "left-the-day-after"],
)
def test_the_12_month_status_is_employment_on_1_april(world, ends_on, expected_12m):
    p = placement(world, ends_on=ends_on, status="ended", end_reason="이직")
    services.retention_record_due(today=D(2027, 6, 1))
    p.refresh_from_db()
    assert (p.retention_6m, p.retention_12m) == ("employed", expected_12m)


def test_a_placement_that_ended_early_is_left_at_both_checks(world):
    p = placement(world, ends_on=D(2026, 8, 31), status="ended", end_reason="건강 문제")
    services.retention_record_due(today=D(2027, 4, 1))
    p.refresh_from_db()
    assert (p.retention_6m, p.retention_12m) == ("left", "left")


def test_moving_to_another_job_still_counts_as_employed(world):
    first = placement(world, ends_on=D(2026, 12, 31), status="ended", end_reason="이직")
    f.PlacementFactory(student=world.student, company=world.company_b, starts_on=D(2027, 1, 2))
    services.retention_record_due(today=D(2027, 4, 1))
    first.refresh_from_db()
    assert first.retention_12m == "employed"


def test_the_snapshot_is_idempotent_and_keeps_corrections(world):
    p = placement(world)
    services.retention_record_due(today=D(2026, 10, 1))
    Placement.objects.filter(pk=p.pk).update(retention_6m="left")  # a school's correction
    assert services.retention_record_due(today=D(2026, 10, 2)) == {"six_months": 0, "twelve_months": 0}
    p.refresh_from_db()
    assert p.retention_6m == "left"


def test_the_snapshot_handles_many_placements_in_batches(world, django_assert_max_num_queries):
    for _ in range(30):
        student = f.StudentFactory(department=world.department_a)
        f.PlacementFactory(student=student, company=world.company_a, starts_on=D(2026, 3, 2))
    # Per batch of 10: the batch, its students' placements, and one UPDATE per (field, status, date).
    with django_assert_max_num_queries(20):
        counts = services.retention_record_due(today=D(2027, 4, 1), batch_size=10)
    assert counts == {"six_months": 30, "twelve_months": 30}


def test_the_beat_task_is_scheduled_daily_and_runs(world):
    schedule = settings.CELERY_BEAT_SCHEDULE["retention-snapshots"]
    assert schedule["task"] == "schools.tasks.record_retention_snapshots"
    placement(world, starts_on=D(2024, 3, 4))
    assert record_retention_snapshots.delay().get() == {"six_months": 1, "twelve_months": 1}


# --- Confirm or correct -----------------------------------------------------------------------------


def test_staff_confirm_a_record(school_a_staff, world):
    p = placement(world, starts_on=D(2024, 3, 4))
    services.retention_record_due(today=D(2025, 4, 1))
    response = school_a_staff.post(
        reverse("schools:retention_review", args=[p.pk, 6]), {"status": "employed"}
    )
    assert response.status_code == 302
    review = RetentionReview.objects.get()
    assert (review.status, review.recorded_status, review.is_correction) == ("employed", "employed", False)
    html = school_a_staff.get(reverse("schools:retention_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "confirmed by the school" in html and "corrected by the school" not in html


def test_staff_correct_a_record_with_the_end_date_and_reason(school_a_staff, world):
    p = placement(world, starts_on=D(2024, 3, 4))
    services.retention_record_due(today=D(2025, 4, 1))
    url = reverse("schools:retention_review", args=[p.pk, 12])
    refused = school_a_staff.post(url, {"status": "left"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"ended_on", "end_reason"}
    response = school_a_staff.post(url, {"status": "left", "ended_on": "2025-01-31", "end_reason": "진학"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.retention_12m, p.status, p.ends_on, p.end_reason) == ("left", "ended", D(2025, 1, 31), "진학")
    assert RetentionReview.objects.get().is_correction
    html = school_a_staff.get(reverse("schools:retention_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "corrected by the school" in html and "Ended: 진학" in html


def test_a_record_cannot_be_confirmed_before_its_check_date(school_a_staff, world):
    p = placement(world, starts_on=D(2026, 9, 1))  # checked on 2027-10-01 and 2028-04-01
    response = school_a_staff.post(
        reverse("schools:retention_review", args=[p.pk, 6]), {"status": "employed"}
    )
    assert response.status_code == 200 and not RetentionReview.objects.exists()


def test_the_list_shows_own_graduates_only(school_a_staff, school_b_staff, world):
    p = placement(world, starts_on=D(2024, 3, 4))
    assert [row[0] for row in school_a_staff.get(reverse("schools:retention_list")).context["rows"]] == [p]
    assert school_b_staff.get(reverse("schools:retention_list")).context["rows"] == []
    assert school_b_staff.get(reverse("schools:retention_review", args=[p.pk, 6])).status_code == 404


def test_an_unknown_milestone_is_not_found(school_a_staff, world):
    p = placement(world, starts_on=D(2024, 3, 4))
    assert school_a_staff.get(reverse("schools:retention_review", args=[p.pk, 9])).status_code == 404
