"""A per-user counter folded into the session hash; the database keeps its default, so code
that predates the column can still create users while the deploy rolls out."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("district", "0005_task_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="session_generation",
            field=models.PositiveIntegerField(
                db_default=0, default=0, editable=False, verbose_name="session generation"
            ),
        ),
    ]
