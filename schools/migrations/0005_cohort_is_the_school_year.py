"""Student.graduation_year becomes Student.cohort, the school year (학년도) of the final year.

The old value was the calendar year of the February graduation (the KPIs surveyed it on
1 April of that year), so the school year is one less: a student graduating in February
2026 belongs to the 2025학년도 cohort. Reversible: the reverse adds the year back.
"""

from django.db import migrations, models
from django.db.models import F


def to_school_year(apps, schema_editor):
    apps.get_model("schools", "Student").objects.update(cohort=F("cohort") - 1)


def to_graduation_year(apps, schema_editor):
    apps.get_model("schools", "Student").objects.update(cohort=F("cohort") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0004_retentionreview_moves_to_placements"),
    ]

    operations = [
        migrations.RenameField(model_name="student", old_name="graduation_year", new_name="cohort"),
        migrations.AlterField(
            model_name="student",
            name="cohort",
            field=models.PositiveSmallIntegerField(
                help_text=(
                    "The school year (학년도) of the student's final year: the class of school year "
                    "2026 graduates in February 2027."
                ),
                verbose_name="cohort (school year)",
            ),
        ),
        # The two indexes follow the renamed column in the database; only the state must learn it.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="student", name="student_cohort_status"),
                migrations.RemoveIndex(model_name="student", name="student_dept_cohort"),
                migrations.AddIndex(
                    model_name="student",
                    index=models.Index(fields=["cohort", "status"], name="student_cohort_status"),
                ),
                migrations.AddIndex(
                    model_name="student",
                    index=models.Index(fields=["department", "cohort"], name="student_dept_cohort"),
                ),
            ]
        ),
        migrations.RunPython(to_school_year, to_graduation_year, elidable=False),
    ]
