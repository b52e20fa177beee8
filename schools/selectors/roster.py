"""Reads for the roster's import and export: a school's vocabulary, its imports, its students."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from district import access
from district.models import Area, Certification
from schools.imports import Vocabulary
from schools.models import AttendanceRecord, Department, RosterImport, School, Student, StudentCertification
from schools.selectors.schools import get_or_404


def roster_for_export(*, school: School) -> QuerySet[Student]:
    """Every student of one school with what the export writes (four queries however many students)."""
    return (
        Student.objects.filter(school=school)
        .select_related("department", "commute_area")
        .prefetch_related(
            Prefetch(
                "held_certifications",
                queryset=StudentCertification.objects.select_related("certification").order_by("acquired_on"),
            ),
            Prefetch("attendance_records", queryset=AttendanceRecord.objects.order_by("school_year")),
        )
        .order_by("student_number")
    )


def roster_vocabulary(*, school: School) -> Vocabulary:
    """The names a roster file may use for this school (three queries)."""
    areas: dict[str, int] = {}
    for pk, name, code in Area.objects.filter(district_id=school.district_id).values_list(
        "pk", "name", "code"
    ):
        areas[name] = pk
        areas[code.lower()] = pk
    certifications: dict[str, int] = {}
    for pk, name, code in Certification.objects.values_list("pk", "name", "qnet_code"):
        certifications[name] = pk
        if code:
            certifications[code] = pk
    return Vocabulary(
        departments=dict(Department.objects.filter(school=school).values_list("name", "pk")),
        areas=areas,
        certifications=certifications,
    )


def roster_import_list(*, user) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(school_id__in=access.school_ids(user)).select_related(
        "school", "created_by"
    )


def get_roster_import_for_user(user, pk) -> RosterImport:
    return get_or_404(roster_import_list(user=user), pk)
