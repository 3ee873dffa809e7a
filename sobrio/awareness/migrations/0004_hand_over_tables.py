"""Agir's tables move to the apps that now own them (learning, cleanup, ideas, badges):
each table is renamed to its new app's name, rows and ids untouched. Django's state moves
in two steps around this one (the new apps' initial migrations declare the models without
touching the database, then 0005 forgets them here), as the documentation of
SeparateDatabaseAndState describes for moving a model between apps."""

from django.db import migrations

from sobrio.awareness.moved import MOVED


class Migration(migrations.Migration):
    dependencies = [("awareness", "0003_open_badges")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name, f"{app}_{name}") for name, app in MOVED.items()
            ]
        )
    ]
