"""Filter forms are written in Python (district.form_rendering) and say exactly what Django's templates say.

Each filter form of the project is rendered twice from the same bound data, once through
`InlineFormRenderer` (what the pages use) and once through Django's own renderer and templates,
and the two must be equal byte for byte: every widget, label, error list and field group, and
the whole form. So neither a change of ours nor a Django upgrade that changes a widget template
can make them drift apart unnoticed.
"""

import functools
import importlib

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe

from district.filters import DistrictFilterSet, FilterForm
from district.form_rendering import inline_form_renderer
from schools.forms import StudentFilterForm
from schools.models import Department
from tests import factories as f
from tests.builders import opening_of

pytestmark = pytest.mark.django_db

# Every app's filters and forms, imported so that the walks over the subclasses find them all.
for _app in ("district", "companies", "placements", "schools", "universities", "public"):
    importlib.import_module(f"{_app}.filters")
for _app in ("schools", "placements", "dashboard", "companies", "universities"):
    importlib.import_module(f"{_app}.forms")


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _filter_form_makers(world) -> dict:
    """Every filter form of the project, by name: a function of the data (None: unbound) that makes it.

    The FilterSets' forms (`DistrictFilterSet`), then the hand-written ones (`FilterForm`).
    """
    makers = {}
    for filterset_class in sorted(set(_all_subclasses(DistrictFilterSet)), key=lambda c: c.__qualname__):
        if not filterset_class.__module__.endswith(".filters") or filterset_class._meta.model is None:
            continue
        kwargs = {"queryset": filterset_class._meta.model.objects.none()}
        if "Public" in filterset_class.__name__:
            kwargs["district"] = world.district
        if filterset_class.__name__ == "ApplicantFilterSet":
            kwargs["opening"] = opening_of(world.company_a)
        makers[filterset_class.__name__] = functools.partial(_filterset_form, filterset_class, **kwargs)
    for form_class in sorted(set(_all_subclasses(FilterForm)), key=lambda c: c.__qualname__):
        kwargs = {"departments": Department.objects.all()} if form_class is StudentFilterForm else {}
        makers[form_class.__name__] = functools.partial(form_class, **kwargs)
    return makers


def _filterset_form(filterset_class, data, **kwargs):
    return filterset_class(data, **kwargs).form


def _chosen(form) -> dict:
    """Data that picks something in every field: a choice's last value, a number, a date, tricky text."""
    data = {}
    for name, field in form.fields.items():
        choices = [str(value) for value, _label in getattr(field, "choices", []) if str(value)]
        if isinstance(field, forms.MultipleChoiceField):
            data[name] = choices[-2:]
        elif choices:
            data[name] = choices[-1]
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            data[name] = "2030"
        elif isinstance(field, forms.DateField):
            data[name] = "2027-03-01"
        else:
            data[name] = '<b>"배터리" & 셀\'</b>'
    return data


def _renderings(form) -> dict[str, str]:
    """Everything of `form` a template may print, by what it is."""
    out = {"form": str(form.render())}
    for bound in form:
        out[f"{bound.name} widget"] = str(bound)
        out[f"{bound.name} label"] = str(bound.label_tag())
        out[f"{bound.name} errors"] = str(bound.errors)
        out[f"{bound.name} group"] = str(bound.as_field_group())
    return out


def _assert_same_as_django(make_form) -> None:
    ours = make_form()
    assert ours.renderer is inline_form_renderer
    stock = make_form()
    stock.renderer = get_default_renderer()  # before anything renders or validates it
    ours_html, stock_html = _renderings(ours), _renderings(stock)
    assert ours_html == stock_html


@pytest.fixture
def vocabulary(world):
    """Choices whose labels need escaping, in every kind of filter."""
    f.CompanyFactory(district=world.district, name='<i>"에코"</i> & 프로\'')
    f.CertificationFactory(name='<전기> 기능사 & "기사"')
    f.JobRoleFactory(segment=world.company_a.segment, name="공정 <운영> & 보전")
    f.AreaFactory(district=world.district, name="영일만 & <흥해>")


@pytest.mark.parametrize("kind", ["unbound", "chosen", "refused"])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_filter_form_renders_what_djangos_templates_render(world, vocabulary, kind, language):
    makers = _filter_form_makers(world)
    with translation.override(language):
        for make_form in makers.values():
            data = None
            if kind == "chosen":
                data = _chosen(make_form(None))
            elif kind == "refused":
                data = dict.fromkeys(make_form(None).fields, '9999999999999999999999<"x">')
                data["q"] = "x" * 200  # longer than every search's max_length
            _assert_same_as_django(functools.partial(make_form, data))
    # 17 FilterSets and 1 hand-written filter form, each compared on every field and as a whole.
    assert list(makers) == [
        "ApplicantFilterSet",
        "ApplicationFilterSet",
        "CertificationFilterSet",
        "CompanyFilterSet",
        "CreditProgramFilterSet",
        "DepartmentFilterSet",
        "JobRoleFilterSet",
        "MatchRunFilterSet",
        "OpeningFilterSet",
        "PathwayFilterSet",
        "PlacementFilterSet",
        "PublicCompanyFilterSet",
        "PublicCreditProgramFilterSet",
        "PublicOpeningFilterSet",
        "PublicPathwayFilterSet",
        "SchoolFilterSet",
        "StudentFilterSet",
        "StudentFilterForm",
    ]


class EveryWidgetForm(forms.Form):
    """The widgets and options Django renders from templates, with HTML in labels and values."""

    default_renderer = inline_form_renderer

    text = forms.CharField(label='Text <b>"1"</b>', help_text="Help <em>kept</em> as HTML", max_length=5)
    number = forms.IntegerField(
        widget=forms.NumberInput(attrs={"step": 2, "data-x": True, "data-off": False})
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    flag = forms.BooleanField(required=False, label="Flag?")
    nullable = forms.NullBooleanField(required=False)
    pick = forms.ChoiceField(
        choices=[("", "---"), ("Group <1>", [("a", "A & a"), ("b", mark_safe("<b>B</b>"))]), ("c", 'C "c"')]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y <y>")], required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("1", "One & 1"), ("Group", [("2", "Two"), ("3", "Three")])],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    radio = forms.ChoiceField(choices=[("r", "R <r>"), ("s", "S")], widget=forms.RadioSelect)
    notes = forms.CharField(widget=forms.Textarea, required=False)  # no Python rendering: the template


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": "<script>", "number": "4", "pick": "b", "many": ["y"], "boxes": ["1", "3"], "radio": "s"},
        {"text": "too long <x>", "number": "n", "date": "x", "pick": "zz", "boxes": ["9"], "nullable": "1"},
    ],
    ids=["unbound", "valid", "refused"],
)
def test_every_widget_renders_what_djangos_templates_render(data):
    _assert_same_as_django(lambda: EveryWidgetForm(data, initial={"hidden": "h&1"}))


def test_a_form_without_ids_renders_what_djangos_templates_render():
    _assert_same_as_django(lambda: EveryWidgetForm({"text": "a"}, auto_id=False))
