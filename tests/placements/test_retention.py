"""Retention at 6 and 12 months (KEDI: employed on the survey date, 1 April), recorded daily and
confirmed or corrected by school staff on /school/retention/ (placements since issue 13)."""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse

from dashboard.kpis import employed_on as kpi_employed_on
from district.cohorts import retention_dates
from district.outbox import enqueue
from placements.models import Placement, RetentionReview
from placements.services.retention import retained_on, retention_record_due
from placements.tasks import retention_record_due as retention_record_due_task
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
    dates = retention_dates(starts_on)
    assert (dates.survey, dates.six_months, dates.twelve_months) == (survey, six, twelve)


def test_nothing_is_recorded_before_the_check_date(world):
    p = placement(world)
    retention_record_due(today=D(2026, 9, 30))
    p.refresh_from_db()
    assert (p.retention_6m, p.retention_12m) == ("", "")


def test_the_6_month_record_on_1_october_and_12_month_on_1_april(world):
    p = placement(world)
    assert retention_record_due(today=D(2026, 10, 1)) == {"six_months": 1, "twelve_months": 0}
    p.refresh_from_db()
    assert (p.retention_6m, p.retention_6m_checked_on, p.retention_12m) == ("employed", D(2026, 10, 1), "")
    assert retention_record_due(today=D(2027, 3, 31)) == {"six_months": 0, "twelve_months": 0}
    assert retention_record_due(today=D(2027, 4, 1)) == {"six_months": 0, "twelve_months": 1}
    p.refresh_from_db()
    assert (p.retention_12m, p.retention_12m_checked_on) == ("employed", D(2027, 4, 1))


@pytest.mark.parametrize(
    ("ends_on", "expected_12m"),
    [(D(2027, 3, 31), "left"), (D(2027, 4, 1), "employed"), (D(2027, 4, 2), "employed")],
    ids=["left-the-day-before", "left-on-the-survey-day", "left-the-day-after"],
)
def test_the_12_month_status_is_employment_on_1_april(world, ends_on, expected_12m):
    p = placement(world, ends_on=ends_on, status="ended", end_reason="이직")
    retention_record_due(today=D(2027, 6, 1))
    p.refresh_from_db()
    assert (p.retention_6m, p.retention_12m) == ("employed", expected_12m)


def test_a_placement_that_ended_early_is_left_at_both_checks(world):
    p = placement(world, ends_on=D(2026, 8, 31), status="ended", end_reason="건강 문제")
    retention_record_due(today=D(2027, 4, 1))
    p.refresh_from_db()
    assert (p.retention_6m, p.retention_12m) == ("left", "left")


def test_moving_to_another_job_still_counts_as_employed(world):
    first = placement(world, ends_on=D(2026, 12, 31), status="ended", end_reason="이직")
    f.PlacementFactory(student=world.student, company=world.company_b, starts_on=D(2027, 1, 2))
    retention_record_due(today=D(2027, 4, 1))
    first.refresh_from_db()
    assert first.retention_12m == "employed"


def test_retention_counts_only_this_job_and_later_ones():
    """The retention rule: a job that started before this placement does not keep it retained."""
    earlier = SimpleNamespace(starts_on=D(2025, 3, 3), ends_on=None)  # a weekend job, still held
    this = SimpleNamespace(starts_on=D(2026, 3, 2), ends_on=D(2026, 6, 30))
    later = SimpleNamespace(starts_on=D(2026, 11, 2), ends_on=None)
    assert retained_on(D(2026, 10, 1), this, [earlier, this]) is False
    assert retained_on(D(2026, 6, 30), this, [earlier, this]) is True  # the last day of this job
    assert retained_on(D(2027, 4, 1), this, [earlier, this, later]) is True  # moved on: still retained
    assert retained_on(D(2026, 10, 1), this, [earlier, this, later]) is False  # the later job had not begun


def test_the_employment_rate_counts_any_job_on_the_day(world):
    """The dashboard's rule (`employed_on` among the KPIs): any placement covering the day, however
    early it started. The same graduate as above is employed on 1 October for the KPI, yet has
    left for this placement's 6-month retention."""
    earlier = placement(world, starts_on=D(2025, 3, 3))
    this = f.PlacementFactory(
        student=world.student,
        company=world.company_b,
        starts_on=D(2026, 3, 2),
        ends_on=D(2026, 6, 30),
        status="ended",
        end_reason="계약 만료",
    )
    covering = Placement.objects.filter(kpi_employed_on(D(2026, 10, 1)), student=world.student)
    assert list(covering) == [earlier]
    retention_record_due(today=D(2026, 10, 1))
    this.refresh_from_db()
    earlier.refresh_from_db()
    assert (this.retention_6m, earlier.retention_6m) == ("left", "employed")


def test_the_snapshot_is_idempotent_and_keeps_corrections(world):
    p = placement(world)
    retention_record_due(today=D(2026, 10, 1))
    Placement.objects.filter(pk=p.pk).update(retention_6m="left")  # a school's correction
    assert retention_record_due(today=D(2026, 10, 2)) == {"six_months": 0, "twelve_months": 0}
    p.refresh_from_db()
    assert p.retention_6m == "left"


def test_the_snapshot_handles_many_placements_in_batches(world, django_assert_max_num_queries):
    for _ in range(30):
        student = f.StudentFactory(department=world.department_a)
        f.PlacementFactory(student=student, company=world.company_a, starts_on=D(2026, 3, 2))
    # Per batch of 10: the batch, its students' placements, and one UPDATE per (field, status, date).
    with django_assert_max_num_queries(20):
        counts = retention_record_due(today=D(2027, 4, 1), batch_size=10)
    assert counts == {"six_months": 30, "twelve_months": 30}


def test_the_beat_task_is_scheduled_daily_and_runs(world):
    schedule = settings.CELERY_BEAT_SCHEDULE["retention-snapshots"]
    assert schedule["task"] == "placements.retention_record_due"
    placement(world, starts_on=D(2024, 3, 4))
    assert retention_record_due_task.delay().get() == {"six_months": 1, "twelve_months": 1}


def test_the_old_task_name_still_runs_the_retention_records(world):
    """A beat entry or an outbox row with the name from before issue 13 still fills the records."""
    p = placement(world, starts_on=D(2024, 3, 4))
    enqueue("schools.tasks.record_retention_snapshots")
    p.refresh_from_db()
    assert (p.retention_6m, p.retention_12m) == ("employed", "employed")


# --- Confirm or correct -----------------------------------------------------------------------------


def test_staff_confirm_a_record(school_a_staff, world):
    p = placement(world, starts_on=D(2024, 3, 4))
    retention_record_due(today=D(2025, 4, 1))
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
    retention_record_due(today=D(2025, 4, 1))
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
