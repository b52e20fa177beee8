"""Reads for the signed-in student's own pages (/me/): profile, what they are doing now, fit for an opening.

Everything here starts from `schools.selectors.students.student_for_user`, the one rule that maps
a signed-in user to their own student record, so a student never reaches another student's data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from companies.models import Opening
from district.models import Area, CommuteTime
from district.selectors import segment_list
from placements.models import (
    ACTIVE_APPLICATION_STATUSES,
    OPEN_APPLICATION_STATUSES,
    Application,
    Placement,
    Preference,
)
from placements.selectors.preferences import round_for_student
from schools.models import FieldPractice, Student, StudentCertification
from universities.models import ProgramEnrollment


@dataclass
class Job:
    """The job a student has taken: an accepted offer or a placement, as /me/ tells it."""

    company: str
    opening: str
    starts_on: datetime.date
    monthly_salary_krw: int | None
    application_id: int | None
    waits_for_consent: bool  # accepted, but the school has not recorded the guardian's consent
    today: datetime.date

    @property
    def started(self) -> bool:
        return self.starts_on <= self.today


@dataclass
class StudentOverview:
    """What /me/ shows: the profile and what the student is doing now."""

    student: Student
    certifications: list[StudentCertification]
    placement: Placement | None
    job: Job | None
    practice: FieldPractice | None
    enrollments: list[ProgramEnrollment]
    application_counts: dict[str, int]
    offers: int
    preferences: int
    match_round: object | None
    now: datetime.datetime = field(default_factory=timezone.now)

    @property
    def open_applications(self) -> int:
        """Applications still waiting on a decision; an accepted or closed one is not open."""
        return sum(n for status, n in self.application_counts.items() if status in OPEN_APPLICATION_STATUSES)

    @property
    def round_open(self) -> bool:
        return self.match_round is not None and self.match_round.preferences_close_at > self.now


def _job(student: Student, placement: Placement | None, today: datetime.date) -> Job | None:
    """The job the student has taken: the accepted or hired application whose placement is active
    or still waits for a guardian's consent, else a placement recorded without an application."""
    accepted = (
        Application.objects.filter(student=student)
        .filter(
            Q(status=Application.Status.ACCEPTED, placement__isnull=True)
            | Q(
                status__in=[Application.Status.ACCEPTED, Application.Status.HIRED], placement__status="active"
            )
        )
        .select_related("opening__company", "placement")
        .order_by("-status_changed_at", "-pk")
        .first()
    )
    if accepted is not None:
        placed = getattr(accepted, "placement", None)
        return Job(
            company=accepted.opening.company.name,
            opening=accepted.opening.title,
            starts_on=placed.starts_on if placed else accepted.opening.starts_on,
            monthly_salary_krw=accepted.opening.monthly_salary_krw,
            application_id=accepted.pk,
            waits_for_consent=placed is None,
            today=today,
        )
    if placement is not None:
        return Job(
            company=placement.company.name,
            opening=placement.opening.title if placement.opening_id else "",
            starts_on=placement.starts_on,
            monthly_salary_krw=placement.opening.monthly_salary_krw if placement.opening_id else None,
            application_id=None,
            waits_for_consent=False,
            today=today,
        )
    return None


def student_overview(*, student: Student, today: datetime.date | None = None) -> StudentOverview:
    """The student's page in eight queries, whatever the number of rows.

    1. certifications held; 2. the active placement; 3. the job taken (an accepted or hired
    application); 4. the current field practice; 5. active credit-programme enrolments;
    6. applications counted by status; 7. preferences counted; 8. the cohort's matching round.
    """
    today = today or timezone.localdate()
    placement = (
        Placement.objects.filter(student=student, status=Placement.Status.ACTIVE)
        .select_related("company", "opening")
        .first()
    )
    counts = dict(
        Application.objects.filter(student=student)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    return StudentOverview(
        student=student,
        certifications=list(
            student.held_certifications.select_related("certification").order_by("acquired_on", "pk")
        ),
        placement=placement,
        job=_job(student, placement, today),
        practice=FieldPractice.objects.filter(student=student)
        .filter(status__in=["planned", "in_progress", "on_hold"])
        .select_related("company")
        .order_by("starts_on")
        .first(),
        enrollments=list(
            ProgramEnrollment.objects.filter(student=student, status=ProgramEnrollment.Status.ACTIVE)
            .select_related("program__university")
            .order_by("-enrolled_on")
        ),
        application_counts=counts,
        offers=counts.get(Application.Status.OFFERED, 0),
        preferences=Preference.objects.filter(student=student).count(),
        match_round=round_for_student(student=student),
    )


def profile_choices(*, student: Student) -> dict:
    """The choices a student has when editing their profile: their district's areas and segments."""
    return {
        "areas": Area.objects.filter(district_id=student.school.district_id).order_by("name"),
        "segments": segment_list(district=student.school.district_id),
    }


@dataclass
class Requirement:
    label: str
    met: bool | None  # None: information, neither met nor missed
    detail: str = ""


@dataclass
class OpeningFit:
    """Which of an opening's requirements a student meets and which they miss."""

    requirements: list[Requirement]
    application: Application | None
    preference_rank: int | None
    round_open: bool

    @property
    def met(self) -> list[Requirement]:
        return [r for r in self.requirements if r.met is True]

    @property
    def missed(self) -> list[Requirement]:
        return [r for r in self.requirements if r.met is False]


def opening_fit(*, opening: Opening, student: Student) -> OpeningFit:
    """The student's fit for an opening, in five queries.

    1. the certifications the student holds (with dates); 2. the commute from their area
    to the work area; 3. an active application to this opening; 4. its rank on their
    list; 5. their round. Required certifications and preferred departments come
    prefetched with the opening.
    """
    held = {
        sc.certification_id: sc
        for sc in StudentCertification.objects.filter(student=student).select_related("certification")
    }
    requirements = []
    for certification in opening.required_certifications.all():
        holding = held.get(certification.pk)
        requirements.append(
            Requirement(
                label=certification.name,
                met=holding is not None,
                detail=(
                    _("held since %(date)s") % {"date": date_format(holding.acquired_on)}
                    if holding
                    else _("required certification you do not hold yet")
                ),
            )
        )
    departments = list(opening.preferred_departments.all())
    if departments:
        fits = any(d.pk == student.department_id for d in departments)
        requirements.append(
            Requirement(
                label=_("Preferred department"),
                met=fits,
                detail=_("your department is one of them")
                if fits
                else _("the company prefers: %(departments)s")
                % {"departments": ", ".join(str(d) for d in departments)},
            )
        )
    if student.commute_area_id and opening.work_area_id:
        commute = CommuteTime.objects.filter(
            origin_id=student.commute_area_id, destination_id=opening.work_area_id
        ).first()
        if commute is not None:
            requirements.append(
                Requirement(
                    label=_("Commute"),
                    met=None,
                    detail=_("about %(minutes)d minutes from your area") % {"minutes": commute.minutes},
                )
            )
    application = (
        Application.objects.filter(student=student, opening=opening, status__in=ACTIVE_APPLICATION_STATUSES)
        .order_by("-submitted_at")
        .first()
    )
    rank = Preference.objects.filter(student=student, opening=opening).values_list("rank", flat=True).first()
    match_round = round_for_student(student=student)
    return OpeningFit(
        requirements=requirements,
        application=application,
        preference_rank=rank,
        round_open=match_round is not None and match_round.preferences_close_at > timezone.now(),
    )
