"""KPI definitions and the dashboard's aggregates, read by the API, the dashboard page and the exports.

Every KPI is defined once, here, by a function registered with `@kpi`: its docstring
starts with the formula, which `docs/kpis.md` repeats and the dashboard page shows as a
tooltip (a test keeps the three in step). The counts the formulas use come from a few
selectors that each run one aggregate query in the database.

Conventions shared by every definition:

- **Year.** `year` is both the graduating cohort (students whose `graduation_year` is
  the year; Korean high schools graduate in February) and the programme year (budget,
  training, openings that start that year, agreements in force that year).
- **Cohort.** The students of the scope with that graduation year who did not leave
  school (`status != "left"`).
- **Survey date.** The Ministry and KEDI survey graduates on 1 April of the graduation
  year, from insurance records. A graduate is *employed on a date* when one of their
  placements has started on or before it and has not ended before it (`ends_on` empty
  or on or after the date). A placement that ended before the date does not count.
- **Retention** at 6 and 12 months: of the graduates employed on the survey date, the
  share still employed (at any company) on 1 October and on 1 April of the next year.
  It is `null` until that date has come.
- A rate whose denominator is zero is `null`, never 0 and never an error.
- **Scope.** Officials and dashboard tokens read a whole district; school staff only
  their schools. District-wide figures that no school owns (open openings, budget) are
  the district's for everyone who may see them, except the budget, which is `null` for
  school staff (officials who filter on a school still see the district's budget), and the
  matching rounds, which school staff may not read.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from district import access
from district.api.authentication import token_of
from district.cohorts import survey_date
from district.models import BudgetLine, District, Expenditure, KpiTarget, Membership
from universities.models import DEGREE_CREDITS

PLACEMENT_GROUPS = ("school", "department", "company", "segment", "month")
RETENTION_MONTHS = 12
RETENTION_COHORTS = 3


# --- Dates ------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months; only used with the 1st of a month, so no day overflows."""
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def default_year(today: datetime.date | None = None) -> int:
    """The latest cohort already surveyed: this year from 1 April, last year before."""
    today = today or timezone.localdate()
    return today.year if today >= survey_date(today.year) else today.year - 1


def employed_on(day: datetime.date, prefix: str = "") -> Q:
    """Placements that cover `day`: started on or before it, not ended before it."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def percent(part: int | None, whole: int | None) -> float | None:
    """part ÷ whole × 100 rounded to one decimal, or None when there is no whole."""
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)


# --- Who sees what --------------------------------------------------------------------------


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

    Officials, superusers and dashboard tokens read whole districts; school staff read
    their own schools; anyone else is refused. `officials_only` refuses school staff too
    (the built-in /dashboard/ page is for officials).
    """
    from schools.models import School

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if user.is_superuser or access.is_official(user):
        districts = District.objects.order_by("pk")
        if not user.is_superuser:
            districts = districts.filter(pk__in=access.official_district_ids(user))
        districts = list(districts)
        role = "token" if token_of(user) else ("superuser" if user.is_superuser else "official")
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


# --- Counts (one query each) ------------------------------------------------------------------


def cohort_students(*, scope: DashboardScope, year: int) -> QuerySet:
    """The cohort: students of the scope graduating in `year` who did not leave school."""
    from schools.models import Student

    return Student.objects.filter(scope.students(), graduation_year=year).exclude(status=Student.Status.LEFT)


def cohort_placements(*, scope: DashboardScope, years: list[int]) -> QuerySet:
    """Placements of the cohorts graduating in `years`, joined to the student only."""
    from placements.models import Placement
    from schools.models import Student

    return Placement.objects.filter(scope.students("student__"), student__graduation_year__in=years).exclude(
        student__status=Student.Status.LEFT
    )


def employed_ids(day: datetime.date, *, local: bool = False) -> QuerySet:
    """Ids of students with a placement covering `day` (local ones only if asked).

    Used as `pk IN (subquery)` inside a query that is already scoped to a cohort; it is
    not correlated, so PostgreSQL builds its hash once per query.
    """
    from placements.models import Placement

    placements = Placement.objects.filter(employed_on(day))
    if local:
        placements = placements.filter(is_local=True)
    return placements.order_by().values("student_id")


def employment_aggregates(year: int) -> dict:
    """Counts over a cohort's students, for tables grouped by school or department.

    Employed and local on the survey date, retained at 6 and 12 months: `retained_Nm`
    counts graduates employed both on the survey date and N months later, possibly at
    another company. The totals (`employment_by_student`) apply the same rule in one
    pass over the placements; a test checks that both agree.
    """
    survey = survey_date(year)
    employed = Q(pk__in=employed_ids(survey))
    return {
        "employed": Count("pk", filter=employed),
        "employed_local": Count("pk", filter=Q(pk__in=employed_ids(survey, local=True))),
        "retained_6m": Count("pk", filter=employed & Q(pk__in=employed_ids(add_months(survey, 6)))),
        "retained_12m": Count("pk", filter=employed & Q(pk__in=employed_ids(add_months(survey, 12)))),
    }


