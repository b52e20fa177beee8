"""Reads for the recruiters' pages (/company/): their company, its openings, dashboard and team.

Access: a recruiter reads their own company's openings (`get_opening_for_user`), and
changes them only once an official has verified the company (`write=True`). Anything
else answers 404, the same as a missing row. Who recruits for which company comes from
`district.access`; the membership reads here are facts about a company's team (who
asked to join, who joined first), not access decisions.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _

from companies.models import REVIEWED_FIELDS, Agreement, Company, Opening, OpeningRevision
from companies.tokens import signup_confirmation_token
from district import access
from district.models import Membership, User
from placements.models import ACTIVE_APPLICATION_STATUSES, Application, Placement
from placements.selectors.applications import stale_application_list
from schools.models import Department, FieldPractice

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


# --- The recruiter's company and team -------------------------------------------------------


def recruiter_company(user) -> Company | None:
    """The company the user recruits for (the first one, should they recruit for several)."""
    ids = access.company_ids(user)
    if not ids:
        return None
    return (
        Company.objects.select_related("district", "segment", "area")
        .filter(pk__in=ids)
        .order_by("pk")
        .first()
    )


def pending_join_request(user) -> Membership | None:
    """The user's request to join a company, while it awaits approval."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, role=Membership.Role.COMPANY_RECRUITER, is_active=False)
        .select_related("company")
        .order_by("pk")
        .first()
    )


def users_awaiting_confirmation() -> QuerySet[User]:
    """Accounts made by sign-up or joining whose owners have not used the emailed link yet.

    Such an account is inactive, has never logged in (confirming logs it in) and holds
    company-recruiter memberships only, at least one. A student's account (anonymised or
    not), a teacher's or an official's never qualifies, nor does one that has ever logged in.
    """
    recruiter = Membership.objects.filter(user=OuterRef("pk"), role=Membership.Role.COMPANY_RECRUITER)
    other_role = Membership.objects.filter(user=OuterRef("pk")).exclude(
        role=Membership.Role.COMPANY_RECRUITER
    )
    return User.objects.filter(is_active=False, last_login__isnull=True).filter(
        Exists(recruiter), ~Exists(other_role)
    )


def awaits_confirmation(user: User) -> bool:
    """`user` is one of `users_awaiting_confirmation`."""
    return users_awaiting_confirmation().filter(pk=user.pk).exists()


def user_awaiting_confirmation(*, uidb64: str, token: str) -> User | None:
    """The account an emailed confirmation link names, while the link is valid; else None."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not signup_confirmation_token.check_token(user, token):
        return None
    return user if awaits_confirmation(user) else None


def company_first_recruiter(*, company: Company) -> Membership | None:
    """The company's longest-standing active recruiter, who approves colleagues who ask to join."""
    return (
        Membership.objects.filter(
            company=company, role=Membership.Role.COMPANY_RECRUITER, is_active=True, user__is_active=True
        )
        .order_by("created_at", "pk")
        .first()
    )


def can_approve_recruiters(user, company: Company) -> bool:
    """The company's first active recruiter, or an official of its district."""
    if getattr(user, "is_superuser", False) or company.district_id in access.official_district_ids(user):
        return True
    if company.pk not in access.company_ids(user):
        return False
    first = company_first_recruiter(company=company)
    return first is not None and first.user_id == user.pk


def recruiter_list(*, company: Company) -> QuerySet[Membership]:
    """The company's recruiters: requests awaiting approval first, then by when they joined."""
    return (
        Membership.objects.filter(company=company, role=Membership.Role.COMPANY_RECRUITER)
        .select_related("user")
        .order_by("is_active", "created_at", "pk")
    )


def get_join_request_for_user(user, pk) -> Membership:
    """A request to join a company that `user` may approve or decline, else 404."""
    membership = (
        Membership.objects.filter(pk=pk, role=Membership.Role.COMPANY_RECRUITER, is_active=False)
        .select_related("user", "company")
        .first()
    )
    if membership is None or not can_approve_recruiters(user, membership.company):
        raise Http404("No such request.")
    return membership


# --- Companies awaiting an official, and sign-ups never confirmed ----------------------------


