"""Pages of the signed-in student (/me/), and saved-search unsubscribe links.

The public pathway pages are in `public.views`. Each view parses, authorises
(`student_required` and selectors scoped to the student's own record that answer 404),
calls one service or selector, and responds. Every form is a plain POST that works
without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from companies.selectors.public import get_opening_public
from district.korean import fix_particles
from district.web import (
    CARDS_PER_PAGE,
    add_service_errors,
    paginate,
    posted_next,
    role_required,
    show_refusal,
)
from placements import forms
from placements.selectors import notifications as notification_selectors
from placements.selectors import preferences as preference_selectors
from placements.selectors import saved_searches as search_selectors
from placements.selectors import student_applications as application_selectors
from placements.selectors.applications import company_sees_snapshot, snapshot_document_with_urls
from placements.selectors.students import opening_fit, profile_choices, student_overview
from placements.selectors.suggestions import suggestion_list
from placements.services import applications as application_services
from placements.services import saved_searches as search_services
from placements.services.notifications import notifications_mark_read
from placements.services.preferences import preference_add, preferences_save
from schools.selectors.profile import has_self_introduction
from schools.selectors.students import student_for_user
from schools.services.students import student_update

# A signed-in user with an active student membership, with their own record on
# `request.student`; others get 403 and visitors the login page.
student_required = role_required(student_for_user, attach="student")


# --- The student's page --------------------------------------------------------------------


@student_required
def me(request):
    student = request.student
    return render(
        request,
        "placements/me.html",
        {
            "overview": student_overview(student=student),
            "notifications": notification_selectors.notification_list(user=request.user)[:5],
            "unread": notification_selectors.unread_count(user=request.user),
            "saved_searches": search_selectors.saved_search_list(user=request.user),
            "suggestions": suggestion_list(student=student),
        },
    )


@student_required
def profile_edit(request):
    student = request.student
    initial = {"field_of_interest": student.field_of_interest, "commute_area": student.commute_area}
    form = forms.ProfileForm(request.POST or None, initial=initial, **profile_choices(student=student))
    if request.method == "POST" and form.is_valid():
        try:
            student_update(student=student, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("me:profile")
    status = 400 if form.is_bound else 200
    return render(request, "placements/profile_form.html", {"form": form}, status=status)


@student_required
def notification_list(request):
    page = paginate(request, notification_selectors.notification_list(user=request.user))
    return render(request, "placements/notification_list.html", {"page": page})


@student_required
@require_POST
def notifications_read(request):
    notifications_mark_read(user=request.user)
    return redirect(posted_next(request, reverse("me:notifications")))


# --- Ranking openings for the matching round ----------------------------------------------------


def _preferences_page(request, *, form=None, draft_ids=None, status=200):
    student = request.student
    match_round = preference_selectors.round_for_student(student=student)
    if draft_ids is None:
        items = [p.opening for p in preference_selectors.preference_list(student=student)]
    else:
        shown = preference_selectors.openings_for_draft(student=student, opening_ids=draft_ids)
        items = [shown[i] for i in draft_ids if i in shown]
    today = timezone.localdate()
    for opening in items:
        opening.is_open = preference_selectors.is_rankable(opening, today=today)
        # What the script says after a move or a removal (it fills in the rank).
        opening.moved_text = _with_particles(_MOVED, opening.title)
        opening.removed_text = _with_particles(_REMOVED_UNSAVED, opening.title)
    search = request.GET.get("q", "")[:100]
    candidates = preference_selectors.rankable_openings(
        student=student, exclude_ids=[o.pk for o in items], search=search
    )
    context = {
        "match_round": match_round,
        "round_open": preference_selectors.round_is_open(match_round),
        "items": items,
        "form": form,
        "draft": draft_ids is not None,
        "candidates": paginate(request, candidates, per_page=CARDS_PER_PAGE),
        "search": search,
        "suggestions": preference_selectors.preference_suggestions(student=student),
        "max_preferences": preference_selectors.MAX_PREFERENCES,
        "ranking_messages": _RANKING_MESSAGES,
    }
    if draft_ids is None:
        context.update(_after_a_button(request, student=student, items=items))
    return render(request, "placements/preferences.html", context, status=status)


def _after_a_button(request, *, student, items) -> dict:
    """What the page shows after a button posted the list without JavaScript (`?moved=`, `?added=`,
    `?removed=`, written by `_after_saving`): the confirmation in the opening's row (`note`) with
    the focus back on the button that was pressed, or on its other arrow once the opening is first
    or last (`focus_button`); after a removal, the confirmation above the list."""
    ids = [opening.pk for opening in items]
    action = next((a for a in ("moved", "added", "removed") if request.GET.get(a, "").isdigit()), None)
    if action is None:
        return {}
    pk = int(request.GET[action])
    if action == "removed":
        gone = preference_selectors.openings_for_draft(student=student, opening_ids=[pk]).get(pk)
        return {"removed_note": _with_particles(_REMOVED, gone.title)} if gone and pk not in ids else {}
    if pk not in ids:
        return {}
    rank = ids.index(pk) + 1
    enabled = {"up": rank > 1, "down": rank < len(ids)}
    button = request.GET.get("button", "")
    if not enabled.get(button):
        button = next((name for name, on in enabled.items() if on), "remove")
    opening = items[rank - 1]
    template = _MOVED if action == "moved" else _ADDED
    opening.note = _with_particles(template, opening.title).replace("%(rank)s", str(rank))
    opening.focus_button = button
    return {}


def _with_particles(template, title: str) -> str:
    """The message with the opening's title and the particles that fit it (district.korean);
    a rank, when the message has one, stays a `%(rank)s` to fill in."""
    return fix_particles(str(template).replace("%(title)s", title))


# The ranking script's words for the whole page (read from json_script); its words for one
# opening are on the opening's row (`moved_text`, `removed_text`), with the particles that fit.
_RANKING_MESSAGES = {"unsaved": gettext_lazy("You have changes that are not saved yet.")}
_REMOVED_UNSAVED = gettext_lazy("“%(title)s” is removed. Save to keep the change.")

_MOVED = gettext_lazy("“%(title)s” moved to number %(rank)s.")
_ADDED = gettext_lazy("“%(title)s” added as number %(rank)s.")
_REMOVED = gettext_lazy("“%(title)s” is removed from your ranking.")

_SAVED_MESSAGES = {
    "add": gettext_lazy("The opening is added to your ranking."),
    "remove": gettext_lazy("The opening is removed from your ranking."),
    "up": gettext_lazy("Your ranking is saved."),
    "down": gettext_lazy("Your ranking is saved."),
    "save": gettext_lazy("Your ranking is saved."),
}


@student_required
def preferences(request):
    if request.method != "POST":
        return _preferences_page(request)
    form = forms.PreferenceListForm(request.POST)
    if form.is_valid():
        ids = form.cleaned_data["opening_ids"]
        try:
            preferences_save(student=request.student, opening_ids=ids, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return _preferences_page(request, form=form, draft_ids=ids, status=400)
        return redirect(_after_saving(request, form.cleaned_data["action"], ids))
    return _preferences_page(request, form=form, status=400)


def _after_saving(request, action: str, ids: list[int]) -> str:
    """Where a saved list goes: back to the opening a button moved or added (the page then shows
    the confirmation there and puts the focus back, see `_after_a_button`), or to the list's top
    after a removal. "Save" (the script's one post) shows the usual message."""
    url = reverse("me:preferences")
    target = request.POST.get(action, "")
    if action == "save" or not target.isdigit():
        messages.success(request, _SAVED_MESSAGES[action])
        return url
    if action == "remove":
        return f"{url}?removed={target}#ranking-heading"
    if int(target) not in ids:
        return url
    # No #fragment: a browser skips `autofocus` on a page opened at one; the focus scrolls to the row.
    if action == "add":
        return f"{url}?added={target}"
    return f"{url}?moved={target}&button={action}"


@student_required
@require_POST
def preferences_add(request):
    opening = get_opening_public(request.POST.get("opening"), district=request.student.school.district)
    try:
        preference_add(student=request.student, opening=opening, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("“%(title)s” is added to your ranking.") % {"title": opening.title})
    return redirect(posted_next(request, reverse("me:preferences")))


# --- Applications and offers -------------------------------------------------------------------


@student_required
def application_list(request):
    page = paginate(
        request, application_selectors.student_application_list(user=request.user, student=request.student)
    )
    rows = [
        {
            "application": application,
            "timeline": application_selectors.application_timeline(application),
            "messages": application_selectors.application_messages(application),
            "waits_for_consent": application_selectors.waits_for_consent(application),
            "can_withdraw": application_selectors.can_withdraw(application),
            "offer_open": application_selectors.offer_open(application),
        }
        for application in page
    ]
    return render(request, "placements/application_list.html", {"page": page, "rows": rows})


def _apply_page(request, opening, form, status=200):
    """The confirmation step of applying: the requirements the student does not meet (the fit
    the opening's page shows), what the company will see of their profile, the answer to the
    opening's own question, and their note to the company."""
    fit = opening_fit(opening=opening, student=request.student)
    context = {
        "action": "apply",
        "opening": opening,
        "fit": fit,
        "form": form,
        "allowed": fit.application is None,
        "has_self_introduction": has_self_introduction(request.student),
    }
    return render(request, "placements/application_confirm.html", context, status=status)


@student_required
def application_confirm(request, pk):
    """Before applying: what the student misses for the opening, and a short note to the company."""
    opening = get_opening_public(pk, district=request.student.school.district)
    return _apply_page(request, opening, forms.ApplyForm(opening=opening))


@student_required
@require_POST
def application_create(request):
    opening = get_opening_public(request.POST.get("opening"), district=request.student.school.district)
    form = forms.ApplyForm(request.POST, opening=opening)
    if not form.is_valid():
        return _apply_page(request, opening, form, status=400)
    try:
        application_services.application_submit(
            student=request.student,
            opening=opening,
            by=request.user,
            note=form.cleaned_data["note"],
            answer=form.cleaned_data.get("answer", ""),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):  # the note or the answer: shown on the form, nothing lost
            add_service_errors(form, error)
            return _apply_page(request, opening, form, status=400)
        show_refusal(request, error)
        return redirect("companies_public:opening_detail", pk=opening.pk)
    messages.success(request, _("You applied to “%(title)s”.") % {"title": opening.title})
    return redirect("me:applications")


@student_required
def application_profile(request, pk):
    """The student's own application's profile snapshot: exactly what the company sees (or will)."""
    application = application_selectors.get_student_application(
        user=request.user, student=request.student, pk=pk
    )
    snapshot = application.profile_snapshot
    context = {
        "application": application,
        "snapshot": snapshot,
        # The student opens their own files through their own route, which checks they are theirs.
        "document": snapshot
        and snapshot_document_with_urls(
            snapshot, lambda file_id: reverse("me:profile_file", kwargs={"pk": file_id})
        ),
        "company_sees": company_sees_snapshot(application),
    }
    return render(request, "placements/application_profile.html", context)


# What each answer does: the service to call, the confirmation page's question and the message after.
_ANSWERS = {
    "withdraw": (
        application_services.application_withdraw,
        application_selectors.can_withdraw,
        gettext_lazy("Your application is withdrawn."),
    ),
    "accept": (
        application_services.application_accept_offer,
        application_selectors.offer_open,
        gettext_lazy("You accepted the offer. Congratulations!"),
    ),
    "decline": (
        application_services.application_decline_offer,
        application_selectors.offer_open,
        gettext_lazy("You declined the offer."),
    ),
}


@student_required
def application_answer(request, pk, action):
    """Withdraw an application, or accept or decline an offer: GET asks to confirm, POST does it."""
    if action not in _ANSWERS:
        raise Http404
    service, allowed, done = _ANSWERS[action]
    application = application_selectors.get_student_application(
        user=request.user, student=request.student, pk=pk
    )
    if request.method == "POST":
        try:
            service(application=application, by=request.user)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, done)
        return redirect("me:applications")
    accepting = action == "accept"
    other_offers = application_selectors.other_open_applications(application=application) if accepting else []
    return render(
        request,
        "placements/application_confirm.html",
        {
            "application": application,
            "action": action,
            "allowed": allowed(application),
            "other_offers": other_offers,
            "needs_consent": accepting and application.needs_guardian_consent(),
        },
    )


