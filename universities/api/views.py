from drf_spectacular.utils import extend_schema, extend_schema_view

from district.api.base import PublicReadOnlyViewSet
from universities.api.serializers import CreditProgramSerializer
from universities.filters import CreditProgramFilterSet
from universities.selectors import credit_program_list_public


@extend_schema_view(
    list=extend_schema(summary="Credit programmes for employed graduates", tags=["public"]),
    retrieve=extend_schema(summary="A credit programme", tags=["public"]),
)
class CreditProgramViewSet(PublicReadOnlyViewSet):
    selector = credit_program_list_public
    district_lookup = "university__district"
    serializer_class = CreditProgramSerializer
    filterset_class = CreditProgramFilterSet
