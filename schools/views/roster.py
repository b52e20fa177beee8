"""School staff's roster pages (/school/students/): the students, their records, invitations, and the roster's
import and export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from district.exports import XLSX_CONTENT_TYPE, attachment, client_ip
from district.filters import filter_status
from district.korean import fix_particles
from district.security import officials_second_factor
from district.web import add_service_errors, paginate, show_refusal
from privacy.forms import ExportPurposeForm
from privacy.services import record_access
from schools import exports, forms
from schools.imports import describe_first
from schools.selectors import curriculum as curriculum_selectors
from schools.selectors import roster as roster_selectors
from schools.selectors import schools as school_selectors
from schools.selectors import students as student_selectors
from schools.services import invitations as invitation_services
from schools.services import roster as roster_services
from schools.services import students as student_services
from schools.views.common import (
    base_url,
    school_from_query,
    school_staff_required,
)


@school_staff_required
def index(request):
    context = {
        "schools": school_selectors.school_list(user=request.user),
        "no_introduction": student_selectors.final_year_without_self_introduction(
            user=request.user, today=timezone.localdate()
        ),
    }
    return render(request, "schools/index.html", context)


@school_staff_required
def student_list(request):
    departments = curriculum_selectors.department_list(user=request.user)
    filter_form = forms.StudentFilterForm(request.GET or None, departments=departments)
    students = student_selectors.student_list(user=request.user, filters=filter_form.filters())
    page = paginate(request, students)
    page.object_list = list(page.object_list)
    record_access(request=request, students=page.object_list, what="schools:student_list")
    return render(
        request,
        "schools/student_list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "schools": school_selectors.school_list(user=request.user),
        },
        status=filter_status(filter_form),
    )


@school_staff_required
def student_edit(request, pk):
    student = student_selectors.get_student_for_user(request.user, pk)
    if request.method == "GET":
        record_access(request=request, students=[student], what="schools:student_edit")
    form = forms.StudentForm(request.POST or None, instance=student)
    if request.method == "POST" and form.is_valid():
        try:
            student_services.student_update(student=student, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The student's record is saved."))
            return redirect("schools:student_detail", pk=student.pk)
    return render(request, "schools/student_form.html", {"student": student, "form": form})


@school_staff_required
@require_POST
def student_invite(request, pk):
    student = student_selectors.get_student_for_user(request.user, pk)
    form = forms.InvitationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["email"])
        invitation_services.invitation_create(
            student=student, by=request.user, base_url=base_url(request), email=form.cleaned_data["email"]
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The invitation is on its way. The link works for 7 days, once."))
    return redirect("schools:student_detail", pk=student.pk)


@school_staff_required
def roster_import(request):
    schools = school_selectors.school_list(user=request.user)
    form = forms.RosterUploadForm(request.POST or None, request.FILES or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = roster_services.roster_import_start(
                school=form.cleaned_data["school"], data=upload.read(), file_name=upload.name, by=request.user
            )
        except ValidationError as error:
            form.add_error("file", [fix_particles(message) for message in error.messages])
        else:
            return redirect("schools:roster_import_detail", pk=record.pk)
    recent = roster_selectors.roster_import_list(user=request.user)[:10]
    return render(request, "schools/roster_import.html", {"form": form, "recent": recent, "schools": schools})


@never_cache
@school_staff_required
def roster_import_detail(request, pk):
    record = roster_selectors.get_roster_import_for_user(request.user, pk)
    errors, more = describe_first(record.errors)
    context = {"import": record, "errors": errors, "more": more, "error_count": len(record.errors)}
    return render(request, "schools/roster_import_detail.html", context)


@school_staff_required
@require_GET
def roster_template(request):
    school = school_from_query(request)
    data = exports.roster_template_xlsx(
        departments=list(school.departments.filter(is_active=True).values_list("name", flat=True)),
        areas=list(school.district.areas.values_list("name", flat=True)),
    )
    return _xlsx_response(data, "roster-template.xlsx")


@school_staff_required
@officials_second_factor  # an export of personal data: the officials' rule holds here as on /dashboard/
@require_GET
def roster_export(request):
    """The roster as XLSX, once the staff member states why (PIPA): the purpose is logged with the export."""
    school = school_from_query(request)
    form = ExportPurposeForm(request.GET if "purpose" in request.GET else None)
    if form.is_valid():
        try:
            data = roster_services.roster_export(
                school=school,
                by=request.user,
                purpose=form.cleaned_data["purpose"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _xlsx_response(data, f"roster-{school.pk}-{timezone.localdate():%Y%m%d}.xlsx")
    status = 400 if form.is_bound else 200
    return render(request, "schools/roster_export.html", {"form": form, "school": school}, status=status)


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, filename=filename, content_type=XLSX_CONTENT_TYPE)
