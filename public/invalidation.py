"""What the public pages show, and the signal receivers that forget their stored copies.

Cache invalidation only (STYLE.md: no domain rules in signals). Every model whose rows the
home page, /openings/, /pathways/, /companies/, /programs/ or their detail pages show, or
offer as a filter choice, is listed in `DISTRICT_OF` with how to find its district; a save, a
delete or a change of one of their many-to-many links moves that district's version
(`district.public_cache.public_pages_changed`). Certifications are one national registry:
a change to one moves every district's version.

Services that write with `queryset.update()` send no signal; they call
`public_pages_changed` themselves (publishing or closing an opening, a company's verification).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from companies.models import Company, Opening
from district.models import Area, Certification, District, DistrictHost, IndustrySegment, JobRole
from district.public_cache import public_pages_changed
from placements.models import Pathway
from schools.models import Department, School
from universities.models import CreditProgram, University

ALL = None  # every district


def _via(parent: str, model: type[Model]) -> Callable[[Model], int | None]:
    """The district of the row's `parent` (its company, school or university): no query when loaded."""

    def district_of(row: Model) -> int | None:
        loaded = row._state.fields_cache.get(parent)
        if loaded is not None:
            return loaded.district_id
        parent_id = getattr(row, f"{parent}_id")
        return model.objects.filter(pk=parent_id).values_list("district_id", flat=True).first()

    return district_of


# For each model the public pages show: the district its row belongs to (ALL: every district).
DISTRICT_OF: dict[type[Model], Callable[[Model], int | None]] = {
    District: lambda row: row.pk,
    # A stored page records the district its host had: a host name that moves (or goes, and
    # falls to the default district) must miss every district's stored pages.
    DistrictHost: lambda row: ALL,
    Area: lambda row: row.district_id,
    IndustrySegment: lambda row: row.district_id,
    JobRole: lambda row: row.district_id,
    Certification: lambda row: ALL,
    Company: lambda row: row.district_id,
    Opening: _via("company", Company),
    Pathway: lambda row: row.district_id,
    School: lambda row: row.district_id,
    Department: _via("school", School),
    University: lambda row: row.district_id,
    CreditProgram: _via("university", University),
}

# The many-to-many links the pages show (an opening's certifications and departments, a
# pathway's roles, certifications, practice companies and programmes, a programme's companies).
M2M_FIELDS = (
    Opening.required_certifications,
    Opening.preferred_departments,
    Pathway.job_roles,
    Pathway.certifications,
    Pathway.practice_companies,
    Pathway.credit_programs,
    CreditProgram.partner_companies,
)


def _changed(instance: Model) -> None:
    district_of = DISTRICT_OF.get(type(instance))
    if district_of is None:
        return
    district_id = district_of(instance)
    public_pages_changed(district_ids=None if district_id is ALL else [district_id])


def row_changed(sender, instance, **kwargs) -> None:
    """post_save and post_delete receiver: forget the public pages of the row's district."""
    _changed(instance)


def links_changed(sender, instance, action, **kwargs) -> None:
    """m2m_changed receiver: the row whose links changed (either side) names the district."""
    if action in ("post_add", "post_remove", "post_clear"):
        _changed(instance)


def connect() -> None:
    """Connect the receivers (from `PublicConfig.ready`)."""
    for model in DISTRICT_OF:
        uid = f"public.invalidation.{model._meta.label}"
        post_save.connect(row_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(row_changed, sender=model, dispatch_uid=f"{uid}.delete")
    for field in M2M_FIELDS:
        through = field.through
        m2m_changed.connect(
            links_changed, sender=through, dispatch_uid=f"public.invalidation.{through._meta.label}"
        )
