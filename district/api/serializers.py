"""Serializers of the shared vocabulary, and small references reused by every app's API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from district.cohorts import cohort_label
from district.models import Certification, IndustrySegment, JobRole, NcsUnit


@extend_schema_field(OpenApiTypes.STR)
class CohortLabelField(serializers.ReadOnlyField):
    """The label of an integer cohort (the school year), as every page writes it, in the caller's
    language: 2026 → "2026학년도 (2027년 2월 졸업)" (`district.cohorts.Cohort.label`)."""

    def to_representation(self, value):
        return cohort_label(value)


class RefSerializer(serializers.Serializer):
    """A related object by id and name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustrySegment
        fields = ["code", "name"]


class NcsUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = NcsUnit
        fields = ["code", "name", "level"]


class JobRoleSerializer(serializers.ModelSerializer):
    segment = SegmentSerializer(read_only=True, allow_null=True)
    ncs_units = NcsUnitSerializer(many=True, read_only=True)

    class Meta:
        model = JobRole
        fields = ["id", "name", "segment", "description", "typical_monthly_salary_krw", "ncs_units"]


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ["id", "name", "qnet_code", "grade", "issuer"]
