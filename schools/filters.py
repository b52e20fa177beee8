"""Filters for schools, departments and students, shared by pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from district.filters import (
    DistrictFilterSet,
    HidesFieldsFilterSet,
    SearchFilter,
    StableOrderingFilter,
    district_filter,
    segment_filter,
)
from schools.models import Department, School, Student
from schools.visibility import hidden_student_fields


class SchoolFilterSet(DistrictFilterSet):
    district = district_filter()
    kind = django_filters.ChoiceFilter(choices=School.Kind.choices, label=_("Kind"))
    q = SearchFilter(fields=("name",))

    class Meta:
        model = School
        fields = ["district", "kind", "q"]


class DepartmentFilterSet(DistrictFilterSet):
    district = district_filter("school__district")
    school = django_filters.ModelChoiceFilter(queryset=School.objects.all(), label=_("School"))
    segment = segment_filter()
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Department
        fields = ["district", "school", "segment", "is_active"]


# The student list's "자기소개서" filter (issue 15): not written yet, or written.
SELF_INTRODUCTION_CHOICES = [("missing", _("Not written")), ("written", _("Written"))]


class StudentFilterSet(HidesFieldsFilterSet):
    """Filters of a scoped student list; the selector has already limited the rows to the caller's reach.

    The search and the sort leave out the fields hidden from the caller on some rows
    (`hidden_student_fields`: for a recruiter, the student number among others).
    """

    hidden_fields = staticmethod(hidden_student_fields)

    school = django_filters.ModelChoiceFilter(queryset=School.objects.all(), label=_("School"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label=_("Department"))
    cohort = django_filters.NumberFilter(label=_("Cohort"))
    status = django_filters.ChoiceFilter(choices=Student.Status.choices, label=_("Status"))
    self_introduction = django_filters.ChoiceFilter(
        choices=SELF_INTRODUCTION_CHOICES, label=_("Self-introduction"), method="filter_self_introduction"
    )
    q = SearchFilter(fields=("name", "student_number"))
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("cohort", "cohort"), ("student_number", "number")),
        labels={
            "name": _("Name, A to Z"),
            "-name": _("Name, Z to A"),
            "cohort": _("Cohort, earliest first"),
            "-cohort": _("Cohort, latest first"),
            "number": _("Student number, lowest first"),
            "-number": _("Student number, highest first"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Student
        fields = ["school", "department", "cohort", "status", "self_introduction", "q"]

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, user=user, **kwargs)
        self.caller = user if user is not None else getattr(self.request, "user", None)

    def filter_self_introduction(self, queryset, name, value: str):
        # Whether a student has written a 자기소개서 is for their school and the district's
        # officials: a recruiter (who has hidden fields) sees the applicant's snapshot instead.
        if hidden_student_fields(self.caller):
            return queryset
        return filter_by_self_introduction(queryset, value)


def filter_by_self_introduction(queryset, value: str):
    """`missing`: students with no 자기소개서 (or only empty answers); `written`: the others.

    The queryset carries `has_self_introduction`, which the selectors annotate
    (`schools.selectors.profile.self_introduction_written`, the one rule).
    """
    if value in {"missing", "written"}:
        return queryset.filter(has_self_introduction=value == "written")
    return queryset
