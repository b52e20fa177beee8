"""MatchRound.cohort and MatchRun.cohort hold the school year (학년도), as Student.cohort does.

They held the calendar year of the February graduation, the same value as the students'
old graduation_year, so they move back one year with them (schools 0005).
"""

from django.db import migrations, models
from django.db.models import F

MODELS = ("MatchRound", "MatchRun")


def to_school_year(apps, schema_editor):
    for name in MODELS:
        apps.get_model("placements", name).objects.update(cohort=F("cohort") - 1)


def to_graduation_year(apps, schema_editor):
    for name in MODELS:
        apps.get_model("placements", name).objects.update(cohort=F("cohort") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0008_retentionreview_from_schools"),
        ("schools", "0005_cohort_is_the_school_year"),
    ]

    operations = [
        migrations.AlterField(
            model_name="matchround",
            name="cohort",
            field=models.PositiveSmallIntegerField(
                help_text="The school year (학년도) of the students' final year: 2026 graduates in February 2027.",
                verbose_name="cohort (school year)",
            ),
        ),
        migrations.AlterField(
            model_name="matchrun",
            name="cohort",
            field=models.PositiveSmallIntegerField(verbose_name="cohort (school year)"),
        ),
        migrations.RunPython(to_school_year, to_graduation_year, elidable=False),
    ]
