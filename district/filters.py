"""Filters shared by pages and the API (STYLE.md §7); the dashboard's filter form is in dashboard/forms.py.

Each FilterSet here serves both a list page (rendered through `filterset.form`) and the
matching API endpoint (through DRF's `DjangoFilterBackend`). The helpers at the top
are used by every app's filters.py.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Q
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings
from django_filters.utils import get_model_field

from district.form_rendering import inline_form_renderer
from district.models import Certification, District, IndustrySegment, JobRole
from district.public_cache import public_versions
from district.selectors import job_role_list, segment_list
from district.sites import site_district_id

# --- Whole numbers the database can hold ------------------------------------------------------------


def integer_range(model_field) -> tuple[int, int] | None:
    """The whole numbers the column of `model_field` holds (a relation: its target's), or None.

    Django's portable ranges, which are PostgreSQL's, rather than the connection's: SQLite holds
    64 bits in any INTEGER column, and one bound on both databases gives one answer on both.
    """
    while model_field is not None and model_field.is_relation:
        model_field = model_field.target_field
    if model_field is None:
        return None
    return BaseDatabaseOperations.integer_field_ranges.get(model_field.get_internal_type())


class IntegerRangeMixin:
    """Refuses a whole number outside `integer_range` before the field looks it up or filters by it.

    SQLite's driver raises OverflowError for a number past 64 bits (a 500), and PostgreSQL
    matches nothing, so `?department=99999999999999999999` must never reach a query.
    """

    default_error_messages = {"integer_range": _("Enter a whole number between %(min)s and %(max)s.")}

    def __init__(self, *args, integer_range: tuple[int, int] | None = None, **kwargs):
        self.integer_range = integer_range
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if self.integer_range is not None:
            for item in value if isinstance(value, list | tuple) else [value]:
                self._check_range(item)
        return super().clean(value)

    def _check_range(self, item) -> None:
        try:
            number = Decimal(str(item).strip())
        except InvalidOperation:
            return  # not a number at all: the field's own message says so
        low, high = self.integer_range
        if number.is_finite() and not low <= number <= high:
            raise ValidationError(
                self.error_messages["integer_range"], code="integer_range", params={"min": low, "max": high}
            )


@functools.cache
def ranged(field_class: type[forms.Field]) -> type[forms.Field]:
    """`field_class` with IntegerRangeMixin: it takes an `integer_range` keyword."""
    return type(f"Ranged{field_class.__name__}", (IntegerRangeMixin, field_class), {})


def _filtered_column(filter_, model):
    """The model field whose values a filter takes: a choice filter's key, else the filtered field."""
    queryset = getattr(filter_, "queryset", None)
    if queryset is not None and not callable(queryset):
        to_field = filter_.extra.get("to_field_name")
        return queryset.model._meta.get_field(to_field) if to_field else queryset.model._meta.pk
    if isinstance(filter_, django_filters.NumberFilter) and model is not None:
        return get_model_field(model, filter_.field_name)
    return None


# --- The blank choice of a filter: "All", not "---------" ---------------------------------------------

# What a filter's blank choice says: the list is not narrowed by it (전체). A sort's blank choice
# keeps the list's own order (기본 순서).
ALL = _("All")
DEFAULT_ORDER = _("Default order")
# The blank labels Django and django-filter write on their own ("---" is an old hand-written one).
_DEFAULT_BLANKS = {"---------", "---", filter_settings.EMPTY_CHOICE_LABEL}


def label_blank_choices(form: forms.Form) -> None:
    """Every choice field of the filter form `form` starts with "All" (전체) instead of "---------".

    A label the form chose itself ("Any status", "Default order") is kept. A yes/no filter
    (NullBooleanSelect) says "All" rather than "Unknown" for its blank. Used by every
    FilterSet (`DistrictFilterSet`) and every hand-written filter form (`FilterForm`).
    """
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("unknown", ALL), *widget.choices[1:]]
        elif getattr(field, "empty_label", None) in _DEFAULT_BLANKS:
            field.empty_label = ALL
            # The widget holds a copy of the field's choice iterator, bound to the field it was
            # copied from: give both a fresh one bound to this field.
            if isinstance(field, forms.ModelChoiceField):
                widget.choices = field.choices
            else:
                field.choices = field.choices.choices
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.ModelChoiceField | forms.MultipleChoiceField
        ):  # a model's choices are a query: never read them here
            choices = list(field.choices)
            if choices and choices[0][0] == "" and str(choices[0][1]) in _DEFAULT_BLANKS:
                field.choices = [("", ALL), *choices[1:]]


class OneQueryChoiceIterator(ModelChoiceIterator):
    """A filter's model choices read in one plain query.

    Django's ModelChoiceIterator reads them through `.iterator()`, which on PostgreSQL is a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a dropdown of twenty
    rows, on every list page for each dropdown. The rows are cached on the form's own copy of
    the queryset. django-filter's "null" choice (`null_label`) is kept where it sets one.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return super().__len__() + (1 if getattr(self.field, "null_label", None) is not None else 0)


def read_choices_in_one_query(form: forms.Form) -> None:
    """Every model choice field of the filter form `form` reads its choices in one query."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
            field.iterator = OneQueryChoiceIterator
            field.widget.choices = field.choices


