"""Reads for the recruiter's side of the applicant pipeline: the company dashboard's counts and
lists, and the departments the applicants filter offers. Mounted under /company/ (namespace
"companies"); the applicant rows themselves come from `placements.selectors.applications`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from companies.models import Agreement, Company, Opening
from companies.selectors.openings import applicant_counts, count_pointing
from companies.selectors.team import recruiter_list
from placements.models import Application, Placement
from placements.selectors.applications import stale_application_list
from schools.models import Department

DASHBOARD_LIST_LENGTH = 10
# What the dashboard and the weekly reminder show of a stale application: no personal data
# beyond the student's name, which the recruiter already sees on the applicants page.
STALE_ROW_FIELDS = (
    "pk",
    "status",
    "status_changed_at",
    "opening_id",
    "opening__title",
    "student_id",  # the dashboard logs whose names it shows (privacy.services.record_access)
    "student__name",
)


def district_departments(*, district_id: int) -> QuerySet[Department]:
    """The active departments of the district's schools, for the applicants filter."""
    return (
        Department.objects.filter(school__district_id=district_id, is_active=True)
        .select_related("school")
        .order_by("school__name", "name")
    )


@dataclass
class StatusCount:
    value: str
    label: str
    count: int


@dataclass
class CompanyDashboard:
    company: Company
    year: int
    openings_by_status: list[StatusCount]
    new_count: int
    new_applicants: list[dict]
    stale_count: int
    stale_applications: list[dict]
    pledged: int
    hires: int
    open_openings: list[Opening] = field(default_factory=list)
    join_requests: int = 0
    hire_rows: list[dict] = field(default_factory=list)
    waiting_for_consent: list[dict] = field(default_factory=list)

    @property
    def pledge_percent(self) -> int | None:
        return round(100 * self.hires / self.pledged) if self.pledged else None


def company_dashboard(*, company: Company, today: datetime.date | None = None, now=None) -> CompanyDashboard:
    """Everything on /company/, in seven queries however many openings and applicants:

    1. openings counted by status;
    2. new and stale applications counted;
    3. the newest applications nobody has looked at;
    4. the stalest applications;
    5. this year's MOU pledge and hires (two subqueries on the company row);
    6. the openings that are live or being prepared, with their applicant counts;
    7. colleagues asking to join the company;
    8. this year's hires (the placements the MOU figure counts), by start date;
    9. accepted offers whose hire waits for a guardian's consent.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    year = today.year
    by_status = Opening.objects.filter(company=company).aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in Opening.Status.values}
    )
    applications = Application.objects.filter(opening__company=company)
    stale = stale_application_list(company_ids=[company.pk], now=now)
    counts = applications.aggregate(
        new=Count("pk", filter=Q(status=Application.Status.SUBMITTED)),
        stale=Count("pk", filter=Q(pk__in=stale.values("pk"))),
    )
    new_applicants = list(
        applications.filter(status=Application.Status.SUBMITTED)
        .order_by("-submitted_at", "-pk")
        .values(
            "pk",
            "submitted_at",
            "opening_id",
            "opening__title",
            "student_id",
            "student__name",
            "student__school__name",
            "student__department__name",
        )[:DASHBOARD_LIST_LENGTH]
    )
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    pledged = (
        Agreement.objects.filter(company=OuterRef("pk"), valid_from__lte=end, valid_until__gte=start)
        .order_by()
        .values("company")
        .annotate(n=Sum("pledged_hires_per_year"))
        .values("n")
    )
    # The same definition as the district's MOU figure: placements starting in the year.
    hires = count_pointing(Placement.objects.filter(starts_on__year=year), "company")
    mou = (
        Company.objects.filter(pk=company.pk)
        .annotate(pledged=Coalesce(Subquery(pledged, output_field=IntegerField()), 0), hires=hires)
        .values("pledged", "hires")
        .get()
    )
    live = [Opening.Status.DRAFT, Opening.Status.SUBMITTED, Opening.Status.PUBLISHED, Opening.Status.REJECTED]
    open_openings = list(
        Opening.objects.filter(company=company, status__in=live)
        .select_related("job_role")
        .annotate(**applicant_counts())
        .order_by("apply_by", "pk")[:DASHBOARD_LIST_LENGTH]
    )
    hire_rows = list(
        Placement.objects.filter(company=company, starts_on__year=year)
        .order_by("starts_on", "pk")
        .values(
            "pk", "starts_on", "status", "application_id", "opening__title", "student_id", "student__name"
        )[:DASHBOARD_LIST_LENGTH]
    )
    for row in hire_rows:
        row["started"] = row["starts_on"] <= today
    waiting = list(
        applications.filter(status=Application.Status.ACCEPTED, placement__isnull=True)
        .order_by("opening__starts_on", "pk")
        .values("pk", "opening__title", "opening__starts_on", "student_id", "student__name")[
            :DASHBOARD_LIST_LENGTH
        ]
    )
    return CompanyDashboard(
        company=company,
        year=year,
        openings_by_status=[
            StatusCount(value, label, by_status[value]) for value, label in Opening.Status.choices
        ],
        new_count=counts["new"],
        new_applicants=new_applicants,
        stale_count=counts["stale"],
        stale_applications=list(stale.values(*STALE_ROW_FIELDS)[:DASHBOARD_LIST_LENGTH]),
        pledged=mou["pledged"],
        hires=mou["hires"],
        open_openings=open_openings,
        join_requests=recruiter_list(company=company).filter(is_active=False).count(),
        hire_rows=hire_rows,
        waiting_for_consent=waiting,
    )
