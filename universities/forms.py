"""Forms for university coordinators: programmes, enrolment and credit records."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from schools.forms import DateInput
from schools.models import School
from universities.models import CreditProgram, CreditRecord, ProgramEnrollment, University


class CreditProgramForm(forms.ModelForm):
    university = forms.ModelChoiceField(label=_("University"), queryset=University.objects.none())

    class Meta:
        model = CreditProgram
        fields = [
            "name",
            "department_name",
            "kind",
            "degree",
            "credits_required",
            "schedule",
            "min_months_employed",
            "partner_companies",
            "description",
            "eligibility",
            "is_active",
        ]
        widgets = {"partner_companies": forms.CheckboxSelectMultiple}
        help_texts = {
            "credits_required": _(
                "Leave empty for the usual: 80 for an associate degree, 140 for a bachelor's."
            ),
            "min_months_employed": _("재직자 특별전형 with 0 asks for 36 months."),
            "partner_companies": _("For a contract department: only their employees may enrol."),
        }

    def __init__(self, *args, universities, **kwargs):
        super().__init__(*args, **kwargs)
        universities = list(universities)
        self.fields["university"].queryset = University.objects.filter(pk__in=[u.pk for u in universities])
        # The university is fixed once a programme exists, and implied for a coordinator of one.
        self._implied = self.instance.university if self.instance.pk else None
        if self._implied is None and len(universities) == 1:
            self._implied = universities[0]
        if self._implied is not None:
            self.fields["university"].initial = self._implied.pk
            self.fields["university"].widget = forms.HiddenInput()
            self.fields["university"].required = False
        self.fields["credits_required"].required = False
        self.fields["partner_companies"].queryset = Company.objects.filter(
            district_id__in={u.district_id for u in universities}, verification=Company.Verification.VERIFIED
        )

    def clean_university(self):
        return self._implied or self.cleaned_data.get("university")

    def _post_clean(self):
        # The service fills the default credits and validates the model.
        pass


class EnrollmentForm(forms.Form):
    school = forms.ModelChoiceField(label=_("High school"), queryset=School.objects.none())
    student_number = forms.CharField(label=_("Student number"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=50)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, district_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(district_id=district_id)


class CreditRecordForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    term = forms.ChoiceField(label=_("Term"), choices=CreditRecord.Term.choices)
    credits = forms.IntegerField(label=_("Credits"), min_value=1, max_value=30)


class EnrollmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (ProgramEnrollment.Status.COMPLETED, _("Completed")),
            (ProgramEnrollment.Status.WITHDRAWN, _("Withdrawn")),
        ]
    )
