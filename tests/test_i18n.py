"""French is the source language; the English catalogue must stay complete and compiled."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib

import sobrio

PACKAGE = Path(sobrio.__file__).parent
PO = PACKAGE / "locale/en/LC_MESSAGES/django.po"


def test_every_string_of_the_code_has_an_english_translation(tmp_path):
    copy = tmp_path / "sobrio"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    (copy / "locale/en/LC_MESSAGES/django.po").unlink()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no settings: use ./locale
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy, env=env, check=True, capture_output=True,
    )  # fmt: skip
    extracted = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    committed = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PO))}
    missing = []
    for entry in extracted:
        done = committed.get((entry.msgctxt, entry.msgid))
        translated = done is not None and (
            all(done.msgstr_plural.values()) if entry.msgid_plural else done.msgstr
        )
        if not translated or "fuzzy" in done.flags:
            missing.append(entry.msgid)
    assert not missing, f"untranslated in {PO.relative_to(PACKAGE.parent)}: {missing}"


def test_the_compiled_catalogue_matches_the_po_file(tmp_path):
    fresh = tmp_path / "django.mo"
    polib.pofile(str(PO)).save_as_mofile(str(fresh))
    with open(PO.with_suffix(".mo"), "rb") as shipped, open(fresh, "rb") as compiled:
        ours = gettext.GNUTranslations(shipped)._catalog
        theirs = gettext.GNUTranslations(compiled)._catalog
    ours.pop("", None)  # the header differs by dates only
    theirs.pop("", None)
    assert ours == theirs, "run `sobrio compilemessages` (from sobrio/) and commit the .mo"
