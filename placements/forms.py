"""Forms of the student's pages: the ranking, the profile and saved searches."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from district.models import Area, IndustrySegment
from placements.selectors.preferences import MAX_PREFERENCES

# A posted list longer than this is not even parsed; the service refuses more than 30 anyway.
_MAX_POSTED = MAX_PREFERENCES * 2


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise ValidationError(_("The list could not be read; reload the page and try again.")) from None
    return ids


class PreferenceListForm(forms.Form):
    """The ranking page's one form: the list in its current order, plus the button that was pressed.

    Without JavaScript every button posts the whole list: "up", "down" and "remove" carry
    the opening's id, "add" the id of an opening to append. With JavaScript the list is
    reordered in the page and "save" posts it. Either way the result is saved whole.
    """

    def clean(self):
        posted = self.data.getlist("opening")
        if len(posted) > _MAX_POSTED:
            raise ValidationError(
                _("You can rank at most %(max)d openings.") % {"max": MAX_PREFERENCES}, code="too_many"
            )
        ids = _ids(posted)
        for action in ("up", "down", "remove", "add"):
            if action in self.data:
                (target,) = _ids([self.data[action]])
                ids = self._apply(ids, action, target)
                self.cleaned_data["action"] = action
                break
        else:
            self.cleaned_data["action"] = "save"
        self.cleaned_data["opening_ids"] = ids
        return self.cleaned_data

    @staticmethod
    def _apply(ids: list[int], action: str, target: int) -> list[int]:
        ids = list(ids)
        if action == "add":
            return ids if target in ids else [*ids, target]
        if target not in ids:
            return ids
        i = ids.index(target)
        if action == "remove":
            del ids[i]
        elif action == "up" and i > 0:
            ids[i - 1], ids[i] = ids[i], ids[i - 1]
        elif action == "down" and i < len(ids) - 1:
            ids[i + 1], ids[i] = ids[i], ids[i + 1]
        return ids


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the search"),
        max_length=100,
        required=False,
        help_text=_("Optional. Without a name, the filters make one."),
    )


class ProfileForm(forms.Form):
    """What a student may change about themselves: their field of interest and commute area."""

    field_of_interest = forms.ModelChoiceField(
        label=_("Field of interest"), queryset=IndustrySegment.objects.none(), required=False
    )
    commute_area = forms.ModelChoiceField(
        label=_("Commute area"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Where you would travel to work from; openings show the commute time from here."),
    )

    def __init__(self, *args, areas, segments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commute_area"].queryset = areas
        self.fields["field_of_interest"].queryset = segments
