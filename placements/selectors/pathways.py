"""Public reads of pathways: school department → field practice → job roles → credit programmes.

Only published pathways are public. The route on a pathway's page counts only public
openings (published, deadline not passed, verified company of the pathway's district)
and only verified field-practice companies. The /pathways/ page and the API's public
`pathways` call the same `pathway_list_public` (DESIGN.md §4); the API passes no
district and so lists every district of the deployment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from companies.models import Company, Opening, public_opening_q
from companies.selectors.public import opening_queryset_public
from district.models import Certification, District, JobRole
from placements.models import Pathway
from universities.models import CreditProgram
from universities.selectors import degree_credits

# A role on the route lists this many of its soonest-closing openings; the rest are a link away.
OPENINGS_PER_ROLE = 5
# What a card of the /pathways/ page shows (templates/public/pathway_list.html), besides its job roles.
PATHWAY_CARD_FIELDS = (
    *("slug", "title", "summary"),
    *("department__name", "department__school__name", "segment__name"),
)


def _live_openings(*, today: datetime.date) -> Subquery:
    """How many public openings of the pathway's district lead from it (through its job roles).

    A subquery for each row rather than a join and a GROUP BY over the list: the same numbers, and
    PostgreSQL plans the list's query in a fraction of the time (two milliseconds less a request on
    /pathways/, issue 17), since it no longer orders eight tables' joins. It starts from the
    pathway's own job-role links (an index on the pathway), which keeps the plan cheap even on
    a database whose statistics are not yet gathered.
    """
    links = Pathway.job_roles.through.objects.filter(
        public_opening_q(today=today, prefix="jobrole__openings__"),
        pathway=OuterRef("pk"),
        jobrole__openings__company__district=OuterRef("district"),
    ).order_by()
    count = Func("jobrole__openings", function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
    return Subquery(links.annotate(count=count).values("count"), output_field=IntegerField())


def pathway_list_public(
    *,
    district: District | None = None,
    today: datetime.date | None = None,
    with_route: bool = False,
    cards: bool = False,
) -> QuerySet[Pathway]:
    """Published pathways with how many public openings lead from each (two queries a page).

    Of `district`, or of every district when it is None (the API). `with_route` also loads
    what the API shows on every row (three more queries a page): the certifications, the
    verified field-practice companies and the credit programmes with their universities.
    `cards` reads only the columns a card of the /pathways/ page shows (`PATHWAY_CARD_FIELDS`)
    and does not load the job roles: the same rows, without what the page never shows; the
    cards read their roles' names with `job_role_names` (issue 17).
    """
    queryset = Pathway.objects.filter(is_published=True)
    if district is not None:
        queryset = queryset.filter(district=district)
    if cards:
        queryset = queryset.only(*PATHWAY_CARD_FIELDS)
    else:
        queryset = queryset.prefetch_related(Prefetch("job_roles", queryset=JobRole.objects.order_by("name")))
    queryset = (
        queryset.select_related("department__school", "segment")
        .annotate(live_openings=_live_openings(today=today or timezone.localdate()))
        .order_by("title", "pk")
    )
    if with_route:
        verified = Company.objects.filter(verification=Company.Verification.VERIFIED).order_by("name")
        queryset = queryset.prefetch_related(
            Prefetch("certifications", queryset=Certification.objects.order_by("name")),
            Prefetch("practice_companies", queryset=verified),
            Prefetch("credit_programs", queryset=CreditProgram.objects.select_related("university")),
        )
    return queryset


def job_role_names(*, pathway_ids: list[int]) -> dict[int, list[str]]:
    """Each pathway's job roles' names, A to Z, in one query (what a card of /pathways/ shows).

    The names alone, from the pathways' role table: cheaper than prefetching the roles as rows.
    """
    names: dict[int, list[str]] = {pk: [] for pk in pathway_ids}
    links = Pathway.job_roles.through.objects.filter(pathway_id__in=names).order_by(
        "jobrole__name", "jobrole_id"
    )
    for pathway_id, name in links.values_list("pathway_id", "jobrole__name"):
        names[pathway_id].append(name)
    return names


def get_pathway_public(slug: str, *, district: District | None = None) -> Pathway:
    """A published pathway (of `district` when given: the site's), or 404."""
    queryset = Pathway.objects.filter(is_published=True)
    if district is not None:
        queryset = queryset.filter(district=district)
    try:
        return queryset.select_related("department__school", "segment", "district").get(slug=slug)
    except Pathway.DoesNotExist:
        raise Http404 from None


@dataclass
class RoleStep:
    job_role: JobRole
    openings: list[Opening] = field(default_factory=list)
    open_count: int = 0
    seats: int = 0

    @property
    def more(self) -> int:
        return self.open_count - len(self.openings)


@dataclass
class ProgramStep:
    program: CreditProgram
    degree_credits: int


@dataclass
class PathwayRoute:
    """Everything the pathway page draws, step by step."""

    pathway: Pathway
    practice_companies: list[Company]
    certifications: list[Certification]
    roles: list[RoleStep]
    programs: list[ProgramStep]
    pay_min: int | None
    pay_max: int | None

    @property
    def open_count(self) -> int:
        return sum(step.open_count for step in self.roles)


def pathway_route(*, pathway: Pathway, today: datetime.date | None = None) -> PathwayRoute:
    """The route of a pathway, in five queries.

    1. The job roles; 2. the certifications; 3. the verified field-practice companies;
    4. the credit programmes with their universities; 5. the public openings of the
    pathway's district for those roles, soonest deadline first, grouped by role here.

    Typical starting pay is the range of the roles' typical salaries, widened by what
    the live openings offer.
    """
    roles = list(pathway.job_roles.order_by("name"))
    certifications = list(pathway.certifications.order_by("name"))
    companies = list(
        pathway.practice_companies.filter(verification=Company.Verification.VERIFIED)
        .select_related("area")
        .order_by("name")
    )
    programs = list(
        pathway.credit_programs.select_related("university").order_by(
            "-is_active", "university__name", "name"
        )
    )
    steps = {role.pk: RoleStep(job_role=role) for role in roles}
    openings = (
        opening_queryset_public(today=today)
        .filter(company__district_id=pathway.district_id, job_role__in=roles)
        .select_related(None)
        .select_related("company")
        .prefetch_related(None)
    )
    pay = [role.typical_monthly_salary_krw for role in roles if role.typical_monthly_salary_krw]
    for opening in openings:
        step = steps[opening.job_role_id]
        step.open_count += 1
        step.seats += opening.seats
        pay.append(opening.monthly_salary_krw)
        if len(step.openings) < OPENINGS_PER_ROLE:
            step.openings.append(opening)
    return PathwayRoute(
        pathway=pathway,
        practice_companies=companies,
        certifications=certifications,
        roles=list(steps.values()),
        programs=[ProgramStep(program=p, degree_credits=degree_credits(p)) for p in programs],
        pay_min=min(pay) if pay else None,
        pay_max=max(pay) if pay else None,
    )
