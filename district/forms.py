"""Forms of the district app: the admin's "add district" form."""

from __future__ import annotations

import json
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from district.models import District
from district.onboarding import DistrictCreateError, DistrictPlan, district_plan_check, parse_vocabulary


class DistrictAddForm(forms.ModelForm):
    """A new district with what it starts with; `district.onboarding.district_create` writes it."""

    ADD_FIELDS = (
        "name",
        "slug",
        "region",
        "industry_focus",
        "program_start_year",
        "program_end_year",
        "annual_budget_krw",
        "description",
        "hosts",
        "base_url",
        "email_sender",
        "vocabulary",
        "official_username",
        "official_email",
        "official_name",
    )

    hosts = forms.CharField(
        label=_("host names"),
        required=False,
        help_text=_("One or more, separated by spaces or commas, such as ansan.example.kr."),
    )
    vocabulary = forms.CharField(
        label=_("industry vocabulary and budget (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            'Optional: {"segments": [{"code": …, "name": …}], "job_roles": [{"name": …, "segment": …, '
            '"salary": …, "ncs": […]}], "budget": {"support_centre": …}}, as for manage.py district_create.'
        ),
    )
    official_username = forms.CharField(label=_("first official's username"), max_length=150)
    official_email = forms.EmailField(label=_("first official's email"))
    official_name = forms.CharField(label=_("first official's name"), max_length=100, required=False)

    class Meta:
        model = District
        fields = (
            "name",
            "slug",
            "region",
            "industry_focus",
            "program_start_year",
            "program_end_year",
            "annual_budget_krw",
            "description",
            "base_url",
            "email_sender",
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            raw = json.loads(cleaned["vocabulary"]) if cleaned.get("vocabulary", "").strip() else {}
            vocabulary = parse_vocabulary(raw)
        except ValueError:
            raise forms.ValidationError(_("The industry vocabulary is not valid JSON.")) from None
        except DistrictCreateError as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.plan = DistrictPlan(
            slug=cleaned["slug"],
            name=cleaned["name"],
            region=cleaned["region"],
            industry_focus=cleaned["industry_focus"],
            start_year=cleaned["program_start_year"],
            end_year=cleaned["program_end_year"],
            annual_budget_krw=cleaned["annual_budget_krw"],
            description=cleaned.get("description", ""),
            hosts=tuple(h.lower() for h in re.split(r"[\s,]+", cleaned.get("hosts", "")) if h),
            base_url=cleaned.get("base_url", ""),
            email_sender=cleaned.get("email_sender", ""),
            official_username=cleaned["official_username"],
            official_email=cleaned["official_email"],
            official_name=cleaned.get("official_name", ""),
            **vocabulary,
        )
        try:
            district_plan_check(self.plan)
        except DistrictCreateError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return cleaned
