from drf_spectacular.utils import extend_schema, extend_schema_view

from district.api.base import PublicReadOnlyViewSet, ScopedViewSet
from district.api.permissions import IsOfficial
from placements.api.serializers import (
    ApplicationSerializer,
    MatchRunSerializer,
    PathwaySerializer,
    PlacementSerializer,
)
from placements.filters import (
    ApplicationFilterSet,
    MatchRunFilterSet,
    PathwayFilterSet,
    PlacementFilterSet,
)
from placements.selectors.applications import application_list_by_role
from placements.selectors.pathways import pathway_list_public
from placements.selectors.placements import placement_list_by_role
from placements.selectors.runs import match_run_list
from privacy.api.views import AccessLoggedViewSet

SCOPE_NOTE = (
    "Officials: their district. School staff: their schools. Recruiters: their company. Students: "
    "their own. Staff reads are written to the personal-data access log. Dashboard tokens may not "
    "read these per-student records (since API 1.1): they read /api/v1/dashboard/funnel/, "
    "/dashboard/placements/, /dashboard/retention/ and /dashboard/matching/ instead."
)


@extend_schema_view(
    list=extend_schema(summary="Published pathways", tags=["public"]),
    retrieve=extend_schema(summary="A published pathway", tags=["public"]),
)
class PathwayViewSet(PublicReadOnlyViewSet):
    selector = pathway_list_public
    district_lookup = "district"
    selector_kwargs = {"with_route": True}  # the serializer shows the whole route on every row
    serializer_class = PathwaySerializer
    filterset_class = PathwayFilterSet


@extend_schema_view(
    list=extend_schema(summary="Applications in the caller's reach", description=SCOPE_NOTE, tags=["scoped"]),
    retrieve=extend_schema(summary="An application in the caller's reach", tags=["scoped"]),
)
class ApplicationViewSet(AccessLoggedViewSet):
    selector = application_list_by_role
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    # Per-student records, with the company's free-text feedback: tokens read /dashboard/funnel/.
    token_readable = False
    access_log_name = "applications"


@extend_schema_view(
    list=extend_schema(summary="Placements in the caller's reach", description=SCOPE_NOTE, tags=["scoped"]),
    retrieve=extend_schema(summary="A placement in the caller's reach", tags=["scoped"]),
)
class PlacementViewSet(AccessLoggedViewSet):
    selector = placement_list_by_role
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilterSet
    # Per-student records: tokens read /dashboard/placements/ and /dashboard/retention/.
    token_readable = False
    access_log_name = "placements"


@extend_schema_view(
    list=extend_schema(summary="Matching runs (officials only)", tags=["scoped"]),
    retrieve=extend_schema(summary="A matching run (officials only)", tags=["scoped"]),
)
class MatchRunViewSet(ScopedViewSet):
    selector = match_run_list
    serializer_class = MatchRunSerializer
    filterset_class = MatchRunFilterSet
    permission_classes = [IsOfficial]
    # Tokens read the runs' statistics through /dashboard/matching/.
    token_readable = False
