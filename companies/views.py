"""The recruiters' pages at /company/: sign-up, openings and the team.

The dashboard and the applicant pipeline are placements' (`placements/views/recruiter.py`),
mounted under /company/ in the same "companies" namespace.

Each view parses, authorises (the role by decorator, the object by a `get_*_for_user`
selector that answers 404), calls one service or selector, and responds. A recruiter
whose company is not verified yet sees the status page instead of any page that writes.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies import forms
from companies.models import Opening
from companies.selectors import openings as opening_selectors
from companies.selectors.signups import user_awaiting_confirmation
from companies.selectors.team import (
    can_approve_recruiters,
    get_join_request_for_user,
    recruiter_company,
    recruiter_list,
)
from companies.services import openings as opening_services
from companies.services.membership import recruiter_approve, recruiter_decline
from companies.services.revisions import opening_revision_submit, opening_revision_withdraw
from companies.services.signup import company_signup, recruiter_confirm, recruiter_join_request
from district.access import is_official
from district.security import throttle_posts
from district.web import add_service_errors, paginate, role_required, show_refusal

# --- Access -------------------------------------------------------------------------------------


# A recruiter of a company, verified or not, with it on `request.company`; others get 403
# and visitors the login page.
recruiter_required = role_required(recruiter_company, attach="company")


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
# typed address, by email (companies.company_signup and recruiter_join_request).


def _check_your_inbox(request, email: str):
    return render(request, "companies/signup_sent.html", {"email": email})


@throttle_posts("signup")
def signup(request):
    """A company registers itself and its first recruiter; an official verifies it."""
    if request.user.is_authenticated and recruiter_company(request.user):
        return redirect("companies:dashboard")
    district = request.district
    if district is None:
        raise Http404("No district is set up yet.")
    form = forms.CompanySignupForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("password1", "password2")}
        try:
            company_signup(district=district, password=form.cleaned_data["password1"], **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _check_your_inbox(request, form.cleaned_data["email"])
    return render(request, "companies/signup.html", {"form": form})


@throttle_posts("join")
def join(request):
    """A second recruiter asks to join a registered company."""
    if request.district is None:
        raise Http404("No district is set up yet.")
    form = forms.RecruiterJoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recruiter_join_request(
            district=request.district,
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
    user = user_awaiting_confirmation(uidb64=uidb64, token=token)
    if user is not None and request.method == "POST":
        try:
            recruiter_confirm(user=user)
        except ValidationError:
            user = None
        else:
            login(request, user, backend="district.backends.PortalBackend")
            return redirect("companies:dashboard")
    return render(request, "companies/signup_confirm.html", {"confirm_user": user})


# --- Team ---------------------------------------------------------------------------------------


def team(request):
    """The company's team; an official (who approves join requests in the administration)
    is sent to the requests there instead of being refused."""
    if request.user.is_authenticated and is_official(request.user) and not recruiter_company(request.user):
        messages.info(
            request,
            _(
                "Officials approve or decline requests to join a company here, in the administration: "
                "open a request and use its buttons."
            ),
        )
        return redirect(reverse("admin:district_membership_changelist") + "?join_requests=all")
    return _team(request)


# A company awaiting verification may already gather its team: joining grants nothing more
# than the company itself may do.
@recruiter_required
def _team(request):
    company = request.company
    context = {
        "company": company,
        "recruiters": recruiter_list(company=company),
        "can_approve": can_approve_recruiters(request.user, company),
    }
    return render(request, "companies/team.html", context)


@recruiter_required
@require_POST
def team_decide(request, pk, decision):
    membership = get_join_request_for_user(request.user, pk)
    service = recruiter_approve if decision == "approve" else recruiter_decline
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
    openings = opening_selectors.opening_list(user=request.user, filters={"status": status})
    context = {"page": paginate(request, openings), "status": status, "statuses": Opening.Status.choices}
    return render(request, "companies/opening_list.html", context)


@verified_company_required
def opening_create(request):
    form = forms.OpeningForm(request.POST or None, company=request.company)
    if request.method == "POST" and form.is_valid():
        try:
            opening = opening_services.opening_create(
                company=request.company, by=request.user, **form.cleaned_data
            )
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
    opening = opening_selectors.get_opening_for_user(request.user, pk, write=True)
    if opening.status == Opening.Status.CLOSED:
        messages.error(request, _("A closed opening cannot be changed. Clone it to post it again."))
        return redirect("companies:opening_detail", pk=opening.pk)
    revision = opening_selectors.opening_revision_shown(opening=opening)
    pending = revision if revision and revision.status == revision.Status.PENDING else None
    initial = pending.changes if pending else None
    form = forms.OpeningForm(request.POST or None, company=opening.company, stored=opening, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if opening.status == Opening.Status.PUBLISHED:
                return _propose_changes(request, opening, form.cleaned_data)
            saved = opening_services.opening_update(opening=opening, by=request.user, **form.cleaned_data)
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
    revision = opening_revision_submit(opening=opening, data=data, by=request.user)
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
        opening_services.opening_submit(opening=opening, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The opening is submitted. An official will review it."))
    return redirect("companies:opening_detail", pk=opening.pk)


@verified_company_required
def opening_detail(request, pk):
    opening = opening_selectors.get_opening_for_user(request.user, pk)
    revision = opening_selectors.opening_revision_shown(opening=opening)
    context = {
        "opening": opening,
        "revision": revision,
        "revision_rows": opening_selectors.opening_revision_comparison(revision=revision) if revision else [],
        **opening_selectors.opening_detail(opening=opening),
    }
    return render(request, "companies/opening_detail.html", context)


@verified_company_required
@require_POST
def opening_action(request, pk, action):
    """Submit, close or clone an opening, or withdraw its changes awaiting review (buttons on its page)."""
    opening = opening_selectors.get_opening_for_user(request.user, pk, write=True)
    if action == "submit":
        return _submit_and_show(request, opening)
    try:
        if action == "withdraw_changes":
            opening_revision_withdraw(opening=opening, by=request.user)
            messages.success(request, _("Your changes are withdrawn. The approved version stays as it is."))
        elif action == "close":
            opening_services.opening_close(opening=opening, by=request.user)
            messages.success(request, _("The opening is closed. Students can no longer apply."))
        else:
            clone = opening_services.opening_clone(opening=opening, by=request.user)
            messages.success(request, _("A copy is saved as a draft. Check the dates, then submit it."))
            return redirect("companies:opening_edit", pk=clone.pk)
    except ValidationError as error:
        show_refusal(request, error)
    return redirect("companies:opening_detail", pk=opening.pk)
