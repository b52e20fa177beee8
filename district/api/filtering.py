"""The API's filter backend: django-filter, refusing query values the schema says are invalid.

The FilterSets serve HTML forms too, where an empty or unknown value means "any", so
django-filter quietly drops `?is_local=yes`, `?district=` or `?min_salary=0.5` and answers
with every row. A program that misspells a filter then reads unfiltered data as if it were
filtered. The API is stricter (found by the Schemathesis fuzz test): a filter parameter
that is present must carry a value of its documented type, or the answer is 400 with a
message for that parameter. Free-text filters (`q` and other CharFilters) accept anything.
An `ordering` sent to a list that has no ordering is refused too, rather than ignored.
"""

from __future__ import annotations

import re

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.filters import BaseCSVFilter
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from rest_framework.exceptions import ValidationError

ORDERING = "ordering"
BOOLEANS = {"true", "false", "True", "False"}
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def _is_integer(filter_, model) -> bool:
    field = get_model_field(model, filter_.field_name) if model is not None else None
    return isinstance(field, models.IntegerField | models.AutoField)


def strict_errors(filterset, query_params) -> dict[str, list[str]]:
    """The filter parameters whose values the schema would reject, each with a message."""
    errors: dict[str, list[str]] = {}
    model = filterset.queryset.model if filterset.queryset is not None else None
    for name, filter_ in filterset.filters.items():
        if isinstance(filter_, django_filters.CharFilter) or name not in query_params:
            continue
        for value in query_params.getlist(name):
            if value == "":
                errors[name] = [str(_("This parameter may not be empty; leave it out to mean “any”."))]
            elif isinstance(filter_, BaseCSVFilter) and "" in value.split(","):
                errors[name] = [str(_("Separate the values with commas, leaving none empty."))]
            elif isinstance(filter_, django_filters.BooleanFilter) and value not in BOOLEANS:
                errors[name] = [str(_("Enter true or false."))]
            elif (
                isinstance(filter_, django_filters.NumberFilter)
                and _is_integer(filter_, model)
                and not WHOLE_NUMBER.fullmatch(value)
            ):
                errors[name] = [str(_("Enter a whole number."))]
    return errors


def unsortable_error(filterset, query_params) -> dict[str, list[str]]:
    """`ordering` sent to a list that cannot be sorted: refused, as an ordering not among the choices is."""
    if ORDERING in query_params and (filterset is None or ORDERING not in filterset.filters):
        return {ORDERING: [str(_("This list cannot be sorted; leave out “ordering”."))]}
    return {}


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter with `strict_errors`; an ordering the caller may not use is a 400 for `ordering`.

    The FilterSet gets the request, so that a `HidesFieldsFilterSet` drops the fields hidden from
    the caller from its search and its ordering choices (an ordering outside the choices is a
    form error, which django-filter answers with 400).
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        errors = unsortable_error(filterset, request.query_params)
        if filterset is not None:
            errors |= strict_errors(filterset, request.query_params)
        if errors:
            raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)
