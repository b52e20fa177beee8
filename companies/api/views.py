from drf_spectacular.utils import extend_schema, extend_schema_view

from companies.api.serializers import CompanySerializer, OpeningSerializer
from companies.filters import CompanyFilterSet, OpeningFilterSet
from companies.selectors.public import company_list_public, opening_list_public
from district.api.base import PublicReadOnlyViewSet


@extend_schema_view(
    list=extend_schema(summary="Verified partner companies", tags=["public"]),
    retrieve=extend_schema(summary="A verified partner company", tags=["public"]),
)
class CompanyViewSet(PublicReadOnlyViewSet):
    selector = company_list_public
    district_lookup = "district"
    serializer_class = CompanySerializer
    filterset_class = CompanyFilterSet


@extend_schema_view(
    list=extend_schema(
        summary="Published openings of verified companies whose deadline has not passed", tags=["public"]
    ),
    retrieve=extend_schema(summary="A published opening", tags=["public"]),
)
class OpeningViewSet(PublicReadOnlyViewSet):
    selector = opening_list_public
    district_lookup = "company__district"
    selector_kwargs = {"with_departments": True}  # the serializer shows preferred departments
    serializer_class = OpeningSerializer
    filterset_class = OpeningFilterSet
