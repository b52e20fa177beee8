"""School staff's teachers and training pages (/school/training/, /school/teachers/)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from district.web import add_service_errors, paginate
from schools import forms
from schools.selectors import schools as school_selectors
from schools.selectors import training as training_selectors
from schools.services import training as training_services
from schools.views.common import (
    school_staff_required,
)


@school_staff_required
def training_list(request):
    years, hours = training_selectors.training_hours_by_teacher(user=request.user)
    return render(
        request,
        "schools/training_list.html",
        {
            "page": paginate(request, training_selectors.training_list(user=request.user)),
            "years": years,
            "hours": hours,
        },
    )


@school_staff_required
def training_create(request):
    schools = school_selectors.school_list(user=request.user)
    form = forms.TrainingForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            training_services.training_create(
                school=fields.pop("school"), co_hosts=fields.pop("co_hosts"), by=request.user, **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training is added."))
            return redirect("schools:training_list")
    return render(request, "schools/simple_form.html", {"form": form, "title": _("New teacher training")})


@school_staff_required
def completion_create(request, pk):
    training = training_selectors.get_training_for_user(request.user, pk)
    form = forms.CompletionForm(
        request.POST or None, teachers=training_selectors.teacher_list(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            training_services.training_completion_record(
                training=training, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The completion is recorded."))
            return redirect("schools:training_list")
    title = _("Record a completion: %(training)s") % {"training": training.title}
    return render(request, "schools/simple_form.html", {"form": form, "title": title})


@school_staff_required
def teacher_create(request):
    form = forms.TeacherForm(request.POST or None, schools=school_selectors.school_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        training_services.teacher_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("The teacher is added."))
        return redirect("schools:training_list")
    return render(request, "schools/simple_form.html", {"form": form, "title": _("New teacher")})
