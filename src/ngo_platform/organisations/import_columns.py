"""The columns of an import file and the values they take: accepted headers, aliases of choices, formats,
and the helpers that turn a cell into text and quote it in a message of the report."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.utils import translation

from ngo_platform.core.text import fold
from ngo_platform.organisations.identifiers import krs_clean, nip_clean, regon_clean
from ngo_platform.organisations.models import Organisation, OrganisationStatus, Register
from ngo_platform.organisations.services import SCALAR_FIELDS


def header_key(header: Any) -> str:
    """ "Miejscowość" → "miejscowosc", "Nazwa skrócona" → "nazwa_skrocona", "E-mail" → "e_mail"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(str(header or "")).strip()).strip("_")


# Column key (our name) → accepted headers (after `header_key`). The first is the documented one.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("nazwa", "nazwa_organizacji", "pelna_nazwa"),
    "short_name": ("skrot", "nazwa_skrocona", "nazwa_krotka"),
    "legal_form": ("forma_prawna", "forma"),
    "krs": ("krs", "numer_krs", "nr_krs"),
    "nip": ("nip", "numer_nip", "nr_nip"),
    "regon": ("regon", "numer_regon", "nr_regon"),
    "city": ("miejscowosc", "miasto"),
    "seat": ("gmina", "gmina_siedziby", "kod_teryt_gminy"),
    "description": ("opis",),
    "description_short": ("opis_krotki", "krotki_opis"),
    "website": ("www", "strona_www", "strona", "strona_internetowa", "adres_www"),
    "email": ("email", "e_mail", "adres_email", "adres_e_mail"),
    "is_opp": ("opp", "status_opp"),
    "street": ("ulica", "adres", "ulica_i_numer"),
    "postal_code": ("kod_pocztowy", "kod"),
    "phone": ("telefon", "tel", "nr_telefonu", "numer_telefonu"),
    "register": ("rejestr",),
    "registry_number": ("numer_w_rejestrze", "nr_w_rejestrze", "numer_ewidencyjny"),
    "registry_authority": ("organ_rejestrowy", "organ_prowadzacy_rejestr"),
    "founded_on": ("data_zalozenia", "data_rejestracji"),
    "opp_since": ("opp_od", "data_uzyskania_opp"),
    "status": ("status",),
    "spheres": ("sfery", "sfery_dzialalnosci", "sfery_pozytku"),
}
HEADER_TO_COLUMN = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
# Plain text columns: model field → whether line breaks are kept.
TEXT_COLUMNS = {
    "name": False,
    "short_name": False,
    "city": False,
    "description": True,
    "description_short": False,
    "street": False,
    "phone": False,
    "registry_number": False,
    "registry_authority": False,
}
assert set(COLUMNS) - {"seat", "spheres"} <= set(SCALAR_FIELDS), "import columns must be fields services may set"