def company_unconfirmed() -> Q:
    """A company signed up whose recruiter has not confirmed their email address yet.

    Pending, with at least one recruiter whose account awaits confirmation and no active
    recruiter whose account does not. Officials are not offered such a company to verify
    or reject (it may be a squatter's); it becomes theirs once the link is used, or is
    purged with its account once the link has expired (`unconfirmed_signups_purge`). A
    pending company with no recruiter at all (made in the administration) is not one.
    """
    awaiting = users_awaiting_confirmation().values("pk")
    recruiters = Membership.objects.filter(company=OuterRef("pk"), role=Membership.Role.COMPANY_RECRUITER)
    return (
        Q(verification=Company.Verification.PENDING)
        & Exists(recruiters.filter(user__in=awaiting))
        & ~Exists(recruiters.filter(is_active=True).exclude(user__in=awaiting))
    )


def companies_awaiting_verification(queryset: QuerySet[Company] | None = None) -> QuerySet[Company]:
    """Companies an official may verify or reject now: pending, and not `company_unconfirmed`."""
    queryset = Company.objects.all() if queryset is None else queryset
    return queryset.filter(verification=Company.Verification.PENDING).exclude(company_unconfirmed())


def unconfirmed_signup_users(*, now: datetime.datetime) -> QuerySet[User]:
    """Accounts that await confirmation and were made more than PASSWORD_RESET_TIMEOUT before `now`.

    Every link mailed when the account was made has expired; the purge deletes them.
    """
    cutoff = now - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return users_awaiting_confirmation().filter(date_joined__lt=cutoff)


def companies_left_without(*, user_ids) -> QuerySet[Company]:
    """Pending, never-verified companies that hold nothing once these accounts are gone.

    No member other than these accounts, and no opening, agreement, placement or field
    practice: a sign-up that never got further than the form.
    """
    company = OuterRef("pk")
    return (
        Company.objects.filter(verification=Company.Verification.PENDING, verified_at__isnull=True)
        .exclude(Exists(Membership.objects.filter(company=company).exclude(user_id__in=user_ids)))
        .exclude(Exists(Opening.objects.filter(company=company)))
        .exclude(Exists(Agreement.objects.filter(company=company)))
        .exclude(Exists(Placement.objects.filter(company=company)))
        .exclude(Exists(FieldPractice.objects.filter(company=company)))
    )


# --- Openings -------------------------------------------------------------------------------


def _openings_of(user, *, write: bool) -> QuerySet[Opening]:
    companies = Company.objects.filter(pk__in=access.company_ids(user))
    if write:
        companies = companies.filter(verification=Company.Verification.VERIFIED)
    return Opening.objects.filter(company__in=companies)


def opening_list(*, user, filters: Mapping | None = None) -> QuerySet[Opening]:
    """The openings of the recruiter's companies, newest first, with their applicant counts.

    `filters`: `status` (one of Opening.Status). Annotations: `active_applications`,
    `new_applications` (submitted, not yet looked at) and `hires` (placements).
    """
    queryset = _openings_of(user, write=False)
    status = (filters or {}).get("status")
    if status in Opening.Status.values:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related("job_role", "company")
        .annotate(
            active_applications=_count(
                Application.objects.filter(status__in=ACTIVE_APPLICATION_STATUSES), "opening"
            ),
            new_applications=_count(
                Application.objects.filter(status=Application.Status.SUBMITTED), "opening"
            ),
            hires=_count(Placement.objects.all(), "opening"),
        )
        .order_by("-created_at", "-pk")
    )


def get_opening_for_user(user, pk, *, write: bool = False) -> Opening:
    """One of the recruiter's company's openings, else 404; `write` also needs a verified company."""
    queryset = _openings_of(user, write=write).select_related("company__district", "job_role", "work_area")
    try:
        return queryset.get(pk=pk)
    except Opening.DoesNotExist:
        raise Http404("No such opening.") from None


def opening_detail(*, opening: Opening) -> dict:
    """What the opening's page shows beside the opening: its requirements and applicant counts."""
    counts = Application.objects.filter(opening=opening).aggregate(
        active=Count("pk", filter=Q(status__in=ACTIVE_APPLICATION_STATUSES)),
        new=Count("pk", filter=Q(status=Application.Status.SUBMITTED)),
        total=Count("pk"),
    )
    return {
        "certifications": opening.required_certifications.order_by("name"),
        "departments": opening.preferred_departments.select_related("school").order_by(
            "school__name", "name"
        ),
        "counts": counts,
        "hires": Placement.objects.filter(opening=opening).count(),
    }


