"""Reads of applications: who may see which, one opening's applicants for its company, stale ones.

Scope of `application_list` and `get_application_for_user`:

- a recruiter: applications to their verified company's openings;
- an official: applications of students of their district's schools;
- school staff: applications of their school's students;
- a student: their own.

With `write=True` only the recruiters (who move applications) and the student (who answers)
remain. Anything outside the scope answers 404, the same as a missing row.

The API's `/applications/` reads `application_list_by_role`, scoped by
`district.access.role_scope` over the same four roles (there a recruiter's company need not
be verified, and a student needs an active student membership).

What a recruiter sees of an applicant is fixed by `applicant_list`: name, school,
department, certifications and field practice, and contact details and the date of birth
only for a student who has accepted an offer from, or been hired by, that company.

The student's profile, as a snapshot (`schools.models.ProfileSnapshot`), is the one rule of
`recruiter_snapshot_q`: the company's recruiters see it for an application to one of its
openings that the student made directly, or for a round's offer once the student accepted
it (accepted, hired, or cancelled by the company after that). `get_snapshot_for_recruiter`
and `get_snapshot_file_for_recruiter` answer 404 for everything else.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db.models import Case, CharField, DateField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from companies.models import Company, Opening
from district import access
from placements.models import AWAITING_COMPANY_STATUSES, SEAT_HOLDING_STATUSES, Application, ApplicationEvent
from placements.selectors.scoring import applicant_fit_scores
from schools.models import FieldPractice, ProfileFile, ProfileSnapshot, StudentCertification
from schools.selectors.profile import snapshot_document

# Every key of an applicant row, in order. A test snapshots this list: adding a field
# here shows a recruiter more about a minor, so it needs a reason.
APPLICANT_FIELDS = (
    "id",
    "status",
    "source",
    "submitted_at",
    "status_changed_at",
    "student_id",
    "student_name",
    "school_name",
    "department_name",
    "contact_visible",
    "email",
    "phone",
    "birth_date",
)
# Added by `applicant_profiles` for the rows of one page.
APPLICANT_PROFILE_FIELDS = ("certifications", "field_practice")
# Field practice a recruiter may see: what the student has done or is doing, not plans.
SHOWN_PRACTICE_STATUSES = [
    FieldPractice.Status.COMPLETED,
    FieldPractice.Status.IN_PROGRESS,
    FieldPractice.Status.ON_HOLD,
]


def _scope(user, *, write: bool) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser and not write:
        return Q()
    parts = [
        Q(
            opening__company__in=access.company_ids(user),
            opening__company__verification=Company.Verification.VERIFIED,
        ),
        Q(student__user=user),
    ]
    if not write:
        parts.append(Q(student__school__district__in=access.official_district_ids(user)))
        parts.append(Q(student__school__in=access.school_ids(user)))
    scope = parts[0]
    for part in parts[1:]:
        scope |= part
    return scope


def application_list(*, user, filters: Mapping | None = None) -> QuerySet[Application]:
    """Applications the user may see, newest first, with what a list row shows."""
    queryset = (
        Application.objects.filter(_scope(user, write=False))
        .select_related("student__school", "student__department", "opening__company")
        .order_by("-submitted_at", "-pk")
    )
    if filters:
        from placements.filters import ApplicationFilterSet

        queryset = ApplicationFilterSet(filters, queryset=queryset).qs
    return queryset


def application_list_by_role(*, user, filters: Mapping | None = None) -> QuerySet[Application]:
    """Applications in the user's reach for the API, newest first.

    Officials: their district's; school staff: their schools'; recruiters: their company's;
    a student: their own.
    """
    from placements.filters import ApplicationFilterSet

    scope = access.role_scope(
        user,
        district="student__school__district",
        school="student__school",
        company="opening__company",
        student="student",
    )
    queryset = (
        Application.objects.filter(scope)
        .select_related("student", "opening")
        .order_by("-submitted_at", "-pk")
    )
    if filters:
        queryset = ApplicationFilterSet(filters, queryset=queryset).qs
    return queryset


def get_application_for_user(user, pk, *, write: bool = False) -> Application:
    """One application in the user's scope (see the module docstring), else 404."""
    queryset = Application.objects.filter(_scope(user, write=write)).select_related(
        "student__school", "student__department", "opening__company", "opening__job_role"
    )
    try:
        return queryset.get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("No such application.") from None


def application_events(*, application: Application) -> QuerySet[ApplicationEvent]:
    """The application's history, oldest first, with who made each change."""
    return application.events.select_related("by").order_by("at", "pk")


# --- A company's view of its applicants -----------------------------------------------------


def _contact_revealed(company_id: int) -> Exists:
    """The student accepted an offer from, or was hired by, this company."""
    return Exists(
        Application.objects.filter(
            student=OuterRef("student"), opening__company_id=company_id, status__in=SEAT_HOLDING_STATUSES
        )
    )


def applicant_list(*, user, opening: Opening, filters: Mapping | None = None) -> QuerySet[dict]:
    """The applicants of `opening` as rows of exactly APPLICANT_FIELDS, newest first unless
    the filters sort otherwise (`ApplicantFilterSet`: by submission or by fit).

    Only the company's recruiters may ask (anyone else gets 404). Contact details and
    the date of birth are None unless the student accepted an offer from, or was hired
    by, the company: the database never sends them otherwise.
    """
    if opening.company_id not in access.company_ids(user) or not opening.company.is_verified:
        raise Http404("No such opening.")
    # Newest first, unless the filters sort otherwise (by fit, or oldest first).
    queryset = Application.objects.filter(opening=opening).order_by("-submitted_at", "-pk")
    if filters:
        from placements.filters import ApplicantFilterSet

        queryset = ApplicantFilterSet(
            filters, queryset=queryset, opening=opening, fit_scores=applicant_fit_scores
        ).qs

    def revealed(field: str, output_field):
        return Case(
            When(contact_visible=True, then=F(f"student__{field}")),
            default=Value(None, output_field=output_field),
            output_field=output_field,
        )

    return (
        queryset.annotate(
            student_name=F("student__name"),
            school_name=F("student__school__name"),
            department_name=F("student__department__name"),
            contact_visible=_contact_revealed(opening.company_id),
        )
        .annotate(
            email=revealed("email", CharField()),
            phone=revealed("phone", CharField()),
            birth_date=revealed("birth_date", DateField()),
        )
        .values(*APPLICANT_FIELDS)
    )


