"""Writes for job retention at 6 and 12 months: the daily records and the school's review of them.

KEDI's graduate survey counts employment on its survey date, then again 6 and 12 months
later (`district.cohorts.retention_dates`). Every placement gets both records filled in
by `retention_record_due` once their dates pass; school staff confirm or correct each
one with `retention_review_save`, which keeps what was recorded before.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from district.cohorts import retention_dates
from placements.models import Placement, RetentionReview


def retained_on(day: datetime.date, placement: Placement, student_placements) -> bool:
    """Whether the graduate of `placement` is still employed on `day`, for its retention record.

    True when this placement, or one that started on or after it, covers `day` (started
    on or before it, not ended before it): KEDI's retention counts employment, not the
    same employer, so a graduate who moved on to another job is retained.

    How it differs from the dashboard's employment rule (`employed_on` among the KPIs,
    "any placement covering the day"): a job that started *before* this placement does
    not count here. Retention follows one hire forward in time; the employment rate asks
    only whether the graduate had some job on the survey date. Each rule has its test in
    tests/placements/test_retention.py.
    """
    return any(
        p.starts_on >= placement.starts_on and p.starts_on <= day and (p.ends_on is None or p.ends_on >= day)
        for p in student_placements
    )


def retention_record_due(*, today: datetime.date | None = None, batch_size: int = 1000) -> dict[str, int]:
    """Record every 6- and 12-month status whose check date has come and that is still blank.

    Idempotent: only blank records are filled, with conditional UPDATEs, so a rerun or a
    school's correction is never overwritten.
    """
    today = today or timezone.localdate()
    counts = {"six_months": 0, "twelve_months": 0}
    # Six months is the shortest way from a start to a check date; the exact test is below.
    candidates = (
        Placement.objects.filter(Q(retention_6m="") | Q(retention_12m=""))
        .filter(starts_on__lte=today - datetime.timedelta(days=180))
        .only("pk", "student_id", "starts_on", "retention_6m", "retention_12m")
        .order_by("pk")
    )
    last_pk = 0
    while True:
        batch = list(candidates.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return counts
        last_pk = batch[-1].pk
        by_student: dict[int, list] = {}
        for p in Placement.objects.filter(student_id__in={p.student_id for p in batch}).only(
            "pk", "student_id", "starts_on", "ends_on"
        ):
            by_student.setdefault(p.student_id, []).append(p)
        updates: dict[tuple[str, str, datetime.date], list[int]] = {}
        for placement in batch:
            dates = retention_dates(placement.starts_on)
            for field, day in (("retention_6m", dates.six_months), ("retention_12m", dates.twelve_months)):
                if getattr(placement, field) or day > today:
                    continue
                employed = retained_on(day, placement, by_student[placement.student_id])
                status = Placement.Retention.EMPLOYED if employed else Placement.Retention.LEFT
                updates.setdefault((field, status, day), []).append(placement.pk)
        with transaction.atomic():
            for (field, status, day), pks in updates.items():
                counts["six_months" if field == "retention_6m" else "twelve_months"] += (
                    Placement.objects.filter(pk__in=pks, **{field: ""}).update(
                        **{field: status, f"{field}_checked_on": day}
                    )
                )


def retention_review_save(
    *,
    placement: Placement,
    milestone: int,
    status: str,
    by,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> RetentionReview:
    """School staff confirm or correct a placement's 6- or 12-month record.

    1. The check date must have come.
    2. "Left" on a placement still open on the check date ends it: the date the graduate
       left (before the check date) and the reason are required and recorded.
    3. The record on the placement is set, and the review keeps what was recorded before.
    """
    today = today or timezone.localdate()
    if milestone not in RetentionReview.Milestone.values:
        raise ValidationError({"milestone": _("Choose the 6- or 12-month record.")})
    if status not in RetentionReview.Status.values:
        raise ValidationError({"status": _("Choose whether the graduate was still employed.")})
    check_date = retention_dates(placement.starts_on).for_milestone(milestone)
    if check_date > today:
        raise ValidationError(
            _("The %(months)s-month check date, %(date)s, has not come yet."),
            params={"months": milestone, "date": date_format(check_date)},
        )
    field = f"retention_{milestone}m"
    with transaction.atomic():
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        open_on_check_date = placement.ends_on is None or placement.ends_on >= check_date
        if status == RetentionReview.Status.LEFT and open_on_check_date:
            errors = {}
            if ended_on is None:
                errors["ended_on"] = _("Give the date the graduate left this job.")
            elif not placement.starts_on <= ended_on < check_date:
                errors["ended_on"] = _(
                    "The job ended between its start, %(start)s, and the check date, %(date)s."
                ) % {
                    "start": date_format(placement.starts_on),
                    "date": date_format(check_date),
                }
            if not end_reason.strip():
                errors["end_reason"] = _("Give the reason for leaving.")
            if errors:
                raise ValidationError(errors)
            placement.status, placement.ends_on = Placement.Status.ENDED, ended_on
            placement.end_reason = end_reason.strip()[:200]
        recorded = getattr(placement, field)
        setattr(placement, field, status)
        setattr(placement, f"{field}_checked_on", check_date)
        placement.save()
        review, _created = RetentionReview.objects.update_or_create(
            placement=placement,
            milestone=milestone,
            defaults={
                "status": status,
                "recorded_status": recorded,
                "note": note.strip()[:200],
                "reviewed_by": by,
            },
        )
    return review
