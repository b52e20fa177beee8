"""RetentionReview moves here from schools (issue 13): placements takes over the model, not the data.

State only: the model keeps its table, `schools_retentionreview` (Meta.db_table), with
the same columns, indexes and constraint, so no row moves and no table is rebuilt.
schools 0004 removed the model from schools' state first. Reversible, without SQL.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0007_matchround_seed"),
        ("schools", "0004_retentionreview_moves_to_placements"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RetentionReview",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "milestone",
                            models.PositiveSmallIntegerField(
                                choices=[(6, "6 months"), (12, "12 months")], verbose_name="milestone"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("employed", "Still employed"), ("left", "Left")],
                                max_length=16,
                                verbose_name="confirmed status",
                            ),
                        ),
                        (
                            "recorded_status",
                            models.CharField(
                                blank=True,
                                help_text="Empty when nothing was recorded.",
                                max_length=16,
                                verbose_name="status recorded before",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                        ("reviewed_at", models.DateTimeField(auto_now=True, verbose_name="reviewed at")),
                        (
                            "placement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="retention_reviews",
                                to="placements.placement",
                                verbose_name="placement",
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="reviewed by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "retention review",
                        "verbose_name_plural": "retention reviews",
                        "db_table": "schools_retentionreview",
                        "ordering": ["placement", "milestone"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("placement", "milestone"),
                                name="retentionreview_one_per_milestone",
                                violation_error_message="This milestone of the placement is already reviewed.",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
