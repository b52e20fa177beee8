"""The recruiter's side of the applicant pipeline, at /company/ (namespace "companies"): the
company dashboard, one opening's applicants, one application and its moves.

Mounted from `config/urls.py` with companies' own pages (`placements.urls.company_urlpatterns`),
so the paths and URL names are those of the recruiters' pages. Each view parses, authorises
(the role by decorator, the object by a `get_*_for_user` selector that answers 404), calls one
service or selector, and responds.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies.selectors.openings import get_opening_for_user
from companies.selectors.team import can_approve_recruiters, pending_join_request, recruiter_company
from companies.views import verified_company_required
from district.exports import stored_attachment
from district.filters import filter_status
from district.web import add_service_errors, paginate, posted_next
from placements import forms
from placements.filters import ApplicantFilterSet
from placements.models import Application
from placements.selectors import applications as application_selectors
from placements.selectors.recruiter import company_dashboard, district_departments
from placements.services import applications as application_services
from privacy.services import record_access

# --- Dashboard ----------------------------------------------------------------------------------


@login_required
def dashboard(request):
    """The company's dashboard, or the page that says why there is none yet."""
    company = recruiter_company(request.user)
    if company is None:
        pending = pending_join_request(request.user)
        if pending is None:
            raise PermissionDenied
        return render(
            request, "companies/status.html", {"state": "awaiting_approval", "join_request": pending}
        )
    if not company.is_verified:
        return render(request, "companies/status.html", {"state": company.verification, "company": company})
    board = company_dashboard(company=company)
    record_access(
        request=request,
        students=[
            row["student_id"]
            for row in board.new_applicants
            + board.stale_applications
            + board.hire_rows
            + board.waiting_for_consent
        ],
        what="companies:dashboard",
    )
    context = {
        "board": board,
        "company": company,
        "can_approve": can_approve_recruiters(request.user, company),
    }
    return render(request, "companies/dashboard.html", context)


# --- Applicants ---------------------------------------------------------------------------------


def _with_moves(rows: list[dict]) -> list[dict]:
    """Add each row's status label and the moves the company may make from it."""
    labels = dict(Application.Status.choices)
    for row in rows:
        row["status_label"] = labels[row["status"]]
        row["moves"] = [
            (status, label, forms.move_needs_note(status))
            for status, label in forms.company_move_choices(row["status"])
        ]
    return rows


@verified_company_required
def applicant_list(request, pk):
    opening = get_opening_for_user(request.user, pk, write=True)
    departments = district_departments(district_id=opening.company.district_id)
    filterset = ApplicantFilterSet(request.GET or None, departments=departments, opening=opening)
    rows = application_selectors.applicant_list(user=request.user, opening=opening, filters=request.GET)
    page = paginate(request, rows)
    page.object_list = _with_moves(application_selectors.applicant_profiles(page.object_list))
    record_access(
        request=request,
        students=[row["student_id"] for row in page.object_list],
        what="companies:applicant_list",
    )
    context = {"opening": opening, "page": page, "filter_form": filterset.form}
    return render(request, "companies/applicant_list.html", context, status=filter_status(filterset.form))


@verified_company_required
def application_detail(request, pk):
    application = application_selectors.get_application_for_user(request.user, pk, write=True)
    return _render_application(request, application, forms.ApplicationMoveForm(application=application))


def _render_application(request, application, form):
    rows = application_selectors.applicant_list(user=request.user, opening=application.opening)
    row = _with_moves(application_selectors.applicant_profiles(rows.filter(pk=application.pk)))[0]
    record_access(request=request, students=[row["student_id"]], what="companies:application_detail")
    # None for a round's offer the student has not accepted (or an application from before snapshots).
    snapshot = application_selectors.snapshot_for_recruiter(request.user, application.pk)
    document = None
    if snapshot is not None:
        record_access(request=request, students=[row["student_id"]], what="profile snapshot")
        document = application_selectors.snapshot_document_with_urls(
            snapshot, lambda file_id: reverse("companies:application_file", args=[application.pk, file_id])
        )
    context = {
        "snapshot": snapshot,
        "document": document,
        "application": application,
        "applicant": row,
        "opening": application.opening,
        "events": application_selectors.application_events(application=application),
        "form": form,
        "consent_pending": application.needs_guardian_consent(),
    }
    return render(request, "companies/application_detail.html", context)


@verified_company_required
@require_GET
def application_file(request, pk, file_id):
    """A project file of the profile snapshot, as a download, while the company may see it."""
    snapshot, file = application_selectors.get_snapshot_file_for_recruiter(request.user, pk, file_id)
    record_access(request=request, students=[snapshot.student_id], what="profile file")
    return stored_attachment(
        Path(settings.MEDIA_ROOT) / file.path, filename=file.original_name, content_type=file.content_type
    )


@verified_company_required
@require_POST
def application_move(request, pk):
    application = application_selectors.get_application_for_user(request.user, pk, write=True)
    form = forms.ApplicationMoveForm(request.POST, application=application)
    if form.is_valid():
        try:
            application_services.application_move(
                application=application,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(student)s: %(status)s.")
                % {"student": application.student.name, "status": application.get_status_display()},
            )
            return redirect(
                posted_next(request, reverse("companies:applicant_list", args=[application.opening_id]))
            )
    return _render_application(request, application, form)
