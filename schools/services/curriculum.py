"""Writes for departments (with reorganisations) and the curriculum's course units."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from schools.models import CourseUnit, Department, School


def department_create(*, school: School, by, **fields) -> Department:
    return _department_save(Department(school=school), fields)


def department_update(*, department: Department, by, **fields) -> Department:
    return _department_save(department, fields)


def _department_save(department: Department, fields: dict) -> Department:
    """Save a department; naming the department it replaced closes that one (a reorganisation)."""
    replaced = fields.get("replaced")
    if replaced is not None:
        if replaced.school_id != department.school_id:
            raise ValidationError({"replaced": _("Choose a department of the same school.")})
        if department.pk and _replaces_itself(department, replaced):
            raise ValidationError(
                {"replaced": _("A department cannot replace itself or one that replaced it.")}
            )
    if (replaced is None) != (fields.get("reorganised_year") is None):
        raise ValidationError(
            {"reorganised_year": _("A reorganisation needs both the department it replaced and the year.")}
        )
    with transaction.atomic():
        for name, value in fields.items():
            setattr(department, name, value)
        department.full_clean()
        department.save()
        if replaced is not None and replaced.is_active:
            replaced.is_active = False
            replaced.save(update_fields=["is_active"])
    return department


def _replaces_itself(department: Department, replaced: Department) -> bool:
    seen = set()
    current = replaced
    while current is not None and current.pk not in seen:
        if current.pk == department.pk:
            return True
        seen.add(current.pk)
        current = current.replaced
    return False


def course_unit_create(
    *, department: Department, by, co_developers=(), certifications=(), **fields
) -> CourseUnit:
    return _course_unit_save(CourseUnit(department=department), fields, co_developers, certifications)


def course_unit_update(*, unit: CourseUnit, by, co_developers=(), certifications=(), **fields) -> CourseUnit:
    return _course_unit_save(unit, fields, co_developers, certifications)


def _course_unit_save(unit, fields, co_developers, certifications) -> CourseUnit:
    if "department" in fields and fields["department"].school_id != unit.department.school_id:
        raise ValidationError({"department": _("Choose a department of the same school.")})
    district_id = unit.department.school.district_id
    if any(company.district_id != district_id for company in co_developers):
        raise ValidationError({"co_developers": _("Choose companies of the school's district.")})
    with transaction.atomic():
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.full_clean()
        unit.save()
        unit.co_developers.set(co_developers)
        unit.certifications.set(certifications)
    return unit
