"""Filters for companies and openings, shared by the public pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Opening
from district.filters import (
    DistrictFilterSet,
    SearchFilter,
    StableOrderingFilter,
    district_filter,
    segment_filter,
)
from district.models import Area, Certification, JobRole


class CompanyFilterSet(DistrictFilterSet):
    district = district_filter()
    segment = segment_filter()
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.all(), label=_("Location"))
    is_local = django_filters.BooleanFilter(label=_("Located in the district"))
    q = SearchFilter(fields=("name", "description"))
    ordering = StableOrderingFilter(
        fields=(("name", "name"),),
        labels={"name": _("Name, A to Z"), "-name": _("Name, Z to A")},
        label=_("Sort by"),
    )

    class Meta:
        model = Company
        fields = ["district", "segment", "area", "is_local", "q"]


class OpeningFilterSet(DistrictFilterSet):
    """The openings list: segment, job role, certification, shift, minimum salary, deadline, search, sort."""

    district = district_filter("company__district")
    company = django_filters.ModelChoiceFilter(queryset=Company.objects.all(), label=_("Company"))
    segment = segment_filter("company__segment")
    job_role = django_filters.ModelChoiceFilter(queryset=JobRole.objects.all(), label=_("Job role"))
    certification = django_filters.ModelChoiceFilter(
        field_name="required_certifications",
        queryset=Certification.objects.all(),
        label=_("Required certification"),
        distinct=True,
    )
    shift_pattern = django_filters.ChoiceFilter(choices=Opening.Shift.choices, label=_("Shift pattern"))
    employment_type = django_filters.ChoiceFilter(
        choices=Opening.EmploymentType.choices, label=_("Employment type")
    )
    min_salary = django_filters.NumberFilter(
        field_name="monthly_salary_krw", lookup_expr="gte", label=_("Minimum monthly salary (KRW)")
    )
    deadline_after = django_filters.DateFilter(
        field_name="apply_by", lookup_expr="gte", label=_("Deadline on or after")
    )
    deadline_before = django_filters.DateFilter(
        field_name="apply_by", lookup_expr="lte", label=_("Deadline on or before")
    )
    q = SearchFilter(fields=("title", "description", "company__name"))
    ordering = StableOrderingFilter(
        fields=(
            ("apply_by", "deadline"),
            ("monthly_salary_krw", "salary"),
            ("published_at", "published"),
            ("starts_on", "start"),
        ),
        labels={
            "-published": _("Newest first"),
            "deadline": _("Deadline, soonest first"),
            "-deadline": _("Deadline, latest first"),
            "-salary": _("Salary, highest first"),
            "salary": _("Salary, lowest first"),
            "start": _("Start date, soonest first"),
            "-start": _("Start date, latest first"),
            "published": _("Oldest first"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Opening
        fields = [
            "district",
            "company",
            "segment",
            "job_role",
            "certification",
            "shift_pattern",
            "employment_type",
            "min_salary",
            "deadline_after",
            "deadline_before",
            "q",
        ]


class PublicOpeningFilterSet(OpeningFilterSet):
    """The public /openings/ page and saved searches: one district, full-text search, relevance first."""

    public_choices = True

    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=100)

    def __init__(self, data=None, queryset=None, *, district=None, **kwargs):
        super().__init__(data, queryset, district=district, **kwargs)
        # The site shows one district, so its verified companies are the only ones to pick.
        self.filters.pop("district", None)
        self.filters["company"].queryset = Company.objects.filter(
            district=district, verification=Company.Verification.VERIFIED
        ).order_by("name")
        from django import forms

        # Phones show a date picker and a number pad for these.
        for name in ("deadline_after", "deadline_before"):
            self.filters[name].extra["widget"] = forms.DateInput(attrs={"type": "date"})
        self.filters["min_salary"].extra["widget"] = forms.NumberInput(
            attrs={"step": 100000, "min": 0, "inputmode": "numeric"}
        )

    def filter_search(self, queryset, name, value):
        from companies.selectors.public import opening_search

        # Rank by relevance unless the visitor chose an order.
        return opening_search(queryset, value, rank=not self.form.cleaned_data.get("ordering"))
