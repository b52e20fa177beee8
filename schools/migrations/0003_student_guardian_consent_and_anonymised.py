# Student: guardian consent for accounts of children under 14 (PIPA art. 22-2), and anonymisation.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_invitations_imports_practice_diary_incidents_retention"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="student",
            name="anonymised_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="anonymised at"),
        ),
        migrations.AddField(
            model_name="student",
            name="guardian_consent_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="consent recorded by",
            ),
        ),
        migrations.AddField(
            model_name="student",
            name="guardian_consent_on",
            field=models.DateField(
                blank=True,
                help_text="Needed before a student under 14 may have an account.",
                null=True,
                verbose_name="guardian consent to an account",
            ),
        ),
        migrations.AddConstraint(
            model_name="student",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("guardian_consent_by__isnull", True),
                    ("guardian_consent_on__isnull", False),
                    _connector="OR",
                ),
                name="student_consent_recorder_has_date",
                violation_error_message="Record the date of the guardian's consent.",
            ),
        ),
    ]
