"""Filters for pathways, applications, placements and matching runs, shared by pages and the API."""

import django_filters
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Opening
from district.filters import (
    DistrictFilterSet,
    SearchFilter,
    StableOrderingFilter,
    district_filter,
    segment_filter,
)
from district.models import Certification, JobRole, NcsUnit
from placements.models import Application, MatchRun, Pathway, Placement
from schools.models import Department, School, Student, StudentCertification
from schools.selectors.profile import completed_ncs_units


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
    cohort = django_filters.NumberFilter(field_name="student__cohort", label=_("Cohort"))
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("Submitted on or after")
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("Submitted on or before")
    )
    ordering = StableOrderingFilter(
        fields=(("submitted_at", "submitted"), ("status_changed_at", "changed")),
        labels={
            "-submitted": _("Newest applications first"),
            "submitted": _("Oldest applications first"),
            "-changed": _("Recently changed first"),
            "changed": _("Least recently changed first"),
        },
        label=_("Sort by"),
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
    cohort = django_filters.NumberFilter(field_name="student__cohort", label=_("Cohort"))
    started_after = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="gte", label=_("Started on or after")
    )
    started_before = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", label=_("Started on or before")
    )
    ordering = StableOrderingFilter(
        fields=(("starts_on", "start"),),
        labels={"-start": _("Start date, latest first"), "start": _("Start date, soonest first")},
        label=_("Sort by"),
    )

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
    """One opening's applicants (/company/openings/<id>/applicants/): status, department, a
    certification the school checked, an NCS unit of the opening's job role completed, and a
    sort by fit.

    Certifications and NCS units are read from the school's live records (a checked
    certification, `schools.selectors.profile.completed_ncs_units`), the facts a snapshot
    freezes. `opening` limits the NCS units offered to its job role's; `fit_scores(opening=,
    students=, today=)` gives the matching's own fit (`placements.selectors.scoring.
    applicant_fit_scores`, passed in by the selector, which this module may not import).
    """

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
        label=_("Certification checked by the school"),
        empty_label=_("Any certification"),
    )
    ncs_unit = django_filters.ModelChoiceFilter(
        queryset=NcsUnit.objects.none(),
        method="filter_ncs_unit",
        label=_("NCS unit completed"),
        empty_label=_("Any NCS unit"),
    )
    ordering = StableOrderingFilter(
        fields=(("submitted_at", "submitted"), ("fit_points", "fit")),
        labels={
            "-submitted": _("Newest applications first"),
            "submitted": _("Oldest applications first"),
            "-fit": _("Best fit first"),
            "fit": _("Lowest fit first"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Application
        fields = ["status", "department", "certification", "ncs_unit"]

    def __init__(self, *args, departments=None, opening: Opening | None = None, fit_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opening = opening
        self.fit_scores = fit_scores
        if departments is not None:
            self.filters["department"].queryset = departments
        if opening is not None:
            self.filters["ncs_unit"].queryset = NcsUnit.objects.filter(
                job_roles=opening.job_role_id
            ).order_by("code")

    def filter_queryset(self, queryset):
        ordering = self.form.cleaned_data.get("ordering") or []
        if self.fit_scores is not None and any(value.lstrip("-") == "fit" for value in ordering):
            queryset = queryset.annotate(fit_points=self._fit_points(queryset))
        return super().filter_queryset(queryset)

    def _fit_points(self, queryset):
        """Each applicant's fit as a column; not eligible (a required certification missing) sorts
        below every score."""
        students = Student.objects.filter(pk__in=queryset.values("student_id"))
        scores = self.fit_scores(opening=self.opening, students=students, today=timezone.localdate())
        whens = [
            When(student_id=student_id, then=Value(score))
            for student_id, score in scores.items()
            if score is not None
        ]
        return Case(*whens, default=Value(NOT_ELIGIBLE), output_field=IntegerField())

    def filter_certification(self, queryset, name, value):
        # EXISTS rather than a join, so that an applicant holding several certifications is one row.
        held = StudentCertification.objects.filter(
            student=OuterRef("student"), certification=value, verified_at__isnull=False
        )
        return queryset.filter(Exists(held))

    def filter_ncs_unit(self, queryset, name, value):
        # Completion depends on the school year (`Cohort.grade_on`): one rule, in schools.
        students = Student.objects.filter(pk__in=queryset.values("student_id")).only(
            "pk", "department_id", "cohort"
        )
        completed = completed_ncs_units(students=students, today=timezone.localdate())
        return queryset.filter(student_id__in=[sid for sid, units in completed.items() if value.pk in units])


# The fit column of an applicant who is not eligible: below every score (scores are never negative).
NOT_ELIGIBLE = -1
