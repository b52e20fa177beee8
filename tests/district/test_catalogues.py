"""Both message catalogues are complete: every msgid in the code is there, translated, not fuzzy.

Marked `catalogues` so that it can be run alone (`pytest -m catalogues`). It fails until
the catalogues are filled, which is the point: `make test` must not pass with an
untranslated string.

How "every msgid in the code" is found: makemessages runs on a copy of the project's
sources and catalogues in a temporary directory (never on the working tree), with
--no-obsolete; any entry it adds is a msgid missing from the committed catalogue, and
msgmerge's guesses come out fuzzy, so an untranslated or fuzzy entry in the regenerated
catalogue fails the test too. Plural entries count: every plural form needs its text.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.catalogues

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("ko", "en")
# What holds user-visible text: the apps and the project templates (domain "django").
SOURCES = (
    *("config", "demo", "district", "schools", "companies", "universities", "placements", "public"),
    "templates",
)


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file, without the header and without obsolete (#~) entries."""
    entries: list[Entry] = []
    entry, target, obsolete = Entry(), None, False

    def finish():
        nonlocal entry, target, obsolete
        if not obsolete and (entry.msgid or entry.msgctxt or entry.msgstr) and entry.msgid != "":
            entries.append(entry)
        entry, target, obsolete = Entry(), None, False

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            obsolete = True
            continue
        if line.startswith("#,"):
            entry.fuzzy = entry.fuzzy or "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if target == "msgid":
                entry.msgid += value
            elif target == "msgctxt":
                entry.msgctxt += value
            elif target == "msgid_plural":
                entry.msgid_plural += value
            elif isinstance(target, int):
                entry.msgstr[target] += value
            continue
        keyword, _, quoted = line.partition(" ")
        value = ast.literal_eval(quoted)
        if not entry.line:
            entry.line = number
        if keyword == "msgctxt":
            target, entry.msgctxt = "msgctxt", value
        elif keyword == "msgid":
            target, entry.msgid = "msgid", value
        elif keyword == "msgid_plural":
            target, entry.msgid_plural = "msgid_plural", value
        elif keyword == "msgstr":
            target = 0
            entry.msgstr[0] = value
        elif keyword.startswith("msgstr["):
            target = int(keyword[7:-1])
            entry.msgstr[target] = value
    finish()
    return entries


def catalogue_problems(text: str) -> list[str]:
    """Untranslated and fuzzy entries of one catalogue, each named with its line."""
    problems = []
    for entry in parse_po(text):
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.label()}")
        elif not entry.msgstr or any(not value for value in entry.msgstr.values()):
            problems.append(f"untranslated: {entry.label()}")
    return problems


def regenerate(tree: Path, languages=LANGUAGES) -> None:
    """Run makemessages in `tree` (its own ./locale), as a separate process without project settings."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "--no-location"]
    command += [f"--locale={language}" for language in languages]
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def missing_msgids(committed: str, regenerated: str) -> list[str]:
    known = {entry.key for entry in parse_po(committed)}
    return [entry.label() for entry in parse_po(regenerated) if entry.key not in known]


def copy_project(destination: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for name in (*SOURCES, "locale"):
        shutil.copytree(ROOT / name, destination / name, ignore=ignore)
    return destination


# --- The real catalogues -------------------------------------------------------------------------


def committed_catalogue(language: str) -> str:
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} does not exist: run makemessages and translate it")
    return path.read_text(encoding="utf-8")


_trees: dict[str, Path] = {}


def _regenerated_tree(tmp_path_factory) -> Path:
    """A copy of the project with makemessages run on it, made once for both languages."""
    if "tree" not in _trees:
        tree = copy_project(tmp_path_factory.mktemp("project"))
        regenerate(tree)
        _trees["tree"] = tree
    return _trees["tree"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    problems = catalogue_problems(committed_catalogue(language))
    relative = Path("locale") / language / "LC_MESSAGES" / "django.po"
    assert not problems, f"{len(problems)} entries to fix in {relative}:\n" + "\n".join(problems[:50])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_in_the_code_is_in_the_catalogue(language, tmp_path_factory):
    committed = committed_catalogue(language)
    relative = Path("locale") / language / "LC_MESSAGES" / "django.po"
    regenerated = _regenerated_tree(tmp_path_factory)
    fresh = (regenerated / relative).read_text(encoding="utf-8")
    missing = missing_msgids(committed, fresh)
    assert not missing, f"{len(missing)} msgids missing from {relative}:\n" + "\n".join(missing[:50])
    problems = catalogue_problems(fresh)
    assert not problems, f"after makemessages, {relative} has:\n" + "\n".join(problems[:50])


# --- The check itself, on a tiny catalogue -------------------------------------------------------

TINY_PO = r"""# A tiny catalogue.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Hello"
msgstr "안녕하세요"

msgid "Empty"
msgstr ""

#, fuzzy
msgid "Guessed"
msgstr "추측"

msgid "one apple"
msgid_plural "%(n)s apples"
msgstr[0] "사과 %(n)s개"
msgstr[1] ""

msgctxt "month"
msgid "May"
msgstr "5월"

msgid ""
"A long message "
"on two lines"
msgstr ""
"두 줄에 걸친 "
"긴 메시지"

#~ msgid "Gone"
#~ msgstr ""
"""


def test_the_check_reports_empty_fuzzy_and_partly_translated_plural_entries():
    problems = catalogue_problems(TINY_PO)
    assert problems == [
        "untranslated: line 10: 'Empty'",
        "fuzzy: line 14: 'Guessed'",
        "untranslated: line 17: 'one apple'",
    ]
    keys = {entry.key for entry in parse_po(TINY_PO)}
    assert ("month", "May", None) in keys
    assert (None, "A long message on two lines", None) in keys
    assert all(entry.msgid != "Gone" for entry in parse_po(TINY_PO))


def test_the_check_passes_a_complete_catalogue():
    complete = TINY_PO.replace('msgid "Empty"\nmsgstr ""', 'msgid "Empty"\nmsgstr "비어 있음"')
    complete = complete.replace('#, fuzzy\nmsgid "Guessed"', 'msgid "Guessed"')
    complete = complete.replace('msgstr[1] ""', 'msgstr[1] "사과 %(n)s개"')
    assert catalogue_problems(complete) == []


def test_the_check_finds_a_msgid_missing_from_the_catalogue(tmp_path):
    """End to end on a tiny project: code and a template use three msgids, the catalogue has one."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(
        "from django.utils.translation import gettext as _, ngettext\n"
        "_('Hello')\n_('New in the code')\nngettext('%(n)s seat', '%(n)s seats', 2)\n",
        encoding="utf-8",
    )
    (tmp_path / "app" / "page.html").write_text(
        "{% load i18n %}{% translate 'In a template' %}", encoding="utf-8"
    )
    catalogue = tmp_path / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    committed = TINY_PO.split('msgid "Empty"')[0]  # the header and "Hello" only
    catalogue.write_text(committed, encoding="utf-8")

    regenerate(tmp_path, languages=("ko",))

    fresh = catalogue.read_text(encoding="utf-8")
    missing = [label.split(": ", 1)[1] for label in missing_msgids(committed, fresh)]
    assert sorted(missing) == sorted(["'New in the code'", "'%(n)s seat'", "'In a template'"])
    assert "Hello" not in " ".join(missing)
    assert len(catalogue_problems(fresh)) == 3  # the three new entries are untranslated