# --- Changes to a published opening (revisions) -------------------------------------------------


def opening_revision_shown(*, opening: Opening) -> OpeningRevision | None:
    """The revision the opening's page shows: its latest, when that awaits review or was rejected."""
    latest = OpeningRevision.objects.filter(opening=opening).select_related("reviewed_by").first()
    shown = (OpeningRevision.Status.PENDING, OpeningRevision.Status.REJECTED)
    return latest if latest is not None and latest.status in shown else None


def _related_rows(field, ids) -> list:
    queryset = field.related_model._default_manager.filter(pk__in=ids)
    if field.related_model is Department:
        queryset = queryset.select_related("school")
    return list(queryset)


def opening_revision_values(*, revision: OpeningRevision) -> dict:
    """The proposed values of a revision as the opening form gives them: rows for relations, dates as dates.

    Refuses a revision that names a job role, area, certification or department that has
    been deleted since.
    """
    values = {}
    for name, raw in revision.changes.items():
        field = Opening._meta.get_field(name)
        if field.many_to_many or field.many_to_one:
            ids = raw if field.many_to_many else [] if raw is None else [raw]
            rows = _related_rows(field, ids)
            if len(rows) != len(set(ids)):
                raise ValidationError(
                    _("The changes name a %(field)s that no longer exists."),
                    code="choice_gone",
                    params={"field": field.verbose_name},
                )
            values[name] = rows if field.many_to_many else (rows[0] if rows else None)
        else:
            values[name] = field.to_python(raw)
    return values


def _shown_value(field, value) -> str:
    if field.many_to_many:
        return ", ".join(sorted(_row_label(row) for row in value)) or "-"
    if value is None or value == "":
        return "-"
    if field.many_to_one:
        return _row_label(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _row_label(row) -> str:
    if isinstance(row, Department):
        return f"{row.school.name} · {row.name}"
    return str(row)


def _approved_value(opening: Opening, field):
    if field.many_to_many:
        return _related_rows(field, getattr(opening, field.name).values_list("pk", flat=True))
    return getattr(opening, field.name)


def opening_revision_comparison(*, revision: OpeningRevision) -> list[dict]:
    """Each changed field with its approved and proposed value, side by side, in the form's order.

    Rows: `field` (its name), `label`, `approved` and `proposed` (display text).
    """
    opening = revision.opening
    try:
        proposed = opening_revision_values(revision=revision)
    except ValidationError:  # a choice deleted since: show what is stored, the approval will refuse
        proposed = dict(revision.changes)
    rows = []
    for name in REVIEWED_FIELDS:
        if name not in proposed:
            continue
        field = Opening._meta.get_field(name)
        rows.append(
            {
                "field": name,
                "label": field.verbose_name,
                "approved": _shown_value(field, _approved_value(opening, field)),
                "proposed": _shown_value(field, proposed[name]),
            }
        )
    return rows


def district_departments(*, district_id: int) -> QuerySet[Department]:
    """The active departments of the district's schools, for the applicants filter."""
    return (
        Department.objects.filter(school__district_id=district_id, is_active=True)
        .select_related("school")
        .order_by("school__name", "name")
    )


# --- The dashboard --------------------------------------------------------------------------


def _count(queryset: QuerySet, fk: str) -> Coalesce:
    """Count rows of `queryset` pointing at the outer row, as a subquery (annotations do not multiply)."""
    counted = (
        queryset.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


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
    7. colleagues asking to join the company.
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
    hires = _count(Placement.objects.filter(starts_on__year=year), "company")
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
        .annotate(
            active_applications=_count(
                Application.objects.filter(status__in=ACTIVE_APPLICATION_STATUSES), "opening"
            ),
            new_applications=_count(
                Application.objects.filter(status=Application.Status.SUBMITTED), "opening"
            ),
        )
        .order_by("apply_by", "pk")[:DASHBOARD_LIST_LENGTH]
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
    )