# --- Saved searches --------------------------------------------------------------------------


@student_required
@require_POST
def saved_search_create(request):
    querystring = request.POST.get("querystring", "")[:1000]
    form = forms.SavedSearchForm(request.POST)
    back = f"{reverse('companies_public:opening_list')}?{querystring}"
    if form.is_valid():
        try:
            search = search_services.saved_search_create(
                user=request.user,
                district=request.student.school.district,
                params=QueryDict(querystring),
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(
                request,
                _("Search “%(name)s” is saved. We will email you once a day when new openings match it.")
                % {"name": search.name},
            )
    else:
        show_refusal(request, ValidationError(list(form.errors.get("name", []))))
    return redirect(back)


@student_required
@require_POST
def saved_search_delete(request, pk):
    search = search_selectors.get_saved_search_for_user(request.user, pk)
    search_services.saved_search_delete(saved_search=search, by=request.user)
    messages.success(request, _("Search “%(name)s” is deleted.") % {"name": search.name})
    return redirect("me:index")


@student_required
@require_POST
def saved_search_email(request, pk):
    search = search_selectors.get_saved_search_for_user(request.user, pk)
    if request.POST.get("email") == "on":
        search_services.saved_search_resubscribe(saved_search=search, by=request.user)
        messages.success(
            request, _("You will get a daily email for “%(name)s” again.") % {"name": search.name}
        )
    else:
        search_services.saved_search_unsubscribe(saved_search=search)
        messages.success(request, _("No more emails for “%(name)s”.") % {"name": search.name})
    return redirect("me:index")


@csrf_exempt  # the secret token in the URL is the authority; mail programs POST here (RFC 8058)
def saved_search_unsubscribe(request, token):
    """One-click unsubscribe from a digest email: GET shows a button, POST turns the email off."""
    search = search_selectors.saved_search_for_token(token)
    if search is None:
        raise Http404
    if request.method == "POST":
        search_services.saved_search_unsubscribe(saved_search=search)
    return render(
        request, "placements/unsubscribe.html", {"search": search, "done": request.method == "POST"}
    )
