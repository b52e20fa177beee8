"""School staff's field practice pages (/school/practice/): planning, the gates, incidents' review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from district.web import add_service_errors, paginate, show_refusal
from privacy.services import record_access
from schools import forms
from schools.models import FieldPractice, PracticeIncident
from schools.selectors import practice as practice_selectors
from schools.selectors import schools as school_selectors
from schools.services import incidents as incident_services
from schools.services import practice as practice_services
from schools.views.common import (
    base_url,
    school_staff_required,
)


@school_staff_required
def practice_list(request):
    practices = practice_selectors.field_practice_list(
        user=request.user, filters={"status": request.GET.get("status")}
    )
    page = paginate(request, practices)
    page.object_list = list(page.object_list)
    record_access(
        request=request, students=[p.student_id for p in page.object_list], what="schools:practice_list"
    )
    return render(
        request,
        "schools/practice_list.html",
        {
            "page": page,
            "statuses": FieldPractice.Status.choices,
            "status": request.GET.get("status", ""),
        },
    )


@school_staff_required
def practice_create(request):
    form = forms.FieldPracticeCreateForm(
        request.POST or None, schools=school_selectors.school_list(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            practice = practice_services.field_practice_create(
                student=data["student"],
                company=data["company"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                supervisor_name=data["supervisor_name"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("schools:practice_detail", pk=practice.pk)
    return render(request, "schools/simple_form.html", {"form": form, "title": _("Plan a field practice")})


def _practice_page(request, practice, status=200, **bound_forms):
    # Also the re-rendered page of a refused form: it shows the student again, so it is logged again.
    record_access(request=request, students=[practice.student_id], what="schools:practice_detail")
    context = {
        "practice": practice,
        "problems": practice_services.field_practice_start_problems(practice),
        "needs_consent": practice_services.needs_guardian_consent(practice),
        "diary": practice_selectors.diary_entries(practice=practice),
        "incidents": practice_selectors.incidents(practice=practice),
        "edit_form": forms.FieldPracticeEditForm(
            initial={
                "starts_on": practice.starts_on,
                "ends_on": practice.ends_on,
                "supervisor_name": practice.supervisor_name,
            }
        ),
        "consent_form": forms.ConsentForm(
            initial={
                "guardian_consent_on": practice.guardian_consent_on,
                "guardian_consent_method": practice.guardian_consent_method,
            }
        ),
        "safety_form": forms.SafetyCheckForm(),
        "incident_form": forms.IncidentForm(),
        "review_form": forms.IncidentReviewForm(),
    }
    context.update(bound_forms)
    return render(request, "schools/practice_detail.html", context, status=status)


@school_staff_required
def practice_detail(request, pk):
    return _practice_page(request, practice_selectors.get_field_practice_for_user(request.user, pk))


def _practice_form_action(form_class, context_name, call):
    """A POST that validates one form of the practice page and calls one service with it."""

    @school_staff_required
    @require_POST
    def view(request, pk):
        practice = practice_selectors.get_field_practice_for_user(request.user, pk)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                call(request, practice, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("schools:practice_detail", pk=practice.pk)
        return _practice_page(request, practice, status=400, **{context_name: form})

    return view


practice_edit = _practice_form_action(
    forms.FieldPracticeEditForm,
    "edit_form",
    lambda request, practice, data: practice_services.field_practice_update(
        practice=practice, by=request.user, **data
    ),
)


practice_consent = _practice_form_action(
    forms.ConsentForm,
    "consent_form",
    lambda request, practice, data: practice_services.field_practice_record_consent(
        practice=practice,
        consent_on=data["guardian_consent_on"],
        method=data["guardian_consent_method"],
        by=request.user,
    ),
)


practice_safety = _practice_form_action(
    forms.SafetyCheckForm,
    "safety_form",
    lambda request, practice, data: practice_services.field_practice_sign_safety_check(
        practice=practice, checked_on=data["safety_checked_on"], by=request.user
    ),
)


practice_report_incident = _practice_form_action(
    forms.IncidentForm,
    "incident_form",
    lambda request, practice, data: incident_services.incident_report(
        practice=practice,
        reporter_role=PracticeIncident.ReporterRole.SCHOOL,
        description=data["description"],
        by=request.user,
        base_url=base_url(request),
    ),
)


_TRANSITIONS = {
    "start": practice_services.field_practice_start,
    "complete": practice_services.field_practice_complete,
    "cancel": practice_services.field_practice_cancel,
}


@school_staff_required
@require_POST
def practice_transition(request, pk, action):
    practice = practice_selectors.get_field_practice_for_user(request.user, pk)
    try:
        _TRANSITIONS[action](practice=practice, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The practice is now %(status)s.") % {"status": _status_of(practice)})
    return redirect("schools:practice_detail", pk=practice.pk)


def _status_of(practice) -> str:
    practice.refresh_from_db(fields=["status"])
    return practice.get_status_display()


@school_staff_required
@require_POST
def incident_review(request, pk):
    incident = practice_selectors.get_incident_for_user(request.user, pk)
    form = forms.IncidentReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose whether the practice resumes or ends."))
        incident_services.incident_review(incident=incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The incident is reviewed."))
    return redirect("schools:practice_detail", pk=incident.practice_id)
