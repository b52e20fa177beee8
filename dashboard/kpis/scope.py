"""Who sees what: the scope of one dashboard request and the districts and schools a caller may choose."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from district import access
from district.api.authentication import token_of
from district.models import District, Membership
from schools.models import School


@dataclass(frozen=True)
class DashboardScope:
    """What one dashboard request covers: one district, and either all its schools or some of them."""

    district: District
    school_ids: tuple[int, ...]
    whole_district: bool
    role: str

    @property
    def cache_key(self) -> str:
        schools = "all" if self.whole_district else ",".join(map(str, self.school_ids))
        return f"{self.role}:d{self.district.pk}:s{schools}"

    @property
    def sees_budget(self) -> bool:
        """The budget is the district's: officials and tokens see it whatever school they filter on."""
        return self.role != "school_staff"

    def students(self, prefix: str = "") -> Q:
        """Students of the scope (through `prefix`, e.g. "student__")."""
        return Q(**{f"{prefix}school_id__in": self.school_ids})


def scopes_students(scopes, prefix: str = "") -> Q:
    """Students of any of `scopes` (through `prefix`); for one scope, `scope.students(prefix)`."""
    if len(scopes) == 1:
        return scopes[0].students(prefix)
    return Q(**{f"{prefix}school_id__in": sorted(pk for scope in scopes for pk in scope.school_ids)})


def district_key(prefix: str = "") -> str:
    """The lookup from a student (through `prefix`) to their district: the national comparison's key."""
    return f"{prefix}school__district_id"


def district_scope(district: District) -> DashboardScope:
    """The whole of `district`, as its public home page shows it (one query: its schools)."""
    return district_scopes([district])[0]


def district_scopes(districts: list[District]) -> list[DashboardScope]:
    """`district_scope` of each district, with every district's schools read in one query (/districts/)."""
    schools: dict[int, list[int]] = {district.pk: [] for district in districts}
    rows = School.objects.filter(district__in=districts).order_by("pk").values_list("pk", "district_id")
    for school_id, district_id in rows:
        schools[district_id].append(school_id)
    return [
        DashboardScope(district=d, school_ids=tuple(schools[d.pk]), whole_district=True, role="public")
        for d in districts
    ]


@dataclass
class DashboardReach:
    """The districts and schools a caller may put in the dashboard's filters."""

    role: str
    districts: list
    schools: list
    school_locked: bool

    def school_district(self, school_id: int) -> int | None:
        for school in self.schools:
            if school.pk == school_id:
                return school.district_id
        return None

    def district_scopes(self) -> list[DashboardScope]:
        """Each district in reach, whole: the national comparison's rows."""
        return [self.scope(district_id=district.pk) for district in self.districts]

    def scope(self, *, district_id: int | None = None, school_id: int | None = None) -> DashboardScope:
        district = next((d for d in self.districts if d.pk == district_id), self.districts[0])
        schools = [s for s in self.schools if s.district_id == district.pk]
        if school_id is not None:
            schools = [s for s in schools if s.pk == school_id]
        return DashboardScope(
            district=district,
            school_ids=tuple(sorted(s.pk for s in schools)),
            whole_district=school_id is None and not self.school_locked,
            role=self.role,
        )


def dashboard_reach(user, *, officials_only: bool = False) -> DashboardReach:
    """The districts and schools whose dashboard `user` may read (one or two queries).

    Officials, superusers and dashboard tokens read whole districts (national officials
    every district, read-only: nothing else of theirs writes); school staff read their own
    schools; anyone else is refused. `officials_only` refuses school staff too
    (the built-in /dashboard/ page is for officials).
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    national = access.is_national_official(user)
    if user.is_superuser or national or access.is_official(user):
        districts = District.objects.order_by("pk")
        if not (user.is_superuser or national):
            districts = districts.filter(pk__in=access.official_district_ids(user))
        districts = list(districts)
        role = (
            "token"
            if token_of(user)
            else ("superuser" if user.is_superuser else "national" if national else "official")
        )
        schools = list(School.objects.filter(district__in=[d.pk for d in districts]).order_by("name", "pk"))
        if districts:
            return DashboardReach(role=role, districts=districts, schools=schools, school_locked=False)
    if not officials_only and (school_ids := access.school_ids(user, Membership.Role.SCHOOL_STAFF)):
        schools = list(
            School.objects.filter(pk__in=school_ids).select_related("district").order_by("name", "pk")
        )
        districts = list({s.district_id: s.district for s in schools}.values())
        if districts:
            return DashboardReach(
                role="school_staff", districts=districts, schools=schools, school_locked=True
            )
    raise PermissionDenied(_("Only district officials and school staff may read the dashboard."))


def national_reach(user) -> DashboardReach:
    """Every district, for the national view: national officials and superusers (two queries);
    anyone else, district officials included, is refused (403)."""
    if not access.reads_every_district(user):
        raise PermissionDenied(_("Only the Ministry's national officials may compare the districts."))
    return dashboard_reach(user)
