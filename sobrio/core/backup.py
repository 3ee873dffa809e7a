"""One archive for the whole instance: the database as Django's portable JSON (natural keys,
so it loads into SQLite or PostgreSQL alike) and the uploaded files (evidence, imports).

    archive.tar.gz
      manifest.json   what made it: Sobrio, database engine, migrations, date
      data.json       every row (content types and permissions are rebuilt by migrate)
      files/media/…   evidence and other uploads (MEDIA_ROOT)
      files/imports/… files of import jobs still kept (IMPORT_DIR)
"""

import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from sobrio.core import freshness

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
FOLDERS = {"media": "MEDIA_ROOT", "imports": "IMPORT_DIR"}


class BackupError(Exception):
    pass


def _manifest():
    applied = MigrationRecorder(connection).applied_migrations()
    last = {}
    for app, name in sorted(applied):
        last[app] = name
    from importlib.metadata import version

    return {
        "sobrio": version("sobrio"),
        "engine": connection.vendor,
        "created_at": timezone.now().isoformat(),
        "migrations": last,
    }


def backup(target):
    """Write the archive to `target` (a path); returns the manifest."""
    target = Path(target)
    manifest = _manifest()
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.json"
        call_command(
            "dumpdata",
            "--natural-foreign",
            "--format",
            "sobrio-json",
            "--output",
            str(data),
            "--verbosity",
            "0",
            *[f"--exclude={e}" for e in EXCLUDED],
        )
        # password hashes and personal data: readable by its owner only, from the first
        # byte (created 0600, not chmod-ed after)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through O_CREAT
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(data, arcname="data.json")
            for name, setting in FOLDERS.items():
                folder = Path(getattr(settings, setting))
                if folder.exists():
                    archive.add(folder, arcname=f"files/{name}")
    return manifest


def _add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


def _is_empty():
    from sobrio.core.models import Institution, User

    return not Institution.objects.exists() and not User.objects.exists()


def restore(source, *, force=False):
    """Load an archive into an empty, migrated instance; all or nothing for the rows."""
    source = Path(source)
    if not force and not _is_empty():
        raise BackupError(
            "this instance already holds data: restore into an empty one (or --force to add to it)"
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(source, "r:gz") as archive:
        members = archive.getmembers()
        for member in members:
            if member.name.startswith("/") or ".." in Path(member.name).parts:
                raise BackupError(f"unsafe path in the archive: {member.name}")
            if not (member.isfile() or member.isdir()):
                raise BackupError(f"not a file in the archive: {member.name}")
        archive.extractall(work, filter="data")
        manifest = json.loads((Path(work) / "manifest.json").read_text())
        # loaddata reads the format from the file's extension (its --format is for stdin)
        data = (Path(work) / "data.json").rename(Path(work) / "data.sobrio-json")
        with transaction.atomic():
            call_command("loaddata", str(data), verbosity=0)
        freshness.renew(None)  # pages kept from an earlier database of this folder: gone
        for name, setting in FOLDERS.items():
            folder = Path(work) / "files" / name
            if folder.exists():
                destination = Path(getattr(settings, setting))
                destination.mkdir(parents=True, exist_ok=True)
                for path in folder.rglob("*"):
                    if path.is_file():
                        copy = destination / path.relative_to(folder)
                        copy.parent.mkdir(parents=True, exist_ok=True)
                        copy.write_bytes(path.read_bytes())
    return manifest
