from rest_framework import serializers

from companies.api.serializers import DepartmentRefSerializer
from district.api.serializers import RefSerializer, SegmentSerializer
from placements.models import Application, MatchRun, Pathway, Placement
from universities.api.serializers import UniversityRefSerializer


class PathwayCreditProgramSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    degree = serializers.CharField(read_only=True)
    university = UniversityRefSerializer(read_only=True)


class PathwaySerializer(serializers.ModelSerializer):
    department = DepartmentRefSerializer(read_only=True)
    segment = SegmentSerializer(read_only=True)
    job_roles = RefSerializer(many=True, read_only=True)
    certifications = RefSerializer(many=True, read_only=True)
    practice_companies = RefSerializer(many=True, read_only=True)
    credit_programs = PathwayCreditProgramSerializer(many=True, read_only=True)

    class Meta:
        model = Pathway
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "district",
            "department",
            "segment",
            "job_roles",
            "certifications",
            "practice_companies",
            "credit_programs",
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    """An application, with the student by id only: names and contacts come from /students/ and its rules."""

    school = serializers.IntegerField(source="student.school_id", read_only=True)
    company = serializers.IntegerField(source="opening.company_id", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "student",
            "school",
            "opening",
            "company",
            "source",
            "status",
            "feedback",
            "submitted_at",
            "status_changed_at",
            "offered_at",
            "offer_expires_at",
            "responded_at",
        ]


class PlacementSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="student.school_id", read_only=True)
    cohort = serializers.IntegerField(source="student.cohort", read_only=True)

    class Meta:
        model = Placement
        fields = [
            "id",
            "student",
            "school",
            "cohort",
            "company",
            "opening",
            "starts_on",
            "ends_on",
            "status",
            "is_local",
            "retention_6m",
            "retention_6m_checked_on",
            "retention_12m",
            "retention_12m_checked_on",
        ]


class MatchRoundRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    cohort = serializers.IntegerField(read_only=True)


class MatchRunSerializer(serializers.ModelSerializer):
    round = MatchRoundRefSerializer(read_only=True)

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "district",
            "round",
            "cohort",
            "status",
            "seed",
            "input_fingerprint",
            "stats",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "published_at",
        ]
