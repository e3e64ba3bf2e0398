"""The data of the organisation generator: places, words of names, themes and kinds of organisations.

The tables live in `data/generator.json` and are read once, when this module is imported; here they get
their Python shapes (tuples, a `Kind` per kind of organisation) and a word on what each holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ngo_platform.organisations.models import LegalForm

DATA_FILE = Path(__file__).resolve().parent / "data" / "generator.json"


@dataclass(frozen=True)
class Kind:
    """A kind of organisation: legal form, share (per mille), where (town or village), themes, names."""

    key: str
    legal_form: str
    weight: float
    rural: bool  # True: mostly villages and rural gminas (OSP, KGW, LZS)
    themes: tuple[str, ...]
    # Name templates (placeholders: see `generator_names._name_values`); "theme|template" fixes the main theme.
    names: tuple[str, ...]
    founded: tuple[int, int, int]  # earliest year, latest year, mode year (triangular)
    opp: float = 0.08  # share of public benefit organisations
    short: str = ""  # template of the short name


def _kind(record: dict) -> Kind:
    return Kind(
        key=record["key"],
        legal_form=LegalForm(record["legal_form"]),
        weight=record["weight"],
        rural=record["rural"],
        themes=tuple(record["themes"]),
        names=tuple(record["names"]),
        founded=tuple(record["founded"]),
        opp=record["opp"],
        short=record["short"],
    )


_DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))

# --- Places ------------------------------------------------------------------------------------
# TERYT of a gmina → (locative with its preposition, genitive, feminine genitive adjective for
# "Ziemi …" or "", population in thousands, approximate, used only as a weight).
PLACES: dict[str, tuple[str, str, str, float]] = {teryt: tuple(place) for teryt, place in _DATA["places"].items()}
# Villages of some gminas (TERC 2024: Czarnowąsy and the other villages joined to Opole in 2017 are
# not here): (nominative, locative with its preposition, genitive).
VILLAGES: dict[str, list[tuple[str, str, str]]] = {
    teryt: [tuple(village) for village in villages] for teryt, villages in _DATA["villages"].items()
}
# NIP prefixes (tax offices) by powiat TERYT: plausible, not verified against the list of offices.
NIP_PREFIXES: dict[str, str] = _DATA["nip_prefixes"]
# Postal codes by powiat TERYT (the first three digits; the rest is drawn).
POSTAL_PREFIXES: dict[str, list[str]] = _DATA["postal_prefixes"]
STREETS: list[str] = _DATA["streets"]

# --- Words of names ----------------------------------------------------------------------------
QUOTED: list[str] = _DATA["quoted"]
SPORT_NAMES: list[str] = _DATA["sport_names"]
KGW_NAMES: list[str] = _DATA["kgw_names"]
SAINTS: list[str] = _DATA["saints"]
PATRONS: list[str] = _DATA["patrons"]
# The field of a foundation's name → the themes it stands for.
FIELDS_OF_FOUNDATION: list[tuple[str, tuple[str, ...]]] = [
    (name, tuple(themes)) for name, themes in _DATA["fields_of_foundation"]
]
# "Centrum …" of a foundation's name → the theme it stands for.
CENTRES: dict[str, str] = _DATA["centres"]

# --- Themes ------------------------------------------------------------------------------------
# Spheres of public tasks (art. 4 ust. 1 numbers: first always, others sometimes) and sentences of
# descriptions. Placeholders: {loc} "w Nysie", {gen} "Nysy", {gmina_gen} "gminy Nysa", {gmina_loc}
# "w gminie Nysa", {region_gen} "Śląska Opolskiego", {year} founding year.
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    key: (tuple(theme["spheres"]), tuple(theme["sentences"])) for key, theme in _DATA["themes"].items()
}

# --- Kinds of organisations --------------------------------------------------------------------
KINDS: tuple[Kind, ...] = tuple(_kind(record) for record in _DATA["kinds"])
# Kinds whose number in a starosta's register carries a prefix.
STAROSTA_PREFIX = {"zwykle": "SZ", "uks": "UKS", "klub": "KS", "lzs": "KS"}
# Branches of nationwide associations: a 14-digit REGON of a local unit.
BRANCH_MARKERS = ("– Oddział", "– Koło", "– Hufiec")
