"""Field practice, teacher training and co-developed curriculum: the activity KPIs' counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from dashboard.kpis.scope import DashboardScope
from dashboard.kpis.training import co_developed_units_of, training_completions
from schools.models import FieldPractice

# A field practice counts once it has started: planned and cancelled ones do not.
PRACTICE_STARTED = (
    FieldPractice.Status.IN_PROGRESS,
    FieldPractice.Status.ON_HOLD,
    FieldPractice.Status.COMPLETED,
)


def practice_started(prefix: str = "") -> Q:
    """Field practices that have started (through `prefix`, e.g. "field_practices__")."""
    return Q(**{f"{prefix}status__in": PRACTICE_STARTED})


@dataclass(frozen=True)
class ActivityCounts:
    field_practice_participants: int
    teacher_training_hours: int
    co_developed_units: int


def activity_counts(*, scope: DashboardScope, year: int) -> ActivityCounts:
    """Field practice, teacher training and co-developed curriculum in the scope (three queries)."""
    practice = FieldPractice.objects.filter(
        practice_started(),
        scope.students("student__"),
        starts_on__lte=datetime.date(year, 12, 31),
        ends_on__gte=datetime.date(year, 1, 1),
    ).aggregate(n=Count("student", distinct=True))
    hours = training_completions(scope=scope, year=year).aggregate(n=Coalesce(Sum("hours"), 0))
    units = co_developed_units_of(scope=scope).count()
    return ActivityCounts(
        field_practice_participants=practice["n"],
        teacher_training_hours=hours["n"],
        co_developed_units=units,
    )
