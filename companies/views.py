"""The recruiters' pages at /company/: sign-up, the dashboard, openings, applicants and the team.

Each view parses, authorises (the role by decorator, the object by a `get_*_for_user`
selector that answers 404), calls one service or selector, and responds. A recruiter
whose company is not verified yet sees the status page instead of any page that writes.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies import forms, selectors, services
from companies.filters import ApplicantFilterSet
from companies.models import Opening
from district.filters import filter_status
from district.security import throttle_posts
from district.selectors import district_default
from district.web import add_service_errors, paginate, safe_next, show_refusal
from placements.models import Application
from placements.selectors import applications as application_selectors
from placements.services import applications as application_services
from privacy.services import record_access

# --- Access -------------------------------------------------------------------------------------


def recruiter_required(view):
    """A recruiter of a company, verified or not; others get 403 and visitors the login page."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        company = selectors.recruiter_company(request.user)
        if company is None:
            raise PermissionDenied
        request.company = company
        return view(request, *args, **kwargs)

    return wrapper


def verified_company_required(view):
    """A recruiter of a verified company; one still pending or rejected goes to the status page."""

    @recruiter_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.company.is_verified:
            messages.error(request, _("Your company must be verified by an official before it can post."))
            return redirect("companies:dashboard")
        return view(request, *args, **kwargs)

    return wrapper


# --- Sign-up and joining ----------------------------------------------------------------------


# Both forms answer every valid post with the same "check your inbox" page and log nobody in:
# whether the address has an account, or the business number a company, is told only to the
# typed address, by email (companies.services.company_signup and recruiter_join_request).


def _check_your_inbox(request, email: str):
    return render(request, "companies/signup_sent.html", {"email": email})


