from drf_spectacular.utils import extend_schema, extend_schema_view

from district.api.base import PublicReadOnlyViewSet
from privacy.api.views import AccessLoggedViewSet
from schools.api.serializers import DepartmentSerializer, SchoolSerializer, StudentSerializer
from schools.filters import DepartmentFilterSet, SchoolFilterSet, StudentFilterSet
from schools.selectors.curriculum import department_list_public
from schools.selectors.schools import school_list_public
from schools.selectors.students import student_list_by_role


@extend_schema_view(
    list=extend_schema(summary="Schools in the programme", tags=["public"]),
    retrieve=extend_schema(summary="A school", tags=["public"]),
)
class SchoolViewSet(PublicReadOnlyViewSet):
    selector = school_list_public
    district_lookup = "district"
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilterSet


@extend_schema_view(
    list=extend_schema(summary="School departments", tags=["public"]),
    retrieve=extend_schema(summary="A school department", tags=["public"]),
)
class DepartmentViewSet(PublicReadOnlyViewSet):
    selector = department_list_public
    district_lookup = "school__district"
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet


@extend_schema_view(
    list=extend_schema(
        summary="Students in the caller's reach",
        description=(
            "Officials: their district. School staff: their schools. Recruiters: students who applied "
            "to their company, without contact details or date of birth until an offer is accepted. "
            "Students: themselves. Personal data: dashboard tokens may not read it."
        ),
        tags=["scoped"],
    ),
    retrieve=extend_schema(summary="A student in the caller's reach", tags=["scoped"]),
)
class StudentViewSet(AccessLoggedViewSet):
    selector = student_list_by_role
    serializer_class = StudentSerializer
    filterset_class = StudentFilterSet
    # Personal data of minors: BI tokens read aggregates, never this list.
    token_readable = False
    access_log_name = "students"
    access_log_student = ""  # each row is the student