CHOICES_KEY = "filters:choices:{form}:{field}:d{district}:v{version}:{language}"


class CachedChoiceIterator(OneQueryChoiceIterator):
    """A public filter's model choices, read from the shared cache: no query on most requests.

    The field's `choices_cache_key` names one district's choices at one version of its public
    pages (`district.public_cache`), in one language. Every change to a row a public filter
    offers (a school, a department, a segment, a job role, a company, an area, a university, a
    certification, a pathway that makes a department or role appear) moves that version, so
    the next request reads the choices afresh. Each choice is kept as its value and its label,
    which is all a dropdown shows; a chosen value is still checked against the database.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        for value, label in self._rows():
            yield (ModelChoiceIteratorValue(value, None), label)

    def __len__(self):
        blanks = (self.field.empty_label is not None) + (getattr(self.field, "null_label", None) is not None)
        return len(self._rows()) + blanks

    def _rows(self) -> list[tuple]:
        rows = getattr(self.field, "_choice_rows", None)  # once per form
        if rows is None:
            key = self.field.choices_cache_key
            rows = cache.get(key)
            if rows is None:
                rows = [
                    (self.field.prepare_value(obj), str(self.field.label_from_instance(obj)))
                    for obj in self.queryset
                ]
                cache.set(key, rows, settings.FILTER_CHOICES_CACHE_SECONDS)
            self.field._choice_rows = rows
        return rows


def cache_public_choices(form: forms.Form, district_id: int) -> None:
    """The model choices of the public filter form `form` (of `district_id`'s site) come from the cache.

    Only for a form whose choices depend on nothing but the district (the public pages' filter
    sets, `DistrictFilterSet.public_choices`), and only models whose changes move the district's
    public version (public.invalidation).
    """
    fields = [
        (name, field)
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
    ]
    if not fields:
        return
    version = public_versions([district_id])[district_id]
    for name, field in fields:
        field.choices_cache_key = CHOICES_KEY.format(
            form=type(form).__name__,
            field=name,
            district=district_id,
            version=version,
            language=translation.get_language(),
        )
        field.iterator = CachedChoiceIterator
        field.widget.choices = field.choices
    # Every dropdown's rows in one round trip; a missing one is read and stored when it is shown.
    found = cache.get_many([field.choices_cache_key for _name, field in fields])
    for _name, field in fields:
        if field.choices_cache_key in found:
            field._choice_rows = found[field.choices_cache_key]


class FilterForm(forms.Form):
    """The base of a hand-written filter form (not a FilterSet): its blank choices say "All", its
    model choices are read in one query each, and its widgets are written in Python
    (`district.form_rendering`)."""

    default_renderer = inline_form_renderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_blank_choices(self)
        read_choices_in_one_query(self)


class DistrictFilterSet(django_filters.FilterSet):
    """The base of every FilterSet.

    - A filter on a whole-number column refuses a value it cannot hold. Pages show the message
      on the field and answer 400 (`filter_status`); the API answers 400 with
      `{"<param>": ["Enter a whole number between … and …."]}` (DjangoFilterBackend).
    - Its form's choice fields start with "All" (전체), and a sort with "Default order"
      (`label_blank_choices`); its model choices are read in one query each
      (`read_choices_in_one_query`); a public page's (`public_choices = True`) come from the
      shared cache, keyed by its district's public version (`cache_public_choices`).
    - Its form's widgets, labels and errors are written in Python rather than through one
      template include per option (`district.form_rendering.InlineFormRenderer`): the same HTML.
    - Its industry segments and job roles to choose from are one district's own vocabulary
      (`narrow_vocabulary`): `district=` when given (the public pages pass the site's), else the
      district of the site the request came in on, which is the district of every role a user
      holds there (district.sites). Outside a request and without `district=`, every district's.
    """

    # A public page's filter set, whose choices depend on its district only: they are read from
    # the shared cache (`cache_public_choices`).
    public_choices = False

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        if district is None:
            district = getattr(self.request, "district", None) or site_district_id()
        self._choices_district_id = None
        if district is not None:
            narrow_vocabulary(self, district)
            if self.public_choices:
                self._choices_district_id = district.pk if isinstance(district, District) else district
        for filter_ in self.filters.values():
            # A field built earlier on the class's filter (the API schema builds them) would be
            # copied with the filter and ignore the changes below: build it again from `extra`.
            filter_.__dict__.pop("_field", None)
            bounds = integer_range(_filtered_column(filter_, self._meta.model))
            if bounds is not None:
                filter_.field_class = ranged(filter_.field_class)
                filter_.extra["integer_range"] = bounds
            if isinstance(filter_, django_filters.OrderingFilter):
                filter_.extra.setdefault("empty_label", DEFAULT_ORDER)

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(
            form_class.__name__,
            (form_class,),
            {
                "__init__": _labelled_init(form_class, self._choices_district_id),
                "default_renderer": inline_form_renderer,
            },
        )


def narrow_vocabulary(filterset: django_filters.FilterSet, district) -> None:
    """Offer only `district`'s industry segments and job roles in the choice filters of `filterset`.

    Segments are chosen by code, which is unique within a district only: without this, a code
    two districts share would match two rows.
    """
    vocabularies = {IndustrySegment: segment_list, JobRole: job_role_list}
    for filter_ in filterset.filters.values():
        queryset = getattr(filter_, "queryset", None)
        if queryset is not None and not callable(queryset) and queryset.model in vocabularies:
            filter_.queryset = vocabularies[queryset.model](district=district)


def _labelled_init(form_class, choices_district_id=None):
    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        label_blank_choices(self)
        read_choices_in_one_query(self)
        if choices_district_id is not None:
            cache_public_choices(self, choices_district_id)

    return __init__


def filter_status(form) -> int:
    """A list page's status: 400 when its filter form refused a value (shown on the field), else 200."""
    return 400 if form.is_bound and form.errors else 200


class StableOrderingFilter(django_filters.OrderingFilter):
    """An ordering filter that always ends on the primary key, so that pages never repeat or skip rows.

    `labels` names every choice, both directions, in the order the dropdown lists them:
    `{"-published": _("Newest first"), "published": _("Oldest first"), ...}`. A sort is named
    for what the reader sees ("Deadline, soonest first"), never "X (descending)", which
    says nothing about which end comes first.
    """

    def __init__(self, *args, labels: dict[str, str], **kwargs):
        super().__init__(*args, choices=list(labels.items()), **kwargs)
        offered = {param for p in self.param_map for param in (p, f"-{p}")}
        if set(labels) != offered:
            raise ValueError(f"labels must name each of {sorted(offered)}, got {sorted(labels)}")

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
        if not any(field.lstrip("-") in {"pk", "id"} for field in ordering):
            qs = qs.order_by(*ordering, "pk")
        return qs


class SearchFilter(django_filters.CharFilter):
    """A free-text search: every word must appear in one of `fields` (case-insensitive)."""

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", 100)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        words = (value or "").split()[:8]
        if words and not self.search_fields:  # every field hidden from this caller: nothing matches
            return qs.none()
        for word in words:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": word})
            qs = qs.filter(condition)
        return qs


class HidesFieldsFilterSet(DistrictFilterSet):
    """A FilterSet that neither searches nor sorts on the fields its caller sees on some rows only.

    A search or a sort on a field that is null on some rows reveals it on those rows: a prefix
    search answers "does the number start with 2026-0?", a sort places the row between its
    neighbours. Subclasses set `hidden_fields`, a function of the user that returns field names
    of the FilterSet's model (the declaration the serializer reads too). Those fields are taken
    out of every `SearchFilter` and out of the `ordering` choices, so that sorting on one is
    refused like any unknown ordering (400, with a message for `ordering`).

    The caller is `user=` or the request's user (the API's filter backend passes the request).
    """

    hidden_fields = staticmethod(lambda user: frozenset())

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if user is None:
            user = getattr(self.request, "user", None)
        hidden = self.hidden_fields(user)
        if hidden:
            self.hide(hidden)

    def hide(self, hidden: frozenset[str]) -> None:
        for filter_ in self.filters.values():
            if isinstance(filter_, SearchFilter):
                filter_.search_fields = tuple(f for f in filter_.search_fields if f not in hidden)
            elif isinstance(filter_, django_filters.OrderingFilter):
                filter_.param_map = {p: f for p, f in filter_.param_map.items() if f not in hidden}
                filter_.extra["choices"] = [
                    (value, label)
                    for value, label in filter_.extra["choices"]
                    if value.removeprefix("-") in filter_.param_map
                ]
                filter_.__dict__.pop("_field", None)  # rebuilt from the remaining choices


def district_filter(lookup: str = "district") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=lookup, queryset=District.objects.all(), label=_("District")
    )


def segment_filter(lookup: str = "segment") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=lookup,
        queryset=IndustrySegment.objects.all(),
        to_field_name="code",
        label=_("Industry segment"),
    )


class JobRoleFilterSet(DistrictFilterSet):
    segment = segment_filter()
    q = SearchFilter(fields=("name", "description"))

    class Meta:
        model = JobRole
        fields = ["segment", "q"]


class CertificationFilterSet(DistrictFilterSet):
    grade = django_filters.ChoiceFilter(choices=Certification.Grade.choices, label=_("Grade"))
    q = SearchFilter(fields=("name", "issuer", "qnet_code"))

    class Meta:
        model = Certification
        fields = ["grade", "q"]