def applicant_profiles(rows: Iterable[dict]) -> list[dict]:
    """Add each applicant's certifications and field practice to a page of rows (two queries).

    `certifications`: names, oldest first; `field_practice`: dicts of company, status
    (its label), starts_on and ends_on, newest first.
    """
    rows = [dict(row) for row in rows]
    student_ids = {row["student_id"] for row in rows}
    certifications: dict[int, list[str]] = defaultdict(list)
    for student_id, name in (
        StudentCertification.objects.filter(student_id__in=student_ids)
        .order_by("acquired_on", "pk")
        .values_list("student_id", "certification__name")
    ):
        certifications[student_id].append(name)
    practice: dict[int, list[dict]] = defaultdict(list)
    labels = dict(FieldPractice.Status.choices)
    for item in (
        FieldPractice.objects.filter(student_id__in=student_ids, status__in=SHOWN_PRACTICE_STATUSES)
        .order_by("-starts_on", "-pk")
        .values("student_id", "company__name", "status", "starts_on", "ends_on")
    ):
        practice[item["student_id"]].append(
            {
                "company": item["company__name"],
                "status": labels[item["status"]],
                "starts_on": item["starts_on"],
                "ends_on": item["ends_on"],
            }
        )
    for row in rows:
        row["certifications"] = certifications.get(row["student_id"], [])
        row["field_practice"] = practice.get(row["student_id"], [])
    return rows


# --- The profile snapshot a company sees ---------------------------------------------------------

# A round's offer shows the company the student's profile only once the student accepted it:
# the seat-holding statuses, and "cancelled", which only an accepted application reaches.
ROUND_PROFILE_STATUSES = [*SEAT_HOLDING_STATUSES, Application.Status.CANCELLED]


def _company_sees_q() -> Q:
    return Q(profile_snapshot__isnull=False) & (
        Q(source=Application.Source.DIRECT) | Q(status__in=ROUND_PROFILE_STATUSES)
    )


def recruiter_snapshot_q(user) -> Q:
    """Applications whose profile snapshot `user` sees as a recruiter (see the module docstring)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return _company_sees_q() & Q(
        opening__company__in=access.company_ids(user),
        opening__company__verification=Company.Verification.VERIFIED,
    )


def company_sees_snapshot(application: Application) -> bool:
    """Whether the opening's company sees this application's snapshot now (the rule above)."""
    return Application.objects.filter(_company_sees_q(), pk=application.pk).exists()


def snapshot_for_recruiter(user, application_pk) -> ProfileSnapshot | None:
    """The snapshot of one application that `user`'s company may see, or None."""
    application = (
        Application.objects.filter(recruiter_snapshot_q(user), pk=application_pk)
        .select_related("profile_snapshot")
        .first()
    )
    return None if application is None else application.profile_snapshot


def get_snapshot_for_recruiter(user, application_pk) -> ProfileSnapshot:
    """`snapshot_for_recruiter`, or 404."""
    snapshot = snapshot_for_recruiter(user, application_pk)
    if snapshot is None:
        raise Http404("No such profile.")
    return snapshot


def get_snapshot_file_for_recruiter(user, application_pk, file_id) -> tuple[ProfileSnapshot, ProfileFile]:
    """A project file of a snapshot `user` may see, while the student's own half is there, else 404."""
    snapshot = get_snapshot_for_recruiter(user, application_pk)
    if snapshot.own_removed_at is not None:
        raise Http404("No such file.")
    try:
        return snapshot, snapshot.files.get(pk=file_id)
    except ProfileFile.DoesNotExist:
        raise Http404("No such file.") from None


def snapshot_document_with_urls(snapshot: ProfileSnapshot, url_of=None) -> dict:
    """The snapshot's document, each project file with the `url` that `url_of(file_id)` gives
    (no link when `url_of` is None or the student's own half is removed).

    The JSON stored in the snapshot is copied, never changed in place.
    """
    document = snapshot_document(snapshot)
    if url_of is None or document["own"] is None:
        return document
    projects = [
        {**project, "file": project["file"] and {**project["file"], "url": url_of(project["file"]["id"])}}
        for project in document["own"]["projects"]
    ]
    return {**document, "own": {**document["own"], "projects": projects}}


# --- Stale applications -------------------------------------------------------------------------


def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Applications whose status last changed before this moment are stale."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.STALE_APPLICATION_DAYS)


def stale_application_list(*, company_ids: Iterable[int] | None = None, now=None) -> QuerySet[Application]:
    """Applications waiting on a verified company's decision with no change for STALE_APPLICATION_DAYS.

    Oldest change first, with the student's name and the opening for the reminder.
    """
    queryset = Application.objects.filter(
        status__in=AWAITING_COMPANY_STATUSES,
        status_changed_at__lte=stale_before(now),
        opening__company__verification=Company.Verification.VERIFIED,
    )
    if company_ids is not None:
        queryset = queryset.filter(opening__company_id__in=list(company_ids))
    return queryset.select_related("student", "opening").order_by("status_changed_at", "pk")