@lru_cache(maxsize=16384)
def norm(value: str) -> str:
    """Fold and collapse punctuation: "Stow. zwykłe" → "stow zwykle"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(value)).split())


REGISTER_ALIASES: dict[str, str] = {
    "krs": Register.KRS,
    "krajowy rejestr sadowy": Register.KRS,
    "starosta": Register.STAROSTA,
    "ewidencja": Register.STAROSTA,
    "ewidencja starosty": Register.STAROSTA,
    "rejestr starosty": Register.STAROSTA,
    "inny": Register.OTHER,
    "inne": Register.OTHER,
    "inny rejestr": Register.OTHER,
    "arimr": Register.OTHER,
}
STATUS_ALIASES: dict[str, str] = {
    "aktywna": OrganisationStatus.ACTIVE,
    "aktywny": OrganisationStatus.ACTIVE,
    "dzialajaca": OrganisationStatus.ACTIVE,
    "zawieszona": OrganisationStatus.SUSPENDED,
    "zawieszony": OrganisationStatus.SUSPENDED,
    "w likwidacji": OrganisationStatus.IN_LIQUIDATION,
    "likwidacja": OrganisationStatus.IN_LIQUIDATION,
    "wykreslona": OrganisationStatus.STRUCK_OFF,
    "wykreslony": OrganisationStatus.STRUCK_OFF,
    "wykreslona z rejestru": OrganisationStatus.STRUCK_OFF,
}
TRUE_WORDS = {"tak", "t", "1", "true", "x", "yes", "y", "prawda"}
FALSE_WORDS = {"nie", "n", "0", "false", "no", "falsz", ""}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y.%m.%d", "%Y/%m/%d")
POSTAL_CODE = re.compile(r"^(\d{2})-?(\d{3})$")
GMINA_PREFIX = re.compile(r"^(gmina miejsko wiejska|gmina miejska|gmina wiejska|gmina|gm|miasto i gmina|miasto|m)\s+")
TERYT_IN_PARENTHESES = re.compile(r"\((\d{7})\)\s*$")


def choices_aliases(choices, extra: dict[str, str]) -> dict[str, str]:
    """Our aliases, plus every value and English and Polish label of the choices."""
    aliases = dict(extra)
    for value, label in choices:
        aliases.setdefault(norm(value), value)
        for language in ("en", "pl"):
            with translation.override(language):
                aliases.setdefault(norm(str(label)), value)
    return aliases


MAX_LENGTH = {
    f.name: f.max_length for f in Organisation._meta.get_fields() if getattr(f, "max_length", None) and f.concrete
}
IDENTIFIER_LABELS = {"krs": "KRS", "nip": "NIP", "regon": "REGON"}
IDENTIFIER_CLEANERS = {"krs": krs_clean, "nip": nip_clean, "regon": regon_clean}
IDENTIFIER_MESSAGES = {
    "krs": "numer KRS ma do 10 cyfr, np. 0000123456",
    "nip": "NIP ma 10 cyfr z poprawną cyfrą kontrolną",
    "regon": "REGON ma 9 albo 14 cyfr z poprawną cyfrą kontrolną",
}


def cell_text(value: Any, *, multiline: bool = False) -> str:
    """A cell as text: whitespace collapsed (line breaks kept if `multiline`), whole floats without ".0",
    dates in ISO form, booleans as tak/nie."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if multiline:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()
    return " ".join(text.split())


def quoted(value: str, limit: int = 60) -> str:
    """„value”, cut to `limit` characters: how the report quotes what the file says."""
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return f"„{value}”"


def map_headers(headers: Sequence[str], report: list[dict], *, strict: bool = False) -> dict[str, int] | None:
    """Column key → index. Unknown columns are warnings; a missing name column is an error, a missing seat
    column too when `strict` (otherwise a warning: every new organisation is marked to complete)."""
    index: dict[str, int] = {}
    for position, header in enumerate(headers):
        if not header:
            continue
        key = HEADER_TO_COLUMN.get(header_key(header))
        if key is None:
            report.append(
                {"row": 1, "column": header, "reason": "Nieznana kolumna: jej wartości pominięto.", "level": "warning"}
            )
        elif key in index:
            report.append(
                {
                    "row": 1,
                    "column": header,
                    "reason": f"Kolumna powtarza kolumnę {quoted(headers[index[key]])} (to samo pole); zostaw jedną.",
                    "level": "error",
                }
            )
        else:
            index[key] = position
    ok = True
    if "name" not in index:
        report.append({"row": 1, "column": "nazwa", "reason": "Brak wymaganej kolumny „nazwa”.", "level": "error"})
        ok = False
    if "seat" not in index and "city" not in index:
        report.append(
            {
                "row": 1,
                "column": "gmina",
                "reason": "Brak wymaganej kolumny „gmina” (kod TERYT albo nazwa gminy siedziby)."
                if strict
                else "Brak kolumny „gmina” (kod TERYT albo nazwa gminy siedziby): nowe organizacje będą "
                "oznaczone do uzupełnienia siedziby.",
                "level": "error" if strict else "warning",
            }
        )
        ok = ok and not strict
    if any(item["level"] == "error" for item in report):
        ok = False
    return index if ok else None
