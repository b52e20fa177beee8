"""Filters for credit programmes, shared by the public pages (`public.filters`) and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from district.filters import DistrictFilterSet, SearchFilter, district_filter
from universities.models import CreditProgram, University


class CreditProgramFilterSet(DistrictFilterSet):
    district = district_filter("university__district")
    university = django_filters.ModelChoiceFilter(queryset=University.objects.all(), label=_("University"))
    kind = django_filters.ChoiceFilter(choices=CreditProgram.Kind.choices, label=_("Kind"))
    degree = django_filters.ChoiceFilter(choices=CreditProgram.Degree.choices, label=_("Degree"))
    schedule = django_filters.ChoiceFilter(choices=CreditProgram.Schedule.choices, label=_("Schedule"))
    is_active = django_filters.BooleanFilter(label=_("Accepting students"))
    q = SearchFilter(fields=("name", "department_name", "university__name"))

    class Meta:
        model = CreditProgram
        fields = ["district", "university", "kind", "degree", "schedule", "is_active", "q"]
