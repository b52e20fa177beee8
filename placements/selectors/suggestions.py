"""Reads of a student's suggested openings (computed nightly by `placements.services.suggestions`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Opening, public_opening_q
from placements.models import Preference, Suggestion
from placements.selectors.fit import verified_fact_parts
from schools.models import Student


@dataclass
class SuggestionRow:
    opening: Opening
    rank: int
    score: float
    reason: str


def _public_suggestions(student: Student, today: datetime.date) -> QuerySet[Suggestion]:
    # An opening may have closed since the night's computation: show only those still public.
    return (
        Suggestion.objects.filter(public_opening_q(today=today, prefix="opening__"), student=student)
        .select_related("opening__company", "opening__job_role")
        .order_by("rank")
    )


def suggestion_list(*, student: Student, today: datetime.date | None = None) -> list[SuggestionRow]:
    """The student's suggested openings, best first, each with a one-line reason (one query)."""
    return [
        SuggestionRow(opening=s.opening, rank=s.rank, score=s.score, reason=suggestion_reason(s.reason))
        for s in _public_suggestions(student, today or timezone.localdate())
    ]


def suggestions_to_rank(*, student: Student, today: datetime.date | None = None) -> list[Opening]:
    """Suggested openings that are not on the student's ranking yet, each with `.reason` (one query)."""
    ranked = Preference.objects.filter(student=student).values("opening_id")
    rows = _public_suggestions(student, today or timezone.localdate()).exclude(opening_id__in=ranked)
    openings = []
    for suggestion in rows:
        suggestion.opening.reason = suggestion_reason(suggestion.reason)
        openings.append(suggestion.opening)
    return openings


def suggestion_reason(reason: dict) -> str:
    """One line, such as "학교 확인 자격증: 전기기능사; 직무 관련 NCS 이수: … 외 2; 15분 거리".

    The strongest facts come first (the school-verified ones, `placements.selectors.fit`);
    at most three are given, plus the commute. A required certification the school has not
    checked yet is still named ("you hold …"), though it earns no points.
    """
    parts: list[str] = verified_fact_parts(reason)
    certifications = reason.get("certifications") or []
    if certifications and not reason.get("verified_certifications"):
        parts.insert(
            0,
            _("you hold %(certifications)s, which it requires")
            % {"certifications": ", ".join(certifications)},
        )
    field = reason.get("field") or []
    if "preferred_department" in field:
        parts.append(_("it prefers students of your department"))
    if reason.get("practice"):
        parts.append(_("you did field practice at this company"))
    if "department_segment" in field or "interest" in field:
        parts.append(_("it is in your field"))
    if reason.get("agreement") == "school":
        parts.append(_("the company has a hiring agreement with your school"))
    elif reason.get("agreement") == "district":
        parts.append(_("the company has a hiring agreement with the district"))
    minutes = reason.get("commute_minutes")
    commute = _("%(minutes)s minutes from your area") % {"minutes": minutes} if minutes is not None else ""
    shown = parts[: 2 if commute else 3]
    if commute:
        shown.append(commute)
    return "; ".join(shown) or _("it is open to you")
