#!/usr/bin/env python
"""Maintain the message catalogues (locale/<lang>/LC_MESSAGES/django.po).

The msgids are English, so the English catalogue is the msgids themselves and only the
Korean one is really translated. After `makemessages`:

    .venv/bin/python scripts/catalogues.py english            # en: msgstr = msgid
    .venv/bin/python scripts/catalogues.py korean FILE.json   # ko: apply translations
    .venv/bin/python scripts/catalogues.py status             # what is still untranslated
    make messages                                             # compile the .mo files

FILE.json is a list of {"msgctxt", "msgid", "msgstr"} objects. Both commands also set the
header (language, a non-fuzzy header, the plural rule).
"""

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
HEADERS = {
    "en": {"Language": "en", "Plural-Forms": "nplurals=2; plural=(n != 1);"},
    "ko": {"Language": "ko", "Plural-Forms": "nplurals=1; plural=0;"},
}


def _load(lang: str) -> polib.POFile:
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"), wrapwidth=0)
    po.metadata.update(HEADERS[lang])
    po.metadata["Project-Id-Version"] = "Innovation District Portal"
    po.metadata_is_fuzzy = False
    return po


def english() -> None:
    po = _load("en")
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()


def korean(path: str) -> None:
    translations = {(t.get("msgctxt"), t["msgid"]): t["msgstr"] for t in json.loads(Path(path).read_text())}
    po = _load("ko")
    applied = 0
    for entry in po:
        text = translations.get((entry.msgctxt, entry.msgid))
        if text is None:
            continue
        if entry.msgid_plural:
            # Korean has one plural form; a list (as some translators write it) gives its first item.
            entry.msgstr_plural = {0: text[0] if isinstance(text, list) else text}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        applied += 1
    po.save()
    print(f"applied {applied} translations")


def status() -> int:
    missing = 0
    for lang in HEADERS:
        po = _load(lang)
        untranslated = [e for e in po if not e.translated() and not e.obsolete]
        missing += len(untranslated)
        print(f"{lang}: {len(po)} entries, {len(untranslated)} untranslated or fuzzy")
        for entry in untranslated[:20]:
            print(f"   {entry.msgid[:70]!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["status"]
    if command == "english":
        english()
    elif command == "korean":
        korean(*args)
    elif command == "status":
        sys.exit(status())
    else:
        sys.exit(f"unknown command {command!r}: use english, korean FILE.json or status")
