"""Filters of the public list pages: each narrows the shared filter set to the site's district.

The base filter sets stay with the app that owns the entity, because the API filters its
lists with them. The public /openings/ filter (`companies.filters.PublicOpeningFilterSet`)
stays in companies too: saved searches (placements) re-run it for their daily digest,
and placements may not import this top app.
"""

from companies.filters import CompanyFilterSet
from district.models import Area, JobRole
from placements.filters import PathwayFilterSet
from schools.models import Department, School
from universities.filters import CreditProgramFilterSet
from universities.models import University


class PublicCompanyFilterSet(CompanyFilterSet):
    """The public /companies/ page: one district's verified partners."""

    public_choices = True

    def __init__(self, data=None, queryset=None, *, district=None, **kwargs):
        super().__init__(data, queryset, district=district, **kwargs)
        self.filters.pop("district", None)
        self.filters["area"].queryset = Area.objects.filter(district=district).order_by("name")


class PublicCreditProgramFilterSet(CreditProgramFilterSet):
    """The public /programs/ page: one district's universities to choose from."""

    public_choices = True

    def __init__(self, data=None, queryset=None, *, district=None, **kwargs):
        super().__init__(data, queryset, district=district, **kwargs)
        self.filters.pop("district", None)
        self.filters["university"].queryset = University.objects.filter(district=district).order_by("name")


class PublicPathwayFilterSet(PathwayFilterSet):
    """The public /pathways/ page: one district's schools and departments to choose from."""

    public_choices = True

    def __init__(self, data=None, queryset=None, *, district=None, **kwargs):
        super().__init__(data, queryset, district=district, **kwargs)
        self.filters.pop("district", None)
        self.filters["school"].queryset = School.objects.filter(district=district).order_by("name")
        self.filters["department"].queryset = (
            Department.objects.filter(school__district=district, pathways__is_published=True)
            .select_related("school")
            .distinct()
            .order_by("school__name", "name")
        )
        self.filters["job_role"].queryset = (
            JobRole.objects.filter(pathways__district=district, pathways__is_published=True)
            .distinct()
            .order_by("name")
        )
