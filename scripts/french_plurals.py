"""Write Sobrio's French catalogue: its plural phrases only, with French's rule.

Sobrio's msgids are French, so French needs no translation, except for one thing:
without a French catalogue, gettext falls back to the msgid with the English rule
(singular for 1 only) and prints « 0 votes ». French uses the singular for 0 and 1
(nplurals=2; plural=(n > 1)). Each counted phrase of the English catalogue (the list of
every msgid, kept complete by makemessages) is written here as itself, singular and
plural. Run after makemessages, before compilemessages (README, « Développer »);
tests/test_i18n.py checks the file is up to date."""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "sobrio" / "locale"
HEADER = "nplurals=2; plural=(n > 1);"


def build():
    english = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    french = polib.POFile(wrapwidth=100)
    french.metadata = {
        "Project-Id-Version": "Sobrio",
        "Language": "fr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": HEADER,
    }
    for entry in english:
        if entry.msgid_plural and not entry.obsolete:
            french.append(polib.POEntry(
                msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                msgstr_plural={0: entry.msgid, 1: entry.msgid_plural},
                flags=[f for f in entry.flags if f.endswith("-format")],
            ))  # fmt: skip
    return french


if __name__ == "__main__":
    target = LOCALE / "fr/LC_MESSAGES/django.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    catalogue = build()
    catalogue.save(str(target))
    catalogue.save_as_mofile(str(target.with_suffix(".mo")))
    sys.stdout.write(f"{len(catalogue)} counted phrases in {target}\n")
