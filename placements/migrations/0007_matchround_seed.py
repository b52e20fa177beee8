"""Each matching round gets its lottery seed, fixed for all its runs.

An existing round takes the seed of its published run, else of its latest run (the one an
official was looking at), else a fresh one.
"""

import secrets

from django.db import migrations, models

import placements.models

SEED_LIMIT = 2**53


def seed_existing_rounds(apps, schema_editor):
    MatchRound = apps.get_model("placements", "MatchRound")
    MatchRun = apps.get_model("placements", "MatchRun")
    for match_round in MatchRound.objects.filter(seed__isnull=True).iterator():
        runs = MatchRun.objects.filter(round_id=match_round.pk)
        run = runs.filter(status="published").first() or runs.order_by("-created_at", "-pk").first()
        match_round.seed = run.seed if run is not None else secrets.randbelow(SEED_LIMIT)
        match_round.save(update_fields=["seed"])


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0006_application_cancelled_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchround",
            name="seed",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="lottery seed"),
        ),
        migrations.RunPython(seed_existing_rounds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="matchround",
            name="seed",
            field=models.BigIntegerField(
                default=placements.models.new_round_seed,
                editable=False,
                help_text=(
                    "Breaks ties between students with the same fit. Drawn when the round was created; "
                    "every run of the round uses it."
                ),
                verbose_name="lottery seed",
            ),
        ),
    ]
