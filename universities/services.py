"""Writes for universities: credit programmes, enrolment with its eligibility rules, credit records.

Every refusal says exactly why, in a message the coordinator can pass on to the graduate.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from district.security import hit_rate_limit
from privacy.services import log_lookup
from schools.models import Student
from universities.models import DEGREE_CREDITS, CreditProgram, CreditRecord, ProgramEnrollment, University
from universities.selectors import find_graduate

# 재직자 특별전형 admits graduates with at least three years in work, unless the programme says otherwise.
SPECIAL_ADMISSION_DEFAULT_MONTHS = 36


# --- Programmes -------------------------------------------------------------------------------


def credit_program_create(*, university: University, by, partner_companies=(), **fields) -> CreditProgram:
    return _credit_program_save(CreditProgram(university=university), fields, partner_companies)


def credit_program_update(*, program: CreditProgram, by, partner_companies=(), **fields) -> CreditProgram:
    return _credit_program_save(program, fields, partner_companies)


def _credit_program_save(program: CreditProgram, fields: dict, partner_companies) -> CreditProgram:
    """Save a programme; without a credit count it takes the degree's (80 associate, 140 bachelor's)."""
    if not fields.get("credits_required"):
        fields["credits_required"] = DEGREE_CREDITS.get(fields.get("degree") or program.degree, 80)
    district_id = program.university.district_id
    if any(company.district_id != district_id for company in partner_companies):
        raise ValidationError({"partner_companies": _("Choose companies of the university's district.")})
    with transaction.atomic():
        for name, value in fields.items():
            setattr(program, name, value)
        program.full_clean()
        program.save()
        program.partner_companies.set(partner_companies)
    return program


def credit_program_delete(*, program: CreditProgram, by) -> None:
    """Delete a programme nobody ever enrolled in; one with enrolments is closed instead."""
    if program.enrollments.exists():
        raise ValidationError(
            _("Graduates enrolled in this programme, so it cannot be deleted. Untick “accepting students”.")
        )
    program.delete()


# --- Eligibility and enrolment ----------------------------------------------------------------


def required_months(program: CreditProgram) -> int:
    """Months in work a programme asks for; 재직자 특별전형 with no figure of its own asks for 36."""
    if program.kind == CreditProgram.Kind.SPECIAL_ADMISSION and not program.min_months_employed:
        return SPECIAL_ADMISSION_DEFAULT_MONTHS
    return program.min_months_employed


def _full_months(start: datetime.date, end_exclusive: datetime.date) -> tuple[int, int]:
    """Whole calendar months from `start` up to `end_exclusive`, and the days left over."""
    months = (end_exclusive.year - start.year) * 12 + end_exclusive.month - start.month
    if end_exclusive.day < start.day:
        months -= 1
    months = max(months, 0)
    year, month = divmod(start.month - 1 + months, 12)
    anchor_day = min(start.day, _days_in_month(start.year + year, month + 1))
    anchor = datetime.date(start.year + year, month + 1, anchor_day)
    return months, max((end_exclusive - anchor).days, 0)


def _days_in_month(year: int, month: int) -> int:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


def months_employed(*, placements, on: datetime.date) -> int:
    """Months in work up to `on`, from the graduate's placements.

    Overlapping or back-to-back jobs count once. Each spell counts its whole calendar
    months; the days left over from all spells add a month per 31 days, so a month is
    never credited that was not worked.
    """
    spells = sorted((p.starts_on, min(p.ends_on or on, on)) for p in placements if p.starts_on <= on)
    merged: list[list[datetime.date]] = []
    for start, end in spells:
        if merged and start <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    months = days = 0
    for start, end in merged:
        whole, rest = _full_months(start, end + datetime.timedelta(days=1))
        months, days = months + whole, days + rest
    return months + days // 31


def _placement_model():
    """placements' Placement, reached through the enrolment's relation.

    universities sits below placements (DESIGN.md §3) and never imports it. The admission
    rules stay here, with the programmes they belong to; they only read the graduate's
    jobs, which the relation gives without an import.
    """
    return ProgramEnrollment._meta.get_field("placement").related_model


def enrollment_problems(*, student: Student, program: CreditProgram, on: datetime.date):
    """Every reason the graduate may not enrol, and the current placement the enrolment rests on."""
    Placement = _placement_model()
    problems = []
    K = CreditProgram.Kind
    name = student.name
    if not program.is_active:
        problems.append(_("This programme is not accepting students."))
    if student.school.district_id != program.university.district_id:
        problems.append(_("%(name)s's school is in another district.") % {"name": name})
    if program.kind == K.WORK_STUDY:
        if student.status == Student.Status.LEFT:
            problems.append(_("%(name)s has left school.") % {"name": name})
    elif student.status != Student.Status.GRADUATED:
        problems.append(
            _(
                "%(name)s has not graduated from high school; this programme is for graduates. "
                "If %(name)s has graduated, their school must first mark them as graduated in the portal."
            )
            % {"name": name}
        )
    if ProgramEnrollment.objects.filter(student=student, program=program, status="active").exists():
        problems.append(_("%(name)s is already studying in this programme.") % {"name": name})

    placements = list(student.placements.select_related("company"))
    current = next(
        (
            p
            for p in placements
            if p.status == Placement.Status.ACTIVE and (p.ends_on is None or p.ends_on >= on)
        ),
        None,
    )
    if program.kind != K.CREDIT_BANK and current is None:
        problems.append(
            _("%(name)s has no current job recorded in the portal; this programme is for employed graduates.")
            % {"name": name}
        )
    if program.kind == K.SPECIAL_ADMISSION:
        needed, months = required_months(program), months_employed(placements=placements, on=on)
        if months < needed:
            problems.append(
                _("재직자 특별전형 needs %(needed)s months of employment; %(name)s has %(months)s.")
                % {"needed": needed, "name": name, "months": months}
            )
    if program.kind == K.CONTRACT_DEPARTMENT:
        partners = list(program.partner_companies.all())
        if not partners:
            problems.append(_("This contract department has no partner companies yet, so nobody can enrol."))
        elif current is not None and current.company_id not in {c.pk for c in partners}:
            problems.append(
                _(
                    "A contract department admits only employees of its partner companies "
                    "(%(partners)s); %(name)s works at %(company)s."
                )
                % {
                    "partners": ", ".join(c.name for c in partners),
                    "name": name,
                    "company": current.company.name,
                }
            )
    return problems, current


# A coordinator finds a graduate by their details; 30 look-ups an hour is a busy morning of
# enrolments, and far too few to walk a school's roster.
ENROLLMENT_LOOKUPS_PER_HOUR = 30
NO_MATCHING_STUDENT = _("No student matches these details.")


def enrollment_lookup(
    *,
    by,
    ip_address: str | None,
    district_id: int,
    school,
    student_number: str,
    name: str,
    birth_date: datetime.date,
) -> Student:
    """The student a coordinator means to enrol, found only when all four details match.

    1. Count the look-up against the coordinator's hourly budget; past it, refuse
       (code "throttled") without looking anyone up.
    2. Look the student up (`selectors.find_graduate`).
    3. Log the look-up in the personal-data access log, found or not.
    4. Refuse a miss with one neutral message, whichever detail was wrong.
    """
    if hit_rate_limit(f"enrollment-lookup:{by.pk}", limit=ENROLLMENT_LOOKUPS_PER_HOUR, window_seconds=3600):
        raise ValidationError(
            _("You have looked up %(limit)s students in the past hour, the most allowed. Try again later."),
            code="throttled",
            params={"limit": ENROLLMENT_LOOKUPS_PER_HOUR},
        )
    student = find_graduate(
        district_id=district_id,
        school=school,
        student_number=student_number,
        name=name,
        birth_date=birth_date,
    )
    log_lookup(user=by, ip_address=ip_address, student=student, what="universities:enrollment_create")
    if student is None:
        raise ValidationError(NO_MATCHING_STUDENT, code="no_match")
    return student


def enrollment_create(
    *, student: Student, program: CreditProgram, by, enrolled_on: datetime.date | None = None
) -> ProgramEnrollment:
    """Enrol a graduate after checking eligibility; a refusal lists every reason."""
    enrolled_on = enrolled_on or timezone.localdate()
    with transaction.atomic():
        # Lock the student so two coordinators cannot enrol them twice at once.
        student = Student.objects.select_for_update(of=("self",)).select_related("school").get(pk=student.pk)
        problems, placement = enrollment_problems(student=student, program=program, on=enrolled_on)
        if problems:
            raise ValidationError([str(p) for p in problems])
        return ProgramEnrollment.objects.create(
            program=program, student=student, placement=placement, enrolled_on=enrolled_on
        )


def enrollment_set_status(*, enrollment: ProgramEnrollment, status: str, by) -> ProgramEnrollment:
    """Complete (once the credits are earned) or withdraw an active enrolment."""
    S = ProgramEnrollment.Status
    if enrollment.status != S.ACTIVE:
        raise ValidationError(_("Only an active enrolment can change."))
    if status == S.COMPLETED:
        earned = sum(enrollment.credit_records.values_list("credits", flat=True))
        if earned < enrollment.program.credits_required:
            raise ValidationError(
                _("%(earned)s of %(required)s credits are earned; the programme is not complete yet."),
                params={"earned": earned, "required": enrollment.program.credits_required},
            )
    elif status != S.WITHDRAWN:
        raise ValidationError(_("Choose completed or withdrawn."))
    enrollment.status = status
    enrollment.save(update_fields=["status"])
    return enrollment


# --- Credit records -------------------------------------------------------------------------------


def credit_record_create(
    *, enrollment: ProgramEnrollment, year: int, term: str, credits: int, by
) -> CreditRecord:
    """Record the credits a graduate earned in one term."""
    errors = {}
    if enrollment.status != ProgramEnrollment.Status.ACTIVE:
        raise ValidationError(_("Credits are recorded for an active enrolment."))
    if not enrollment.enrolled_on.year <= year <= timezone.localdate().year:
        errors["year"] = _("Choose a year from the enrolment (%(start)s) to this year.") % {
            "start": enrollment.enrolled_on.year
        }
    if term not in CreditRecord.Term.values:
        errors["term"] = _("Choose a term.")
    if not 1 <= credits <= 30:
        errors["credits"] = _("A term's credits run from 1 to 30.")
    if CreditRecord.objects.filter(enrollment=enrollment, year=year, term=term).exists():
        errors["term"] = _("Credits for this term are already recorded; delete that line to correct it.")
    if errors:
        raise ValidationError(errors)
    return CreditRecord.objects.create(
        enrollment=enrollment, year=year, term=term, credits=credits, recorded_by=by
    )


def credit_record_delete(*, record: CreditRecord, by) -> None:
    if record.enrollment.status != ProgramEnrollment.Status.ACTIVE:
        raise ValidationError(_("The enrolment is closed; its credits can no longer change."))
    record.delete()
