"""Reads for a student's ranked list of openings (`Preference`) and their cohort's matching round."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from companies.models import Opening, public_opening_q
from companies.selectors.public import opening_queryset_public, opening_search
from placements.models import MatchRound, Preference
from schools.models import Student

# A student ranks at most this many openings (the database allows ranks 1 to 30).
MAX_PREFERENCES = 30


def round_for_student(*, student: Student) -> MatchRound | None:
    """The matching round of the student's district and graduation year, open or not."""
    return MatchRound.objects.filter(district_id=student.school.district_id, cohort=student.cohort).first()


def round_is_open(match_round: MatchRound | None, *, now: datetime.datetime | None = None) -> bool:
    return match_round is not None and match_round.preferences_close_at > (now or timezone.now())


def open_round_for_student(*, student: Student) -> MatchRound | None:
    """The student's round while rankings are still open, else None."""
    match_round = round_for_student(student=student)
    return match_round if round_is_open(match_round) else None


def preference_list(*, student: Student) -> list[Preference]:
    """The student's saved ranking, first choice first, with what each row shows (one query)."""
    return list(
        Preference.objects.filter(student=student)
        .select_related("opening__company", "opening__job_role")
        .order_by("rank")
    )


def rankable_openings(
    *, student: Student, exclude_ids=(), search: str = "", today: datetime.date | None = None
) -> QuerySet[Opening]:
    """Public openings of the student's district that could be added to the ranking."""
    queryset = (
        opening_queryset_public(today=today)
        .filter(company__district_id=student.school.district_id)
        .exclude(pk__in=exclude_ids)
    )
    return opening_search(queryset, search)


def is_rankable(opening: Opening, *, today: datetime.date | None = None) -> bool:
    """Whether an opening may stay on a ranking: it is public (`Opening.is_public`)."""
    return opening.is_public(today=today)


def openings_for_draft(*, student: Student, opening_ids) -> dict[int, Opening]:
    """Openings of a list the student posted, to show it again when it is refused.

    Only public openings and openings already on the student's saved list are shown, so
    that posting an arbitrary id reveals nothing about an opening that is not public.
    """
    public = public_opening_q(today=timezone.localdate())
    queryset = (
        Opening.objects.filter(pk__in=list(opening_ids))
        .filter(public | Q(preferences__student=student))
        .select_related("company", "job_role")
        .distinct()
    )
    return {opening.pk: opening for opening in queryset}


def preference_suggestions(*, student: Student) -> list[Opening]:
    """Openings to suggest on the ranking page: the nightly suggestions not ranked yet.

    Each carries `.reason`, a one-line explanation; the page lists them with an "Add"
    button, so nothing is ranked for the student without their say.
    """
    from placements.selectors.suggestions import suggestions_to_rank

    return suggestions_to_rank(student=student)
