"""The district's API views: the shared vocabulary and the schema (the dashboard's are in dashboard/api/)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from district.api import serializers as s
from district.api.base import PublicReadOnlyViewSet
from district.filters import CertificationFilterSet, JobRoleFilterSet
from district.selectors import certification_list_public, job_role_list_public


@extend_schema_view(
    list=extend_schema(summary="Job roles", tags=["public"]),
    retrieve=extend_schema(summary="A job role", tags=["public"]),
)
class JobRoleViewSet(PublicReadOnlyViewSet):
    selector = job_role_list_public
    district_lookup = "district"  # each district's own job roles (issue 16)
    serializer_class = s.JobRoleSerializer
    filterset_class = JobRoleFilterSet


@extend_schema_view(
    list=extend_schema(summary="Certifications", tags=["public"]),
    retrieve=extend_schema(summary="A certification", tags=["public"]),
)
class CertificationViewSet(PublicReadOnlyViewSet):
    selector = certification_list_public
    national = True  # the national registry: the same on every district's site
    serializer_class = s.CertificationSerializer
    filterset_class = CertificationFilterSet


# --- Schema and docs ---------------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema; public, and readable with a dashboard token too."""

    token_readable = True


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files: no CDN, no inline script."""

    token_readable = True
    title = _("Innovation District Portal API")
