"""Reads about a recruiter's openings: the list, one opening with its applicant counts, and the
changes to a published opening that await review.

Access: a recruiter reads their own company's openings (`get_opening_for_user`), and
changes them only once an official has verified the company (`write=True`). Anything
else answers 404, the same as a missing row.

Applications and placements belong to `placements`, above companies: they are reached
through the relations that point at an opening (`Opening.applications`, `Opening.placements`),
never by import.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from companies.models import REVIEWED_FIELDS, Company, Opening, OpeningRevision
from district import access

# The departments an opening prefers (schools.Department, reached through the relation).
Department = Opening._meta.get_field("preferred_departments").related_model


def _applications():
    """The Application model (placements), reached through `Opening.applications`."""
    return Opening._meta.get_field("applications").related_model


def _placements():
    """The Placement model (placements), reached through `Opening.placements`."""
    return Opening._meta.get_field("placements").related_model


def count_pointing(queryset: QuerySet, fk: str) -> Coalesce:
    """Count rows of `queryset` pointing at the outer row, as a subquery (annotations do not multiply)."""
    counted = (
        queryset.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def applicant_counts() -> dict:
    """Annotations: an opening's `active_applications`, and `new_applications` not yet looked at."""
    application = _applications()
    return {
        "active_applications": count_pointing(
            application._default_manager.filter(status__in=application.ACTIVE_STATUSES), "opening"
        ),
        "new_applications": count_pointing(
            application._default_manager.filter(status=application.Status.SUBMITTED), "opening"
        ),
    }


def openings_awaiting_review(queryset: QuerySet[Opening] | None = None) -> QuerySet[Opening]:
    """Openings a recruiter submitted that an official has not approved or rejected yet."""
    queryset = Opening.objects.all() if queryset is None else queryset
    return queryset.filter(status=Opening.Status.SUBMITTED)


def opening_revisions_awaiting_review(
    queryset: QuerySet[OpeningRevision] | None = None,
) -> QuerySet[OpeningRevision]:
    """Changes to published openings that await an official's review."""
    queryset = OpeningRevision.objects.all() if queryset is None else queryset
    return queryset.filter(status=OpeningRevision.Status.PENDING)


def _openings_of(user, *, write: bool) -> QuerySet[Opening]:
    companies = Company.objects.filter(pk__in=access.company_ids(user))
    if write:
        companies = companies.filter(verification=Company.Verification.VERIFIED)
    return Opening.objects.filter(company__in=companies)


def opening_list(*, user, filters: Mapping | None = None) -> QuerySet[Opening]:
    """The openings of the recruiter's companies, newest first, with their applicant counts.

    `filters`: `status` (one of Opening.Status). Annotations: `active_applications`,
    `new_applications` (submitted, not yet looked at) and `hires` (placements).
    """
    queryset = _openings_of(user, write=False)
    status = (filters or {}).get("status")
    if status in Opening.Status.values:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related("job_role", "company")
        .annotate(**applicant_counts(), hires=count_pointing(_placements()._default_manager.all(), "opening"))
        .order_by("-created_at", "-pk")
    )


def get_opening_for_user(user, pk, *, write: bool = False) -> Opening:
    """One of the recruiter's company's openings, else 404; `write` also needs a verified company."""
    queryset = _openings_of(user, write=write).select_related("company__district", "job_role", "work_area")
    try:
        return queryset.get(pk=pk)
    except Opening.DoesNotExist:
        raise Http404("No such opening.") from None


def opening_detail(*, opening: Opening) -> dict:
    """What the opening's page shows beside the opening: its requirements and applicant counts."""
    active = _applications().ACTIVE_STATUSES
    counts = opening.applications.aggregate(
        active=Count("pk", filter=Q(status__in=active)),
        new=Count("pk", filter=Q(status=_applications().Status.SUBMITTED)),
        total=Count("pk"),
    )
    return {
        "certifications": opening.required_certifications.order_by("name"),
        "departments": opening.preferred_departments.select_related("school").order_by(
            "school__name", "name"
        ),
        "counts": counts,
        "hires": opening.placements.count(),
    }


# --- Changes to a published opening (revisions) -------------------------------------------------


def opening_revision_shown(*, opening: Opening) -> OpeningRevision | None:
    """The revision the opening's page shows: its latest, when that awaits review or was rejected."""
    latest = OpeningRevision.objects.filter(opening=opening).select_related("reviewed_by").first()
    shown = (OpeningRevision.Status.PENDING, OpeningRevision.Status.REJECTED)
    return latest if latest is not None and latest.status in shown else None


def _related_rows(field, ids) -> list:
    queryset = field.related_model._default_manager.filter(pk__in=ids)
    if field.related_model is Department:
        queryset = queryset.select_related("school")
    return list(queryset)


def opening_revision_values(*, revision: OpeningRevision) -> dict:
    """The proposed values of a revision as the opening form gives them: rows for relations, dates as dates.

    Refuses a revision that names a job role, area, certification or department that has
    been deleted since.
    """
    values = {}
    for name, raw in revision.changes.items():
        field = Opening._meta.get_field(name)
        if field.many_to_many or field.many_to_one:
            ids = raw if field.many_to_many else [] if raw is None else [raw]
            rows = _related_rows(field, ids)
            if len(rows) != len(set(ids)):
                raise ValidationError(
                    _("The changes name a %(field)s that no longer exists."),
                    code="choice_gone",
                    params={"field": field.verbose_name},
                )
            values[name] = rows if field.many_to_many else (rows[0] if rows else None)
        else:
            values[name] = field.to_python(raw)
    return values


def _shown_value(field, value) -> str:
    if field.many_to_many:
        return ", ".join(sorted(_row_label(row) for row in value)) or "-"
    if value is None or value == "":
        return "-"
    if field.many_to_one:
        return _row_label(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _row_label(row) -> str:
    if isinstance(row, Department):
        return f"{row.school.name} · {row.name}"
    return str(row)


def _approved_value(opening: Opening, field):
    if field.many_to_many:
        return _related_rows(field, getattr(opening, field.name).values_list("pk", flat=True))
    return getattr(opening, field.name)


def opening_revision_comparison(*, revision: OpeningRevision) -> list[dict]:
    """Each changed field with its approved and proposed value, side by side, in the form's order.

    Rows: `field` (its name), `label`, `approved` and `proposed` (display text).
    """
    opening = revision.opening
    try:
        proposed = opening_revision_values(revision=revision)
    except ValidationError:  # a choice deleted since: show what is stored, the approval will refuse
        proposed = dict(revision.changes)
    rows = []
    for name in REVIEWED_FIELDS:
        if name not in proposed:
            continue
        field = Opening._meta.get_field(name)
        rows.append(
            {
                "field": name,
                "label": field.verbose_name,
                "approved": _shown_value(field, _approved_value(opening, field)),
                "proposed": _shown_value(field, proposed[name]),
            }
        )
    return rows
