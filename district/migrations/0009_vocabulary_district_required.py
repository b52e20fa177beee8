import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("district", "0008_vocabulary_of_each_district"),
    ]

    operations = [
        migrations.AlterField(
            model_name="industrysegment",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="segments",
                to="district.district",
                verbose_name="district",
            ),
        ),
        migrations.AlterField(
            model_name="jobrole",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="job_roles",
                to="district.district",
                verbose_name="district",
            ),
        ),
    ]
