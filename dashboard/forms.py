"""The dashboard's filter form, shared by /dashboard/, its exports and /api/v1/dashboard/."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from district.cohorts import Cohort


class DistrictChoiceField(forms.TypedChoiceField):
    """A district in the caller's reach, as its id: named by its slug (`?district=pohang`, the national
    view's links) or, as before the districts issue, by its id. One out of reach is as unknown as
    one that does not exist."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.slugs: dict[str, int] = {}

    def to_python(self, value):
        value = super().to_python(value)
        return str(self.slugs[value]) if value in self.slugs else value


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, shared by /dashboard/, its exports and /api/v1/dashboard/.

    District and school choices are limited to what the caller may see, so a school or
    district out of reach gets the same answer as one that does not exist.

    `cohort` is the school year (`district.cohorts.Cohort`). The old `year` parameter (the
    calendar year of the graduation, before the cohort was the school year) is still accepted
    for one release: `year=Y` means `cohort=Y-1`, the same students, survey date and programme
    year as before; `deprecated_year` tells the API to answer with a `Deprecation` header.
    """

    district = DistrictChoiceField(
        label=_("District"),
        required=False,
        help_text=_("The district's slug (its id is accepted too). Default: the caller's first district."),
    )
    cohort = forms.IntegerField(
        label=_("Cohort"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_(
            "The school year of the students' final year (2025 graduated in February 2026). "
            "Default: the latest cohort whose survey date has passed."
        ),
    )
    year = forms.IntegerField(
        label=_("Graduation year (old parameter)"),
        required=False,
        min_value=2001,
        max_value=2101,
        help_text=_("Deprecated: the calendar year of the graduation; year=2026 means cohort=2025."),
    )
    school = forms.TypedChoiceField(label=_("School"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, reach, **kwargs):
        super().__init__(*args, **kwargs)
        self.reach = reach
        self.deprecated_year = False
        self.fields["district"].choices = [("", _("Default"))] + [(d.pk, d.name) for d in reach.districts]
        self.fields["district"].slugs = {d.slug: d.pk for d in reach.districts}
        school_blank = _("All my schools") if reach.school_locked else _("All schools")
        self.fields["school"].choices = [("", school_blank)] + [(s.pk, s.name) for s in reach.schools]

    def clean(self):
        data = super().clean()
        district_id = data.get("district") or self.reach.districts[0].pk
        school_id = data.get("school")
        if school_id is not None and self.reach.school_district(school_id) != district_id:
            self.add_error("school", _("Choose a school of the selected district."))
        data["district"] = district_id
        year = data.get("year")
        if year is not None:
            self.deprecated_year = True
            cohort = Cohort.graduating_in(year).school_year
            if data.get("cohort") not in (None, cohort):
                self.add_error(
                    "year",
                    _(
                        "The old year parameter (year of graduation) names cohort %(cohort)s; send "
                        "only cohort."
                    )
                    % {"cohort": cohort},
                )
            data["cohort"] = cohort
        return data

    def resolved(self):
        """The scope and cohort to show: the valid choices, else the defaults (call after is_valid())."""
        data = getattr(self, "cleaned_data", {}) if not self.errors else {}
        scope = self.reach.scope(district_id=data.get("district"), school_id=data.get("school"))
        cohort = data.get("cohort") or Cohort.latest_surveyed(timezone.localdate()).school_year
        return scope, cohort

    def applied(self) -> dict:
        """The filters as they were applied, for the access log and the download links."""
        scope, cohort = self.resolved()
        school = None if scope.whole_district or len(scope.school_ids) != 1 else scope.school_ids[0]
        return {"district": scope.district.pk, "cohort": cohort, "school": school}
