"""Field practice pages for the host company (/practice/) and the student in practice (/me/practice/):
the weekly diary, its acknowledgement, and incident reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from district.web import add_service_errors, paginate, show_refusal
from privacy.services import record_access
from schools import forms
from schools.models import PracticeIncident
from schools.selectors import practice as practice_selectors
from schools.services import incidents as incident_services
from schools.services import practice as practice_services
from schools.views.common import (
    base_url,
    recruiter_required,
    student_required,
)


@recruiter_required
def company_practice_list(request):
    page = paginate(request, practice_selectors.company_practice_list(user=request.user))
    page.object_list = list(page.object_list)
    record_access(request=request, students=[p.student_id for p in page.object_list], what="practice:list")
    return render(request, "schools/company_practice_list.html", {"page": page})


@recruiter_required
def company_practice_diary(request, pk, incident_form=None, evaluation_form=None, status=200):
    practice = practice_selectors.get_company_practice_for_user(request.user, pk)
    record_access(request=request, students=[practice.student_id], what="practice:diary")
    context = {
        "practice": practice,
        "diary": practice_selectors.diary_entries(practice=practice),
        "incident_form": incident_form or forms.IncidentForm(),
        "can_evaluate": practice.status in practice_services.EVALUABLE_STATUSES,
        "evaluation_form": evaluation_form
        or forms.HostEvaluationForm(initial={"host_evaluation": practice.host_evaluation}),
    }
    return render(request, "schools/company_practice_diary.html", context, status=status)


@recruiter_required
@require_POST
def company_diary_acknowledge(request, pk, entry_pk):
    practice = practice_selectors.get_company_practice_for_user(request.user, pk)
    try:
        practice_services.diary_entry_acknowledge(
            entry=practice_selectors.get_diary_entry(practice, entry_pk), by=request.user
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The week is acknowledged."))
    return redirect("practice:diary", pk=practice.pk)


@recruiter_required
@require_POST
def company_practice_evaluate(request, pk):
    """The host's short evaluation of the student, once the practice has started."""
    practice = practice_selectors.get_company_practice_for_user(request.user, pk)
    form = forms.HostEvaluationForm(request.POST)
    if form.is_valid():
        try:
            practice_services.field_practice_evaluate(
                practice=practice, evaluation=form.cleaned_data["host_evaluation"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your evaluation is saved."))
            return redirect("practice:diary", pk=practice.pk)
    return company_practice_diary(request, pk, evaluation_form=form, status=400)


@recruiter_required
@require_POST
def company_report_incident(request, pk):
    practice = practice_selectors.get_company_practice_for_user(request.user, pk)
    return _report_incident(
        request,
        practice,
        PracticeIncident.ReporterRole.COMPANY,
        reverse("practice:diary", args=[practice.pk]),
    )


def _report_incident(request, practice, role, next_url):
    form = forms.IncidentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Describe what happened."))
        incident_services.incident_report(
            practice=practice,
            reporter_role=role,
            description=form.cleaned_data["description"],
            by=request.user,
            base_url=base_url(request),
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("The incident is reported. The practice is on hold until the school reviews it.")
        )
    return redirect(next_url)


@student_required
def student_practice(request, diary_form=None, status=200):
    practices = list(practice_selectors.student_practice_list(user=request.user))
    current = next((p for p in practices if p.status in {"in_progress", "on_hold"}), None)
    context = {"practices": practices, "current": current}
    if current:
        context["diary"] = practice_selectors.diary_entries(practice=current)
        context["diary_form"] = diary_form or forms.DiaryEntryForm(
            weeks=practice_services.diary_weeks(current)
        )
        context["incident_form"] = forms.IncidentForm()
    return render(request, "schools/student_practice.html", context, status=status)


@student_required
@require_POST
def student_diary_save(request, pk):
    practice = practice_selectors.get_student_practice_for_user(request.user, pk)
    form = forms.DiaryEntryForm(request.POST, weeks=practice_services.diary_weeks(practice))
    if form.is_valid():
        try:
            practice_services.diary_entry_save(
                practice=practice,
                week_starting=form.cleaned_data["week_starting"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your diary is saved."))
            return redirect("me_practice:index")
    return student_practice(request, diary_form=form, status=400)


@student_required
@require_POST
def student_report_incident(request, pk):
    practice = practice_selectors.get_student_practice_for_user(request.user, pk)
    return _report_incident(
        request, practice, PracticeIncident.ReporterRole.STUDENT, reverse("me_practice:index")
    )
