"""The student's own profile (/me/profile/): what the school holds, read-only, then what they write.

Mounted from `placements.urls.me_urlpatterns` (namespace "me"). Every view is for the signed-in
student (`own_student_required`) and finds rows within their own record, so another student's
activity, project or file answers 404. Every form is a plain POST that works without
JavaScript; static/js/profile.js adds the live counters and saves the 자기소개서 as it is typed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from district.exports import attachment
from district.web import add_service_errors
from schools import forms
from schools.models import SelfIntroduction
from schools.selectors import student_profile as selectors
from schools.selectors.profile import profile_document, self_introduction_of
from schools.services import profile as services
from schools.views.common import own_student_required


def _document(student) -> dict:
    """The profile document, with a link on each project file to its owner's download."""
    document = profile_document(student=student)
    for project in document["own"]["projects"]:
        if project["file"]:
            project["file"]["url"] = reverse("me:profile_file", kwargs={"pk": project["file"]["id"]})
    return document


def _answers(form) -> list[dict]:
    """Each answer's field with the count the counter shows before any script runs."""
    limit = settings.PROFILE_ANSWER_MAX_CHARS
    rows = []
    for name in SelfIntroduction.ANSWERS:
        field = form[name]
        count = services.answer_length(field.value() or "")
        rows.append({"field": field, "count": count, "count_shown": f"{count:,}", "over": count > limit})
    return rows


def _profile_page(request, *, intro_form=None, status=200):
    student = request.student
    if intro_form is None:
        intro = self_introduction_of(student)
        intro_form = forms.SelfIntroductionForm(
            initial={n: getattr(intro, n) for n in SelfIntroduction.ANSWERS}
        )
    context = {
        "document": _document(student),
        "intro_form": intro_form,
        "answers": _answers(intro_form),
        "answer_limit": settings.PROFILE_ANSWER_MAX_CHARS,
        "answer_limit_shown": f"{settings.PROFILE_ANSWER_MAX_CHARS:,}",
        "activities": selectors.activity_list(student=student),
        "projects": selectors.project_list(student=student),
        "profile_messages": {
            "saved": _("Draft saved %(time)s"),
            "failed": _("Not saved yet: check the answers marked in red."),
        },
    }
    return render(request, "schools/profile.html", context, status=status)


@own_student_required
@require_GET
def profile(request):
    return _profile_page(request)


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


@own_student_required
@require_POST
def self_introduction_save(request):
    """Save the 자기소개서: JSON for the page's script ({saved_at, counts} or 400 {errors, counts}),
    else back to the profile, or the profile again with the answers kept and the errors shown."""
    form = forms.SelfIntroductionForm(request.POST)
    form.is_valid()  # every field is optional text: the answers' rule is the service's
    answers = {name: form.cleaned_data.get(name, "") for name in SelfIntroduction.ANSWERS}
    counts = {name: services.answer_length(text) for name, text in answers.items()}
    try:
        intro = services.self_introduction_save(student=request.student, by=request.user, **answers)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"errors": error.message_dict, "counts": counts}, status=400)
        add_service_errors(form, error)
        return _profile_page(request, intro_form=form, status=400)
    if _wants_json(request):
        saved_at = timezone.localtime(intro.updated_at)
        return JsonResponse({"saved_at": saved_at.isoformat(timespec="seconds"), "counts": counts})
    messages.success(
        request,
        _("Your self-introduction is saved (%(time)s).") % {"time": time_format(timezone.localtime(), "H:i")},
    )
    return redirect(reverse("me:profile") + "#self-introduction")


# --- Awards and activities --------------------------------------------------------------------


def _activity_form(request, *, activity=None):
    form = forms.ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if activity is None:
                services.activity_create(student=request.student, by=request.user, **fields)
            else:
                services.activity_update(activity=activity, by=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The award or activity is saved."))
            return redirect(reverse("me:profile") + "#activities")
    status = 400 if form.is_bound else 200
    return render(
        request, "schools/profile_activity_form.html", {"form": form, "activity": activity}, status=status
    )


@own_student_required
def activity_create(request):
    return _activity_form(request)


@own_student_required
def activity_edit(request, pk):
    return _activity_form(request, activity=selectors.get_activity_for_student(request.student, pk))


@own_student_required
def activity_delete(request, pk):
    activity = selectors.get_activity_for_student(request.student, pk)
    if request.method == "POST":
        services.activity_delete(activity=activity, by=request.user)
        messages.success(request, _("The award or activity is deleted."))
        return redirect(reverse("me:profile") + "#activities")
    return render(request, "schools/profile_confirm_delete.html", {"item": activity, "kind": "activity"})


# --- Projects and their files -----------------------------------------------------------------


def _project_form(request, *, project=None):
    initial = (
        {}
        if project is None
        else {"title": project.title, "description": project.description, "date": project.date}
    )
    has_file = project is not None and project.file_id is not None
    form = forms.ProjectForm(request.POST or None, request.FILES or None, initial=initial, has_file=has_file)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "description": data["description"],
            "date": data["date"],
            "upload": data["file"],
        }
        try:
            if project is None:
                services.project_create(student=request.student, by=request.user, **fields)
            else:
                services.project_update(
                    project=project, by=request.user, remove_file=data.get("remove_file", False), **fields
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project is saved."))
            return redirect(reverse("me:profile") + "#projects")
    status = 400 if form.is_bound else 200
    return render(
        request, "schools/profile_project_form.html", {"form": form, "project": project}, status=status
    )


@own_student_required
def project_create(request):
    return _project_form(request)


@own_student_required
def project_edit(request, pk):
    return _project_form(request, project=selectors.get_project_for_student(request.student, pk))


@own_student_required
def project_delete(request, pk):
    project = selectors.get_project_for_student(request.student, pk)
    if request.method == "POST":
        services.project_delete(project=project, by=request.user)
        messages.success(request, _("The project is deleted."))
        return redirect(reverse("me:profile") + "#projects")
    return render(request, "schools/profile_confirm_delete.html", {"item": project, "kind": "project"})


@own_student_required
@require_GET
@never_cache
def profile_file(request, pk):
    """A project file, to its owner only: always a download, in the type its bytes were checked as."""
    file, data = selectors.get_profile_file_for_student(request.student, pk)
    return attachment(data, filename=file.original_name, content_type=file.content_type)


# --- Print ----------------------------------------------------------------------------------


@own_student_required
@require_GET
def profile_print(request):
    """The profile on A4, to print or to save as PDF from the browser's print dialogue."""
    context = {
        "document": _document(request.student),
        "student_name": request.student.name,
        "printed_at": timezone.localtime(),
        "back_url": reverse("me:profile"),
    }
    return render(request, "schools/profile_print.html", context)
