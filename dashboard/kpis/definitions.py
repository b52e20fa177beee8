"""The KPI definitions: each registered once with `@kpi`, its docstring starting with the formula."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dashboard.kpis.counts import Figures, figures
from dashboard.kpis.dates import percent
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from district.models import KpiTarget

# What a reader sees in a "unit" column (the evaluation pack, the KPI table): 명, 건, 원, 시간, %.
PEOPLE = pgettext_lazy("unit", "people")
UNIT_LABELS = {
    "%": "%",
    "KRW": pgettext_lazy("unit", "KRW"),
    "hours": pgettext_lazy("unit", "hours"),
    "count": PEOPLE,
}


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: str
    formula: str
    target: str | None
    compute: Callable[[Figures], int | float | None] = field(repr=False)
    counted: str | None = None

    @property
    def docstring(self) -> str:
        return self.compute.__doc__ or ""

    @property
    def unit_label(self) -> str:
        """The unit in the reader's language: what a count counts (명, 건, 개), else 원, 시간 or %."""
        return self.counted or UNIT_LABELS[self.unit]


KPIS: dict[str, Kpi] = {}


def kpi(key: str, *, label, unit: str, formula, target: str | None = None, counted=None):
    """Register a KPI. `formula` repeats the docstring's first line, for translation and tooltips.

    `counted` names what a count counts when it is not people (openings, units).
    """

    def register(compute):
        KPIS[key] = Kpi(
            key=key, label=label, unit=unit, formula=formula, target=target, compute=compute, counted=counted
        )
        return compute

    return register


Indicator = KpiTarget.Indicator


@kpi(
    "cohort_size",
    label=_("Graduates in the cohort"),
    unit="count",
    formula=_("Students of the scope in the cohort (their final school year) who did not leave school."),
)
def cohort_size(f: Figures) -> int:
    """Students of the scope in the cohort (their final school year) who did not leave school."""
    return f.cohort.cohort


@kpi(
    "employed",
    label=_("Employed graduates"),
    unit="count",
    formula=_("Graduates of the cohort employed on the survey date, 1 April after their graduation."),
)
def employed(f: Figures) -> int:
    """Graduates of the cohort employed on the survey date, 1 April after their graduation.

    Employed on a date: a placement started on or before it and not ended before it.
    Null before the survey date.
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

    Null when the cohort is empty, and before the survey date.
    """
    if f.cohort.employed is None:
        return None
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
    company is located in the district. Null when nobody is employed, and before the survey date.
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
    Null before 1 October after the graduation and when nobody was employed on 1 April.
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
    counted=pgettext_lazy("unit", "openings"),
    formula=_(
        "Published openings of verified companies in the district "
        "whose application deadline is today or later."
    ),
)
def open_openings(f: Figures) -> int:
    """Published openings of verified companies in the district whose application deadline is today or later.

    The public-opening rule (`companies.models.public_opening_q`): the openings anyone may see.
    """
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
        "Placements made through openings that start in the programme year ÷ seats of the published or "
        "closed openings that start in the programme year × 100."
    ),
)
def fill_rate(f: Figures) -> float | None:
    """Placements made through openings that start in the programme year ÷ seats of the published or
    closed openings that start in the programme year × 100.

    District-wide. Null when no such opening has seats.
    """
    return percent(f.openings.year_filled, f.openings.year_seats)


@kpi(
    "mou_hires",
    label=_("Hires under agreements"),
    unit="count",
    target=Indicator.MOU_HIRES,
    formula=_(
        "Placements starting in the programme year at companies with an agreement (MOU) in force that year."
    ),
)
def mou_hires(f: Figures) -> int:
    """Placements starting in the programme year at companies with an agreement (MOU) in force that year."""
    return f.mou.hires


@kpi(
    "mou_fulfilment",
    label=_("MOU pledge fulfilment"),
    unit="%",
    formula=_("Hires under agreements ÷ graduates pledged for the programme year by those agreements × 100."),
)
def mou_fulfilment(f: Figures) -> float | None:
    """Hires under agreements ÷ graduates pledged for the programme year by those agreements × 100.

    Counted per company, so that a company with two agreements is not counted twice.
    Null when nothing was pledged.
    """
    return percent(f.mou.hires, f.mou.pledged)


