"""Pages for school staff (/school/), host companies (/practice/), students in practice (/me/practice/)
and invited students (/accounts/invite/<token>/).

Each view parses, authorises (role by decorator, object by a `get_*_for_user` selector
that answers 404), calls one service or selector, and responds.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from district import access
from district.exports import XLSX_CONTENT_TYPE, attachment, client_ip
from district.filters import filter_status
from district.models import Membership
from district.security import officials_second_factor
from district.web import add_service_errors, paginate, role_required, show_refusal
from placements.selectors import student_applications as application_selectors
from placements.services import applications as application_services
from privacy.forms import ExportPurposeForm
from privacy.services import record_access
from schools import exports, forms, selectors, services
from schools.imports import describe_first
from schools.models import FieldPractice, PracticeIncident, RetentionReview

# --- Access -------------------------------------------------------------------------------


school_staff_required = role_required(lambda user: bool(access.school_ids(user)))
recruiter_required = role_required(lambda user: bool(access.company_ids(user)))
student_required = role_required(lambda user: bool(access.school_ids(user, role=Membership.Role.STUDENT)))


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _school_from_query(request):
    """The school a staff member works on: ?school=<id>, else their first school."""
    schools = list(selectors.school_list(user=request.user))
    if request.GET.get("school"):
        return selectors.get_school_for_user(request.user, request.GET["school"])
    return schools[0]


# --- Overview and roster ---------------------------------------------------------------------


@school_staff_required
def index(request):
    return render(request, "schools/index.html", {"schools": selectors.school_list(user=request.user)})


@school_staff_required
def student_list(request):
    departments = selectors.department_list(user=request.user)
    filter_form = forms.StudentFilterForm(request.GET or None, departments=departments)
    students = selectors.student_list(user=request.user, filters=filter_form.filters())
    page = paginate(request, students)
    page.object_list = list(page.object_list)
    record_access(request=request, students=page.object_list, what="schools:student_list")
    return render(
        request,
        "schools/student_list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "schools": selectors.school_list(user=request.user),
        },
        status=filter_status(filter_form),
    )


@school_staff_required
def student_detail(request, pk):
    student = selectors.get_student_for_user(request.user, pk)
    record_access(request=request, students=[student], what="schools:student_detail")
    context = {
        "student": student,
        "invite_form": forms.InvitationForm(initial={"email": student.email}),
        "applications": application_selectors.school_application_rows(user=request.user, student=student),
    }
    context.update(selectors.student_profile(student=student))
    return render(request, "schools/student_detail.html", context)


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
    return render(request, "schools/application_outside_hire.html", context, status=status)


@school_staff_required
def student_edit(request, pk):
    student = selectors.get_student_for_user(request.user, pk)
    if request.method == "GET":
        record_access(request=request, students=[student], what="schools:student_edit")
    form = forms.StudentForm(request.POST or None, instance=student)
    if request.method == "POST" and form.is_valid():
        try:
            services.student_update(student=student, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The student's record is saved."))
            return redirect("schools:student_detail", pk=student.pk)
    return render(request, "schools/student_form.html", {"student": student, "form": form})


@school_staff_required
@require_POST
def student_invite(request, pk):
    student = selectors.get_student_for_user(request.user, pk)
    form = forms.InvitationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["email"])
        services.invitation_create(
            student=student, by=request.user, base_url=_base_url(request), email=form.cleaned_data["email"]
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The invitation is on its way. The link works for 7 days, once."))
    return redirect("schools:student_detail", pk=student.pk)


@school_staff_required
def roster_import(request):
    schools = selectors.school_list(user=request.user)
    form = forms.RosterUploadForm(request.POST or None, request.FILES or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.roster_import_start(
                school=form.cleaned_data["school"], data=upload.read(), file_name=upload.name, by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("schools:roster_import_detail", pk=record.pk)
    recent = selectors.roster_import_list(user=request.user)[:10]
    return render(request, "schools/roster_import.html", {"form": form, "recent": recent, "schools": schools})


@never_cache
@school_staff_required
def roster_import_detail(request, pk):
    record = selectors.get_roster_import_for_user(request.user, pk)
    errors, more = describe_first(record.errors)
    context = {"import": record, "errors": errors, "more": more, "error_count": len(record.errors)}
    return render(request, "schools/roster_import_detail.html", context)


@school_staff_required
@require_GET
def roster_template(request):
    school = _school_from_query(request)
    data = exports.roster_template_xlsx(
        departments=list(school.departments.filter(is_active=True).values_list("name", flat=True)),
        areas=list(school.district.areas.values_list("name", flat=True)),
    )
    return _xlsx_response(data, "roster-template.xlsx")


@school_staff_required
@officials_second_factor  # an export of personal data: the officials' rule holds here as on /dashboard/
@require_GET
def roster_export(request):
    """The roster as XLSX, once the staff member states why (PIPA): the purpose is logged with the export."""
    school = _school_from_query(request)
    form = ExportPurposeForm(request.GET if "purpose" in request.GET else None)
    if form.is_valid():
        try:
            data = services.roster_export(
                school=school,
                by=request.user,
                purpose=form.cleaned_data["purpose"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _xlsx_response(data, f"roster-{school.pk}-{timezone.localdate():%Y%m%d}.xlsx")
    status = 400 if form.is_bound else 200
    return render(request, "schools/roster_export.html", {"form": form, "school": school}, status=status)


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, filename=filename, content_type=XLSX_CONTENT_TYPE)


# --- Departments and curriculum -------------------------------------------------------------------


@school_staff_required
def department_list(request):
    departments = list(selectors.department_list(user=request.user))
    return render(
        request,
        "schools/department_list.html",
        {"departments": departments, "timeline": selectors.department_timeline(departments)},
    )


@school_staff_required
def department_form(request, pk=None):
    department = selectors.get_department_for_user(request.user, pk) if pk else None
    school = department.school if department else _school_from_query(request)
    form = forms.DepartmentForm(request.POST or None, instance=department, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            if department:
                services.department_update(department=department, by=request.user, **form.cleaned_data)
            else:
                services.department_create(school=school, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The department is saved."))
            return redirect("schools:department_list")
    return render(
        request, "schools/department_form.html", {"form": form, "department": department, "school": school}
    )


@school_staff_required
def course_unit_list(request):
    filter_form = forms.CourseUnitFilterForm(request.GET)
    department = filter_form.cleaned_data["department"] if filter_form.is_valid() else None
    units = selectors.course_unit_list(user=request.user, filters={"department": department})
    return render(
        request,
        "schools/course_unit_list.html",
        {"page": paginate(request, units), "filter_form": filter_form},
        status=filter_status(filter_form),
    )


@school_staff_required
def course_unit_form(request, pk=None):
    unit = selectors.get_course_unit_for_user(request.user, pk) if pk else None
    schools = selectors.school_list(user=request.user)
    departments = selectors.department_list(user=request.user)
    form = forms.CourseUnitForm(
        request.POST or None,
        instance=unit,
        departments=departments,
        district_ids={school.district_id for school in schools},
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        m2m = {"co_developers": fields.pop("co_developers"), "certifications": fields.pop("certifications")}
        try:
            if unit:
                services.course_unit_update(unit=unit, by=request.user, **m2m, **fields)
            else:
                services.course_unit_create(
                    department=fields.pop("department"), by=request.user, **m2m, **fields
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The curriculum unit is saved."))
            return redirect("schools:course_unit_list")
    return render(request, "schools/course_unit_form.html", {"form": form, "unit": unit})


# --- Teachers and training ----------------------------------------------------------------------------


@school_staff_required
def training_list(request):
    years, hours = selectors.training_hours_by_teacher(user=request.user)
    return render(
        request,
        "schools/training_list.html",
        {
            "page": paginate(request, selectors.training_list(user=request.user)),
            "years": years,
            "hours": hours,
        },
    )


@school_staff_required
def training_create(request):
    schools = selectors.school_list(user=request.user)
    form = forms.TrainingForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            services.training_create(
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
    training = selectors.get_training_for_user(request.user, pk)
    form = forms.CompletionForm(request.POST or None, teachers=selectors.teacher_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.training_completion_record(training=training, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The completion is recorded."))
            return redirect("schools:training_list")
    title = _("Record a completion: %(training)s") % {"training": training.title}
    return render(request, "schools/simple_form.html", {"form": form, "title": title})


@school_staff_required
def teacher_create(request):
    form = forms.TeacherForm(request.POST or None, schools=selectors.school_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        services.teacher_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("The teacher is added."))
        return redirect("schools:training_list")
    return render(request, "schools/simple_form.html", {"form": form, "title": _("New teacher")})


# --- Field practice: school staff ----------------------------------------------------------------------


@school_staff_required
def practice_list(request):
    practices = selectors.field_practice_list(
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
        request.POST or None, schools=selectors.school_list(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            practice = services.field_practice_create(
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
        "problems": services.field_practice_start_problems(practice),
        "needs_consent": services.needs_guardian_consent(practice),
        "diary": selectors.diary_entries(practice=practice),
        "incidents": selectors.incidents(practice=practice),
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
    return _practice_page(request, selectors.get_field_practice_for_user(request.user, pk))


def _practice_form_action(form_class, context_name, call):
    """A POST that validates one form of the practice page and calls one service with it."""

    @school_staff_required
    @require_POST
    def view(request, pk):
        practice = selectors.get_field_practice_for_user(request.user, pk)
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
    lambda request, practice, data: services.field_practice_update(
        practice=practice, by=request.user, **data
    ),
)
practice_consent = _practice_form_action(
    forms.ConsentForm,
    "consent_form",
    lambda request, practice, data: services.field_practice_record_consent(
        practice=practice,
        consent_on=data["guardian_consent_on"],
        method=data["guardian_consent_method"],
        by=request.user,
    ),
)
practice_safety = _practice_form_action(
    forms.SafetyCheckForm,
    "safety_form",
    lambda request, practice, data: services.field_practice_sign_safety_check(
        practice=practice, checked_on=data["safety_checked_on"], by=request.user
    ),
)
practice_report_incident = _practice_form_action(
    forms.IncidentForm,
    "incident_form",
    lambda request, practice, data: services.incident_report(
        practice=practice,
        reporter_role=PracticeIncident.ReporterRole.SCHOOL,
        description=data["description"],
        by=request.user,
        base_url=_base_url(request),
    ),
)

_TRANSITIONS = {
    "start": services.field_practice_start,
    "complete": services.field_practice_complete,
    "cancel": services.field_practice_cancel,
}


@school_staff_required
@require_POST
def practice_transition(request, pk, action):
    practice = selectors.get_field_practice_for_user(request.user, pk)
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
    incident = selectors.get_incident_for_user(request.user, pk)
    form = forms.IncidentReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose whether the practice resumes or ends."))
        services.incident_review(incident=incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The incident is reviewed."))
    return redirect("schools:practice_detail", pk=incident.practice_id)


# --- Field practice: host company and student ---------------------------------------------------------------


@recruiter_required
def company_practice_list(request):
    page = paginate(request, selectors.company_practice_list(user=request.user))
    page.object_list = list(page.object_list)
    record_access(request=request, students=[p.student_id for p in page.object_list], what="practice:list")
    return render(request, "schools/company_practice_list.html", {"page": page})


@recruiter_required
def company_practice_diary(request, pk, incident_form=None, status=200):
    practice = selectors.get_company_practice_for_user(request.user, pk)
    record_access(request=request, students=[practice.student_id], what="practice:diary")
    context = {
        "practice": practice,
        "diary": selectors.diary_entries(practice=practice),
        "incident_form": incident_form or forms.IncidentForm(),
    }
    return render(request, "schools/company_practice_diary.html", context, status=status)


@recruiter_required
@require_POST
def company_diary_acknowledge(request, pk, entry_pk):
    practice = selectors.get_company_practice_for_user(request.user, pk)
    try:
        services.diary_entry_acknowledge(entry=selectors.get_diary_entry(practice, entry_pk), by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The week is acknowledged."))
    return redirect("practice:diary", pk=practice.pk)


@recruiter_required
@require_POST
def company_report_incident(request, pk):
    practice = selectors.get_company_practice_for_user(request.user, pk)
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
        services.incident_report(
            practice=practice,
            reporter_role=role,
            description=form.cleaned_data["description"],
            by=request.user,
            base_url=_base_url(request),
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("The incident is reported. The practice is on hold until the school reviews it.")
        )
    return redirect(next_url)


def _diary_weeks(practice, today: datetime.date) -> list[datetime.date]:
    """The Mondays of the practice's weeks that have begun, newest first."""
    first = services.week_start(practice.starts_on)
    last = services.week_start(min(today, practice.ends_on))
    weeks = []
    while last >= first:
        weeks.append(last)
        last -= datetime.timedelta(days=7)
    return weeks


