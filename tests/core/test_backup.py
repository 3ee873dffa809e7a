"""`sobrio backup` then `sobrio restore` on an empty server gives back the same instance:
every row of every table and every uploaded file, SQLite to SQLite and, on the suite's
PostgreSQL run, SQLite to PostgreSQL."""

import json
import subprocess
import sys

from tests.instances import new_database as _postgres_database
from tests.instances import sobrio as _sobrio
from tests.instances import sobrio_env as _env

FINGERPRINT = r"""
import hashlib, json
from pathlib import Path
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
skip = {"contenttypes", "auth", "sessions", "axes"}
types = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
out = {}
for model in apps.get_models():
    if model._meta.app_label in skip or model._meta.proxy:
        continue
    cts = [f.attname for f in model._meta.concrete_fields
           if isinstance(f, models.ForeignKey) and f.related_model is ContentType]
    rows = []
    for row in model.objects.values():
        for name in cts:
            row[name] = types.get(row[name])
        rows.append(json.dumps(row, sort_keys=True, default=str))
    digest = hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()
    out[model._meta.label] = f"{digest}:{len(rows)}"
folder = Path(settings.MEDIA_ROOT)
for path in sorted(folder.rglob("*")) if folder.exists() else []:
    if path.is_file():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        out[f"MEDIA_ROOT/{path.relative_to(folder)}"] = digest
print(json.dumps(out))
"""


def _fingerprint(env):
    return json.loads(_sobrio(env, "shell", "-c", FINGERPRINT).strip().splitlines()[-1])


def test_a_backup_restores_an_identical_instance(tmp_path):
    source = _env(tmp_path / "a", f"sqlite:///{tmp_path}/a.sqlite3")
    _sobrio(source, "demo", "--no-serve")
    evidence = tmp_path / "a" / "media" / "preuves" / "compte-rendu.pdf"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_bytes(b"%PDF-1.4 preuve")
    _sobrio(
        source,
        "shell",
        "-c",
        (
            "from sobrio.core.models import Institution; from sobrio.imports import flow; "
            "flow.create_job(Institution.objects.get(slug='demo'), None, 'assets', "
            "\"Numéro d'inventaire;Type\\nB-1;Portable\\n\".encode(), 'parc.csv')"
        ),
    )
    archive = tmp_path / "sauvegarde.tar.gz"
    archive.write_bytes(b"")
    archive.chmod(0o644)  # an older, world-readable file in its place
    _sobrio(source, "backup", "-o", str(archive))
    assert archive.stat().st_mode & 0o777 == 0o600  # password hashes, personal data
    expected = _fingerprint(source)
    assert (
        expected["core.Institution"].endswith(":4")  # the demo, its partner, two network members
        and "MEDIA_ROOT/preuves/compte-rendu.pdf" in expected
        and any(k.startswith("MEDIA_ROOT/imports/") and k.endswith("/source") for k in expected)
    )

    targets = [f"sqlite:///{tmp_path}/b.sqlite3"]
    postgres = _postgres_database()
    if postgres:
        targets.append(postgres)
    for n, url in enumerate(targets):
        target = _env(tmp_path / f"b{n}", url)
        _sobrio(target, "restore", str(archive))
        restored = _fingerprint(target)
        different = sorted(
            k for k in expected.keys() | restored.keys() if expected.get(k) != restored.get(k)
        )
        assert not different, (url.split(":")[0], different)
        again = subprocess.run(
            [sys.executable, "-m", "sobrio", "restore", str(archive)],
            env=target,
            capture_output=True,
            text=True,
        )
        assert again.returncode != 0 and "already holds data" in again.stderr


def test_a_restore_refuses_an_archive_that_escapes_its_folder(tmp_path):
    import io
    import tarfile

    archive = tmp_path / "piege.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../../etc/evil")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    env = _env(tmp_path / "c", f"sqlite:///{tmp_path}/c.sqlite3")
    done = subprocess.run(
        [sys.executable, "-m", "sobrio", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "unsafe path" in done.stderr


COUNTS = r"""
import json
from django.apps import apps
from auditlog.models import LogEntry
out = {m._meta.label: sorted(m.objects.values_list("pk", flat=True))
       for a in ("learning", "cleanup", "ideas", "badges")
       for m in apps.get_app_config(a).get_models()}
out["logged"] = sorted({e.content_type.app_label for e in LogEntry.objects.all()})
print(json.dumps(out))
"""


def test_a_backup_written_before_agir_had_its_apps_restores(tmp_path):
    """The archive was written by `sobrio backup` at ca05e08, when the quizzes, the cleanup
    day, the ideas and the badges were models of the awareness app."""
    from pathlib import Path

    archive = Path(__file__).parent / "fixtures" / "backup-awareness-2026-12.tar.gz"
    targets = [f"sqlite:///{tmp_path}/old.sqlite3"]
    postgres = _postgres_database()
    if postgres:
        targets.append(postgres)
    for n, url in enumerate(targets):
        env = _env(tmp_path / f"o{n}", url)
        _sobrio(env, "migrate", "--verbosity", "0")
        _sobrio(env, "restore", str(archive))
        rows = json.loads(_sobrio(env, "shell", "-c", COUNTS).strip().splitlines()[-1])
        assert len(rows["learning.Question"]) == 19 and rows["learning.Quiz"] == [1]
        for label in ("learning.WorkshopKind", "cleanup.CleanupCampaign", "cleanup.Team",
                      "ideas.Idea", "badges.BadgeIssuer", "badges.BadgeClass",
                      "badges.BadgeAssertion"):  # fmt: skip
            assert rows[label] == [1], label
        assert "awareness" not in rows["logged"] and {"learning", "badges"} <= set(rows["logged"])
        badges = _sobrio(env, "badges", "list", "--institution", "ancienne", "--format", "json")
        assert json.loads(badges)[0]["state"] == "valid"
