"""Give every industry segment and job role the district that uses it.

Until now the vocabulary was shared by all districts, and only one district had any. Each
row goes to the district of the first company (segments) or opening (job roles) that uses
it, else to DEFAULT_DISTRICT_SLUG's district, else to the first district. A database with
vocabulary but no district cannot say whose it is and stops here.
"""

from django.conf import settings
from django.db import migrations


def fill(apps, schema_editor):
    District = apps.get_model("district", "District")
    IndustrySegment = apps.get_model("district", "IndustrySegment")
    JobRole = apps.get_model("district", "JobRole")
    Company = apps.get_model("companies", "Company")
    Opening = apps.get_model("companies", "Opening")
    if not IndustrySegment.objects.exists() and not JobRole.objects.exists():
        return
    fallback = District.objects.filter(slug=settings.DEFAULT_DISTRICT_SLUG).first()
    fallback = fallback or District.objects.order_by("pk").first()
    if fallback is None:
        raise RuntimeError(
            "Industry segments or job roles exist but no district does: create the district first."
        )
    for segment in IndustrySegment.objects.filter(district__isnull=True):
        used = (
            Company.objects.filter(segment=segment)
            .order_by("pk")
            .values_list("district_id", flat=True)
            .first()
        )
        segment.district_id = used or fallback.pk
        segment.save(update_fields=["district"])
    for role in JobRole.objects.filter(district__isnull=True).select_related("segment"):
        used = (
            Opening.objects.filter(job_role=role)
            .order_by("pk")
            .values_list("company__district_id", flat=True)
            .first()
        )
        role.district_id = used or (role.segment.district_id if role.segment_id else fallback.pk)
        role.save(update_fields=["district"])


class Migration(migrations.Migration):
    dependencies = [
        ("district", "0007_districts_sites"),
        ("companies", "0007_districts_sites"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
