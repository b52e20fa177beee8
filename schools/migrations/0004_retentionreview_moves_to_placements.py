"""RetentionReview moves to placements (issue 13): schools forgets the model, the table stays.

State only: the table `schools_retentionreview` and its rows are untouched, and
placements 0008 takes the model over under the same table name. Reversible: going back
gives schools the model again, still without any SQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0003_student_guardian_consent_and_anonymised"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RetentionReview")],
            database_operations=[],
        ),
    ]
