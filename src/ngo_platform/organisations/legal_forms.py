"""The legal forms of organisations as registers write them: versioned reference data, not constants.

`data/legal_forms_<version>.csv` lists, for each of our forms (`LegalForm`), the wordings that KRS, the starosta's
registers, ARiMR and municipal lists use ("jednostka terenowa stowarzyszenia", "stowarzyszenie kultury fizycznej",
"zrzeszenie sportowe"…). The code `-` marks the forms the act excludes from the NGOs it governs (art. 3 ust. 4 UDPP:
political parties, trade unions and employers' organisations, professional self-governments): an import refuses
them. Wordings match ignoring case, diacritics and punctuation; every value and label of `LegalForm` matches too.
A new edition of the list is a new file: `VERSION` names the one in use.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from django.utils import translation

from ngo_platform.core.text import fold
from ngo_platform.organisations.models import LegalForm

VERSION = "2026-12"
DATA_FILE = Path(__file__).parent / "data" / f"legal_forms_{VERSION}.csv"
EXCLUDED = "-"  # not an NGO of the act (art. 3 ust. 4 UDPP)


def key(text: str) -> str:
    """ "Stow. zwykłe" → "stow zwykle": lower case, no diacritics, punctuation as spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


@cache
def _rows() -> tuple[tuple[str, str], ...]:
    """The data file's (code, wording) rows, checked: a known code, a wording, no wording given to two forms."""
    codes = set(LegalForm.values) | {EXCLUDED}
    rows: list[tuple[str, str]] = []
    named: dict[str, str] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle, delimiter=";"), start=2):
            code, wording = row["code"].strip(), row["wording"].strip()
            if code not in codes or not key(wording):
                raise ValueError(f"{DATA_FILE.name}, line {line}: unknown code {code!r} or empty wording")
            if named.setdefault(key(wording), code) != code:
                raise ValueError(
                    f"{DATA_FILE.name}, line {line}: {key(wording)!r} already names {named[key(wording)]!r}"
                )
            rows.append((code, wording))
    return tuple(rows)


@cache
def wordings() -> dict[str, str]:
    """Folded wording → our code (or `EXCLUDED`): the file's wordings, then every value and label of `LegalForm`."""
    found = {key(wording): code for code, wording in _rows()}
    for value, label in LegalForm.choices:
        found.setdefault(key(value), value)
        for language in ("pl", "en"):
            with translation.override(language):
                found.setdefault(key(str(label)), value)
    return found


def match(text: str) -> str | None:
    """Our `LegalForm` value for a register's wording, `EXCLUDED` for a form outside the act, None when unknown.

    A wording in parentheses or after a dash is tried alone too ("Stowarzyszenie (KRS)", "OSP – stowarzyszenie")."""
    known = wordings()
    folded = key(text)
    if folded in known:
        return known[folded]
    for part in re.split(r"[()\u2013\u2014/]|\s-\s", text):
        found = known.get(key(part))
        if found:
            return found
    return None


def examples() -> str:
    """Our forms' Polish labels, for a message that lists what a cell may say."""
    with translation.override("pl"):
        return ", ".join(str(label) for _value, label in LegalForm.choices)


@cache
def search_words(code: str) -> str:
    """What the search index holds of a legal form: its Polish label and the register wordings of up to three
    words ("stowarzyszenie kultury fizycznej", "KS"), so that words naming a form find the organisations of it."""
    if not code or code not in LegalForm.values:
        return ""
    with translation.override("pl"):
        label = str(LegalForm(code).label)
    wordings_of_code = [wording for row_code, wording in _rows() if row_code == code and len(key(wording).split()) <= 3]
    return " ".join(dict.fromkeys([label, *wordings_of_code]))
