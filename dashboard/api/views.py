"""/api/v1/dashboard/: the dashboard aggregates for the caller's scope, read through `dashboard.kpis`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard.api import serializers as s
from dashboard.forms import DashboardFilterForm
from dashboard.kpis import PLACEMENT_GROUPS, comparison_data, dashboard_data, dashboard_reach, national_reach

FILTER_PARAMETERS = [
    OpenApiParameter(
        "district",
        OpenApiTypes.STR,
        description="District slug (its id is accepted too); default: the caller's first.",
    ),
    OpenApiParameter(
        "cohort",
        OpenApiTypes.INT,
        description=(
            "The cohort: the school year (학년도) of the students' final year; 2025 graduated in "
            "February 2026 and was surveyed on 1 April 2026. Budget, targets, training and agreements "
            "are those of its programme year, cohort + 1. Default: the latest cohort whose survey "
            "date has passed."
        ),
    ),
    OpenApiParameter(
        "year",
        OpenApiTypes.INT,
        deprecated=True,
        description=(
            "Deprecated, accepted for one release: the calendar year of the graduation; year=2026 "
            "means cohort=2025. Answers carry a Deprecation header."
        ),
    ),
    OpenApiParameter(
        "school", OpenApiTypes.INT, description="School id; school staff see only their schools."
    ),
]
REFUSALS = {401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT}
# When the `year` parameter was deprecated (7 December 2026), as RFC 9745's structured date.
DEPRECATED_SINCE = "@1796601600"


class DashboardView(APIView):
    """A dashboard aggregate for the caller's scope.

    Officials and tokens read their district, school staff their schools.

    Students, recruiters, coordinators and anonymous callers are refused.
    """

    token_readable = True
    data_name = ""

    def get(self, request):
        # As with the lists' filters (district/api/filtering.py): a parameter sent empty is an
        # error, not "the default", so that a client's missing value does not go unnoticed.
        empty = [
            name for name in (*DashboardFilterForm.base_fields, "by") if request.query_params.get(name) == ""
        ]
        if empty:
            raise ValidationError(
                {
                    name: [_("This parameter may not be empty; leave it out for the default.")]
                    for name in empty
                }
            )
        form = DashboardFilterForm(request.query_params, reach=dashboard_reach(request.user))
        if not form.is_valid():
            # The same shape as every other 400 of the API: each field with a list of messages.
            raise ValidationError(
                {field: [str(message) for message in messages] for field, messages in form.errors.items()}
            )
        scope, cohort = form.resolved()
        response = Response(
            dashboard_data(self.data_name, scope=scope, cohort=cohort, **self.extra_params(request))
        )
        if form.deprecated_year:
            # RFC 9745: the parameter is deprecated (since this release), with a link to the docs.
            response["Deprecation"] = DEPRECATED_SINCE
            response["Link"] = f'<{request.build_absolute_uri(reverse("api-docs"))}>; rel="deprecation"'
        return response

    def extra_params(self, request) -> dict:
        return {}


def dashboard_schema(summary: str, response, parameters=()):
    return extend_schema(
        summary=summary,
        tags=["dashboard"],
        parameters=[*FILTER_PARAMETERS, *parameters],
        responses={200: response, **REFUSALS},
    )


@dashboard_schema("Every KPI of the scope with its target", s.DashboardSummarySerializer)
class SummaryView(DashboardView):
    data_name = "summary"


class PlacementGroupField(serializers.Serializer):
    by = serializers.ChoiceField(choices=PLACEMENT_GROUPS, default="school")


@dashboard_schema(
    "The cohort's placements grouped by school, department, company, segment or start month",
    s.PlacementGroupSerializer(many=True),
    [OpenApiParameter("by", OpenApiTypes.STR, enum=PLACEMENT_GROUPS, default="school")],
)
class PlacementsView(DashboardView):
    data_name = "placements"

    def extra_params(self, request) -> dict:
        field = PlacementGroupField(data=request.query_params)
        field.is_valid(raise_exception=True)
        return {"by": field.validated_data["by"]}


@dashboard_schema("Applications of the cohort in each state", s.FunnelStepSerializer(many=True))
class FunnelView(DashboardView):
    data_name = "funnel"


@dashboard_schema(
    "For each certification, seats requiring it against students holding it", s.SkillsGapSerializer(many=True)
)
class SkillsGapView(DashboardView):
    data_name = "skills-gap"


@dashboard_schema(
    "Retention month by month after the survey date, for the cohort and the two before it",
    s.RetentionCurveSerializer(many=True),
)
class RetentionView(DashboardView):
    data_name = "retention"


@dashboard_schema("Graduates in credit programmes and their credits toward 80 or 140", s.CreditsSerializer)
class CreditsView(DashboardView):
    data_name = "credits"


@dashboard_schema(
    "Budget planned, executed and remaining by year and category, and the year's burn-down (officials)",
    s.BudgetSerializer,
)
class BudgetView(DashboardView):
    data_name = "budget"


@dashboard_schema(
    "Teacher-training hours and curriculum units co-developed with companies", s.TrainingSerializer
)
class TrainingView(DashboardView):
    data_name = "training"


@dashboard_schema(
    "The cohort's matching round and the statistics of each of its runs (officials)",
    s.MatchingRoundSerializer(many=True),
)
class MatchingView(DashboardView):
    data_name = "matching"


@extend_schema(
    summary="Every district's headline KPIs side by side (national officials and superusers)",
    tags=["dashboard"],
    parameters=[FILTER_PARAMETERS[1]],
    responses={200: s.DistrictComparisonSerializer, **REFUSALS},
)
class DistrictsView(APIView):
    """The national comparison: a row per district, the same figures as each district's summary.

    National officials and superusers only; district officials, school staff and the districts'
    dashboard tokens are refused (403).
    """

    def get(self, request):
        form = DashboardFilterForm(request.query_params, reach=national_reach(request.user))
        if not form.is_valid():
            raise ValidationError(
                {field: [str(message) for message in messages] for field, messages in form.errors.items()}
            )
        _scope, cohort = form.resolved()
        return Response(comparison_data(scopes=form.reach.district_scopes(), cohort=cohort))
