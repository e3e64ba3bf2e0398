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


PACKAGE = LOCALE.parent
# The project catalogue and each app's own (an app keeps its strings in <app>/locale/).
PL_CATALOGUES = [PACKAGE / "locale/pl/LC_MESSAGES/django.po"] + sorted(
    PACKAGE.glob("*/locale/pl/LC_MESSAGES/django.po")
)


def test_no_string_is_translated_two_ways():
    """gettext has one namespace: where two catalogues translate the same string (and context) differently,
    the project catalogue (LOCALE_PATHS) or the first app silently wins over the other. An app that needs
    its own word for a shared string ("submitted" of an offer, "Applicant" = oferent) gives it a context."""
    seen, clashes = {}, []
    for po in PL_CATALOGUES:
        for entry in po_entries(po):
            key = (entry["context"], entry["msgid"], entry["msgid_plural"])
            if key in seen and seen[key][1] != entry["msgstr"]:
                clashes.append(
                    f"{entry['msgid']!r}: {seen[key][1]} ({seen[key][0]}) / {entry['msgstr']} ({po.relative_to(PACKAGE)})"
                )
            seen.setdefault(key, (po.relative_to(PACKAGE), entry["msgstr"]))
    assert clashes == []


def test_an_offer_state_and_the_applicant_read_as_in_competitions():
    from ngo_platform.competitions.models import OfferState

    with translation.override("pl"):
        assert str(OfferState.SUBMITTED.label) == "złożona"
        assert translation.pgettext("competitions", "Applicant") == "Oferent"


@pytest.mark.parametrize("po", PL_CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_polish_catalogue_is_complete_and_not_fuzzy(po):
    entries = po_entries(po)
    assert entries
    incomplete = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["msgstr"].values())]
    assert incomplete == []


@pytest.mark.parametrize("po", PL_CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_compiled_polish_catalogue_matches_the_source(po):
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        e["msgid"]
        for e in po_entries(po)
        if e["msgid_plural"] is None and e["context"] is None and compiled.gettext(e["msgid"]) != e["msgstr"][0]
    ]
    assert stale == [], "run `make messages` to recompile"


def test_the_project_catalogue_is_substantial():
    assert len(po_entries(PL_CATALOGUES[0])) > 100


@pytest.mark.parametrize(
    ("english", "polish"),
    [
        ("Local governments", "Samorządy"),
        ("Skip to main content", "Przejdź do treści głównej"),
        ("Audit log", "Dziennik zdarzeń"),
    ],
)
def test_polish_is_the_default_and_english_the_source(english, polish):
    with translation.override("pl"):
        assert translation.gettext(english) == polish
    with translation.override("en"):
        assert translation.gettext(english) == english
