"""Forms of the recruiters' pages: sign-up, joining a company, the opening form.

Forms check input and give field-level messages; the rules themselves live in
`companies.services.openings` (`validate_opening_terms`), which the form calls so that the page
and the service can never disagree. Views pass `cleaned_data` to a service.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies.models import OPENING_FIELDS, Company, Opening
from companies.services.openings import MAX_SEATS, MIN_SEATS, validate_opening_terms
from companies.validators import normalise_business_number, validate_business_number
from district.models import Area, Certification, IndustrySegment
from district.selectors import job_role_list, segment_list

# schools.Department, reached through the relation: companies imports no app above it.
Department = Opening.preferred_departments.field.related_model


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BusinessNumberField(forms.CharField):
    """Ten digits with the national check digit; accepts 123-45-67890 and spaces."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Business registration number"))
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault("help_text", _("10 digits, such as 123-45-67890."))
        super().__init__(**kwargs)
        self.validators.append(validate_business_number)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "placeholder": "123-45-67890"}
        )

    def clean(self, value):
        return normalise_business_number(super().clean(value))


class RecruiterAccountMixin(forms.Form):
    """The recruiter's own details and password, shared by sign-up and joining."""

    recruiter_name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(
        label=_("Work email"),
        help_text=_("You log in with this address. Use your company address, not a personal one."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            from district.models import User

            candidate = User(username=cleaned.get("email", ""), email=cleaned.get("email", ""))
            candidate.name = cleaned.get("recruiter_name", "")
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class CompanySignupForm(RecruiterAccountMixin):
    """A company and its first recruiter. Whether the number is taken is not checked here: the
    page must not tell (companies.services.company_signup mails the typed address instead)."""

    name = forms.CharField(label=_("Company name"), max_length=100)
    business_number = BusinessNumberField()
    segment = forms.ModelChoiceField(label=_("Industry segment"), queryset=IndustrySegment.objects.none())
    area = forms.ModelChoiceField(
        label=_("Address area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Outside the district"),
        help_text=_("Where the workplace is. Jobs in the district count as local employment."),
    )
    field_order = [
        "name",
        "business_number",
        "segment",
        "area",
        "recruiter_name",
        "email",
        "password1",
        "password2",
    ]

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(district=district).order_by("name")
        self.fields["segment"].queryset = segment_list(district=district)

    def company_fields(self):
        return [self[name] for name in ("name", "business_number", "segment", "area")]

    def account_fields(self):
        return [self[name] for name in ("recruiter_name", "email", "password1", "password2")]


class RecruiterJoinForm(RecruiterAccountMixin):
    business_number = BusinessNumberField(
        help_text=_("The registration number of the company you work for, such as 123-45-67890."),
    )
    field_order = ["business_number", "recruiter_name", "email", "password1", "password2"]


class SearchableSelectMultiple(forms.SelectMultiple):
    """A <select multiple> that static/js/multiselect.js turns into a searchable list with Tom Select
    (static/vendor/tom-select/): type a few letters, pick with a tap or Enter, remove a choice with
    its ×. Without JavaScript it stays the browser's own list (a phone shows it as a checklist)."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "data-searchable": "true",
                "data-placeholder": _("Type to search"),
                "data-no-results": _("Nothing matches."),
                "data-remove": _("Remove"),
                **(attrs or {}),
            }
        )


class DepartmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.school.name} · {obj.name}"


class OpeningForm(forms.ModelForm):
    """The opening form: every rule gives its message on its own field."""

    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=MIN_SEATS,
        max_value=MAX_SEATS,
        help_text=_("How many people you will hire, from 1 to 200."),
        error_messages={
            "min_value": _("An opening has at least 1 seat."),
            "max_value": _("An opening has at most 200 seats."),
        },
    )
    monthly_salary_krw = forms.IntegerField(
        label=_("Monthly salary (KRW)"),
        min_value=0,
        help_text=_("Before tax, in whole won, for a full month."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 10_000}),
    )
    required_certifications = forms.ModelMultipleChoiceField(
        label=_("Required certifications"),
        queryset=Certification.objects.order_by("name"),
        required=False,
        widget=SearchableSelectMultiple(),
        help_text=_("Choose every certification the job requires. Leave empty if none is required."),
    )
    preferred_departments = DepartmentChoiceField(
        label=_("Preferred departments"),
        queryset=Department.objects.none(),
        required=False,
        # A district's departments are a short list: all of them shown, one checkbox each.
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Departments whose students fit the job best. Others can still apply."),
    )

    class Meta:
        model = Opening
        fields = list(OPENING_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "starts_on": DateInput(),
            "apply_by": DateInput(),
        }
        help_texts = {
            "apply_by": _("Must be in the future and before the start date."),
            "own_question": _(
                "Optional: one question applicants answer when they apply, besides their self-introduction. "
                "Do not ask about appearance, birthplace, marital status, property or family "
                "(Fair Hiring Procedure Act art. 4-3)."
            ),
        }

    def __init__(self, *args, company: Company, stored: Opening | None = None, **kwargs):
        self.stored = stored
        if stored is not None:
            kwargs.setdefault("instance", stored)
        super().__init__(*args, **kwargs)
        self.fields["job_role"].queryset = job_role_list(district=company.district_id)
        self.fields["work_area"].queryset = Area.objects.filter(district_id=company.district_id).order_by(
            "name"
        )
        self.fields["preferred_departments"].queryset = (
            Department.objects.filter(school__district_id=company.district_id, is_active=True)
            .select_related("school")
            .order_by("school__name", "name")
        )

    def clean_description(self):
        # Browsers send a textarea's line breaks as CRLF; stored text uses LF. Without this, saving
        # a published opening unchanged would propose its description as a change for review.
        return self.cleaned_data["description"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        # The rules below give field-level messages; the database's check constraints hold
        # the same invariants, so the model form's generic constraint messages are skipped.
        self._validate_unique = False
        stored_deadline = self.stored.apply_by if self.stored is not None else None
        try:
            validate_opening_terms(
                seats=cleaned.get("seats"),
                monthly_salary_krw=cleaned.get("monthly_salary_krw"),
                starts_on=cleaned.get("starts_on"),
                apply_by=cleaned.get("apply_by"),
                deadline_must_be_future=cleaned.get("apply_by") != stored_deadline,
            )
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                if name in cleaned:
                    self.add_error(name, errors)
        return cleaned

    def _post_clean(self):
        # The model form would copy the input onto the instance here. The stored opening
        # must stay untouched (the service compares the new values with it), and the
        # service validates the model itself.
        pass
