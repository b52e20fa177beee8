"""KPI definitions and the dashboard's aggregates, read by the API, the dashboard page and the exports.

Every KPI is defined once, in `dashboard.kpis.definitions`, by a function registered
with `@kpi`: its docstring starts with the formula, which `docs/kpis.md` repeats and the
dashboard page shows as a tooltip (a test keeps the three in step). The counts the
formulas use come from a few selectors that each run one aggregate query in the
database, one module per topic:

- `dates`: months after the survey date, "employed on a date", rates;
- `scope`: who sees what (`DashboardScope`, `DashboardReach`, `dashboard_reach`);
- `cohorts`: the cohort, employment and retention counts;
- `openings`, `mou`, `budget`, `activity`, `training`: the other counts;
- `counts`: every count for one scope and cohort; `definitions`: the KPIs and the summary;
- `placements`, `skills`, `retention`, `credits`, `matching`: the other aggregates;
- `evaluation`: rows only the evaluation pack shows;
- `national`: the headline KPIs of every district side by side (the national comparison);
- `cached`: `dashboard_data`, every aggregate by name, cached; `dashboard_data_many`, several at
  once under the same keys (the dashboard page, which shares them with the API).

This package re-exports the public names, so callers write `from dashboard import kpis`.

Conventions shared by every definition (docs/kpis.md says the same at length):

- **Cohort.** `cohort` is the school year (학년도) of the students' final year, as
  `district.cohorts.Cohort` defines it: cohort 2025 graduated in February 2026. The cohort
  counts the students of the scope with that `Student.cohort` who did not leave school
  (`status != "left"`).
- **Programme year.** Budget, targets, training, field practice, MOU hires and openings
  belong to a calendar (fiscal) year; a cohort is reported with the programme year of its
  survey, `Cohort.programme_year` = school year + 1.
- **Survey date.** The Ministry and KEDI survey graduates on 1 April after the graduation,
  from insurance records (`Cohort.survey_on`, the one copy). A graduate is *employed on a
  date* when one of their placements has started on or before it and has not ended before
  it (`ends_on` empty or on or after the date). A placement that ended before the date
  does not count. Employment is `null` until the survey date has come.
- **Retention** at 6 and 12 months: of the graduates employed on the survey date, the
  share still employed (at any company) on 1 October and on the next 1 April
  (`Cohort.six_month_check_on`, `Cohort.twelve_month_check_on`). It is `null` until that
  date has come.
- **One function per figure.** Every figure shown in two places (home page, tiles, tables,
  API, evaluation pack) is read from the same function here; tests/dashboard/test_agreement.py
  checks that they agree on the demo.
- **Open openings** follow the public-opening rule, `companies.models.public_opening_q`
  (published, deadline not passed, company verified); credits toward a degree use
  `universities.models.DEGREE_CREDITS`.
- A rate whose denominator is zero is `null`, never 0 and never an error.
- **Scope.** Officials and dashboard tokens read a whole district; school staff only
  their schools. District-wide figures that no school owns (open openings, budget) are
  the district's for everyone who may see them, except the budget, which is `null` for
  school staff (officials who filter on a school still see the district's budget), and the
  matching rounds, which school staff may not read.
"""

from dashboard.kpis.activity import PRACTICE_STARTED, ActivityCounts, activity_counts, practice_started
from dashboard.kpis.budget import (
    BudgetCounts,
    budget_burn_down,
    budget_counts,
    budget_table,
    dashboard_budget,
    expenditure_rows,
)
from dashboard.kpis.cached import (
    DASHBOARD_DATA,
    PAGE_DATA,
    DashboardData,
    comparison_data,
    dashboard_cache_keys,
    dashboard_data,
    dashboard_data_many,
)
from dashboard.kpis.cohorts import (
    CohortCounts,
    cohort_counts,
    cohort_placements,
    cohort_students,
    count_per_group,
    covers,
    covers_after_survey,
    employed_ids,
    employment_aggregates,
    employment_by_student,
    in_cohort,
    progressed_ids,
)
from dashboard.kpis.counts import Figures, figures
from dashboard.kpis.credits import credit_progress
from dashboard.kpis.dates import add_months, employed_on, percent
from dashboard.kpis.definitions import KPIS, Kpi, dashboard_summary, kpi, kpi_targets
from dashboard.kpis.evaluation import participants_by_department
from dashboard.kpis.matching import MATCHING_STATS, matching_summary
from dashboard.kpis.mou import MouCounts, mou_counts, mou_rows, mou_table
from dashboard.kpis.national import COMPARED, district_comparison
from dashboard.kpis.openings import POSTED_STATUSES, OpeningCounts, opening_counts, posted_in_year
from dashboard.kpis.placements import (
    PLACEMENT_GROUPS,
    application_funnel,
    placements_by,
    placements_by_groups,
)
from dashboard.kpis.retention import (
    RETENTION_COHORTS,
    RETENTION_MONTHS,
    retention_by_school,
    retention_curves,
)
from dashboard.kpis.scope import (
    DashboardReach,
    DashboardScope,
    dashboard_reach,
    district_scope,
    district_scopes,
    national_reach,
)
from dashboard.kpis.skills import skills_gap
from dashboard.kpis.training import (
    co_developed_unit_rows,
    co_developed_units_of,
    is_co_developed,
    training_completions,
    training_summary,
)

__all__ = [
    "COMPARED",
    "ActivityCounts",
    "BudgetCounts",
    "CohortCounts",
    "DASHBOARD_DATA",
    "PAGE_DATA",
    "DashboardData",
    "DashboardReach",
    "DashboardScope",
    "Figures",
    "KPIS",
    "Kpi",
    "MATCHING_STATS",
    "MouCounts",
    "OpeningCounts",
    "PLACEMENT_GROUPS",
    "POSTED_STATUSES",
    "PRACTICE_STARTED",
    "RETENTION_COHORTS",
    "RETENTION_MONTHS",
    "activity_counts",
    "add_months",
    "application_funnel",
    "budget_burn_down",
    "budget_counts",
    "budget_table",
    "co_developed_unit_rows",
    "comparison_data",
    "co_developed_units_of",
    "cohort_counts",
    "cohort_placements",
    "cohort_students",
    "count_per_group",
    "covers",
    "covers_after_survey",
    "credit_progress",
    "dashboard_budget",
    "dashboard_cache_keys",
    "dashboard_data",
    "dashboard_data_many",
    "dashboard_reach",
    "dashboard_summary",
    "district_comparison",
    "district_scope",
    "district_scopes",
    "employed_ids",
    "employed_on",
    "employment_aggregates",
    "employment_by_student",
    "expenditure_rows",
    "figures",
    "in_cohort",
    "is_co_developed",
    "kpi",
    "kpi_targets",
    "matching_summary",
    "national_reach",
    "mou_counts",
    "mou_rows",
    "mou_table",
    "opening_counts",
    "participants_by_department",
    "percent",
    "placements_by",
    "placements_by_groups",
    "posted_in_year",
    "practice_started",
    "progressed_ids",
    "retention_by_school",
    "retention_curves",
    "skills_gap",
    "training_completions",
    "training_summary",
]
