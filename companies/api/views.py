from drf_spectacular.utils import extend_schema, extend_schema_view

from companies.api.selectors import company_list_public, opening_list_public
from companies.api.serializers import CompanySerializer, OpeningSerializer
from companies.filters import CompanyFilterSet, OpeningFilterSet
from district.api.base import PublicReadOnlyViewSet


@extend_schema_view(
    list=extend_schema(summary="Verified partner companies", tags=["public"]),
    retrieve=extend_schema(summary="A verified partner company", tags=["public"]),
)
class CompanyViewSet(PublicReadOnlyViewSet):
    selector = company_list_public
    serializer_class = CompanySerializer
    filterset_class = CompanyFilterSet


@extend_schema_view(
    list=extend_schema(summary="Published openings whose deadline has not passed", tags=["public"]),
    retrieve=extend_schema(summary="A published opening", tags=["public"]),
)
class OpeningViewSet(PublicReadOnlyViewSet):
    selector = opening_list_public
    serializer_class = OpeningSerializer
    filterset_class = OpeningFilterSet
