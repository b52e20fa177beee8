"""Reads of field practice for school staff, the host company's recruiters and the student in it.

Each is scoped by who asks, through `district.access`: school staff see their own
schools' practices, a recruiter their company's, a student their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from district import access
from district.models import Membership
from schools.models import FieldPractice, PracticeDiaryEntry, PracticeIncident
from schools.selectors.schools import get_or_404, member_emails
from schools.selectors.students import student_for_user


def _practice_queryset() -> QuerySet[FieldPractice]:
    open_incidents = PracticeIncident.objects.filter(practice=OuterRef("pk"), reviewed_at__isnull=True)
    return FieldPractice.objects.select_related(
        "student__school", "student__department", "company", "safety_checked_by"
    ).annotate(has_open_incident=Exists(open_incidents))


def field_practice_list(*, user, filters: dict | None = None) -> QuerySet[FieldPractice]:
    """School staff: the field practices of their schools' students."""
    filters = filters or {}
    queryset = _practice_queryset().filter(student__school_id__in=access.school_ids(user))
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    return queryset.order_by("-starts_on", "pk")


def get_field_practice_for_user(user, pk) -> FieldPractice:
    return get_or_404(_practice_queryset().filter(student__school_id__in=access.school_ids(user)), pk)


def company_practice_list(*, user) -> QuerySet[FieldPractice]:
    """A recruiter: the field practices their company hosts."""
    return (
        _practice_queryset()
        .filter(company_id__in=access.company_ids(user))
        .exclude(status=FieldPractice.Status.CANCELLED)
        .annotate(
            unacknowledged=Count("diary_entries", filter=Q(diary_entries__acknowledged_at__isnull=True))
        )
        .order_by("-starts_on", "pk")
    )


def get_company_practice_for_user(user, pk) -> FieldPractice:
    return get_or_404(_practice_queryset().filter(company_id__in=access.company_ids(user)), pk)


def student_practice_list(*, user) -> QuerySet[FieldPractice]:
    """A student: their own field practices."""
    student = student_for_user(user)
    if student is None:
        return FieldPractice.objects.none()
    return _practice_queryset().filter(student=student).order_by("-starts_on")


def get_student_practice_for_user(user, pk) -> FieldPractice:
    return get_or_404(student_practice_list(user=user), pk)


def diary_entries(*, practice: FieldPractice) -> QuerySet[PracticeDiaryEntry]:
    return practice.diary_entries.select_related("acknowledged_by").order_by("-week_starting")


def get_diary_entry(practice: FieldPractice, pk) -> PracticeDiaryEntry:
    return get_or_404(practice.diary_entries.all(), pk)


def incidents(*, practice: FieldPractice) -> QuerySet[PracticeIncident]:
    return practice.incidents.select_related("reported_by", "reviewed_by").order_by("-reported_at")


def get_incident_for_user(user, pk) -> PracticeIncident:
    """School staff: an incident in one of their students' practices."""
    return get_or_404(
        PracticeIncident.objects.filter(
            practice__student__school_id__in=access.school_ids(user)
        ).select_related("practice__student__school"),
        pk,
    )


@dataclass(frozen=True)
class IncidentRecipients:
    """Who to tell about an incident, by the page each can open: /school/ or the admin."""

    school_staff: list[str]
    officials: list[str]  # officials of the district who are not also the school's staff


def incident_recipients(*, practice: FieldPractice) -> IncidentRecipients:
    """The email addresses to tell about an incident: the school's staff and the district's officials."""

    school = practice.student.school
    staff = member_emails(role=Membership.Role.SCHOOL_STAFF, school_id=school.pk)
    officials = member_emails(role=Membership.Role.OFFICIAL, district_id=school.district_id) - staff
    return IncidentRecipients(school_staff=sorted(staff), officials=sorted(officials))
