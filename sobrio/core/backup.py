"""One archive for the whole instance: the database as Django's portable JSON (natural keys,
so it loads into SQLite or PostgreSQL alike) and the uploaded files (evidence, imports).

    archive.tar.gz
      manifest.json   what made it: Sobrio, database engine, migrations, date
      data.json       every row (content types and permissions are rebuilt by migrate)
      files/media/…   the default storage: evidence, other uploads, files of import jobs
                      still kept (imports/…), read and written through the storage API, so
                      that a folder on disk or an S3 bucket back up alike
"""

import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from sobrio.core import freshness

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
MEDIA = "files/media/"
OLD_IMPORTS = "files/imports/"  # archives of Sobrio before the storage API: its own folder


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
            for name in _stored_files():
                info = tarfile.TarInfo(MEDIA + name)
                info.size = default_storage.size(name)
                info.mtime = int(timezone.now().timestamp())
                with default_storage.open(name) as handle:
                    archive.addfile(info, handle)
    return manifest


def _stored_files(folder=""):
    """Every file of the default storage, as names relative to its root."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from _stored_files(f"{folder}{sub}/")


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
        for prefix, into in ((MEDIA, ""), (OLD_IMPORTS, "imports/")):
            folder = Path(work) / prefix
            for path in sorted(folder.rglob("*")) if folder.exists() else []:
                if path.is_file():
                    name = into + path.relative_to(folder).as_posix()
                    default_storage.delete(name)
                    with open(path, "rb") as handle:
                        default_storage.save(name, File(handle))
    return manifest