@student_required
def student_practice(request, diary_form=None, status=200):
    practices = list(selectors.student_practice_list(user=request.user))
    current = next((p for p in practices if p.status in {"in_progress", "on_hold"}), None)
    context = {"practices": practices, "current": current}
    if current:
        context["diary"] = selectors.diary_entries(practice=current)
        context["diary_form"] = diary_form or forms.DiaryEntryForm(
            weeks=_diary_weeks(current, timezone.localdate())
        )
        context["incident_form"] = forms.IncidentForm()
    return render(request, "schools/student_practice.html", context, status=status)


@student_required
@require_POST
def student_diary_save(request, pk):
    practice = selectors.get_student_practice_for_user(request.user, pk)
    form = forms.DiaryEntryForm(request.POST, weeks=_diary_weeks(practice, timezone.localdate()))
    if form.is_valid():
        try:
            services.diary_entry_save(
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
    practice = selectors.get_student_practice_for_user(request.user, pk)
    return _report_incident(
        request, practice, PracticeIncident.ReporterRole.STUDENT, reverse("me_practice:index")
    )


# --- Retention ------------------------------------------------------------------------------------------


@school_staff_required
def retention_list(request):
    year = request.GET.get("graduation_year")
    filter_form = forms.RetentionFilterForm(request.GET)
    placements = selectors.retention_list(user=request.user, filters=filter_form.filters())
    page = paginate(request, placements)
    rows = [
        (p, services.retention_dates(p.starts_on), {r.milestone: r for r in p.retention_reviews.all()})
        for p in page
    ]
    record_access(request=request, students=[p.student_id for p in page], what="schools:retention_list")
    return render(
        request,
        "schools/retention_list.html",
        {
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
            "graduation_year": year or "",
            "filter_form": filter_form,
        },
        status=filter_status(filter_form),
    )


@school_staff_required
def retention_review(request, pk, milestone):
    placement = selectors.get_placement_for_user(request.user, pk)
    if milestone not in RetentionReview.Milestone.values:
        raise Http404
    if request.method == "GET":  # a saved form redirects; its re-rendered errors were logged on the GET
        record_access(request=request, students=[placement.student_id], what="schools:retention_review")
    check_date = services.retention_dates(placement.starts_on).for_milestone(milestone)
    recorded = getattr(placement, f"retention_{milestone}m")
    form = forms.RetentionReviewForm(request.POST or None, initial={"status": recorded or "employed"})
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_review_save(
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
    return render(request, "schools/retention_review.html", context)


# --- Invitation: the student sets a password ----------------------------------------------------------------


@never_cache
def invitation_accept(request, token):
    invitation = selectors.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        status = 404 if problem == "unknown" else 410
        return render(request, "accounts/invite_invalid.html", {"problem": problem}, status=status)
    form = forms.InvitationPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(invitation=invitation, password=form.cleaned_data["password1"])
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code in {"unknown", "used", "expired", "left"}:
                return render(request, "accounts/invite_invalid.html", {"problem": code}, status=410)
            form.add_error(None if code == "guardian_consent" else "password1", error)
        else:
            login(request, user, backend="district.backends.PortalBackend")
            messages.success(request, _("Your password is set and you are signed in."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "invitation": invitation, "login_id": services.invitation_login_id(invitation)}
    return render(request, "accounts/invite.html", context)
