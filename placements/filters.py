"""Filters for pathways, applications, placements and matching runs, shared by pages and the API."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Opening
from district.filters import (
    DistrictFilterSet,
    SearchFilter,
    StableOrderingFilter,
    district_filter,
    segment_filter,
)
from district.models import Certification, JobRole
from placements.models import Application, MatchRun, Pathway, Placement
from schools.models import Department, School, StudentCertification


class PathwayFilterSet(DistrictFilterSet):
    """The pathways list: school, department, industry segment and job role."""

    district = district_filter()
    school = django_filters.ModelChoiceFilter(
        field_name="department__school", queryset=School.objects.all(), label=_("School")
    )
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label=_("Department"))
    segment = segment_filter()
    job_role = django_filters.ModelChoiceFilter(
        field_name="job_roles", queryset=JobRole.objects.all(), label=_("Job role"), distinct=True
    )
    q = SearchFilter(fields=("title", "summary"))

    class Meta:
        model = Pathway
        fields = ["district", "school", "department", "segment", "job_role", "q"]


class ApplicationFilterSet(DistrictFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Application.Status.choices, label=_("Status"))
    source = django_filters.ChoiceFilter(choices=Application.Source.choices, label=_("Source"))
    opening = django_filters.ModelChoiceFilter(queryset=Opening.objects.all(), label=_("Opening"))
    company = django_filters.ModelChoiceFilter(
        field_name="opening__company", queryset=Company.objects.all(), label=_("Company")
    )
    school = django_filters.ModelChoiceFilter(
        field_name="student__school", queryset=School.objects.all(), label=_("School")
    )
    cohort = django_filters.NumberFilter(field_name="student__cohort", label=_("Graduation year"))
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("Submitted on or after")
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("Submitted on or before")
    )
    ordering = StableOrderingFilter(
        fields=(("submitted_at", "submitted"), ("status_changed_at", "changed")), label=_("Sort by")
    )

    class Meta:
        model = Application
        fields = ["status", "source", "opening", "company", "school", "cohort"]


class PlacementFilterSet(DistrictFilterSet):
    status = django_filters.ChoiceFilter(choices=Placement.Status.choices, label=_("Status"))
    company = django_filters.ModelChoiceFilter(queryset=Company.objects.all(), label=_("Company"))
    school = django_filters.ModelChoiceFilter(
        field_name="student__school", queryset=School.objects.all(), label=_("School")
    )
    segment = segment_filter("company__segment")
    is_local = django_filters.BooleanFilter(label=_("Local job"))
    cohort = django_filters.NumberFilter(field_name="student__cohort", label=_("Graduation year"))
    started_after = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="gte", label=_("Started on or after")
    )
    started_before = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", label=_("Started on or before")
    )
    ordering = StableOrderingFilter(fields=(("starts_on", "start"),), label=_("Sort by"))

    class Meta:
        model = Placement
        fields = ["status", "company", "school", "segment", "is_local", "cohort"]


class MatchRunFilterSet(DistrictFilterSet):
    status = django_filters.ChoiceFilter(choices=MatchRun.Status.choices, label=_("Status"))
    cohort = django_filters.NumberFilter(label=_("Cohort"))

    class Meta:
        model = MatchRun
        fields = ["status", "cohort"]


class ApplicantFilterSet(DistrictFilterSet):
    """One opening's applicants (/company/openings/<id>/applicants/): status, department, certification."""

    status = django_filters.ChoiceFilter(
        choices=Application.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    department = django_filters.ModelChoiceFilter(
        field_name="student__department",
        queryset=Department.objects.select_related("school"),
        label=_("Department"),
        empty_label=_("Any department"),
    )
    certification = django_filters.ModelChoiceFilter(
        queryset=Certification.objects.all(),
        method="filter_certification",
        label=_("Certification held"),
        empty_label=_("Any certification"),
    )

    class Meta:
        model = Application
        fields = ["status", "department", "certification"]

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.filters["department"].queryset = departments

    def filter_certification(self, queryset, name, value):
        # EXISTS rather than a join, so that an applicant holding several certifications is one row.
        held = StudentCertification.objects.filter(student=OuterRef("student"), certification=value)
        return queryset.filter(Exists(held))
