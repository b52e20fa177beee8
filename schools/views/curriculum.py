"""School staff's departments and curriculum pages (/school/departments/, /school/curriculum/)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from district.filters import filter_status
from district.web import add_service_errors, paginate
from schools import forms
from schools.selectors import curriculum as curriculum_selectors
from schools.selectors import schools as school_selectors
from schools.services import curriculum as curriculum_services
from schools.views.common import (
    school_from_query,
    school_staff_required,
)


@school_staff_required
def department_list(request):
    departments = list(curriculum_selectors.department_list(user=request.user))
    return render(
        request,
        "schools/department_list.html",
        {"departments": departments, "timeline": curriculum_selectors.department_timeline(departments)},
    )


@school_staff_required
def department_form(request, pk=None):
    department = curriculum_selectors.get_department_for_user(request.user, pk) if pk else None
    school = department.school if department else school_from_query(request)
    form = forms.DepartmentForm(request.POST or None, instance=department, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            if department:
                curriculum_services.department_update(
                    department=department, by=request.user, **form.cleaned_data
                )
            else:
                curriculum_services.department_create(school=school, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The department is saved."))
            return redirect("schools:department_list")
    return render(
        request, "schools/department_form.html", {"form": form, "department": department, "school": school}
    )


@school_staff_required
def course_unit_list(request):
    filter_form = forms.CourseUnitFilterForm(request.GET)
    department = filter_form.cleaned_data["department"] if filter_form.is_valid() else None
    units = curriculum_selectors.course_unit_list(user=request.user, filters={"department": department})
    return render(
        request,
        "schools/course_unit_list.html",
        {"page": paginate(request, units), "filter_form": filter_form},
        status=filter_status(filter_form),
    )


@school_staff_required
def course_unit_form(request, pk=None):
    unit = curriculum_selectors.get_course_unit_for_user(request.user, pk) if pk else None
    schools = school_selectors.school_list(user=request.user)
    departments = curriculum_selectors.department_list(user=request.user)
    form = forms.CourseUnitForm(
        request.POST or None,
        instance=unit,
        departments=departments,
        district_ids={school.district_id for school in schools},
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        m2m = {"co_developers": fields.pop("co_developers"), "certifications": fields.pop("certifications")}
        try:
            if unit:
                curriculum_services.course_unit_update(unit=unit, by=request.user, **m2m, **fields)
            else:
                curriculum_services.course_unit_create(
                    department=fields.pop("department"), by=request.user, **m2m, **fields
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The curriculum unit is saved."))
            return redirect("schools:course_unit_list")
    return render(request, "schools/course_unit_form.html", {"form": form, "unit": unit})
