import django.utils.timezone
from django.db import migrations, models

import sobrio.footprint.models


def started_when_created(apps, schema_editor):
    """A scenario saved before it had a start year meant « from now on » when it was made."""
    Scenario = apps.get_model("footprint", "Scenario")
    for scenario in Scenario.objects.only("pk", "created_at"):
        year = django.utils.timezone.localtime(scenario.created_at).year
        Scenario.objects.filter(pk=scenario.pk).update(start_year=year)


class Migration(migrations.Migration):
    dependencies = [
        ("footprint", "0005_alter_factorset_purpose"),
    ]

    operations = [
        migrations.AddField(
            model_name="scenario",
            name="start_year",
            field=models.PositiveSmallIntegerField(
                default=sobrio.footprint.models.this_year, verbose_name="à partir de"
            ),
        ),
        migrations.RunPython(started_when_created, migrations.RunPython.noop),
    ]
