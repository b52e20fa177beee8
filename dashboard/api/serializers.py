"""Dashboard API responses, for the schema: the views return the KPI selectors' dicts."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dashboard.kpis import COMPARED, KPIS


def _summary_serializer():
    fields = {
        "district": serializers.IntegerField(),
        "schools": serializers.ListField(
            child=serializers.IntegerField(),
            allow_null=True,
            help_text="The schools covered, or null for the whole district.",
        ),
        "cohort": serializers.IntegerField(
            help_text="The cohort: the school year of the final year (2025: graduated in February 2026)."
        ),
        "cohort_label": serializers.CharField(
            help_text="The cohort as pages name it, in the caller's language: 2025학년도 (2026년 2월 졸업)",
        ),
        "programme_year": serializers.IntegerField(
            help_text="The programme (fiscal) year the cohort is reported in: its survey's year, cohort + 1."
        ),
        "survey_date": serializers.DateField(
            help_text="The Ministry/KEDI survey date: 1 April after the graduation (cohort + 1)."
        ),
        "retention_6m_date": serializers.DateField(
            help_text="The 6-month retention check: 1 October after it."
        ),
        "retention_12m_date": serializers.DateField(
            help_text="The 12-month retention check: 1 April a year after the survey."
        ),
        "targets": serializers.DictField(
            child=serializers.FloatField(),
            help_text="The district's targets for the programme year, by KPI key.",
        ),
    }
    for definition in KPIS.values():
        kind = serializers.FloatField if definition.unit == "%" else serializers.IntegerField
        fields[definition.key] = kind(allow_null=True, help_text=f"{definition.formula} ({definition.unit})")
    return type("DashboardSummary", (serializers.Serializer,), fields)


DashboardSummarySerializer = _summary_serializer()


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class GroupKeyField(serializers.Field):
    """An id (integer) when grouping by school, department or company; a string otherwise."""

    def to_representation(self, value):
        return value


class PlacementGroupSerializer(serializers.Serializer):
    key = GroupKeyField(help_text="The school, department or company id, segment code or YYYY-MM.")
    label = serializers.CharField()
    placements = serializers.IntegerField(
        help_text="Placements ever made for the cohort's students (hires confirmed, cumulative)."
    )
    local = serializers.IntegerField(help_text="Of the placements, those at a company in the district.")
    active = serializers.IntegerField(help_text="Placements still active today.")
    employed = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "Graduates employed on the survey date: the employment KPI's count, so the rows by "
            "school add up to the summary's `employed`. Null before the survey date."
        ),
    )
    employed_local = serializers.IntegerField(
        allow_null=True, help_text="Of those, employed locally (the local employment KPI's count)."
    )


class FunnelStepSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class SkillsGapSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    seats = serializers.IntegerField(help_text="Seats of openings starting in the year that require it.")
    holders = serializers.IntegerField(help_text="Students of the cohort who hold it.")
    gap = serializers.IntegerField(help_text="seats − holders")


class RetentionMonthSerializer(serializers.Serializer):
    month = serializers.IntegerField(help_text="Months after the survey date.")
    date = serializers.DateField()
    employed = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True, help_text="% of those employed on the survey date.")


class RetentionCurveSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(help_text="The cohort (school year).")
    cohort_label = serializers.CharField()
    survey_date = serializers.DateField()
    employed_on_survey = serializers.IntegerField(allow_null=True, help_text="Null before the survey date.")
    months = RetentionMonthSerializer(many=True)


class CreditRowSerializer(serializers.Serializer):
    program_id = serializers.IntegerField(required=False)
    program_name = serializers.CharField(required=False)
    university_name = serializers.CharField(required=False)
    degree = serializers.CharField()
    degree_label = serializers.CharField()
    goal = serializers.IntegerField(help_text="80 credits for an associate degree, 140 for a bachelor's.")
    enrolled = serializers.IntegerField()
    students = serializers.IntegerField()
    active = serializers.IntegerField()
    completed = serializers.IntegerField()
    credits = serializers.IntegerField()
    average_credits = serializers.FloatField(allow_null=True)
    reached_goal = serializers.IntegerField()


class CreditsSerializer(serializers.Serializer):
    programs = CreditRowSerializer(many=True)
    degrees = CreditRowSerializer(many=True)


class BudgetLineRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    description = serializers.CharField()
    planned_krw = serializers.IntegerField()
    executed = serializers.IntegerField()
    remaining = serializers.IntegerField()


class BurnDownSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    spent = serializers.IntegerField()
    spent_to_date = serializers.IntegerField()
    remaining = serializers.IntegerField()
    planned = serializers.IntegerField()


class BudgetSerializer(serializers.Serializer):
    programme_year = serializers.IntegerField(
        help_text="The year of the burn-down: the cohort's programme year."
    )
    lines = BudgetLineRowSerializer(many=True)
    burn_down = BurnDownSerializer(many=True)


class TrainingBySchoolSerializer(serializers.Serializer):
    school_id = serializers.IntegerField()
    school_name = serializers.CharField()
    training_hours = serializers.IntegerField()
    teachers = serializers.IntegerField()
    completed = serializers.IntegerField()


class TrainingRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    provider = serializers.CharField()
    hours = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    completed = serializers.IntegerField()
    hours_completed = serializers.IntegerField()


class CurriculumBySchoolSerializer(serializers.Serializer):
    school_id = serializers.IntegerField()
    school_name = serializers.CharField()
    units = serializers.IntegerField()
    co_developed = serializers.IntegerField()
    unit_hours = serializers.IntegerField()
    co_developed_hours = serializers.IntegerField()


class TrainingSerializer(serializers.Serializer):
    programme_year = serializers.IntegerField(
        help_text="The cohort's programme year, whose training is counted."
    )
    hours = serializers.IntegerField()
    teachers = serializers.IntegerField()
    completions = serializers.IntegerField()
    hours_by_school = TrainingBySchoolSerializer(many=True)
    trainings = TrainingRowSerializer(many=True)
    curriculum_by_school = CurriculumBySchoolSerializer(many=True)
    co_developed_units = serializers.IntegerField()
    curriculum_units = serializers.IntegerField()


class MatchingRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    stats = serializers.DictField(
        help_text=(
            "Counts and shares over the round's students, as the engine stored them: students, "
            "students_who_ranked, matched, matched_share, first_choice_share, top3_share, local_share, "
            "openings, seats, seats_filled, preferences, unmatched_by_reason, choice_distribution, "
            "seats_by_segment, seats_by_company and, once published, publication. Empty until the run ends."
        )
    )


class MatchingRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    cohort = serializers.IntegerField(help_text="The cohort (school year) the round is for.")
    cohort_label = serializers.CharField()
    preferences_close_at = serializers.DateTimeField()
    runs = MatchingRunSerializer(many=True)


def _comparison_row_serializer():
    fields = {
        "district": serializers.IntegerField(),
        "slug": serializers.CharField(help_text="The district's slug: its dashboard is ?district=<slug>."),
        "name": serializers.CharField(),
    }
    for key in COMPARED:
        definition = KPIS[key]
        kind = serializers.FloatField if definition.unit == "%" else serializers.IntegerField
        fields[key] = kind(allow_null=True, help_text=f"{definition.formula} ({definition.unit})")
    return type("DistrictComparisonRow", (serializers.Serializer,), fields)


class DistrictComparisonSerializer(serializers.Serializer):
    cohort = serializers.IntegerField()
    cohort_label = serializers.CharField()
    programme_year = serializers.IntegerField()
    survey_date = serializers.DateField()
    retention_6m_date = serializers.DateField()
    retention_12m_date = serializers.DateField()
    kpis = serializers.ListField(child=serializers.CharField(), help_text="The compared KPIs, in order.")
    districts = _comparison_row_serializer()(many=True)
