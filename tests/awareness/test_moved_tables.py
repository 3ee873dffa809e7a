"""A database built by the migrations of ca05e08, when quizzes, workshops, paths, the
cleanup day, the ideas and the badges were models of the awareness app, migrates forward:
every row of every one of those models is found in its new app, with the same id and the
same values, and the audit log's content types follow. On SQLite and, on the suite's
PostgreSQL run, on PostgreSQL too."""

import json

from tests.instances import new_database, sobrio, sobrio_env

# In the instance's own shell: the database as the old migrations left it, one row in
# every model of the awareness app (every required field filled, the foreign keys to
# the rows made before), then what was written, as JSON.
BUILD_OLD = r"""
import datetime, json, uuid
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

executor = MigrationExecutor(connection)
new_apps = {"learning", "cleanup", "ideas", "badges"}
targets = [("awareness", "0003_open_badges")] + [
    key for key in executor.loader.graph.leaf_nodes()
    if key[0] not in new_apps | {"awareness"}
]
executor.migrate(targets)
old = executor.loader.project_state(targets).apps
made = {}

def value(field, model):
    if field.has_default():
        return field.get_default()
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        return row(field.related_model)
    kinds = [
        (models.EmailField, f"p{len(made)}@ancienne.fr"), (models.URLField, "https://a.fr/x"),
        (models.UUIDField, uuid.uuid4()), (models.SlugField, f"s{len(made)}"),
        (models.CharField, f"valeur {model.__name__}"), (models.TextField, "texte"),
        (models.BooleanField, False), (models.DecimalField, 1), (models.FloatField, 1.5),
        (models.IntegerField, 1), (models.DateTimeField, timezone.now()),
        (models.DateField, datetime.date(2026, 11, 2)), (models.BinaryField, b"\x89PNG"),
        (models.JSONField, {}), (models.FileField, "awareness/ancien.txt"),
    ]
    for kind, v in kinds:
        if isinstance(field, kind):
            return v[: field.max_length] if isinstance(v, str) and field.max_length else v
    raise TypeError(field)

def row(model):
    label = model._meta.label_lower
    if label not in made:
        data = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or (field.null and isinstance(field, models.ForeignKey)):
                continue
            data[field.attname if not isinstance(field, models.ForeignKey) else field.name] = (
                value(field, model)
            )
        made[label] = model.objects.create(**data)
    return made[label]

for model in old.get_app_config("awareness").get_models():
    row(model)
out = {}
for model in old.get_app_config("awareness").get_models():
    out[model._meta.model_name] = list(model.objects.values())
ContentType = old.get_model("contenttypes", "ContentType")
ContentType.objects.get_or_create(app_label="awareness", model="quiz")
print(json.dumps(out, default=str, sort_keys=True))
"""

READ_NEW = r"""
import json
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from sobrio.awareness.moved import MOVED
out = {name: list(apps.get_model(app, name).objects.values()) for name, app in MOVED.items()}
out["content types"] = sorted(
    f"{c.app_label}.{c.model}" for c in ContentType.objects.filter(model="quiz"))
print(json.dumps(out, default=str, sort_keys=True))
"""


def test_a_database_of_the_awareness_app_migrates_forward_with_every_row(tmp_path):
    url = new_database() or f"sqlite:///{tmp_path}/old.sqlite3"  # the run's engine
    env = sobrio_env(tmp_path / "var", url)
    before = json.loads(sobrio(env, "shell", "-c", BUILD_OLD).strip().splitlines()[-1])
    assert len(before) == 23 and all(len(rows) == 1 for rows in before.values())
    shown = sobrio(env, "showmigrations", "learning", "awareness")
    assert "[ ] 0001_initial" in shown and "[ ] 0004_hand_over_tables" in shown

    sobrio(env, "migrate", "--verbosity", "0")

    after = json.loads(sobrio(env, "shell", "-c", READ_NEW).strip().splitlines()[-1])
    assert after.pop("content types") == ["learning.quiz"]  # moved, not made anew
    # same rows, same ids, same values (columns added since, as learning's SEQUENCE, aside)
    kept = {
        name: [{k: v for k, v in row.items() if k in before[name][0]} for row in rows]
        for name, rows in after.items()
    }
    assert kept == before
    tables = sobrio(env, "shell", "-c", "from django.db import connection; "
                    "print(sorted(connection.introspection.table_names()))")  # fmt: skip
    assert "awareness_" not in tables and "'badges_badgeassertion'" in tables
