"""Reads for the signed-in student's own pages (/me/): profile, what they are doing now, fit for an opening.

Everything here starts from `schools.selectors.students.student_for_user`, the one rule that maps
a signed-in user to their own student record, so a student never reaches another student's data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from companies.models import Opening
from district.models import Area, CommuteTime, IndustrySegment
from placements.models import ACTIVE_APPLICATION_STATUSES, Application, Placement, Preference
from placements.selectors.preferences import round_for_student
from schools.models import FieldPractice, Student, StudentCertification
from universities.models import ProgramEnrollment


@dataclass
class StudentOverview:
    """What /me/ shows: the profile and what the student is doing now."""

    student: Student
    certifications: list[StudentCertification]
    placement: Placement | None
    practice: FieldPractice | None
    enrollments: list[ProgramEnrollment]
    application_counts: dict[str, int]
    offers: int
    preferences: int
    match_round: object | None
    now: datetime.datetime = field(default_factory=timezone.now)

    @property
    def active_applications(self) -> int:
        return sum(
            n for status, n in self.application_counts.items() if status in ACTIVE_APPLICATION_STATUSES
        )

    @property
    def round_open(self) -> bool:
        return self.match_round is not None and self.match_round.preferences_close_at > self.now


def student_overview(*, student: Student) -> StudentOverview:
    """The student's page in seven queries, whatever the number of rows.

    1. certifications held; 2. the active placement; 3. the current field practice;
    4. active credit-programme enrolments; 5. applications counted by status;
    6. preferences counted; 7. the cohort's matching round.
    """
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
        placement=Placement.objects.filter(student=student, status=Placement.Status.ACTIVE)
        .select_related("company")
        .first(),
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
    """The choices a student has when editing their profile: their district's areas, and segments."""
    return {
        "areas": Area.objects.filter(district_id=student.school.district_id).order_by("name"),
        "segments": IndustrySegment.objects.order_by("order", "name"),
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
