"""Serializers of the shared vocabulary, and small references reused by every app's API."""

from rest_framework import serializers

from district.models import Certification, IndustrySegment, JobRole, NcsUnit


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
