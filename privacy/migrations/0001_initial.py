# The personal-data access log (PIPA).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("schools", "0002_invitations_imports_practice_diary_incidents_retention"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonalDataAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                (
                    "ip_address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("view", "Page view"), ("export", "Export"), ("api", "API")],
                        default="view",
                        max_length=8,
                        verbose_name="kind",
                    ),
                ),
                ("what", models.CharField(max_length=100, verbose_name="what")),
                ("purpose", models.CharField(blank=True, max_length=200, verbose_name="stated purpose")),
                (
                    "student",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="personal_data_accesses",
                        to="schools.student",
                        verbose_name="whose data",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="who",
                    ),
                ),
            ],
            options={
                "verbose_name": "personal data access",
                "verbose_name_plural": "personal data access log",
                "ordering": ["-at", "-pk"],
                "indexes": [models.Index(fields=["student", "at"], name="pda_student_at")],
            },
        ),
    ]
