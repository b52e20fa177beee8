"""School staff's pages for what the school holds on a student's profile (issue 15), under
/school/students/<pk>/: checking a certification's number and issue date, attendance per school
year, and the student's profile, read-only and as an A4 print.

Staff of the student's school only: `get_student_for_user` answers 404 for anyone else. Every
page that shows the student's record writes a personal-data access-log row, as the student's
page does. Project files are listed by name only: staff have no download link.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from district.web import add_service_errors
from privacy.services import record_access
from schools import forms
from schools.selectors import students as student_selectors
from schools.selectors.profile import profile_document
from schools.services import verification
from schools.views.common import school_staff_required


@school_staff_required
def certification_check(request, pk, held_pk):
    """Record (or correct) a certification's number and issue date as checked on the certificate."""
    student = student_selectors.get_student_for_user(request.user, pk)
    held = student_selectors.get_held_certification(student, held_pk)
    if request.method == "GET":
        record_access(request=request, students=[student], what="schools:certification_check")
    initial = {"number": held.number, "acquired_on": held.acquired_on}
    form = forms.CertificationCheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            verification.certification_verify(held=held, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The certification is marked as checked by the school."))
            return redirect("schools:student_detail", pk=student.pk)
    status = 400 if form.is_bound else 200
    context = {"student": student, "held": held, "form": form}
    return render(request, "schools/certification_check.html", context, status=status)


@school_staff_required
@require_POST
def certification_uncheck(request, pk, held_pk):
    """Take back the school's check of a certification."""
    student = student_selectors.get_student_for_user(request.user, pk)
    held = student_selectors.get_held_certification(student, held_pk)
    verification.certification_unverify(held=held, by=request.user)
    messages.success(request, _("The certification is no longer marked as checked."))
    return redirect("schools:student_detail", pk=student.pk)


@school_staff_required
def attendance(request, pk):
    """The student's attendance per school year; the form adds a year or corrects one."""
    student = student_selectors.get_student_for_user(request.user, pk)
    if request.method == "GET":
        record_access(request=request, students=[student], what="schools:attendance")
    initial = _attendance_initial(student, request.GET.get("year"))
    form = forms.AttendanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            verification.attendance_record_save(student=student, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("schools:attendance", pk=student.pk)
    status = 400 if form.is_bound else 200
    records = student.attendance_records.order_by("school_year")
    context = {"student": student, "form": form, "records": records}
    return render(request, "schools/attendance.html", context, status=status)


def _attendance_initial(student, year: str | None) -> dict:
    """The form's values for ?year=<school year>: that year's record, to correct it."""
    if not (year or "").isdigit() or len(year) != 4:
        return {}
    record = student.attendance_records.filter(school_year=int(year)).first()
    if record is None:
        return {"school_year": int(year)}
    return {name: getattr(record, name) for name in ("school_year", "absences", "late", "left_early")}


@school_staff_required
@require_GET
def student_profile(request, pk):
    """The student's profile as they keep it, read-only: what the school holds, then their own words."""
    student = student_selectors.get_student_for_user(request.user, pk)
    record_access(request=request, students=[student], what="schools:student_profile")
    return _profile(request, student, "schools/student_profile.html")


@school_staff_required
@require_GET
def student_profile_print(request, pk):
    """The same profile laid out for A4, to print or save as PDF from the browser."""
    student = student_selectors.get_student_for_user(request.user, pk)
    record_access(request=request, students=[student], what="schools:student_profile_print")
    return _profile(request, student, "schools/profile_print.html")


def _profile(request, student, template):
    context = {
        "student": student,
        "document": profile_document(student=student),
        # The print layout's context, as the student's own print page gives it.
        "student_name": student.name,
        "printed_at": timezone.now(),
        "back_url": reverse("schools:student_profile", args=[student.pk]),
    }
    return render(request, template, context)