def covers(day: datetime.date, *, local: bool = False) -> Case:
    """1 for a placement that covers `day` (and is local, if asked), else 0."""
    condition = employed_on(day) & Q(is_local=True) if local else employed_on(day)
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def employment_by_student(*, scope: DashboardScope, year: int, months: tuple[int, ...]) -> QuerySet:
    """One row per graduate of the cohort with a placement: flags `m<k>` (employed k months after
    the survey date) and `local0` (employed locally on the survey date).

    One pass over the cohort's placements, grouped by student: a student is employed on
    a day when any of their placements covers it. Placements that ended before the
    survey date cover none of these days and are left out.
    """
    survey = survey_date(year)
    return (
        cohort_placements(scope=scope, years=[year])
        .exclude(ends_on__lt=survey)
        .order_by()
        .values("student_id")
        .annotate(
            local0=Max(covers(survey, local=True)),
            **{f"m{m}": Max(covers(add_months(survey, m))) for m in months},
        )
    )


@dataclass(frozen=True)
class CohortCounts:
    year: int
    survey_on: datetime.date
    cohort: int
    progressed: int
    employed: int
    employed_local: int
    retained_6m: int | None
    retained_12m: int | None


def cohort_counts(*, scope: DashboardScope, year: int, today: datetime.date | None = None) -> CohortCounts:
    """The cohort's size, progression, employment and retention counts (two queries).

    Retention counts are None until their check date (1 October, then 1 April of the
    next year) has come.
    """
    from universities.models import ProgramEnrollment

    today = today or timezone.localdate()
    survey = survey_date(year)
    enrolled = ProgramEnrollment.objects.order_by().values("student_id")
    counts = cohort_students(scope=scope, year=year).aggregate(
        cohort=Count("pk"), progressed=Count("pk", filter=Q(pk__in=enrolled))
    )
    counts |= employment_by_student(scope=scope, year=year, months=(0, 6, 12)).aggregate(
        employed=Count("student_id", filter=Q(m0=1)),
        employed_local=Count("student_id", filter=Q(local0=1)),
        retained_6m=Count("student_id", filter=Q(m0=1, m6=1)),
        retained_12m=Count("student_id", filter=Q(m0=1, m12=1)),
    )
    return CohortCounts(
        year=year,
        survey_on=survey,
        cohort=counts["cohort"],
        progressed=counts["progressed"],
        employed=counts["employed"],
        employed_local=counts["employed_local"],
        retained_6m=counts["retained_6m"] if today >= add_months(survey, 6) else None,
        retained_12m=counts["retained_12m"] if today >= add_months(survey, 12) else None,
    )


@dataclass(frozen=True)
class OpeningCounts:
    open_openings: int
    open_seats: int
    year_seats: int
    year_filled: int


def opening_counts(*, scope: DashboardScope, year: int, today: datetime.date | None = None) -> OpeningCounts:
    """The district's openings open today, and seats and placements of those starting in `year` (two queries).

    Openings belong to the district, not to a school, so a school's scope sees the
    district's figures.
    """
    from companies.models import Opening
    from placements.models import Placement

    today = today or timezone.localdate()
    posted = [Opening.Status.PUBLISHED, Opening.Status.CLOSED]
    is_open = Q(status=Opening.Status.PUBLISHED, apply_by__gte=today)
    of_year = Q(status__in=posted, starts_on__year=year)
    openings = Opening.objects.filter(company__district=scope.district).aggregate(
        open_openings=Count("pk", filter=is_open),
        open_seats=Coalesce(Sum("seats", filter=is_open), 0),
        year_seats=Coalesce(Sum("seats", filter=of_year), 0),
    )
    filled = Placement.objects.filter(
        opening__company__district=scope.district,
        opening__status__in=posted,
        opening__starts_on__year=year,
    ).count()
    return OpeningCounts(year_filled=filled, **openings)


def _agreements_in_force(*, scope: DashboardScope, year: int) -> QuerySet:
    """Agreements of the district in force during `year`; only the school's own for a school scope."""
    from companies.models import Agreement

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    agreements = Agreement.objects.filter(
        district=scope.district, valid_from__lte=end, valid_until__gte=start
    )
    if not scope.whole_district:
        agreements = agreements.filter(school_id__in=scope.school_ids)
    return agreements.order_by()


