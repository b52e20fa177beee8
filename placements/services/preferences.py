"""Writes of a student's ranked list of openings for their cohort's matching round."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import Opening
from placements.models import Preference
from placements.selectors.preferences import (
    MAX_PREFERENCES,
    preference_list,
    round_for_student,
    round_is_open,
)
from schools.models import Student


def _titles(openings) -> str:
    return ", ".join(f"“{opening.title}”" for opening in openings)


def preferences_save(*, student: Student, opening_ids: list[int], by) -> list[Preference]:
    """Replace the student's ranking with `opening_ids`, first choice first; all or nothing.

    1. Lock the student's row, so that two saves of the same student run one after the other.
    2. Refuse when the student's round is missing or its rankings have closed.
    3. Check the whole list: at most 30, no opening twice, and each one a public opening
       (published, deadline not passed, verified company) of the student's district.
       Every problem found is reported at once, keyed to "openings".
    4. Replace the stored rows with the new ranks.
    """
    opening_ids = list(opening_ids)
    with transaction.atomic():
        Student.objects.select_for_update().filter(pk=student.pk).first()
        match_round = round_for_student(student=student)
        if match_round is None:
            raise ValidationError(
                _("There is no matching round for your class yet, so there is nothing to rank.")
            )
        if not round_is_open(match_round):
            closed = date_format(timezone.localtime(match_round.preferences_close_at), "DATETIME_FORMAT")
            raise ValidationError(
                _("Rankings for “%(round)s” closed on %(closed)s; your list can no longer change.")
                % {"round": match_round.title, "closed": closed}
            )
        problems = _list_problems(student, opening_ids)
        if problems:
            raise ValidationError({"openings": problems})
        Preference.objects.filter(student=student).delete()
        Preference.objects.bulk_create(
            Preference(student=student, opening_id=opening_id, rank=rank)
            for rank, opening_id in enumerate(opening_ids, start=1)
        )
    return preference_list(student=student)


def preference_add(*, student: Student, opening: Opening, by) -> list[Preference]:
    """Put an opening at the end of the student's saved ranking (a no-op if it is already there)."""
    current = [p.opening_id for p in preference_list(student=student)]
    if opening.pk in current:
        return preference_list(student=student)
    return preferences_save(student=student, opening_ids=[*current, opening.pk], by=by)


def _list_problems(student: Student, opening_ids: list[int]) -> list[str]:
    problems = []
    if len(opening_ids) > MAX_PREFERENCES:
        problems.append(
            _("You can rank at most %(max)d openings; this list has %(count)d.")
            % {"max": MAX_PREFERENCES, "count": len(opening_ids)}
        )
    seen, repeated = set(), []
    for opening_id in opening_ids:
        if opening_id in seen and opening_id not in repeated:
            repeated.append(opening_id)
        seen.add(opening_id)
    found = {
        opening.pk: opening
        for opening in Opening.objects.filter(pk__in=seen).select_related("company").order_by("pk")
    }
    if repeated:
        problems.append(
            _("Each opening can appear only once; listed more than once: %(titles)s.")
            % {"titles": _titles(found[i] for i in repeated if i in found) or "-"}
        )
    saved = set(Preference.objects.filter(student=student).values_list("opening_id", flat=True))
    today = timezone.localdate()
    closed, unknown = [], 0
    for opening_id in dict.fromkeys(opening_ids):
        opening = found.get(opening_id)
        if opening is None or opening.company.district_id != student.school.district_id:
            unknown += 1
        elif not opening.is_public(today=today):
            # Name only openings the student already had or could see, never a draft's title.
            if opening_id in saved or opening.status == Opening.Status.PUBLISHED:
                closed.append(opening)
            else:
                unknown += 1
    if closed:
        problems.append(
            _("These openings no longer take applications: %(titles)s. Remove them and save again.")
            % {"titles": _titles(closed)}
        )
    if unknown:
        problems.append(
            ngettext(
                "%(count)d opening in the list is not open to your district's students.",
                "%(count)d openings in the list are not open to your district's students.",
                unknown,
            )
            % {"count": unknown}
        )
    return problems
