"""Pages for university coordinators (/university/) and the graduate's credit ledger (/me/credits/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from district import access
from district.exports import client_ip
from district.web import add_service_errors, paginate, role_required, show_refusal
from privacy.services import record_access
from universities import forms, selectors, services

coordinator_required = role_required(lambda user: bool(access.university_ids(user)))


@coordinator_required
def program_list(request):
    return render(
        request,
        "universities/program_list.html",
        {"page": paginate(request, selectors.credit_program_list(user=request.user))},
    )


@coordinator_required
def program_form(request, pk=None):
    program = selectors.get_credit_program_for_user(request.user, pk) if pk else None
    universities = selectors.university_list(user=request.user)
    form = forms.CreditProgramForm(request.POST or None, instance=program, universities=universities)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        university, partners = fields.pop("university"), fields.pop("partner_companies")
        try:
            if program:
                program = services.credit_program_update(
                    program=program, by=request.user, partner_companies=partners, **fields
                )
            else:
                program = services.credit_program_create(
                    university=university, by=request.user, partner_companies=partners, **fields
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("universities:program_detail", pk=program.pk)
    return render(request, "universities/program_form.html", {"form": form, "program": program})


@coordinator_required
def program_detail(request, pk):
    program = selectors.get_credit_program_for_user(request.user, pk)
    enrollments = selectors.enrollment_list(program=program)
    page = paginate(request, enrollments)
    page.object_list = list(page.object_list)
    record_access(
        request=request,
        students=[enrollment.student for enrollment in page.object_list],
        what="universities:program_detail",
    )
    return render(
        request,
        "universities/program_detail.html",
        {
            "program": program,
            "page": page,
            "required_months": services.required_months(program),
        },
    )


@coordinator_required
def program_delete(request, pk):
    program = selectors.get_credit_program_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.credit_program_delete(program=program, by=request.user)
        except ValidationError as error:
            show_refusal(request, error)
            return redirect("universities:program_detail", pk=program.pk)
        messages.success(request, _("The programme is deleted."))
        return redirect("universities:program_list")
    return render(request, "universities/program_delete.html", {"program": program})


@coordinator_required
def enrollment_create(request, pk):
    program = selectors.get_credit_program_for_user(request.user, pk)
    form = forms.EnrollmentForm(request.POST or None, district_id=program.university.district_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            student = services.enrollment_lookup(
                by=request.user,
                ip_address=client_ip(request),
                district_id=program.university.district_id,
                school=data["school"],
                student_number=data["student_number"],
                name=data["name"],
                birth_date=data["birth_date"],
            )
            enrollment = services.enrollment_create(
                student=student, program=program, by=request.user, enrolled_on=data["enrolled_on"]
            )
        except ValidationError as error:
            status = 429 if getattr(error, "code", None) == "throttled" else 200
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is enrolled.") % {"name": student.name})
            return redirect("universities:enrollment_detail", pk=enrollment.pk)
    context = {
        "form": form,
        "program": program,
        "lookups_per_hour": services.ENROLLMENT_LOOKUPS_PER_HOUR,
    }
    return render(request, "universities/enrollment_form.html", context, status=status)


@coordinator_required
def enrollment_detail(request, pk, record_form=None, status=200):
    enrollment = selectors.get_enrollment_for_user(request.user, pk)
    records = list(selectors.credit_records(enrollment=enrollment))
    record_access(request=request, students=[enrollment.student_id], what="universities:enrollment_detail")
    context = {
        "enrollment": enrollment,
        "line": selectors.ledger_line(enrollment, records),
        "record_form": record_form or forms.CreditRecordForm(),
    }
    return render(request, "universities/enrollment_detail.html", context, status=status)


@coordinator_required
@require_POST
def credit_record_create(request, pk):
    enrollment = selectors.get_enrollment_for_user(request.user, pk)
    form = forms.CreditRecordForm(request.POST)
    if form.is_valid():
        try:
            services.credit_record_create(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The credits are recorded."))
            return redirect("universities:enrollment_detail", pk=enrollment.pk)
    return enrollment_detail(request, pk=enrollment.pk, record_form=form, status=400)


@coordinator_required
@require_POST
def credit_record_delete(request, pk, record_pk):
    enrollment = selectors.get_enrollment_for_user(request.user, pk)
    record = selectors.credit_records(enrollment=enrollment).filter(pk=record_pk).first()
    try:
        if record is None:
            raise ValidationError(_("This credit record no longer exists."))
        services.credit_record_delete(record=record, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The credit record is deleted."))
    return redirect("universities:enrollment_detail", pk=enrollment.pk)


@coordinator_required
@require_POST
def enrollment_status(request, pk):
    enrollment = selectors.get_enrollment_for_user(request.user, pk)
    form = forms.EnrollmentStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose completed or withdrawn."))
        services.enrollment_set_status(
            enrollment=enrollment, status=form.cleaned_data["status"], by=request.user
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The enrolment is updated."))
    return redirect("universities:enrollment_detail", pk=enrollment.pk)


@login_required
def credit_ledger(request):
    lines = selectors.credit_ledger(user=request.user)
    if lines is None:
        raise PermissionDenied
    return render(request, "universities/credit_ledger.html", {"lines": lines})
