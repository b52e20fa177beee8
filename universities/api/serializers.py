from rest_framework import serializers

from district.api.serializers import RefSerializer
from universities.models import DEGREE_CREDITS, CreditProgram, University


class UniversityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = University
        fields = ["id", "name", "kind"]


class CreditProgramSerializer(serializers.ModelSerializer):
    university = UniversityRefSerializer(read_only=True)
    partner_companies = RefSerializer(many=True, read_only=True)
    degree_credits = serializers.SerializerMethodField(
        help_text="Credits a degree needs at the Academic Credit Bank: 80 (associate), 140 (bachelor's)."
    )

    class Meta:
        model = CreditProgram
        fields = [
            "id",
            "name",
            "university",
            "department_name",
            "kind",
            "degree",
            "credits_required",
            "degree_credits",
            "schedule",
            "min_months_employed",
            "partner_companies",
            "description",
            "eligibility",
            "is_active",
        ]

    def get_degree_credits(self, program) -> int:
        return DEGREE_CREDITS[program.degree]
