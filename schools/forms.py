"""Forms for school staff, students in field practice, host companies and invited students.

Forms validate input and limit every choice to the user's own school or district; the
views pass `cleaned_data` to a service, which enforces the rules.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from district.filters import integer_range, ranged
from district.models import Area, Certification, IndustrySegment, NcsUnit
from schools import imports
from schools.models import (
    CourseUnit,
    Department,
    FieldPractice,
    PracticeIncident,
    School,
    Student,
    Teacher,
    TeacherTraining,
)


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


class StudentFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or student number"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    cohort = forms.IntegerField(label=_("Graduation year"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "---")] + Student.Status.choices, required=False
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
        self.fields["field_of_interest"].queryset = IndustrySegment.objects.all()

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


class FieldPracticeCreateForm(SchoolChoiceMixin, forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    student_number = forms.CharField(label=_("Student number"), max_length=20)
    company = forms.ModelChoiceField(label=_("Host company"), queryset=Company.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    supervisor_name = forms.CharField(label=_("Company supervisor"), max_length=50, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_school(schools)
        self.fields["company"].queryset = Company.objects.filter(
            district__schools__in=schools, verification=Company.Verification.VERIFIED
        ).distinct()

    def clean(self):
        data = super().clean()
        school, number = data.get("school"), (data.get("student_number") or "").strip()
        if school and number:
            student = (
                Student.objects.filter(school=school, student_number=number).select_related("school").first()
            )
            if student is None:
                self.add_error("student_number", _("No student of this school has this number."))
            data["student"] = student
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
            (week.isoformat(), _("Week of %(date)s") % {"date": week.isoformat()}) for week in weeks
        ]
        if weeks:
            self.fields["week_starting"].initial = weeks[0].isoformat()
