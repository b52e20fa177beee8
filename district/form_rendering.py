"""Filter forms rendered in Python rather than through one template include per `<option>`.

Django renders a `<select>` through `select.html`, which includes `select_option.html` for every
option, and that includes `attrs.html`: a filter form of five dropdowns with sixty choices is
over a hundred template renders, 40% of /openings/ (issue 17). `InlineFormRenderer` is a form
renderer that writes the same HTML in Python for Django's own templates of widgets, labels,
error lists and fields, from the very context the template would have received (so ids, names,
labels, `selected`/`checked`, `aria-*` and `lang` are whatever the widget and the bound field put
there). Everything else, and any of those templates that a project or an app overrides, is
rendered by the default renderer, as before.

Every filter form uses it (`district.filters.DistrictFilterSet`'s forms and `FilterForm`), and
tests/district/test_form_rendering.py checks that each of them renders byte for byte what
Django's templates render for the same bound data, so that a Django upgrade that changes a
template fails there rather than drifting.

Escaping follows the template language exactly: a value is rendered by Django's own
`render_value_in_context` (localised, escaped unless marked safe), and `|stringformat:'s'`
keeps a safe value safe as the filter does.
"""

from __future__ import annotations

import functools
from pathlib import Path

import django
from django.forms.renderers import BaseRenderer, get_default_renderer
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

# Django's own form templates: only a template that resolves to one of these files is rendered in Python.
_DJANGO_FORM_TEMPLATES = Path(django.__file__).parent / "forms" / "templates"
# The context the template language renders a value in: autoescape on, the settings' l10n and time zone.
_CONTEXT = Context(autoescape=True)

_WIDGETS = "django/forms/widgets/"
# The widget templates that are `{% include "django/forms/widgets/input.html" %}` and nothing else.
_INPUT_TEMPLATES = [
    f"{_WIDGETS}{name}.html"
    for name in (
        *("input", "checkbox", "color", "date", "datetime", "email", "file", "hidden"),
        *("number", "password", "search", "tel", "text", "time", "url"),
    )
]
_MULTIPLE_INPUT_TEMPLATES = [
    f"{_WIDGETS}{name}.html" for name in ("multiple_input", "checkbox_select", "radio")
]
_SELECT_OPTION = f"{_WIDGETS}select_option.html"
# An option of a checkbox or radio list: input_option.html, or a template that includes it (and so
# adds its own final newline).
_INPUT_OPTIONS = {
    f"{_WIDGETS}input_option.html": "",
    f"{_WIDGETS}checkbox_option.html": "\n",
    f"{_WIDGETS}radio_option.html": "\n",
}


class NotInline(Exception):
    """The context holds something the Python rendering does not cover: render the template."""


def _text(value) -> str:
    """`{{ value }}`."""
    return render_value_in_context(value, _CONTEXT)


def _string(value) -> str:
    """`{{ value|stringformat:'s' }}`: str() of the value, escaped unless it was marked safe."""
    formatted = stringformat(value, "s")
    if isinstance(value, SafeData):
        formatted = mark_safe(formatted)
    return _text(formatted)


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html and django/forms/attrs.html."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"')
    return "".join(parts)


def _input(widget) -> str:
    """django/forms/widgets/input.html, without the renderer's final strip."""
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    attrs = _attrs(widget["attrs"])
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{attrs}>\n'


def _input_option(option) -> str:
    """django/forms/widgets/input_option.html (and checkbox_option.html, radio_option.html)."""
    wrapper_newline = _INPUT_OPTIONS.get(option.get("template_name"))
    if wrapper_newline is None:
        raise NotInline
    if not option["wrap_label"]:
        return f"{_input(option)}\n{wrapper_newline}"
    label_for = f' for="{_text(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(option)} {_text(option['label'])}</label>\n{wrapper_newline}"


def _select(context) -> str:
    widget = context["widget"]
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != _SELECT_OPTION:
                raise NotInline
            parts.append(
                f'\n  <option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(context) -> str:
    widget = context["widget"]
    id_ = widget["attrs"].get("id")
    css_class = widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_text(id_)}"' if id_ else "",
        f' class="{_text(css_class)}"' if css_class else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _label(context) -> str:
    """django/forms/label.html: a field's `<label>` (or its bare text when it has no id)."""
    if not context["use_tag"]:
        return _text(context["label"])
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_text(context['label'])}</{tag}>"


def _error_list(context) -> str:
    """django/forms/errors/list/default.html and ul.html."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = errors.field_id
    id_ = f' id="{_text(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(context["error_class"])}"{id_}>{items}</ul>'


def _field(context) -> str:
    """django/forms/field.html: one field's label, help text, errors and widget (`as_field_group`)."""
    field = context["field"]
    parts = []
    if field.use_fieldset:
        describedby = field.aria_describedby
        described = f' aria-describedby="{_text(describedby)}"' if describedby else ""
        parts.append(f"\n  <fieldset{described}>\n  ")
        if field.label:
            parts.append(_text(field.legend_tag()))
    else:
        parts.append("\n  ")
        if field.label:
            parts.append(_text(field.label_tag()))
    parts.append("\n\n")
    if field.help_text:
        help_id = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
        parts.append(f'<div class="helptext"{help_id}>{_text(mark_safe(str(field.help_text)))}</div>')
    parts.append(f"\n{_text(field.errors)}\n{_text(field)}")
    if field.use_fieldset:
        parts.append("</fieldset>")
    return "".join(parts).strip()


_BUILDERS = {
    f"{_WIDGETS}select.html": _select,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
    "django/forms/field.html": _field,
    **dict.fromkeys(_INPUT_TEMPLATES, lambda context: _input(context["widget"])),
    **dict.fromkeys(_MULTIPLE_INPUT_TEMPLATES, _multiple_input),
}


@functools.cache
def _is_djangos_own(template_name: str) -> bool:
    """Whether the default renderer loads `template_name` from Django's own files (not an override)."""
    origin = getattr(get_default_renderer().get_template(template_name), "origin", None)
    name = getattr(origin, "name", None)
    return name is not None and Path(name).is_relative_to(_DJANGO_FORM_TEMPLATES)


class InlineFormRenderer(BaseRenderer):
    """A form renderer that writes Django's own widget, label, error and field templates in Python
    and hands every other template to the default renderer (`FORM_RENDERER`)."""

    @property
    def form_template_name(self):
        return get_default_renderer().form_template_name

    @property
    def formset_template_name(self):
        return get_default_renderer().formset_template_name

    @property
    def field_template_name(self):
        return get_default_renderer().field_template_name

    @property
    def bound_field_class(self):
        return get_default_renderer().bound_field_class

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)

    def render(self, template_name, context, request=None):
        build = _BUILDERS.get(template_name)
        if build is not None and request is None and _is_djangos_own(template_name):
            try:
                return build(context).strip()
            except NotInline:
                pass
        return get_default_renderer().render(template_name, context, request=request)


# One instance for every filter form (a form takes `default_renderer` as it is when it is not a class).
inline_form_renderer = InlineFormRenderer()
