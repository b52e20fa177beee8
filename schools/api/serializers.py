from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from district.api.serializers import RefSerializer, SegmentSerializer
from schools.models import Department, School, Student, StudentCertification
from schools.visibility import HIDDEN_STUDENT_FIELDS, hidden_student_fields


class SchoolSerializer(serializers.ModelSerializer):
    area = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = School
        fields = ["id", "district", "name", "kind", "area", "is_agreement_type", "is_hub", "description"]


class DepartmentSerializer(serializers.ModelSerializer):
    school = RefSerializer(read_only=True)
    segment = SegmentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "school",
            "segment",
            "classes",
            "students_per_year",
            "established_year",
            "replaced",
            "reorganised_year",
            "is_active",
        ]


class HeldCertificationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="certification_id", read_only=True)
    name = serializers.CharField(source="certification.name", read_only=True)

    class Meta:
        model = StudentCertification
        fields = ["id", "name", "acquired_on"]


class StudentSerializer(serializers.ModelSerializer):
    """A student as the caller may see them.

    The caller's `hidden_student_fields` (a recruiter's: the student number, date of birth
    and contact details) are null until the student accepts one of the company's offers
    (`contact_visible`, annotated by the selector).
    """

    school = RefSerializer(read_only=True)
    department = RefSerializer(read_only=True)
    field_of_interest = SegmentSerializer(read_only=True, allow_null=True)
    commute_area = RefSerializer(read_only=True, allow_null=True)
    certifications = HeldCertificationSerializer(source="held_certifications", many=True, read_only=True)
    student_number = serializers.CharField(read_only=True, allow_null=True)
    birth_date = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("Hidden from recruiters until an offer is accepted.")
    )
    email = serializers.EmailField(
        read_only=True, allow_null=True, help_text=_("Hidden from recruiters until an offer is accepted.")
    )
    phone = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Hidden from recruiters until an offer is accepted.")
    )

    class Meta:
        model = Student
        fields = [
            "id",
            "name",
            "school",
            "department",
            "cohort",
            "status",
            "field_of_interest",
            "commute_area",
            "certifications",
            "student_number",
            "birth_date",
            "email",
            "phone",
        ]

    @cached_property
    def hidden_fields(self) -> frozenset[str]:
        request = self.context.get("request")
        if request is None:  # no caller to ask about: hide what any role may not see
            return frozenset().union(*HIDDEN_STUDENT_FIELDS.values())
        return hidden_student_fields(request.user)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "contact_visible", False):
            for field in self.hidden_fields:
                data[field] = None
        # No email or phone on file is null, as the schema says, not "" (which is no valid email).
        for field in ("email", "phone"):
            data[field] = data[field] or None
        return data
