"""Forms for school staff, students in field practice, host companies and invited students.

Forms validate input and limit every choice to the user's own school or district; the
views pass `cleaned_data` to a service, which enforces the rules.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from district.filters import FilterForm, integer_range, ranged
from district.models import Area, Certification, NcsUnit
from district.selectors import segment_list
from schools import imports
from schools.filters import SELF_INTRODUCTION_CHOICES
from schools.models import (
    Activity,
    CourseUnit,
    Department,
    FieldPractice,
    PracticeIncident,
    School,
    Student,
    StudentCertification,
    Teacher,
    TeacherTraining,
)
from schools.services import practice as practice_rules
from schools.services.profile import ACTIVITY_DESCRIPTION_MAX_CHARS, Upload, profile_file_kind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SchoolChoiceMixin:
    """A school field that appears only when the user works at more than one school."""

    def _setup_school(self, schools):
        self.fields["school"].queryset = schools
        listed = list(schools)
        self._only_school = listed[0] if len(listed) == 1 else None
        if self._only_school:
            self.fields["school"].initial = self._only_school.pk
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].required = False

    def clean_school(self):
        return self.cleaned_data.get("school") or self._only_school


# --- Roster --------------------------------------------------------------------------------


class RosterUploadForm(SchoolChoiceMixin, forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    file = forms.FileField(
        label=_("Roster file (XLSX or CSV)"),
        help_text=_("At most 5 MB and 5,000 students. Use the template's columns."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_school(schools)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)s MB."),
                params={"size": upload.size / 1024 / 1024, "limit": imports.MAX_BYTES // 1024 // 1024},
            )
        return upload


class StudentFilterForm(FilterForm):
    q = forms.CharField(label=_("Name or student number"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    cohort = forms.IntegerField(label=_("Cohort"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "---")] + Student.Status.choices, required=False
    )
    self_introduction = forms.ChoiceField(
        label=_("Self-introduction"), choices=[("", "---"), *SELF_INTRODUCTION_CHOICES], required=False
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "department": data["department"].pk if data["department"] else None,
            "cohort": data["cohort"],
            "status": data["status"],
            "self_introduction": data["self_introduction"],
        }


class CourseUnitFilterForm(forms.Form):
    """The curriculum list's `?department=<id>` (the selector keeps it to the user's schools)."""

    department = ranged(forms.IntegerField)(
        label=_("Department"),
        required=False,
        integer_range=integer_range(CourseUnit._meta.get_field("department")),
    )


class StudentForm(forms.ModelForm):
    class Meta:
        model = Student
        fields = [
            "name",
            "department",
            "cohort",
            "birth_date",
            "status",
            "commute_area",
            "field_of_interest",
            "email",
            "phone",
            "guardian_consent_on",
        ]
        widgets = {"birth_date": DateInput(), "guardian_consent_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        school = self.instance.school
        self.fields["department"].queryset = Department.objects.filter(school=school)
        self.fields["commute_area"].queryset = Area.objects.filter(district_id=school.district_id)
        self.fields["field_of_interest"].queryset = segment_list(district=school.district_id)

    def validate_unique(self):
        # The service runs the model's full validation; a ModelForm would run it twice.
        pass


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), required=False)


class InvitationPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


# --- Departments and curriculum ---------------------------------------------------------------


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = [
            "name",
            "segment",
            "classes",
            "students_per_year",
            "established_year",
            "replaced",
            "reorganised_year",
            "is_active",
        ]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        others = Department.objects.filter(school=school)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["replaced"].queryset = others
        self.fields["replaced"].help_text = _("For a reorganisation: the department this one replaced.")
        self.fields["segment"].queryset = segment_list(district=school.district_id)

    def validate_unique(self):
        pass


class CourseUnitForm(forms.ModelForm):
    class Meta:
        model = CourseUnit
        fields = ["department", "ncs_unit", "title", "hours", "grade_year", "co_developers", "certifications"]
        widgets = {
            "co_developers": forms.CheckboxSelectMultiple,
            "certifications": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, departments, district_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["ncs_unit"].queryset = NcsUnit.objects.all()
        self.fields["co_developers"].queryset = Company.objects.filter(
            district_id__in=district_ids, verification=Company.Verification.VERIFIED
        )
        self.fields["certifications"].queryset = Certification.objects.all()


# --- Teachers and training -------------------------------------------------------------------


class TeacherForm(SchoolChoiceMixin, forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    name = forms.CharField(label=_("Name"), max_length=50)
    subject = forms.CharField(label=_("Subject"), max_length=100, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_school(schools)


class TrainingForm(SchoolChoiceMixin, forms.ModelForm):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())

    class Meta:
        model = TeacherTraining
        fields = ["title", "provider", "hours", "starts_on", "ends_on", "co_hosts"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "co_hosts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_school(schools)
        self.fields["co_hosts"].queryset = Company.objects.filter(
            district__schools__in=schools, verification=Company.Verification.VERIFIED
        ).distinct()

    def _post_clean(self):
        # The service validates the model; the form only checks its fields.
        pass


class CompletionForm(forms.Form):
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=Teacher.objects.none())
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    hours = forms.IntegerField(label=_("Hours attended"), min_value=1, max_value=2000)

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers


# --- Field practice -----------------------------------------------------------------------------


class StudentChoiceField(forms.ModelChoiceField):
    """A student picked from a list grouped by department, each shown as "name (student number)".

    A plain <select> with one <optgroup> per department (and school, for staff of several
    schools): it needs no script, and the browser's type-ahead finds a name.
    """

    def __init__(self, *, several_schools: bool = False, **kwargs):
        self.several_schools = several_schools
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.student_number})"

    def _group(self, student) -> str:
        if self.several_schools:
            return f"{student.school.name} · {student.department.name}"
        return student.department.name

    def grouped_choices(self):
        groups: dict[str, list] = {}
        for student in self.queryset:
            groups.setdefault(self._group(student), []).append(
                (self.prepare_value(student), self.label_from_instance(student))
            )
        return [("", self.empty_label)] + list(groups.items())


class FieldPracticeCreateForm(forms.Form):
    student = StudentChoiceField(
        label=_("Student"),
        queryset=Student.objects.none(),
        empty_label=_("Choose a student"),
        help_text=_("Students at school, by department. Type the first letters of a name to jump to it."),
    )
    company = forms.ModelChoiceField(
        label=_("Host company"), queryset=Company.objects.none(), empty_label=_("Choose a company")
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    supervisor_name = forms.CharField(label=_("Company supervisor"), max_length=50, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        student = self.fields["student"]
        student.queryset = (
            Student.objects.filter(school__in=schools, status=Student.Status.ENROLLED)
            .select_related("school", "department")
            .order_by("school__name", "department__name", "name", "student_number")
        )
        student.several_schools = len({s.pk for s in schools}) > 1
        student.widget.choices = student.grouped_choices()
        self.fields["company"].queryset = Company.objects.filter(
            district__schools__in=schools, verification=Company.Verification.VERIFIED
        ).distinct()

    def clean(self):
        """The service's rules on whatever the fields could read, so that every error shows at once."""
        data = super().clean()
        problems = practice_rules.field_practice_plan_problems(
            student=data.get("student"),
            company=data.get("company"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        for name, message in problems.items():
            self.add_error(name, message)
        return data


class FieldPracticeEditForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    supervisor_name = forms.CharField(label=_("Company supervisor"), max_length=50, required=False)


class ConsentForm(forms.Form):
    guardian_consent_on = forms.DateField(label=_("Guardian consent date"), widget=DateInput())
    guardian_consent_method = forms.ChoiceField(
        label=_("Guardian consent method"), choices=FieldPractice.ConsentMethod.choices
    )


class SafetyCheckForm(forms.Form):
    safety_checked_on = forms.DateField(
        label=_("Safety check date"), widget=DateInput(), initial=timezone.localdate
    )


class IncidentForm(forms.Form):
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class IncidentReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PracticeIncident.Outcome.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class DiaryEntryForm(forms.Form):
    week_starting = forms.TypedChoiceField(label=_("Week"), coerce=datetime.date.fromisoformat)
    text = forms.CharField(
        label=_("What I did and learned"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )

    def __init__(self, *args, weeks: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week_starting"].choices = [
            (week.isoformat(), _("Week of %(date)s") % {"date": date_format(week)}) for week in weeks
        ]
        if weeks:
            self.fields["week_starting"].initial = weeks[0].isoformat()


# --- The student's own profile (/me/profile/) ---------------------------------------------------


class SelfIntroductionForm(forms.Form):
    """The four answers of the 자기소개서. Their length is the service's rule
    (`schools.services.profile.self_introduction_save`), so a refused answer stays in the form."""

    growth = forms.CharField(label=_("Background"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    motivation = forms.CharField(
        label=_("Why this field"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    competence = forms.CharField(
        label=_("Skills for the job"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    aspiration = forms.CharField(
        label=_("Plans after joining"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.strip = False  # the service trims; the counter counts what the student typed
            field.widget.attrs["data-answer"] = name
            field.widget.attrs["aria-describedby"] = f"id_{name}_counter"


class ActivityForm(forms.ModelForm):
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=ACTIVITY_DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 500 characters."),
    )

    class Meta:
        model = Activity
        fields = ["kind", "title", "organiser", "date", "description"]
        widgets = {"date": DateInput()}


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    file = forms.FileField(
        label=_("File (PDF, PNG or JPEG)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
        ),
    )
    remove_file = forms.BooleanField(label=_("Remove the file"), required=False)

    def __init__(self, *args, has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most one file of up to %(limit)s MB.") % {
            "limit": settings.PROFILE_FILE_MAX_BYTES // 1024 // 1024
        }
        if not has_file:
            del self.fields["remove_file"]
        self.fields["file"].widget = forms.FileInput(attrs=self.fields["file"].widget.attrs)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        # The size first, as the upload handler counted it, so that a large file is never read here.
        if upload.size > settings.PROFILE_FILE_MAX_BYTES:
            profile_file_kind(head=b"", file_name=upload.name, size=upload.size)
        upload.seek(0)
        data = upload.read()
        profile_file_kind(head=data[:16], file_name=upload.name, size=len(data))
        return Upload(data=data, name=upload.name)


# --- Issue 15: what the school holds on a student's profile -----------------------------------


class CertificationCheckForm(forms.Form):
    """Staff check a certification against the certificate: its number and issue date."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=StudentCertification._meta.get_field("number").max_length,
        help_text=_("As printed on the certificate."),
        error_messages={"required": _("Enter the number printed on the certificate.")},
    )
    acquired_on = forms.DateField(label=_("Issue date"), widget=DateInput())


class AttendanceForm(forms.Form):
    """One school year's attendance (출결), entered or corrected by staff."""

    school_year = forms.IntegerField(label=_("School year"), min_value=2000, max_value=2100)
    absences = forms.IntegerField(label=_("Days absent"), min_value=0, max_value=366, initial=0)
    late = forms.IntegerField(label=_("Times late"), min_value=0, max_value=366, initial=0)
    left_early = forms.IntegerField(label=_("Times left early"), min_value=0, max_value=366, initial=0)


class HostEvaluationForm(forms.Form):
    """The host company's short evaluation of a student's field practice."""

    host_evaluation = forms.CharField(
        label=_("Our evaluation"),
        max_length=FieldPractice._meta.get_field("host_evaluation").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Up to 300 characters. The student and their school see it, and so do the companies "
            "the student applies to."
        ),
    )
