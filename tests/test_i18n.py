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


FR = PACKAGE / "locale/fr/LC_MESSAGES/django.po"


def _french_builder():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "french_plurals", PACKAGE.parent / "scripts/french_plurals.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_french_catalogue_holds_every_counted_phrase_with_the_french_rule():
    """Sobrio's msgids are French: without this catalogue gettext would count in English
    (« 0 votes »). scripts/french_plurals.py writes it from the English one (issue 25)."""
    built = {(e.msgctxt, e.msgid, e.msgid_plural) for e in _french_builder().build()}
    committed = polib.pofile(str(FR))
    assert committed.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert {(e.msgctxt, e.msgid, e.msgid_plural) for e in committed} == built, (
        "run `python scripts/french_plurals.py` after makemessages, then compilemessages"
    )
    with open(FR.with_suffix(".mo"), "rb") as shipped:
        assert gettext.GNUTranslations(shipped).ngettext("x", "xs", 0) == "xs"  # unknown: as is


def test_every_counted_phrase_reads_singular_for_0_and_1_in_french(settings):
    """0, 1 and 2 of every counted phrase, through Django's translation machinery, as a
    page, an email or the command line render them."""
    from django.utils import translation

    entries = [e for e in polib.pofile(str(PO)) if e.msgid_plural and not e.obsolete]
    assert len(entries) > 50
    wrong = []
    with translation.override("fr"):
        for e in entries:
            get = (lambda s, p, n, e=e: translation.npgettext(e.msgctxt, s, p, n)) if (
                e.msgctxt) else translation.ngettext  # fmt: skip
            said = [get(e.msgid, e.msgid_plural, n) for n in (0, 1, 2)]
            if said != [e.msgid, e.msgid, e.msgid_plural]:
                wrong.append((e.msgid, said))
    with translation.override("en"):  # English keeps its own rule: 0 is plural
        e = entries[0]
        assert translation.ngettext(e.msgid, e.msgid_plural, 0) == e.msgstr_plural[1]
    assert not wrong, wrong[:5]


def test_a_page_counts_in_french():
    from django.template import Context, Template

    template = Template("{% load i18n %}{% blocktranslate count n=n %}{{ n }} vote{% plural %}"
                        "{{ n }} votes{% endblocktranslate %}")  # fmt: skip
    from django.utils import translation

    with translation.override("fr"):
        assert [template.render(Context({"n": n})) for n in (0, 1, 2)] == [
            "0 vote", "1 vote", "2 votes"]  # fmt: skip
