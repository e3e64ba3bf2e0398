"""Every string is translated: the Polish catalogue is complete, not fuzzy, and compiled."""

import ast
import gettext
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "src" / "ngo_platform" / "locale"


def po_entries(path: Path) -> list[dict]:
    """Parse a .po file into entries {msgid, msgid_plural, msgstr: [..], fuzzy}."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue
        entry = entry or {"msgid": "", "msgid_plural": None, "msgstr": {}, "fuzzy": False, "context": None}
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            key, entry["context"] = "context", ast.literal_eval(line[8:])
        elif line.startswith("msgid_plural "):
            key, entry["msgid_plural"] = "msgid_plural", ast.literal_eval(line[13:])
        elif line.startswith("msgid "):
            key, entry["msgid"] = "msgid", ast.literal_eval(line[6:])
        elif line.startswith("msgstr"):
            index = int(line[7]) if line[6] == "[" else 0
            key = ("msgstr", index)
            entry["msgstr"][index] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += value
            else:
                entry[key] += value
    return [e for e in entries if e["msgid"]]


PL_PO = LOCALE / "pl/LC_MESSAGES/django.po"
PL_MO = LOCALE / "pl/LC_MESSAGES/django.mo"


def test_polish_catalogue_is_complete_and_not_fuzzy():
    entries = po_entries(PL_PO)
    assert len(entries) > 100
    incomplete = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["msgstr"].values())]
    assert incomplete == []


def test_compiled_polish_catalogue_matches_the_source():
    with PL_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        e["msgid"]
        for e in po_entries(PL_PO)
        if e["msgid_plural"] is None and e["context"] is None and compiled.gettext(e["msgid"]) != e["msgstr"][0]
    ]
    assert stale == [], "run `make messages` to recompile"


@pytest.mark.parametrize(
    ("english", "polish"),
    [("Local governments", "Samorządy"), ("Skip to main content", "Przejdź do treści głównej"), ("Audit log", "Dziennik zdarzeń")],
)
def test_polish_is_the_default_and_english_the_source(english, polish):
    with translation.override("pl"):
        assert translation.gettext(english) == polish
    with translation.override("en"):
        assert translation.gettext(english) == english