@kpi(
    "budget_planned_krw",
    label=_("Budget planned (KRW)"),
    unit="KRW",
    formula=_("Planned KRW of the district's budget lines for the programme year."),
)
def budget_planned_krw(f: Figures) -> int | None:
    """Planned KRW of the district's budget lines for the programme year.

    Always the district's, whatever school is chosen; null for school staff.
    """
    return f.budget.planned if f.budget else None


@kpi(
    "budget_executed_krw",
    label=_("Budget executed (KRW)"),
    unit="KRW",
    formula=_("Expenditures recorded against the programme year's budget lines."),
)
def budget_executed_krw(f: Figures) -> int | None:
    """Expenditures recorded against the programme year's budget lines.

    Always the district's; null for school staff.
    """
    return f.budget.executed if f.budget else None


@kpi(
    "budget_execution_rate",
    label=_("Budget executed against planned"),
    unit="%",
    formula=_("Expenditures against the programme year's budget lines ÷ their planned amounts × 100."),
)
def budget_execution_rate(f: Figures) -> float | None:
    """Expenditures against the programme year's budget lines ÷ their planned amounts × 100.

    Null when nothing is planned, and for school staff.
    """
    return percent(f.budget.executed, f.budget.planned) if f.budget else None


@kpi(
    "field_practice_participants",
    label=_("Field-practice participants"),
    unit="count",
    target=Indicator.FIELD_PRACTICE_PARTICIPANTS,
    formula=_(
        "Students of the scope with a field practice under way or completed during the programme year."
    ),
)
def field_practice_participants(f: Figures) -> int:
    """Students of the scope with a field practice under way or completed during the programme year.

    A practice counts when its period overlaps the programme year and it has started (in progress,
    on hold or completed); planned and cancelled ones do not.
    """
    return f.activity.field_practice_participants


@kpi(
    "teacher_training_hours",
    label=_("Teacher-training hours"),
    unit="hours",
    target=Indicator.TEACHER_TRAINING_HOURS,
    formula=_("Hours of training completed during the programme year by teachers of the scope's schools."),
)
def teacher_training_hours(f: Figures) -> int:
    """Hours of training completed during the programme year by teachers of the scope's schools."""
    return f.activity.teacher_training_hours


@kpi(
    "co_developed_units",
    label=_("Co-developed curriculum units"),
    unit="count",
    counted=pgettext_lazy("unit", "units"),
    formula=_("Curriculum units of the scope's departments developed with at least one company."),
)
def co_developed_units(f: Figures) -> int:
    """Curriculum units of the scope's departments developed with at least one company."""
    return f.activity.co_developed_units


def kpi_targets(*, scope: DashboardScope, cohort: int) -> dict[str, float]:
    """The district's targets for the programme year the cohort is reported in, keyed by KPI (one query).

    Targets are set per programme year (`KpiTarget.year`), like the budget; the cohort of school
    year N is reported in programme year N + 1, the year of its survey (`Cohort.programme_year`).
    """
    year = Cohort(cohort).programme_year
    by_indicator = dict(
        KpiTarget.objects.filter(district=scope.district, year=year).values_list("indicator", "target")
    )
    return {k.key: float(by_indicator[k.target]) for k in KPIS.values() if k.target in by_indicator}


def dashboard_summary(
    *, scope: DashboardScope, cohort: int, today: datetime.date | None = None, employment: dict | None = None
) -> dict:
    """Every KPI with its target, and the cohort's dates (eleven queries; ten when `employment`,
    the cohort's employment counts, comes already counted: see `cohort_counts`).

    Every surface that shows one of these figures (the dashboard's tiles and KPI table, the
    API's summary, the evaluation pack, the home page) reads it from here.
    """
    counts = figures(scope=scope, cohort=cohort, today=today, employment=employment)
    dates = Cohort(cohort)
    data = {
        "district": scope.district.pk,
        "schools": None if scope.whole_district else list(scope.school_ids),
        "cohort": cohort,
        "cohort_label": dates.label,
        "programme_year": dates.programme_year,
        "survey_date": dates.survey_on,
        "retention_6m_date": dates.six_month_check_on,
        "retention_12m_date": dates.twelve_month_check_on,
    }
    data.update({key: definition.compute(counts) for key, definition in KPIS.items()})
    data["targets"] = kpi_targets(scope=scope, cohort=cohort)
    return data
