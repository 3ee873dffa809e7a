"""Other Sobrio instances than the suite's own, each in its folder and database, driven
through the `sobrio` command as an operator would: backups, restores, migrations."""

import os
import subprocess
import sys
import uuid


def sobrio_env(folder, database):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOBRIO_")}
    return env | {"SOBRIO_VAR_DIR": str(folder), "SOBRIO_DATABASE_URL": database}


def sobrio(env, *args, stdin=None):
    done = subprocess.run(
        [sys.executable, "-m", "sobrio", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=600,
        input=stdin,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def new_database():
    """A fresh database on the suite's PostgreSQL server, or None on the SQLite run."""
    url = os.environ.get("SOBRIO_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    import psycopg

    base, _name = url.rsplit("/", 1)
    name = f"instance_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"
