from rest_framework import serializers

from companies.models import Company, Opening
from district.api.serializers import RefSerializer, SegmentSerializer


class CompanySerializer(serializers.ModelSerializer):
    segment = SegmentSerializer(read_only=True)
    area = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Company
        fields = ["id", "district", "name", "segment", "area", "is_local", "description", "website"]


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    school = RefSerializer(read_only=True)


class OpeningSerializer(serializers.ModelSerializer):
    company = RefSerializer(read_only=True)
    segment = SegmentSerializer(source="company.segment", read_only=True)
    job_role = RefSerializer(read_only=True)
    work_area = RefSerializer(read_only=True, allow_null=True)
    required_certifications = RefSerializer(many=True, read_only=True)
    preferred_departments = DepartmentRefSerializer(many=True, read_only=True)

    class Meta:
        model = Opening
        fields = [
            "id",
            "title",
            "description",
            "company",
            "segment",
            "job_role",
            "seats",
            "required_certifications",
            "preferred_departments",
            "work_area",
            "shift_pattern",
            "monthly_salary_krw",
            "employment_type",
            "starts_on",
            "apply_by",
            "published_at",
        ]
