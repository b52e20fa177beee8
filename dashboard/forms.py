"""The dashboard's filter form, shared by /dashboard/, its exports and /api/v1/dashboard/."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.kpis import default_year


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, shared by /dashboard/, its exports and /api/v1/dashboard/.

    District and school choices are limited to what the caller may see, so a school or
    district out of reach gets the same answer as one that does not exist.
    """

    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("The graduating cohort and the programme year. Default: the latest surveyed cohort."),
    )
    school = forms.TypedChoiceField(label=_("School"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, reach, **kwargs):
        super().__init__(*args, **kwargs)
        self.reach = reach
        self.fields["district"].choices = [("", _("Default"))] + [(d.pk, d.name) for d in reach.districts]
        school_blank = _("All my schools") if reach.school_locked else _("All schools")
        self.fields["school"].choices = [("", school_blank)] + [(s.pk, s.name) for s in reach.schools]

    def clean(self):
        data = super().clean()
        district_id = data.get("district") or self.reach.districts[0].pk
        school_id = data.get("school")
        if school_id is not None and self.reach.school_district(school_id) != district_id:
            self.add_error("school", _("Choose a school of the selected district."))
        data["district"] = district_id
        return data

    def resolved(self):
        """The scope and year to show: the valid choices, else the defaults (call after is_valid())."""
        data = getattr(self, "cleaned_data", {}) if not self.errors else {}
        scope = self.reach.scope(district_id=data.get("district"), school_id=data.get("school"))
        return scope, data.get("year") or default_year()

    def applied(self) -> dict:
        """The filters as they were applied, for the access log and the download links."""
        scope, year = self.resolved()
        school = None if scope.whole_district or len(scope.school_ids) != 1 else scope.school_ids[0]
        return {"district": scope.district.pk, "year": year, "school": school}
