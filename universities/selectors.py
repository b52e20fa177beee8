"""Reads of credit programmes: the public ones, the coordinators' own, and the graduate's ledger."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from companies.models import Company
from district import access
from district.models import District, Membership
from schools.models import Student
from universities.models import DEGREE_CREDITS, CreditProgram, CreditRecord, ProgramEnrollment, University


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Public reads (선취업 후진학) -----------------------------------------------------------
#
# Every programme of the district's universities is public, including those not taking
# students this year (the page says so, and the API has `is_active` and `?is_active=`);
# the eligibility rules are the point of the page. The /programs/ page and the API's
# public `credit-programs` call the same `credit_program_list_public` (DESIGN.md §4); the
# API passes no district and so lists every district of the deployment.


def _verified_partners():
    return Prefetch(
        "partner_companies",
        queryset=Company.objects.filter(verification=Company.Verification.VERIFIED).order_by("name"),
    )


def credit_program_list_public(*, district: District | None = None) -> QuerySet[CreditProgram]:
    """Credit programmes, open ones first (two queries a page).

    Of `district`, or of every district when it is None (the API).
    """
    queryset = CreditProgram.objects.all()
    if district is not None:
        queryset = queryset.filter(university__district=district)
    return (
        queryset.select_related("university")
        .prefetch_related(_verified_partners())
        .order_by("-is_active", "university__name", "name", "pk")
    )


def get_credit_program_public(pk, *, district: District | None = None) -> CreditProgram:
    """A credit programme with its university and verified partner companies (of `district` when
    given: the site's), or 404."""
    queryset = CreditProgram.objects.all()
    if district is not None:
        queryset = queryset.filter(university__district=district)
    return _get(queryset.select_related("university__area").prefetch_related(_verified_partners()), pk)


def degree_credits(program: CreditProgram) -> int:
    """Credits the programme's degree needs in total: 80 for an associate degree, 140 for a bachelor's."""
    return DEGREE_CREDITS.get(program.degree, program.credits_required)


# --- Coordinators' reads ---------------------------------------------------------------------


def university_list(*, user) -> QuerySet[University]:
    """The universities where the user is an active coordinator."""
    return University.objects.filter(pk__in=access.university_ids(user)).order_by("name")


def credit_program_list(*, user) -> QuerySet[CreditProgram]:
    """The coordinator's programmes, with how many graduates study in each."""
    return (
        CreditProgram.objects.filter(university_id__in=access.university_ids(user))
        .select_related("university")
        .prefetch_related("partner_companies")
        .annotate(active_enrollments=Count("enrollments", filter=Q(enrollments__status="active")))
        .order_by("university__name", "name")
    )


def get_credit_program_for_user(user, pk) -> CreditProgram:
    return _get(
        CreditProgram.objects.filter(university_id__in=access.university_ids(user)).select_related(
            "university__district"
        ),
        pk,
    )


def enrollment_list(*, program: CreditProgram) -> QuerySet[ProgramEnrollment]:
    """A programme's enrolments with the credits each has earned."""
    return (
        program.enrollments.select_related("student__school", "placement__company")
        .annotate(earned=Coalesce(Sum("credit_records__credits"), 0))
        .order_by("status", "-enrolled_on", "pk")
    )


def get_enrollment_for_user(user, pk) -> ProgramEnrollment:
    return _get(
        ProgramEnrollment.objects.filter(
            program__university_id__in=access.university_ids(user)
        ).select_related("program__university", "student__school", "placement__company"),
        pk,
    )


def credit_records(*, enrollment: ProgramEnrollment) -> QuerySet[CreditRecord]:
    return enrollment.credit_records.select_related("recorded_by").order_by("year", "term")


def find_graduate(
    *, district_id: int, school, student_number: str, name: str, birth_date: datetime.date | None
) -> Student | None:
    """The student whose school, number, name and date of birth all match, at a school of the district.

    Student numbers run in sequence, so anything less would let a coordinator walk a school's
    roster. Every miss answers the same None: a wrong school, number, name or date of birth,
    and a student of another district. A student with no recorded date of birth is never found.
    """
    if school is None or birth_date is None or school.district_id != district_id:
        return None
    return (
        Student.objects.filter(
            school=school,
            school__district_id=district_id,
            student_number=student_number.strip(),
            name=name.strip(),
            birth_date=birth_date,
            anonymised_at__isnull=True,
        )
        .select_related("school")
        .first()
    )


# --- The graduate's ledger -----------------------------------------------------------------------


def _semester(record: CreditRecord) -> tuple[int, int]:
    """The regular semester a record belongs to: a summer session counts with spring, winter with autumn."""
    return (record.year, 1 if record.term in {"1", "S"} else 2)


def _advance(semester: tuple[int, int], count: int) -> tuple[int, int]:
    index = semester[0] * 2 + (semester[1] - 1) + count
    return (index // 2, index % 2 + 1)


@dataclass
class LedgerLine:
    enrollment: ProgramEnrollment
    records: list[CreditRecord]
    earned: int
    required: int
    per_term: float | None = None
    expected_finish: tuple[int, int] | None = None
    terms: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.earned / self.required)) if self.required else 0

    @property
    def remaining(self) -> int:
        return max(0, self.required - self.earned)

    @property
    def is_complete(self) -> bool:
        return self.earned >= self.required


def ledger_line(enrollment: ProgramEnrollment, records: list[CreditRecord]) -> LedgerLine:
    """Credits earned toward the degree and, from the average per semester so far, the expected finish.

    The average divides the credits by the regular semesters with credits (sessions count
    with their semester); the finish is the semester in which, at that pace, the remaining
    credits are earned, counted from the last semester with credits.
    """
    earned = sum(r.credits for r in records)
    line = LedgerLine(enrollment, records, earned, enrollment.program.credits_required)
    semesters = sorted({_semester(r) for r in records})
    line.terms = len(semesters)
    if not semesters:
        return line
    line.per_term = earned / len(semesters)
    if line.is_complete:
        line.expected_finish = semesters[-1]
    else:
        line.expected_finish = _advance(semesters[-1], math.ceil(line.remaining / line.per_term))
    return line


def credit_ledger(*, user) -> list[LedgerLine] | None:
    """The signed-in graduate's enrolments with their credits, or None when the user is not a student.

    Two queries: the enrolments with programme and university, and all their records.
    """
    schools = access.school_ids(user, role=Membership.Role.STUDENT)
    if not schools:
        return None
    enrollments = list(
        ProgramEnrollment.objects.filter(student__user=user, student__school_id__in=schools)
        .select_related("program__university")
        .order_by("-enrolled_on")
    )
    records: dict[int, list[CreditRecord]] = {e.pk: [] for e in enrollments}
    for record in CreditRecord.objects.filter(enrollment__in=enrollments).order_by("year", "term"):
        records[record.enrollment_id].append(record)
    return [ledger_line(e, records[e.pk]) for e in enrollments]