@throttle_posts("signup")
def signup(request):
    """A company registers itself and its first recruiter; an official verifies it."""
    if request.user.is_authenticated and selectors.recruiter_company(request.user):
        return redirect("companies:dashboard")
    district = district_default()
    if district is None:
        raise Http404("No district is set up yet.")
    form = forms.CompanySignupForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("password1", "password2")}
        try:
            services.company_signup(district=district, password=form.cleaned_data["password1"], **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _check_your_inbox(request, form.cleaned_data["email"])
    return render(request, "companies/signup.html", {"form": form})


@throttle_posts("join")
def join(request):
    """A second recruiter asks to join a registered company."""
    form = forms.RecruiterJoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.recruiter_join_request(
            business_number=form.cleaned_data["business_number"],
            recruiter_name=form.cleaned_data["recruiter_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        return _check_your_inbox(request, form.cleaned_data["email"])
    return render(request, "companies/join.html", {"form": form})


def signup_confirm(request, uidb64, token):
    """The emailed link. GET shows a button and changes nothing, since mail scanners open links;
    POST activates the account, logs it in and lands where sign-up used to land."""
    user = selectors.user_awaiting_confirmation(uidb64=uidb64, token=token)
    if user is not None and request.method == "POST":
        try:
            services.recruiter_confirm(user=user)
        except ValidationError:
            user = None
        else:
            login(request, user, backend="district.backends.PortalBackend")
            return redirect("companies:dashboard")
    return render(request, "companies/signup_confirm.html", {"confirm_user": user})


# --- Dashboard ----------------------------------------------------------------------------------


@login_required
def dashboard(request):
    """The company's dashboard, or the page that says why there is none yet."""
    company = selectors.recruiter_company(request.user)
    if company is None:
        pending = selectors.pending_join_request(request.user)
        if pending is None:
            raise PermissionDenied
        return render(
            request, "companies/status.html", {"state": "awaiting_approval", "join_request": pending}
        )
    if not company.is_verified:
        return render(request, "companies/status.html", {"state": company.verification, "company": company})
    board = selectors.company_dashboard(company=company)
    record_access(
        request=request,
        students=[row["student_id"] for row in board.new_applicants + board.stale_applications],
        what="companies:dashboard",
    )
    context = {
        "board": board,
        "company": company,
        "can_approve": selectors.can_approve_recruiters(request.user, company),
    }
    return render(request, "companies/dashboard.html", context)


# --- Team ---------------------------------------------------------------------------------------


# A company awaiting verification may already gather its team: joining grants nothing more
# than the company itself may do.
@recruiter_required
def team(request):
    company = request.company
    context = {
        "company": company,
        "recruiters": selectors.recruiter_list(company=company),
        "can_approve": selectors.can_approve_recruiters(request.user, company),
    }
    return render(request, "companies/team.html", context)


@recruiter_required
@require_POST
def team_decide(request, pk, decision):
    membership = selectors.get_join_request_for_user(request.user, pk)
    service = services.recruiter_approve if decision == "approve" else services.recruiter_decline
    try:
        service(membership=membership, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        name = membership.user.name or membership.user.email
        if decision == "approve":
            messages.success(request, _("%(name)s can now act for the company.") % {"name": name})
        else:
            messages.success(request, _("The request of %(name)s was declined.") % {"name": name})
    return redirect("companies:team")


# --- Openings -----------------------------------------------------------------------------------


@verified_company_required
def opening_list(request):
    status = request.GET.get("status", "")
    openings = selectors.opening_list(user=request.user, filters={"status": status})
    context = {"page": paginate(request, openings), "status": status, "statuses": Opening.Status.choices}
    return render(request, "companies/opening_list.html", context)


@verified_company_required
def opening_create(request):
    form = forms.OpeningForm(request.POST or None, company=request.company)
    if request.method == "POST" and form.is_valid():
        try:
            opening = services.opening_create(company=request.company, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "submit" in request.POST:
                return _submit_and_show(request, opening)
            messages.success(request, _("The opening is saved as a draft."))
            return redirect("companies:opening_detail", pk=opening.pk)
    return render(request, "companies/opening_form.html", {"form": form, "opening": None})


@verified_company_required
def opening_edit(request, pk):
    """Edit an opening. A published one keeps its approved version public: the edit becomes
    a revision that an official reviews, and the form starts from the revision awaiting review."""
    opening = selectors.get_opening_for_user(request.user, pk, write=True)
    if opening.status == Opening.Status.CLOSED:
        messages.error(request, _("A closed opening cannot be changed. Clone it to post it again."))
        return redirect("companies:opening_detail", pk=opening.pk)
    revision = selectors.opening_revision_shown(opening=opening)
    pending = revision if revision and revision.status == revision.Status.PENDING else None
    initial = pending.changes if pending else None
    form = forms.OpeningForm(request.POST or None, company=opening.company, stored=opening, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if opening.status == Opening.Status.PUBLISHED:
                return _propose_changes(request, opening, form.cleaned_data)
            saved = services.opening_update(opening=opening, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "submit" in request.POST and saved.status in (Opening.Status.DRAFT, Opening.Status.REJECTED):
                return _submit_and_show(request, saved)
            messages.success(request, _("Saved."))
            return redirect("companies:opening_detail", pk=saved.pk)
    context = {"form": form, "opening": opening, "revision": revision}
    return render(request, "companies/opening_form.html", context)


def _propose_changes(request, opening: Opening, data: dict):
    revision = services.opening_revision_submit(opening=opening, data=data, by=request.user)
    if revision is None:
        messages.success(request, _("Nothing differs from the approved version; no changes await review."))
    else:
        messages.success(
            request,
            _(
                "Your changes are sent to an official for review. Until they are approved, "
                "students see the approved version."
            ),
        )
    return redirect("companies:opening_detail", pk=opening.pk)


def _submit_and_show(request, opening: Opening):
    try:
        services.opening_submit(opening=opening, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The opening is submitted. An official will review it."))
    return redirect("companies:opening_detail", pk=opening.pk)


@verified_company_required
def opening_detail(request, pk):
    opening = selectors.get_opening_for_user(request.user, pk)
    revision = selectors.opening_revision_shown(opening=opening)
    context = {
        "opening": opening,
        "revision": revision,
        "revision_rows": selectors.opening_revision_comparison(revision=revision) if revision else [],
        **selectors.opening_detail(opening=opening),
    }
    return render(request, "companies/opening_detail.html", context)


@verified_company_required
@require_POST
def opening_action(request, pk, action):
    """Submit, close or clone an opening, or withdraw its changes awaiting review (buttons on its page)."""
    opening = selectors.get_opening_for_user(request.user, pk, write=True)
    if action == "submit":
        return _submit_and_show(request, opening)
    try:
        if action == "withdraw_changes":
            services.opening_revision_withdraw(opening=opening, by=request.user)
            messages.success(request, _("Your changes are withdrawn. The approved version stays as it is."))
        elif action == "close":
            services.opening_close(opening=opening, by=request.user)
            messages.success(request, _("The opening is closed. Students can no longer apply."))
        else:
            clone = services.opening_clone(opening=opening, by=request.user)
            messages.success(request, _("A copy is saved as a draft. Check the dates, then submit it."))
            return redirect("companies:opening_edit", pk=clone.pk)
    except ValidationError as error:
        show_refusal(request, error)
    return redirect("companies:opening_detail", pk=opening.pk)


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
    opening = selectors.get_opening_for_user(request.user, pk, write=True)
    departments = selectors.district_departments(district_id=opening.company.district_id)
    filterset = ApplicantFilterSet(request.GET or None, departments=departments)
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
    context = {
        "application": application,
        "applicant": row,
        "opening": application.opening,
        "events": application_selectors.application_events(application=application),
        "form": form,
    }
    return render(request, "companies/application_detail.html", context)


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
                safe_next(request, reverse("companies:applicant_list", args=[application.opening_id]))
            )
    return _render_application(request, application, form)
