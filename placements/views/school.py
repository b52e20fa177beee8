"""School staff's pages that read or write placements, mounted under /school/ in the "schools" namespace.

schools sits below placements and cannot import it, so these pages live here and the
wiring (the URLconf) mounts `school_urlpatterns` beside schools' own under /school/,
keeping every path and URL name:

- a student's page, with the student's applications (`schools:student_detail`);
- answers given on a student's behalf: withdraw an application, accept or decline an offer,
  record a hire agreed outside the portal (`schools:application_withdraw`, `offer_accept`,
  `offer_decline`, `outside_hire`);
- retention at 6 and 12 months: the list and the review of one record
  (`schools:retention_list`, `schools:retention_review`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from district.cohorts import retention_dates
from district.filters import filter_status
from district.web import add_service_errors, paginate, show_refusal
from placements import forms
from placements.models import RetentionReview
from placements.selectors import retention as retention_selectors
from placements.selectors import student_applications as application_selectors
from placements.services import applications as application_services
from placements.services import guardian_consent
from placements.services import retention as retention_services
from privacy.services import record_access
from schools import forms as school_forms
from schools.selectors import students as student_selectors
from schools.views.common import school_staff_required

# --- A student's page ---------------------------------------------------------------------


@school_staff_required
def student_detail(request, pk):
    """A student's record with their applications (placements), so it lives above schools."""
    student = student_selectors.get_student_for_user(request.user, pk)
    record_access(request=request, students=[student], what="schools:student_detail")
    context = {
        "student": student,
        "invite_form": school_forms.InvitationForm(initial={"email": student.email}),
        "applications": application_selectors.school_application_rows(user=request.user, student=student),
    }
    context.update(student_selectors.student_profile(student=student))
    return render(request, "schools/student_detail.html", context)


# --- Answers given on the student's behalf ---------------------------------------------------

# The student's answers that staff give on their behalf: the service, and the message after.
_ANSWERS = {
    "withdraw": (application_services.application_withdraw, gettext_lazy("The application is withdrawn.")),
    "accept": (
        application_services.application_accept_offer,
        gettext_lazy("The offer is accepted for the student."),
    ),
    "decline": (
        application_services.application_decline_offer,
        gettext_lazy("The offer is declined for the student."),
    ),
}


@school_staff_required
@require_POST
def application_answer(request, pk, action):
    """Withdraw an application, or accept or decline an offer, on the student's behalf."""
    service, done = _ANSWERS[action]
    application = application_selectors.get_school_application(user=request.user, pk=pk)
    try:
        service(application=application, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, done)
    return redirect("schools:student_detail", pk=application.student_id)


@school_staff_required
def application_outside_hire(request, pk):
    """Record a hire agreed outside the portal, with the start date and the student's agreement."""
    application = application_selectors.get_school_application(user=request.user, pk=pk)
    form = forms.OutsideHireForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application_services.application_record_outside_hire(
                    application=application, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The hire is recorded."))
                return redirect("schools:student_detail", pk=application.student_id)
        status = 400
    context = {"application": application, "form": form}
    return render(request, "placements/school/application_outside_hire.html", context, status=status)


@school_staff_required
def application_guardian_consent(request, pk):
    """Record the guardian's consent to a job of a student under 18 (Labour Standards Act art. 66)."""
    application = application_selectors.get_school_application(user=request.user, pk=pk)
    form = forms.GuardianConsentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                guardian_consent.application_record_guardian_consent(
                    application=application, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The guardian's consent is recorded."))
                return redirect("schools:student_detail", pk=application.student_id)
        status = 400
    context = {"application": application, "form": form}
    return render(request, "placements/school/application_consent.html", context, status=status)


# --- Retention at 6 and 12 months ----------------------------------------------------------


@school_staff_required
def retention_list(request):
    year = request.GET.get("cohort")
    filter_form = forms.RetentionFilterForm(request.GET)
    placements = retention_selectors.retention_list(user=request.user, filters=filter_form.filters())
    page = paginate(request, placements)
    rows = [
        (p, retention_dates(p.starts_on), {r.milestone: r for r in p.retention_reviews.all()}) for p in page
    ]
    record_access(request=request, students=[p.student_id for p in page], what="schools:retention_list")
    return render(
        request,
        "placements/school/retention_list.html",
        {
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
            "cohort": year or "",
            "filter_form": filter_form,
        },
        status=filter_status(filter_form),
    )


@school_staff_required
def retention_review(request, pk, milestone):
    placement = retention_selectors.get_retention_placement_for_user(request.user, pk)
    if milestone not in RetentionReview.Milestone.values:
        raise Http404
    if request.method == "GET":  # a saved form redirects; its re-rendered errors were logged on the GET
        record_access(request=request, students=[placement.student_id], what="schools:retention_review")
    check_date = retention_dates(placement.starts_on).for_milestone(milestone)
    recorded = getattr(placement, f"retention_{milestone}m")
    form = forms.RetentionReviewForm(request.POST or None, initial={"status": recorded or "employed"})
    if request.method == "POST" and form.is_valid():
        try:
            retention_services.retention_review_save(
                placement=placement, milestone=milestone, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The retention record is saved."))
            return redirect("schools:retention_list")
    context = {
        "placement": placement,
        "milestone": milestone,
        "check_date": check_date,
        "recorded": recorded,
        "form": form,
    }
    return render(request, "placements/school/retention_review.html", context)
