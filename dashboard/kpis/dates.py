"""Dates and rates shared by every KPI: months after the survey date, "employed on", rates."""

from __future__ import annotations

import datetime

from django.db.models import Q


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months; only used with the 1st of a month, so no day overflows."""
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def employed_on(day: datetime.date, prefix: str = "") -> Q:
    """Placements that cover `day`: started on or before it, not ended before it."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def percent(part: int | None, whole: int | None) -> float | None:
    """part ÷ whole × 100 rounded to one decimal, or None when there is no whole."""
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)