def mou_rows(*, scope: DashboardScope, year: int) -> QuerySet:
    """Companies with an agreement in force during `year`: pledged hires against hires (one query).

    Pledged = the sum of `pledged_hires_per_year` over the company's agreements in force
    that year (district-wide ones for a district scope, plus school ones; only the
    school's own for a school scope). Hires = placements of the scope's students at the
    company that started in `year`.
    """
    from companies.models import Company
    from placements.models import Placement

    agreements = _agreements_in_force(scope=scope, year=year)
    pledged = (
        agreements.filter(company=OuterRef("pk"))
        .order_by()
        .values("company")
        .annotate(n=Sum("pledged_hires_per_year"))
        .values("n")
    )
    hires = (
        Placement.objects.filter(scope.students("student__"), company=OuterRef("pk"), starts_on__year=year)
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Company.objects.filter(pk__in=agreements.values("company"))
        .annotate(
            pledged=Coalesce(Subquery(pledged, output_field=IntegerField()), 0),
            hires=Coalesce(Subquery(hires, output_field=IntegerField()), 0),
        )
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class MouCounts:
    pledged: int
    hires: int


def mou_counts(*, scope: DashboardScope, year: int) -> MouCounts:
    """The totals of `mou_rows`, summed directly (two queries).

    Summing per company and summing the agreements and placements themselves give the
    same totals, because each placement is at exactly one company.
    """
    from placements.models import Placement

    agreements = _agreements_in_force(scope=scope, year=year)
    pledged = agreements.aggregate(n=Coalesce(Sum("pledged_hires_per_year"), 0))["n"]
    hires = Placement.objects.filter(
        scope.students("student__"), starts_on__year=year, company_id__in=agreements.values("company_id")
    ).count()
    return MouCounts(pledged=pledged, hires=hires)


def _executed_subquery() -> Coalesce:
    spent = (
        Expenditure.objects.filter(budget_line=OuterRef("pk"))
        .order_by()
        .values("budget_line")
        .annotate(s=Sum("amount_krw"))
        .values("s")
    )
    return Coalesce(Subquery(spent), 0)


@dataclass(frozen=True)
class BudgetCounts:
    planned: int
    executed: int


def budget_counts(*, scope: DashboardScope, year: int) -> BudgetCounts | None:
    """Planned and executed KRW of the district's budget lines for `year` (one query).

    None for school staff.
    """
    if not scope.sees_budget:
        return None
    # Grouped by district (one row) rather than aggregate(): Django cannot aggregate()
    # over a subquery annotation, but it can sum it in a GROUP BY.
    totals = (
        BudgetLine.objects.filter(district=scope.district, year=year)
        .order_by()
        .values("district")
        .annotate(planned=Sum("planned_krw"), executed=Sum(_executed_subquery()))
        .values("planned", "executed")
    )
    totals = next(iter(totals), {"planned": 0, "executed": 0})
    return BudgetCounts(planned=totals["planned"] or 0, executed=totals["executed"] or 0)


@dataclass(frozen=True)
class ActivityCounts:
    field_practice_participants: int
    teacher_training_hours: int
    co_developed_units: int


def activity_counts(*, scope: DashboardScope, year: int) -> ActivityCounts:
    """Field practice, teacher training and co-developed curriculum in the scope (three queries)."""
    from schools.models import CourseUnit, FieldPractice, TrainingCompletion

    started = [FieldPractice.Status.IN_PROGRESS, FieldPractice.Status.ON_HOLD, FieldPractice.Status.COMPLETED]
    practice = FieldPractice.objects.filter(
        scope.students("student__"),
        status__in=started,
        starts_on__lte=datetime.date(year, 12, 31),
        ends_on__gte=datetime.date(year, 1, 1),
    ).aggregate(n=Count("student", distinct=True))
    hours = TrainingCompletion.objects.filter(
        teacher__school_id__in=scope.school_ids, completed_on__year=year
    ).aggregate(n=Coalesce(Sum("hours"), 0))
    units = (
        CourseUnit.objects.filter(department__school_id__in=scope.school_ids)
        .filter(Exists(CourseUnit.co_developers.through.objects.filter(courseunit=OuterRef("pk"))))
        .count()
    )
    return ActivityCounts(
        field_practice_participants=practice["n"],
        teacher_training_hours=hours["n"],
        co_developed_units=units,
    )


@dataclass(frozen=True)
class Figures:
    """Every count the KPI formulas use, for one scope and year."""

    cohort: CohortCounts
    openings: OpeningCounts
    mou: MouCounts
    budget: BudgetCounts | None
    activity: ActivityCounts


def figures(*, scope: DashboardScope, year: int, today: datetime.date | None = None) -> Figures:
    return Figures(
        cohort=cohort_counts(scope=scope, year=year, today=today),
        openings=opening_counts(scope=scope, year=year, today=today),
        mou=mou_counts(scope=scope, year=year),
        budget=budget_counts(scope=scope, year=year),
        activity=activity_counts(scope=scope, year=year),
    )


# --- The KPIs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: str
    formula: str
    target: str | None
    compute: Callable[[Figures], int | float | None] = field(repr=False)

    @property
    def docstring(self) -> str:
        return self.compute.__doc__ or ""


KPIS: dict[str, Kpi] = {}


def kpi(key: str, *, label, unit: str, formula, target: str | None = None):
    """Register a KPI. `formula` repeats the docstring's first line, for translation and tooltips."""

    def register(compute):
        KPIS[key] = Kpi(key=key, label=label, unit=unit, formula=formula, target=target, compute=compute)
        return compute

    return register


Indicator = KpiTarget.Indicator


@kpi(
    "cohort_size",
    label=_("Graduates in the cohort"),
    unit="count",
    formula=_("Students of the scope graduating in the year who did not leave school."),
)
def cohort_size(f: Figures) -> int:
    """Students of the scope graduating in the year who did not leave school."""
    return f.cohort.cohort


@kpi(
    "employed",
    label=_("Employed graduates"),
    unit="count",
    formula=_("Graduates of the cohort employed on the survey date, 1 April of the graduation year."),
)
def employed(f: Figures) -> int:
    """Graduates of the cohort employed on the survey date, 1 April of the graduation year.

    Employed on a date: a placement started on or before it and not ended before it.
    """
    return f.cohort.employed


@kpi(
    "employment_rate",
    label=_("Employment rate"),
    unit="%",
    target=Indicator.EMPLOYMENT_RATE,
    formula=_("Graduates employed on 1 April ÷ graduates in the cohort × 100."),
)
def employment_rate(f: Figures) -> float | None:
    """Graduates employed on 1 April ÷ graduates in the cohort × 100.

    Null when the cohort is empty.
    """
    return percent(f.cohort.employed, f.cohort.cohort)


@kpi(
    "local_employment_rate",
    label=_("Local employment rate"),
    unit="%",
    target=Indicator.LOCAL_EMPLOYMENT_RATE,
    formula=_(
        "Graduates employed on 1 April in a job in the district ÷ graduates employed on 1 April × 100."
    ),
)
def local_employment_rate(f: Figures) -> float | None:
    """Graduates employed on 1 April in a job in the district ÷ graduates employed on 1 April × 100.

    A job is in the district when its placement is marked local, which records that the
    company is located in the district. Null when nobody is employed.
    """
    return percent(f.cohort.employed_local, f.cohort.employed)


@kpi(
    "retention_6m",
    label=_("Retention at 6 months"),
    unit="%",
    target=Indicator.RETENTION_6M,
    formula=_(
        "Graduates employed on 1 April and still employed on 1 October ÷ graduates employed on 1 April × 100."
    ),
)
def retention_6m(f: Figures) -> float | None:
    """Graduates employed on 1 April and still employed on 1 October ÷ graduates employed on 1 April × 100.

    Any employer counts on 1 October; a placement that ended before that day does not.
    Null before 1 October of the graduation year and when nobody was employed on 1 April.
    """
    if f.cohort.retained_6m is None:
        return None
    return percent(f.cohort.retained_6m, f.cohort.employed)


@kpi(
    "retention_12m",
    label=_("Retention at 12 months"),
    unit="%",
    target=Indicator.RETENTION_12M,
    formula=_(
        "Graduates employed on 1 April and still employed on 1 April a year later ÷ "
        "graduates employed on 1 April × 100."
    ),
)
def retention_12m(f: Figures) -> float | None:
    """Graduates employed on 1 April and still employed on 1 April a year later ÷
    graduates employed on 1 April × 100.

    A placement that ended before the later 1 April does not count. Null before that
    day and when nobody was employed on the survey date.
    """
    if f.cohort.retained_12m is None:
        return None
    return percent(f.cohort.retained_12m, f.cohort.employed)


@kpi(
    "progression_rate",
    label=_("Progression to credit programmes"),
    unit="%",
    target=Indicator.PROGRESSION_RATE,
    formula=_(
        "Graduates in the cohort with an enrolment in a credit programme ÷ graduates in the cohort × 100."
    ),
)
def progression_rate(f: Figures) -> float | None:
    """Graduates in the cohort with an enrolment in a credit programme ÷ graduates in the cohort × 100.

    Any enrolment counts, whatever its status. Null when the cohort is empty.
    """
    return percent(f.cohort.progressed, f.cohort.cohort)


@kpi(
    "open_openings",
    label=_("Open openings"),
    unit="count",
    formula=_("Published openings in the district whose application deadline is today or later."),
)
def open_openings(f: Figures) -> int:
    """Published openings in the district whose application deadline is today or later."""
    return f.openings.open_openings


@kpi(
    "open_seats",
    label=_("Open seats"),
    unit="count",
    formula=_("Seats of the open openings."),
)
def open_seats(f: Figures) -> int:
    """Seats of the open openings."""
    return f.openings.open_seats


@kpi(
    "fill_rate",
    label=_("Fill rate"),
    unit="%",
    formula=_(
        "Placements made through openings that start in the year ÷ seats of the published or closed "
        "openings that start in the year × 100."
    ),
)
def fill_rate(f: Figures) -> float | None:
    """Placements made through openings that start in the year ÷ seats of the published or closed
    openings that start in the year × 100.

    District-wide. Null when no such opening has seats.
    """
    return percent(f.openings.year_filled, f.openings.year_seats)


@kpi(
    "mou_hires",
    label=_("Hires under agreements"),
    unit="count",
    target=Indicator.MOU_HIRES,
    formula=_("Placements starting in the year at companies with an agreement (MOU) in force that year."),
)
def mou_hires(f: Figures) -> int:
    """Placements starting in the year at companies with an agreement (MOU) in force that year."""
    return f.mou.hires


@kpi(
    "mou_fulfilment",
    label=_("MOU pledge fulfilment"),
    unit="%",
    formula=_("Hires under agreements ÷ graduates pledged for the year by those agreements × 100."),
)
def mou_fulfilment(f: Figures) -> float | None:
    """Hires under agreements ÷ graduates pledged for the year by those agreements × 100.

    Counted per company, so that a company with two agreements is not counted twice.
    Null when nothing was pledged.
    """
    return percent(f.mou.hires, f.mou.pledged)


@kpi(
    "budget_planned_krw",
    label=_("Budget planned (KRW)"),
    unit="KRW",
    formula=_("Planned KRW of the district's budget lines for the year."),
)
def budget_planned_krw(f: Figures) -> int | None:
    """Planned KRW of the district's budget lines for the year.

    Always the district's, whatever school is chosen; null for school staff.
    """
    return f.budget.planned if f.budget else None


@kpi(
    "budget_executed_krw",
    label=_("Budget executed (KRW)"),
    unit="KRW",
    formula=_("Expenditures recorded against the year's budget lines."),
)
def budget_executed_krw(f: Figures) -> int | None:
    """Expenditures recorded against the year's budget lines.

    Always the district's; null for school staff.
    """
    return f.budget.executed if f.budget else None


@kpi(
    "budget_execution_rate",
    label=_("Budget executed against planned"),
    unit="%",
    formula=_("Expenditures against the year's budget lines ÷ their planned amounts × 100."),
)
def budget_execution_rate(f: Figures) -> float | None:
    """Expenditures against the year's budget lines ÷ their planned amounts × 100.

    Null when nothing is planned, and for school staff.
    """
    return percent(f.budget.executed, f.budget.planned) if f.budget else None


@kpi(
    "field_practice_participants",
    label=_("Field-practice participants"),
    unit="count",
    target=Indicator.FIELD_PRACTICE_PARTICIPANTS,
    formula=_("Students of the scope with a field practice under way or completed during the year."),
)
def field_practice_participants(f: Figures) -> int:
    """Students of the scope with a field practice under way or completed during the year.

    A practice counts when its period overlaps the year and it has started (in progress,
    on hold or completed); planned and cancelled ones do not.
    """
    return f.activity.field_practice_participants


@kpi(
    "teacher_training_hours",
    label=_("Teacher-training hours"),
    unit="hours",
    target=Indicator.TEACHER_TRAINING_HOURS,
    formula=_("Hours of training completed during the year by teachers of the scope's schools."),
)
def teacher_training_hours(f: Figures) -> int:
    """Hours of training completed during the year by teachers of the scope's schools."""
    return f.activity.teacher_training_hours


@kpi(
    "co_developed_units",
    label=_("Co-developed curriculum units"),
    unit="count",
    formula=_("Curriculum units of the scope's departments developed with at least one company."),
)
def co_developed_units(f: Figures) -> int:
    """Curriculum units of the scope's departments developed with at least one company."""
    return f.activity.co_developed_units


# --- Dashboard aggregates ----------------------------------------------------------------------


def kpi_targets(*, scope: DashboardScope, year: int) -> dict[str, float]:
    """The district's targets for `year`, keyed by KPI (one query)."""
    by_indicator = dict(
        KpiTarget.objects.filter(district=scope.district, year=year).values_list("indicator", "target")
    )
    return {k.key: float(by_indicator[k.target]) for k in KPIS.values() if k.target in by_indicator}


def dashboard_summary(*, scope: DashboardScope, year: int, today: datetime.date | None = None) -> dict:
    """Every KPI with its target (eleven queries)."""
    counts = figures(scope=scope, year=year, today=today)
    data = {
        "district": scope.district.pk,
        "schools": None if scope.whole_district else list(scope.school_ids),
        "year": year,
        "survey_date": counts.cohort.survey_on,
    }
    data.update({key: definition.compute(counts) for key, definition in KPIS.items()})
    data["targets"] = kpi_targets(scope=scope, year=year)
    return data


def placements_by(*, scope: DashboardScope, year: int, by: str) -> list[dict]:
    """The cohort's placements grouped by school, department, company, segment or start month (one query).

    Each row: placements, those local, and those still active.
    """
    if by not in PLACEMENT_GROUPS:
        raise ValueError(by)
    keys = {
        "school": (F("student__school_id"), F("student__school__name")),
        "department": (
            F("student__department_id"),
            Concat(F("student__school__name"), Value(" "), F("student__department__name")),
        ),
        "company": (F("company_id"), F("company__name")),
        "segment": (F("company__segment__code"), F("company__segment__name")),
        "month": (TruncMonth("starts_on"), TruncMonth("starts_on")),
    }
    key, label = keys[by]
    rows = (
        cohort_placements(scope=scope, years=[year])
        .order_by()
        .values(key=key, label=label)
        .annotate(
            placements=Count("pk"),
            local=Count("pk", filter=Q(is_local=True)),
            active=Count("pk", filter=Q(status="active")),
        )
        .order_by("label", "key")
    )
    result = list(rows)
    if by == "month":
        for row in result:
            row["key"] = row["label"] = row["key"].strftime("%Y-%m")
    return result


def application_funnel(*, scope: DashboardScope, year: int) -> list[dict]:
    """Applications of the cohort in each state, in the order of the funnel (one query)."""
    from placements.models import Application
    from schools.models import Student

    statuses = Application.Status
    counts = (
        Application.objects.filter(scope.students("student__"), student__graduation_year=year)
        .exclude(student__status=Student.Status.LEFT)
        .aggregate(**{s.value: Count("pk", filter=Q(status=s.value)) for s in statuses})
    )
    return [{"status": s.value, "label": str(s.label), "count": counts[s.value]} for s in statuses]


def skills_gap(*, scope: DashboardScope, year: int) -> list[dict]:
    """For each certification: seats requiring it against cohort students holding it (two queries).

    Seats: of the district's published or closed openings that start in `year`. Holders:
    students of the cohort holding the certification. Gap = seats − holders; the largest
    gaps first show where the curriculum should grow.

    Each side is one grouped query; they are joined on the certification here, over at
    most one row per certification.
    """
    from companies.models import Opening
    from schools.models import Student, StudentCertification

    seats = (
        Opening.required_certifications.through.objects.filter(
            opening__company__district=scope.district,
            opening__status__in=[Opening.Status.PUBLISHED, Opening.Status.CLOSED],
            opening__starts_on__year=year,
        )
        .order_by()
        .values("certification_id", "certification__name")
        .annotate(n=Sum("opening__seats"))
    )
    # (student, certification) is unique, so a plain count counts students.
    holders = (
        StudentCertification.objects.filter(scope.students("student__"), student__graduation_year=year)
        .exclude(student__status=Student.Status.LEFT)
        .order_by()
        .values("certification_id", "certification__name")
        .annotate(n=Count("pk"))
    )
    rows: dict[int, dict] = {}
    for side, found in (("seats", seats), ("holders", holders)):
        for row in found:
            entry = rows.setdefault(
                row["certification_id"],
                {"id": row["certification_id"], "name": row["certification__name"], "seats": 0, "holders": 0},
            )
            entry[side] = row["n"]
    for entry in rows.values():
        entry["gap"] = entry["seats"] - entry["holders"]
    return sorted(rows.values(), key=lambda r: (-r["gap"], r["name"], r["id"]))


def retention_curves(*, scope: DashboardScope, year: int, today: datetime.date | None = None) -> list[dict]:
    """Month by month for a year after the survey date, the share of each cohort still employed.

    One query per cohort (`year` and the two before it). Month 0 is the survey date; the
    rate at month m is graduates employed both on the survey date and m months later ÷
    graduates employed on the survey date × 100. Months still to come are null.
    """
    today = today or timezone.localdate()
    curves = []
    for cohort in range(year - RETENTION_COHORTS + 1, year + 1):
        survey = survey_date(cohort)
        dates = [add_months(survey, m) for m in range(RETENTION_MONTHS + 1)]
        flags = tuple(range(RETENTION_MONTHS + 1))
        # "still<m>": employed on the survey date and m months later.
        counts = employment_by_student(scope=scope, year=cohort, months=flags).aggregate(
            **{f"still{m}": Count("student_id", filter=Q(m0=1) & Q(**{f"m{m}": 1})) for m in flags}
        )
        base = counts["still0"]
        months = []
        for m, day in enumerate(dates):
            measured = day <= today
            months.append(
                {
                    "month": m,
                    "date": day,
                    "employed": counts[f"still{m}"] if measured else None,
                    "rate": percent(counts[f"still{m}"], base) if measured else None,
                }
            )
        curves.append({"cohort": cohort, "survey_date": survey, "employed_on_survey": base, "months": months})
    return curves


def credit_progress(*, scope: DashboardScope, year: int) -> dict:
    """Graduates of the scope in credit programmes, and their credits toward 80 or 140 (two queries).

    Enrolments made by the end of `year`; credits recorded for `year` or earlier. The
    goal is 80 credits for an associate degree and 140 for a bachelor's (Academic Credit
    Bank). Rows by programme and totals by degree.
    """
    from universities.models import CreditProgram, CreditRecord, ProgramEnrollment

    earned = (
        CreditRecord.objects.filter(enrollment=OuterRef("pk"), year__lte=year)
        .order_by()
        .values("enrollment")
        .annotate(s=Sum("credits"))
        .values("s")
    )
    goal = Case(
        *(When(program__degree=degree, then=Value(n)) for degree, n in DEGREE_CREDITS.items()),
        output_field=IntegerField(),
    )
    enrolments = (
        ProgramEnrollment.objects.filter(
            scope.students("student__"), enrolled_on__lte=datetime.date(year, 12, 31)
        )
        .order_by()
        .annotate(earned=Coalesce(Subquery(earned, output_field=IntegerField()), 0), goal=goal)
    )
    measures = {
        "enrolled": Count("pk"),
        "students": Count("student", distinct=True),
        "active": Count("pk", filter=Q(status="active")),
        "completed": Count("pk", filter=Q(status="completed")),
        "credits": Coalesce(Sum("earned"), 0),
        "average_credits": Avg("earned"),
        "reached_goal": Count("pk", filter=Q(earned__gte=F("goal"))),
    }
    programs = list(
        enrolments.values(
            "program_id",
            program_name=F("program__name"),
            university_name=F("program__university__name"),
            degree=F("program__degree"),
        )
        .annotate(**measures)
        .order_by("university_name", "program_name", "program_id")
    )
    degrees = list(enrolments.values(degree=F("program__degree")).annotate(**measures).order_by("degree"))
    degree_labels = dict(CreditProgram.Degree.choices)
    for row in itertools.chain(programs, degrees):
        row["goal"] = DEGREE_CREDITS[row["degree"]]
        row["degree_label"] = str(degree_labels.get(row["degree"], row["degree"]))
        row["average_credits"] = (
            round(row["average_credits"], 1) if row["average_credits"] is not None else None
        )
    return {"programs": programs, "degrees": degrees}


def budget_table(*, scope: DashboardScope) -> list[dict]:
    """Planned, executed and remaining KRW by year and category, every year of the district (one query)."""
    rows = (
        BudgetLine.objects.filter(district=scope.district)
        .order_by()
        .annotate(executed=_executed_subquery())
        .annotate(remaining=F("planned_krw") - F("executed"))
        .values("id", "year", "category", "description", "planned_krw", "executed", "remaining")
        .order_by("year", "category", "id")
    )
    labels = dict(BudgetLine.Category.choices)
    return [{**row, "category_label": str(labels.get(row["category"], row["category"]))} for row in rows]


def budget_burn_down(*, scope: DashboardScope, year: int) -> list[dict]:
    """For each month of `year`: spent that month, spent so far and the planned amount left (two queries)."""
    planned = BudgetLine.objects.filter(district=scope.district, year=year).aggregate(
        n=Coalesce(Sum("planned_krw"), 0)
    )["n"]
    spent = dict(
        Expenditure.objects.filter(budget_line__district=scope.district, budget_line__year=year)
        .annotate(month=TruncMonth("spent_on"))
        .order_by()
        .values("month")
        .annotate(s=Sum("amount_krw"))
        .values_list("month", "s")
    )
    by_month = {m.month: s for m, s in spent.items() if m.year == year}
    # The running total is over at most twelve rows, already summed by the database.
    running = list(itertools.accumulate(by_month.get(m, 0) for m in range(1, 13)))
    return [
        {
            "month": f"{year}-{m:02d}",
            "spent": by_month.get(m, 0),
            "spent_to_date": running[m - 1],
            "remaining": planned - running[m - 1],
            "planned": planned,
        }
        for m in range(1, 13)
    ]


def dashboard_budget(*, scope: DashboardScope, year: int) -> dict:
    """The budget endpoint: every year by category, and the burn-down of `year` (three queries)."""
    if not scope.sees_budget:
        raise PermissionDenied(_("The budget is the district's; only officials may read it."))
    return {"lines": budget_table(scope=scope), "burn_down": budget_burn_down(scope=scope, year=year)}


def training_summary(*, scope: DashboardScope, year: int) -> dict:
    """Teacher-training hours in `year` and co-developed curriculum units, by school (four queries)."""
    from schools.models import CourseUnit, TeacherTraining, TrainingCompletion

    completions = TrainingCompletion.objects.filter(
        teacher__school_id__in=scope.school_ids, completed_on__year=year
    )
    hours_by_school = list(
        completions.order_by()
        .values(school_id=F("teacher__school_id"), school_name=F("teacher__school__name"))
        .annotate(
            training_hours=Sum("hours"), teachers=Count("teacher", distinct=True), completed=Count("pk")
        )
        .order_by("school_name", "school_id")
    )
    in_scope = Q(completions__teacher__school_id__in=scope.school_ids, completions__completed_on__year=year)
    trainings = list(
        TeacherTraining.objects.filter(district=scope.district)
        .filter(Q(starts_on__year=year) | Q(ends_on__year=year))
        .annotate(
            completed=Count("completions", filter=in_scope),
            hours_completed=Coalesce(Sum("completions__hours", filter=in_scope), 0),
        )
        .values("id", "title", "provider", "hours", "starts_on", "ends_on", "completed", "hours_completed")
        .order_by("starts_on", "id")
    )
    co_developed = Exists(CourseUnit.co_developers.through.objects.filter(courseunit=OuterRef("pk")))
    curriculum_by_school = list(
        CourseUnit.objects.filter(department__school_id__in=scope.school_ids)
        .annotate(is_co_developed=co_developed)
        .order_by()
        .values(school_id=F("department__school_id"), school_name=F("department__school__name"))
        .annotate(
            units=Count("pk"),
            co_developed=Count("pk", filter=Q(is_co_developed=True)),
            unit_hours=Sum("hours"),
            co_developed_hours=Coalesce(Sum("hours", filter=Q(is_co_developed=True)), 0),
        )
        .order_by("school_name", "school_id")
    )
    totals = completions.aggregate(
        hours=Coalesce(Sum("hours"), 0), teachers=Count("teacher", distinct=True), completions=Count("pk")
    )
    return {
        "year": year,
        "hours": totals["hours"],
        "teachers": totals["teachers"],
        "completions": totals["completions"],
        "hours_by_school": hours_by_school,
        "trainings": trainings,
        "curriculum_by_school": curriculum_by_school,
        "co_developed_units": sum(row["co_developed"] for row in curriculum_by_school),
        "curriculum_units": sum(row["units"] for row in curriculum_by_school),
    }


# --- Evaluation pack rows -----------------------------------------------------------------------


def participants_by_department(*, scope: DashboardScope, year: int) -> list[dict]:
    """The cohort by school and department (one query).

    Students, those who took part in field practice, those employed on 1 April and
    those enrolled in a credit programme.
    """
    from schools.models import FieldPractice
    from universities.models import ProgramEnrollment

    started = ["in_progress", "on_hold", "completed"]
    practised = Q(pk__in=FieldPractice.objects.filter(status__in=started).order_by().values("student_id"))
    working = Q(pk__in=employed_ids(survey_date(year)))
    enrolled = Q(pk__in=ProgramEnrollment.objects.order_by().values("student_id"))
    rows = (
        cohort_students(scope=scope, year=year)
        .order_by()
        .values(school_name=F("school__name"), department_name=F("department__name"))
        .annotate(
            students=Count("pk"),
            field_practice=Count("pk", filter=practised),
            employed=Count("pk", filter=working),
            progressed=Count("pk", filter=enrolled),
        )
        .order_by("school_name", "department_name")
    )
    return [{**row, "employment_rate": percent(row["employed"], row["students"])} for row in rows]


def retention_by_school(
    *, scope: DashboardScope, year: int, today: datetime.date | None = None
) -> list[dict]:
    """Employed on 1 April and retained at 6 and 12 months, by school (one query, the KPIs' definitions)."""
    today = today or timezone.localdate()
    survey = survey_date(year)
    rows = (
        cohort_students(scope=scope, year=year)
        .order_by()
        .values(school_name=F("school__name"))
        .annotate(**employment_aggregates(year))
        .order_by("school_name")
    )
    six, twelve = today >= add_months(survey, 6), today >= add_months(survey, 12)
    return [
        {
            "school": row["school_name"],
            "employed": row["employed"],
            "retained_6m": row["retained_6m"] if six else None,
            "retention_6m": percent(row["retained_6m"], row["employed"]) if six else None,
            "retained_12m": row["retained_12m"] if twelve else None,
            "retention_12m": percent(row["retained_12m"], row["employed"]) if twelve else None,
        }
        for row in rows
    ]


def expenditure_rows(*, scope: DashboardScope, year: int) -> list[dict]:
    """Each expenditure of the year's budget lines, with its line (one query)."""
    rows = (
        Expenditure.objects.filter(budget_line__district=scope.district, budget_line__year=year)
        .order_by("budget_line__category", "spent_on", "pk")
        .values("spent_on", "amount_krw", "description", category=F("budget_line__category"))
    )
    labels = dict(BudgetLine.Category.choices)
    return [{**row, "category_label": str(labels.get(row["category"], row["category"]))} for row in rows]


def co_developed_unit_rows(*, scope: DashboardScope) -> list[dict]:
    """Curriculum units developed with companies, with those companies (two queries)."""
    from schools.models import CourseUnit

    units = (
        CourseUnit.objects.filter(department__school_id__in=scope.school_ids, co_developers__isnull=False)
        .distinct()
        .select_related("department__school", "ncs_unit")
        .prefetch_related("co_developers")
        .order_by("department__school__name", "department__name", "title", "pk")
    )
    return [
        {
            "school": unit.department.school.name,
            "department": unit.department.name,
            "title": unit.title,
            "ncs_code": unit.ncs_unit.code,
            "hours": unit.hours,
            "companies": ", ".join(sorted(c.name for c in unit.co_developers.all())),
        }
        for unit in units
    ]


def mou_table(*, scope: DashboardScope, year: int) -> list[dict]:
    """`mou_rows` as plain rows with the fulfilment rate (one query)."""
    return [
        {
            "company": row.name,
            "pledged": row.pledged,
            "hires": row.hires,
            "fulfilment": percent(row.hires, row.pledged),
        }
        for row in mou_rows(scope=scope, year=year)
    ]


# The aggregate figures of a run's statistics (placements.services.runs) that the matching
# endpoint passes on; the run page shows the rest (seed, fingerprint, timings).
MATCHING_STATS = (
    "students",
    "students_who_ranked",
    "matched",
    "matched_share",
    "matched_share_of_those_who_ranked",
    "first_choice_share",
    "top3_share",
    "local_share",
    "openings",
    "seats",
    "seats_filled",
    "preferences",
    "unmatched_by_reason",
    "choice_distribution",
    "seats_by_segment",
    "seats_by_company",
    "publication",
)


def matching_summary(*, scope: DashboardScope, year: int) -> list[dict]:
    """The district's matching round for the cohort `year`, with each run's statistics (two queries).

    A run's statistics are counts and shares over the round's students, as the engine stored
    them; no student appears. They are the district's: school staff are refused, as for the budget.
    """
    from placements.models import MatchRound, MatchRun

    if not scope.sees_budget:
        raise PermissionDenied(_("Matching rounds are the district's; only officials may read them."))
    rounds = MatchRound.objects.filter(district=scope.district, cohort=year).order_by("pk")
    runs = MatchRun.objects.filter(round__in=rounds).order_by("created_at", "pk")
    by_round: dict[int, list[dict]] = {}
    for run in runs:
        stats = run.stats or {}
        by_round.setdefault(run.round_id, []).append(
            {
                "id": run.pk,
                "status": run.status,
                "created_at": run.created_at,
                "finished_at": run.finished_at,
                "published_at": run.published_at,
                "stats": {key: stats[key] for key in MATCHING_STATS if key in stats},
            }
        )
    return [
        {
            "id": match_round.pk,
            "title": match_round.title,
            "cohort": match_round.cohort,
            "preferences_close_at": match_round.preferences_close_at,
            "runs": by_round.get(match_round.pk, []),
        }
        for match_round in rounds
    ]


# --- Caching -----------------------------------------------------------------------------------


DASHBOARD_DATA: dict[str, Callable[..., object]] = {
    "summary": dashboard_summary,
    "funnel": application_funnel,
    "skills-gap": skills_gap,
    "retention": retention_curves,
    "credits": credit_progress,
    "budget": dashboard_budget,
    "training": training_summary,
    "matching": matching_summary,
}


def dashboard_data(name: str, *, scope: DashboardScope, year: int, **params):
    """One dashboard aggregate, cached per caller scope, year, parameters and language.

    The key holds the caller's role, district and schools, so two callers with different
    scopes never share a cached body. DASHBOARD_CACHE_SECONDS = 0 turns the cache off.
    """
    compute = placements_by if name == "placements" else DASHBOARD_DATA[name]
    timeout = settings.DASHBOARD_CACHE_SECONDS
    if not timeout:
        return compute(scope=scope, year=year, **params)
    extra = ",".join(f"{k}={v}" for k, v in sorted(params.items()))
    key = f"dashboard:v1:{name}:{scope.cache_key}:y{year}:{extra}:{translation.get_language()}"
    value = cache.get(key)
    if value is None:
        value = compute(scope=scope, year=year, **params)
        cache.set(key, value, timeout)
    return value
