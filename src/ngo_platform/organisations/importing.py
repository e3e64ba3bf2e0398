"""Import of organisations from CSV and XLSX files (`ngo-platform import_organisations`, upload page).

The flow:

1. `table_read` turns a file into headers and rows (CSV: UTF-8 with or without BOM, else
   Windows-1250, `;`/`,`/tab sniffed from the header line; XLSX: the first sheet, read-only).
2. `organisations_import` validates every row first, outside any transaction, writing the
   progress to `ImportRun.processed_rows` every `PROGRESS_EVERY` rows (that is where the time
   goes). Any error: the run is FAILED, nothing is written.
3. Then, in ONE transaction, rows are matched to existing organisations by KRS, then NIP, then
   REGON (a row without any identifier: by name within the same gmina), new organisations are
   bulk-created, changed ones bulk-updated, spheres set, search re-indexed once
   (`search.index_organisations`) and ONE audit entry `organisations.import` written. A dry run
   stops before writing but reports what it would have done.

The report is a list of {"row", "column", "reason", "level"} in Polish: "row" is the number a
spreadsheet shows (the header is row 1; None for the file as a whole), "column" the header as
written in the file, "level" "error" or "warning" (unknown columns are warnings).

Empty cells never clear what an existing organisation has, except `opp` (empty means "nie",
unless `opp_od` has a date). Every read and write is done in bulk, so the number of queries does
not grow with the number of rows, apart from one progress write per `PROGRESS_EVERY` rows and
the batches Django splits a bulk INSERT into on SQLite (at most 999 parameters per statement).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection, transaction
from django.utils import timezone, translation

from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.services import audit_log
from ngo_platform.core.text import fold
from ngo_platform.organisations import search
from ngo_platform.organisations.identifiers import krs_clean, nip_clean, regon_clean
from ngo_platform.organisations.models import (
    ImportRun,
    ImportState,
    LegalForm,
    Organisation,
    OrganisationStatus,
    Register,
)
from ngo_platform.organisations.services import IDENTIFIER_FIELDS, SCALAR_FIELDS, unique_slug
from ngo_platform.territory.models import Sphere, SphereCatalogue, TerritorialUnit, UnitLevel

ProgressCallback = Callable[[int, int], None]

PROGRESS_EVERY = 500
UPDATE_BATCH_SIZE = 1000  # rows per UPDATE … FROM (VALUES …) on PostgreSQL
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ACCEPTED_EXTENSIONS = (".csv", ".xlsx")
AUDIT_ACTION = "organisations.import"

# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


class ImportFileError(ServiceError):
    """The file as a whole cannot be read. `code`: format, encoding, xlsx, empty."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message, field="file")
        self.code = code


@dataclass
class Table:
    """A sheet: the header row (row 1) and the non-blank data rows with their spreadsheet numbers."""

    source_name: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def file_kind(name: str, head: bytes = b"") -> str:
    """ "csv" or "xlsx", from the extension, else from the content (XLSX is a ZIP)."""
    suffix = Path(name or "").suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix in (".xls", ".ods", ".xlsm", ".numbers"):
        raise ImportFileError(
            f"Format pliku {suffix} nie jest obsługiwany: zapisz arkusz jako XLSX albo CSV.", code="format"
        )
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    return "xlsx" if head.startswith(b"PK\x03\x04") else "csv"


def table_read(source: Path | str | IO[bytes] | bytes, *, name: str | None = None, header_only: bool = False) -> Table:
    """Read a CSV or XLSX file (a path, a binary file object or bytes).

    With `header_only`, a CSV is still decoded whole (so that an encoding problem shows) but
    only the header row is parsed, and an XLSX is only opened and its first row read: the
    quick check of the upload form.
    """
    if isinstance(source, (str, Path)):
        name = name or Path(source).name
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read()
        if hasattr(source, "seek"):
            source.seek(0)
    name = name or "plik"
    if not data:
        raise ImportFileError("Plik jest pusty.", code="empty")
    if file_kind(name, data[:4]) == "xlsx":
        return _read_xlsx(data, name=name, header_only=header_only)
    return _read_csv(data, name=name, header_only=header_only)


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1250")
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text:
        raise ImportFileError(
            "Nie udało się odczytać pliku jako tekstu CSV: zapisz go jako CSV w kodowaniu UTF-8 "
            "(albo Windows-1250) lub jako XLSX.",
            code="encoding",
        )
    return text


def _sniff_delimiter(text: str) -> str:
    """`;` (Polish Excel), `,` or tab: whichever the header line has most of."""
    first = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def _read_csv(data: bytes, *, name: str, header_only: bool) -> Table:
    text = _decode(data)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
    try:
        for number, cells in enumerate(reader, start=1):
            if table is None:
                headers = [cell.strip() for cell in cells]
                if not any(headers):
                    raise ImportFileError(
                        "Pierwszy wiersz pliku musi zawierać nagłówki kolumn (np. nazwa, gmina).", code="empty"
                    )
                table = Table(source_name=name, headers=headers)
                if header_only:
                    return table
                continue
            if any(cell.strip() for cell in cells):
                table.rows.append((number, cells))
    except csv.Error as error:
        raise ImportFileError(f"Plik CSV jest uszkodzony: {error}.", code="encoding") from error
    if table is None:
        raise ImportFileError("Plik jest pusty.", code="empty")
    return table


def _read_xlsx(data: bytes, *, name: str, header_only: bool) -> Table:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            "Nie udało się otworzyć pliku jako arkusza XLSX: zapisz go ponownie jako XLSX albo CSV.", code="xlsx"
        ) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError("Arkusz XLSX nie zawiera żadnego arkusza.", code="empty")
        sheet = workbook.worksheets[0]
        table: Table | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
                cells.pop()
            if table is None:
                headers = ["" if cell is None else str(cell).strip() for cell in cells]
                if not any(headers):
                    raise ImportFileError(
                        "Pierwszy wiersz arkusza musi zawierać nagłówki kolumn (np. nazwa, gmina).", code="empty"
                    )
                table = Table(source_name=name, headers=headers)
                if header_only:
                    return table
                continue
            if any(cell is not None and str(cell).strip() for cell in cells):
                table.rows.append((number, cells))
        if table is None:
            raise ImportFileError("Arkusz jest pusty.", code="empty")
        return table
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds on damaged files
        raise ImportFileError(
            "Nie udało się odczytać arkusza XLSX: zapisz go ponownie jako XLSX albo CSV.", code="xlsx"
        ) from error
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------------
# Columns and values
# ---------------------------------------------------------------------------------------------


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
def _norm(value: str) -> str:
    """Fold and collapse punctuation: "Stow. zwykłe" → "stow zwykle"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(value)).split())


LEGAL_FORM_ALIASES: dict[str, str] = {
    "fundacja": LegalForm.FOUNDATION,
    "stowarzyszenie": LegalForm.ASSOCIATION,
    "stowarzyszenie rejestrowe": LegalForm.ASSOCIATION,
    "stowarzyszenie zarejestrowane": LegalForm.ASSOCIATION,
    "stowarzyszenie krs": LegalForm.ASSOCIATION,
    "zwiazek stowarzyszen": LegalForm.ASSOCIATION,
    "stowarzyszenie zwykle": LegalForm.ORDINARY_ASSOCIATION,
    "stow zwykle": LegalForm.ORDINARY_ASSOCIATION,
    "sz": LegalForm.ORDINARY_ASSOCIATION,
    "uczniowski klub sportowy": LegalForm.STUDENT_SPORTS_CLUB,
    "uks": LegalForm.STUDENT_SPORTS_CLUB,
    "klub sportowy": LegalForm.SPORTS_CLUB,
    "ks": LegalForm.SPORTS_CLUB,
    "ochotnicza straz pozarna": LegalForm.VOLUNTEER_FIRE_BRIGADE,
    "osp": LegalForm.VOLUNTEER_FIRE_BRIGADE,
    "kolo gospodyn wiejskich": LegalForm.RURAL_HOUSEWIVES_CIRCLE,
    "kgw": LegalForm.RURAL_HOUSEWIVES_CIRCLE,
    "koscielna osoba prawna": LegalForm.CHURCH_LEGAL_PERSON,
    "osoba prawna kosciola": LegalForm.CHURCH_LEGAL_PERSON,
    "osoba prawna kosciola lub zwiazku wyznaniowego": LegalForm.CHURCH_LEGAL_PERSON,
    "spoldzielnia socjalna": LegalForm.SOCIAL_COOPERATIVE,
    "spolka non profit": LegalForm.NON_PROFIT_COMPANY,
    "spolka pozytku publicznego": LegalForm.NON_PROFIT_COMPANY,
    "inny podmiot": LegalForm.OTHER,
    "inny": LegalForm.OTHER,
    "inna": LegalForm.OTHER,
    "inne": LegalForm.OTHER,
}
LEGAL_FORM_EXAMPLES = (
    "fundacja, stowarzyszenie, stowarzyszenie zwykłe, UKS, klub sportowy, OSP, KGW, kościelna osoba prawna, "
    "spółdzielnia socjalna, spółka non-profit, inny podmiot"
)
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


def _choices_aliases(choices, extra: dict[str, str]) -> dict[str, str]:
    """Our aliases, plus every value and English and Polish label of the choices."""
    aliases = dict(extra)
    for value, label in choices:
        aliases.setdefault(_norm(value), value)
        for language in ("en", "pl"):
            with translation.override(language):
                aliases.setdefault(_norm(str(label)), value)
    return aliases


_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])
_max_length = {
    f.name: f.max_length for f in Organisation._meta.get_fields() if getattr(f, "max_length", None) and f.concrete
}
IDENTIFIER_LABELS = {"krs": "KRS", "nip": "NIP", "regon": "REGON"}
IDENTIFIER_CLEANERS = {"krs": krs_clean, "nip": nip_clean, "regon": regon_clean}
IDENTIFIER_MESSAGES = {
    "krs": "numer KRS ma do 10 cyfr, np. 0000123456",
    "nip": "NIP ma 10 cyfr z poprawną cyfrą kontrolną",
    "regon": "REGON ma 9 albo 14 cyfr z poprawną cyfrą kontrolną",
}


def _text(value: Any, *, multiline: bool = False) -> str:
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


def _quote(value: str, limit: int = 60) -> str:
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return f"„{value}”"


# ---------------------------------------------------------------------------------------------
# Validation of rows (no writes, apart from progress)
# ---------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """What one valid row asks for."""

    number: int
    values: dict[str, Any]  # model attname → value: only what the row sets
    create_defaults: dict[str, Any]  # extra values for a new organisation only
    spheres: set[int] | None  # None: leave the spheres as they are
    identifiers: dict[str, str]  # krs/nip/regon → compact value, only the non-empty ones
    name_key: tuple[str, int]  # (folded name, seat id): matches rows without identifiers


@dataclass
class _Lookups:
    gminas_by_code: dict[str, int]
    gminas_by_name: dict[str, list[tuple[int, str, str]]]  # folded name → [(id, teryt, powiat)]
    spheres: dict[str, int] | None  # number → id in the newest catalogue
    catalogue_version: str
    legal_forms: dict[str, str]
    registers: dict[str, str]
    statuses: dict[str, str]

    @classmethod
    def load(cls, *, need_spheres: bool) -> _Lookups:
        by_code: dict[str, int] = {}
        by_name: dict[str, list[tuple[int, str, str]]] = {}
        for pk, teryt, name, powiat in TerritorialUnit.objects.filter(level=UnitLevel.GMINA).values_list(
            "pk", "teryt", "name", "parent__name"
        ):
            by_code[teryt] = pk
            by_name.setdefault(_gmina_key(name), []).append((pk, teryt, powiat or ""))
        spheres, version = None, ""
        if need_spheres:
            catalogue = SphereCatalogue.objects.order_by("-effective_from", "-pk").first()
            if catalogue is not None:
                version = catalogue.version
                spheres = {
                    number.lower(): pk
                    for pk, number in Sphere.objects.filter(catalogue=catalogue).values_list("pk", "number")
                }
        return cls(
            gminas_by_code=by_code,
            gminas_by_name=by_name,
            spheres=spheres,
            catalogue_version=version,
            legal_forms=_choices_aliases(LegalForm.choices, LEGAL_FORM_ALIASES),
            registers=_choices_aliases(Register.choices, REGISTER_ALIASES),
            statuses=_choices_aliases(OrganisationStatus.choices, STATUS_ALIASES),
        )


def _gmina_key(name: str) -> str:
    return GMINA_PREFIX.sub("", _norm(name))


class _RowErrors:
    def __init__(self, number: int, headers: dict[str, str], report: list[dict]):
        self.number, self.headers, self.report, self.count = number, headers, report, 0

    def add(self, column: str, reason: str) -> None:
        self.count += 1
        self.report.append(
            {"row": self.number, "column": self.headers.get(column, column), "reason": reason, "level": "error"}
        )


def _map_headers(headers: Sequence[str], report: list[dict]) -> dict[str, int] | None:
    """Column key → index. Unknown columns are warnings; missing required ones, errors."""
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
                    "reason": f"Kolumna powtarza kolumnę {_quote(headers[index[key]])} (to samo pole); zostaw jedną.",
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
                "reason": "Brak wymaganej kolumny „gmina” (kod TERYT albo nazwa gminy siedziby).",
                "level": "error",
            }
        )
        ok = False
    if any(item["level"] == "error" for item in report):
        ok = False
    return index if ok else None


def _resolve_gmina(raw: str, lookups: _Lookups) -> tuple[int | None, str | None, str]:
    """(gmina id, None, "") or (None, Polish reason, kind of problem: code, unknown, ambiguous)."""
    code = re.sub(r"[\s-]", "", raw)
    match = TERYT_IN_PARENTHESES.search(raw)
    if match:
        code = match.group(1)
    if code.isdigit():
        if len(code) == 6:  # a spreadsheet dropped the leading zero
            code = code.zfill(7)
        if len(code) != 7:
            return None, f"Kod TERYT gminy ma 7 cyfr (np. 1601011), a podano {_quote(raw)}.", "code"
        pk = lookups.gminas_by_code.get(code)
        if pk is None:
            return None, f"Nie ma gminy o kodzie TERYT {code}.", "code"
        return pk, None, ""
    candidates = lookups.gminas_by_name.get(_gmina_key(raw), [])
    if not candidates:
        return None, f"Nie znaleziono gminy {_quote(raw)}: podaj jej nazwę albo 7-cyfrowy kod TERYT.", "unknown"
    if len(candidates) > 1:
        options = ", ".join(
            f"{teryt} (powiat {powiat})" for _pk, teryt, powiat in sorted(candidates, key=lambda c: c[1])
        )
        return (
            None,
            (f"Gmina {_quote(raw)} występuje w kilku powiatach: {options}. Wpisz 7-cyfrowy kod TERYT właściwej gminy."),
            "ambiguous",
        )
    return candidates[0][0], None, ""


def _parse_date(raw: Any) -> datetime.date | None:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = _text(raw)
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d", text):
        text = text[:10]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _identifier_text(key: str, raw: Any) -> str:
    text = _text(raw).lstrip("'")
    if key == "regon" and isinstance(raw, (int, float)) and len(text) in (8, 13):
        text = text.zfill(len(text) + 1)  # a spreadsheet dropped the leading zero
    return text


def _parse_row(
    number: int, cells: list[Any], index: dict[str, int], headers: dict[str, str], lookups: _Lookups, report: list[dict]
) -> RowPlan | None:
    errors = _RowErrors(number, headers, report)

    def cell(key: str) -> Any:
        position = index.get(key)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    values: dict[str, Any] = {}
    create_defaults: dict[str, Any] = {}

    # Plain text.
    for key, multiline in TEXT_COLUMNS.items():
        if key not in index:
            continue
        text = _text(cell(key), multiline=multiline)
        if not text:
            continue
        limit = _max_length.get(key)
        if limit and len(text) > limit:
            errors.add(key, f"Tekst jest za długi: {len(text)} znaków, najwyżej {limit}.")
            continue
        values[key] = text
    if not _text(cell("name")):
        errors.add("name", "Podaj nazwę organizacji.")

    # Identifiers.
    identifiers: dict[str, str] = {}
    for key in IDENTIFIER_FIELDS:
        if key not in index:
            continue
        raw = _identifier_text(key, cell(key))
        if not raw:
            continue
        try:
            identifiers[key] = IDENTIFIER_CLEANERS[key](raw)
        except ValidationError as error:
            reason = IDENTIFIER_MESSAGES.get(error.code or "")
            if reason is None:
                with translation.override("pl"):
                    reason = " ".join(str(message) for message in error.messages)
            errors.add(key, f"Nieprawidłowy {IDENTIFIER_LABELS[key]} {_quote(raw)}: {reason}.")
    values.update(identifiers)

    # Seat: `gmina`, else `miejscowosc` read as a gmina name.
    seat_raw = _text(cell("seat"))
    seat_column = "seat" if "seat" in index else "city"
    seat_id: int | None = None
    if seat_raw:
        seat_id, reason, _kind = _resolve_gmina(seat_raw, lookups)
        if reason:
            errors.add("seat", reason)
    else:
        city = _text(cell("city"))
        if city:
            seat_id, reason, kind = _resolve_gmina(city, lookups)
            if reason:
                if kind == "ambiguous":
                    errors.add(seat_column, reason)
                else:
                    errors.add(
                        seat_column,
                        f"Podaj gminę siedziby (kod TERYT albo nazwę gminy): miejscowość {_quote(city)} "
                        "nie jest nazwą gminy.",
                    )
        else:
            errors.add(seat_column, "Podaj gminę siedziby: 7-cyfrowy kod TERYT albo nazwę gminy.")
    if seat_id is not None:
        values["seat_id"] = seat_id

    # Choices.
    for key, aliases, what, examples in (
        ("legal_form", lookups.legal_forms, "forma prawna", LEGAL_FORM_EXAMPLES),
        ("register", lookups.registers, "rejestr", "KRS, starosta, inny"),
        ("status", lookups.statuses, "status", "aktywna, zawieszona, w likwidacji, wykreślona"),
    ):
        text = _text(cell(key))
        if not text:
            continue
        value = aliases.get(_norm(text))
        if value is None:
            errors.add(key, f"Nieznana {what} {_quote(text)}; dozwolone: {examples}.")
        else:
            values[key] = value
    if "register" not in values:
        # A new organisation without `rejestr`: from the KRS number or the legal form (domain.md §E).
        form = values.get("legal_form", LegalForm.ASSOCIATION)
        if "krs" in identifiers:
            create_defaults["register"] = Register.KRS
        elif form in (LegalForm.ORDINARY_ASSOCIATION, LegalForm.STUDENT_SPORTS_CLUB):
            create_defaults["register"] = Register.STAROSTA
        elif form == LegalForm.RURAL_HOUSEWIVES_CIRCLE:
            create_defaults["register"] = Register.OTHER

    # Contact.
    email = _text(cell("email"))
    if email:
        try:
            _email_validator(email)
            if len(email) > _max_length["email"]:
                raise ValidationError("too long")
            values["email"] = email
        except ValidationError:
            errors.add("email", f"Nieprawidłowy adres e-mail {_quote(email)}.")
    website = _text(cell("website"))
    if website:
        url = website if re.match(r"^[a-z][a-z0-9+.-]*://", website, re.IGNORECASE) else f"https://{website}"
        try:
            _url_validator(url)
            if len(url) > _max_length["website"]:
                raise ValidationError("too long")
            values["website"] = url
        except ValidationError:
            errors.add("website", f"Nieprawidłowy adres strony internetowej {_quote(website)}.")
    postal = _text(cell("postal_code"))
    if postal:
        match = POSTAL_CODE.match(postal)
        if match:
            values["postal_code"] = f"{match.group(1)}-{match.group(2)}"
        else:
            errors.add("postal_code", f"Kod pocztowy ma postać 00-000, a podano {_quote(postal)}.")

    # Dates.
    today = timezone.localdate()
    for key in ("founded_on", "opp_since"):
        raw = cell(key)
        if not _text(raw):
            continue
        parsed = _parse_date(raw)
        if parsed is None:
            errors.add(key, f"Nieprawidłowa data {_quote(_text(raw))}: wpisz RRRR-MM-DD albo DD.MM.RRRR.")
        elif parsed > today:
            errors.add(key, f"Data {parsed:%Y-%m-%d} jest w przyszłości.")
        else:
            values[key] = parsed

    # OPP.
    if "is_opp" in index:
        text = _norm(_text(cell("is_opp")))
        if text in TRUE_WORDS:
            values["is_opp"] = True
        elif text in FALSE_WORDS:
            values["is_opp"] = False
        else:
            errors.add("is_opp", f"Wpisz tak albo nie (albo 1/0, x, puste), a podano {_quote(_text(cell('is_opp')))}.")
    if "opp_since" in values:
        if values.get("is_opp") is False and _text(cell("is_opp")):  # an explicit "nie"
            errors.add("opp_since", "Data uzyskania statusu OPP jest podana, a kolumna „opp” mówi „nie”.")
        else:
            values["is_opp"] = True
    if values.get("is_opp") is False:
        values["opp_since"] = None

    # Spheres of the newest list.
    spheres: set[int] | None = None
    spheres_text = _text(cell("spheres"))
    if spheres_text:
        if lookups.spheres is None:
            errors.add("spheres", "Nie wczytano wykazu sfer zadań publicznych (ngo-platform load_reference_data).")
        else:
            numbers = [part.strip(").").lower() for part in re.split(r"[;,\s]+", spheres_text) if part.strip(").")]
            unknown = [n for n in numbers if n not in lookups.spheres]
            if unknown:
                errors.add(
                    "spheres",
                    f"Nie ma punktów {', '.join(unknown)} w wykazie sfer {lookups.catalogue_version} "
                    "(art. 4 ust. 1, np. „16;17”)."
                    if len(unknown) > 1
                    else f"Nie ma punktu {unknown[0]} w wykazie sfer {lookups.catalogue_version} "
                    "(art. 4 ust. 1, np. „16;17”).",
                )
            else:
                spheres = {lookups.spheres[n] for n in numbers}

    if errors.count:
        return None
    return RowPlan(
        number=number,
        values=values,
        create_defaults=create_defaults,
        spheres=spheres,
        identifiers=identifiers,
        name_key=(_norm(values["name"]), values["seat_id"]),
    )


# ---------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------


class _Abort(Exception):
    """Roll back the import transaction (errors found while matching, or a dry run)."""


@dataclass
class _Existing:
    pk: int
    name: str
    identifiers: dict[str, str | None]


def _run_save(run: ImportRun, **values: Any) -> None:
    for name, value in values.items():
        setattr(run, name, value)
    run.save(update_fields=list(values))


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in_chunk_size() -> int:
    limit = connection.features.max_query_params
    return max(1, limit - 10) if limit else 1_000_000


def organisations_import(
    *,
    run: ImportRun,
    rows_source: Table,
    actor,
    progress: ProgressCallback | None = None,
) -> ImportRun:
    """Import the rows of `rows_source` as organisations, all or nothing; return the finished run.

    `run.dry_run`: check and count only. `actor` is the person (needs
    `organisations.import_organisations`) or None for the system. `progress(done, total)` is
    called every `PROGRESS_EVERY` rows of the validation and at its end.
    """
    if actor is not None and not actor.has_perm("organisations.import_organisations"):
        raise PermissionDenied
    total = len(rows_source.rows)
    _run_save(
        run,
        state=ImportState.RUNNING,
        total_rows=total,
        processed_rows=0,
        report=[],
        created_count=0,
        updated_count=0,
        unchanged_count=0,
    )
    report: list[dict] = []
    index = _map_headers(rows_source.headers, report)
    if index is None:
        return _fail(run, report)
    if total == 0:
        report.append(_file_error("Plik nie zawiera żadnego wiersza z danymi."))
        return _fail(run, report)

    headers = {key: rows_source.headers[position] for key, position in index.items()}
    lookups = _Lookups.load(need_spheres="spheres" in index)
    plans: list[RowPlan] = []
    first_row_of: dict[tuple[str, Any], int] = {}
    for done, (number, cells) in enumerate(rows_source.rows, start=1):
        plan = _parse_row(number, cells, index, headers, lookups, report)
        if plan is not None and not _repeats_earlier_row(plan, first_row_of, headers, report):
            plans.append(plan)
        if done % PROGRESS_EVERY == 0 and done < total:
            _run_save(run, processed_rows=done)
            if progress:
                progress(done, total)
    _run_save(run, processed_rows=total)
    if progress:
        progress(total, total)
    if _has_errors(report):
        return _fail(run, report)

    counts = (0, 0, 0)
    try:
        with transaction.atomic():
            counts = _write(run=run, plans=plans, headers=headers, report=report, actor=actor)
            if _has_errors(report) or run.dry_run:
                raise _Abort  # roll back (a dry run wrote nothing anyway, but took the locks)
            _finish(run, report, counts)
    except _Abort:
        if _has_errors(report):
            return _fail(run, report)
        _finish(run, report, counts)
    return run


def _repeats_earlier_row(
    plan: RowPlan, first_row_of: dict[tuple[str, Any], int], headers: dict[str, str], report: list[dict]
) -> bool:
    """An identifier (or, without any, the name within the gmina) already used by an earlier row of
    the file is an error on the later row."""
    repeated = False
    for key, value in list(plan.identifiers.items()) or [("name", plan.name_key)]:
        earlier = first_row_of.setdefault((key, value), plan.number)
        if earlier == plan.number:
            continue
        repeated = True
        if key == "name":
            reason = (
                f"Organizacja o tej nazwie w tej gminie występuje już w wierszu {earlier}. "
                "Dodaj KRS, NIP albo REGON, jeśli to różne organizacje."
            )
        else:
            reason = f"{IDENTIFIER_LABELS[key]} {value} występuje już w wierszu {earlier}."
        report.append({"row": plan.number, "column": headers[key], "reason": reason, "level": "error"})
    return repeated


def _has_errors(report: list[dict]) -> bool:
    return any(item["level"] == "error" for item in report)


def _fail(run: ImportRun, report: list[dict]) -> ImportRun:
    _run_save(
        run,
        state=ImportState.FAILED,
        report=sorted(report, key=lambda item: item["row"] or 0),
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        finished_at=timezone.now(),
    )
    return run


def _finish(run: ImportRun, report: list[dict], counts: tuple[int, int, int]) -> None:
    created, updated, unchanged = counts
    _run_save(
        run,
        state=ImportState.DONE,
        report=report,
        created_count=created,
        updated_count=updated,
        unchanged_count=unchanged,
        processed_rows=run.total_rows,
        finished_at=timezone.now(),
    )


def _write(
    *, run: ImportRun, plans: list[RowPlan], headers: dict[str, str], report: list[dict], actor
) -> tuple[int, int, int]:
    """Match, then (unless dry run or errors) write. Inside the import transaction."""
    existing: dict[int, _Existing] = {}
    by_identifier: dict[str, dict[str, int]] = {key: {} for key in IDENTIFIER_FIELDS}
    by_name: dict[tuple[str, int], list[int]] = {}
    need_names = any(not plan.identifiers for plan in plans)
    columns = ["pk", "name", "seat_id", *IDENTIFIER_FIELDS]
    for pk, name, seat_id, *identifiers in Organisation.objects.values_list(*columns):
        existing[pk] = _Existing(pk=pk, name=name, identifiers=dict(zip(IDENTIFIER_FIELDS, identifiers, strict=True)))
        for key, value in zip(IDENTIFIER_FIELDS, identifiers, strict=True):
            if value:
                by_identifier[key][value] = pk
        if need_names:
            by_name.setdefault((_norm(name), seat_id), []).append(pk)

    def error(plan: RowPlan, key: str, reason: str) -> None:
        report.append({"row": plan.number, "column": headers.get(key, key), "reason": reason, "level": "error"})

    matches: dict[int, RowPlan] = {}  # organisation pk → the row that updates it
    new_plans: list[RowPlan] = []
    for plan in plans:
        hits = [
            (key, by_identifier[key][value]) for key, value in plan.identifiers.items() if value in by_identifier[key]
        ]
        hits.sort(key=lambda hit: IDENTIFIER_FIELDS.index(hit[0]))  # KRS, then NIP, then REGON
        if len({pk for _key, pk in hits}) > 1:
            (key_a, pk_a), (key_b, pk_b) = hits[0], next(hit for hit in hits if hit[1] != hits[0][1])
            error(
                plan,
                key_b,
                f"{IDENTIFIER_LABELS[key_a]} {plan.identifiers[key_a]} należy do organizacji "
                f"{_quote(existing[pk_a].name)}, a {IDENTIFIER_LABELS[key_b]} {plan.identifiers[key_b]} "
                f"do innej: {_quote(existing[pk_b].name)}. Popraw identyfikatory.",
            )
            continue
        pk: int | None = hits[0][1] if hits else None
        if pk is None and not plan.identifiers:
            candidates = by_name.get(plan.name_key, [])
            if len(candidates) > 1:
                error(
                    plan,
                    "name",
                    "W tej gminie jest kilka organizacji o tej nazwie: podaj KRS, NIP albo REGON, "
                    "żeby wskazać właściwą.",
                )
                continue
            pk = candidates[0] if candidates else None
        if pk is None:
            new_plans.append(plan)
            continue
        match = existing[pk]
        found_by = hits[0][0] if hits else None
        conflict = False
        for key, value in plan.identifiers.items():
            current = match.identifiers[key]
            if current and current != value:
                how = (
                    f"po {IDENTIFIER_LABELS[found_by]} {plan.identifiers[found_by]}"
                    if found_by
                    else "po nazwie i gminie"
                )
                error(
                    plan,
                    key,
                    f"Organizacja {_quote(match.name)} (dopasowana {how}) ma inny {IDENTIFIER_LABELS[key]}: "
                    f"{current}, a w pliku {value}.",
                )
                conflict = True
        if conflict:
            continue
        if pk in matches:
            error(
                plan,
                found_by or "name",
                f"Ta sama organizacja ({_quote(match.name)}) jest już w wierszu {matches[pk].number}.",
            )
            continue
        matches[pk] = plan
    if _has_errors(report):
        return 0, 0, 0

    # Current state of the matched organisations, locked until the end of the transaction.
    size = _in_chunk_size()
    matched_ids = sorted(matches)
    organisations: list[Organisation] = []
    current_spheres: dict[int, set[int]] = {pk: set() for pk in matched_ids}
    through = Organisation.spheres.through
    need_spheres = any(plan.spheres is not None for plan in matches.values())
    for chunk in _chunks(matched_ids, size):
        organisations.extend(Organisation.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
        if need_spheres:
            for organisation_id, sphere_id in through.objects.filter(organisation_id__in=chunk).values_list(
                "organisation_id", "sphere_id"
            ):
                current_spheres[organisation_id].add(sphere_id)

    now = timezone.now()
    changed: dict[frozenset, list[Organisation]] = {}
    changed_spheres: dict[int, set[int]] = {}
    unchanged = 0
    for organisation in organisations:
        plan = matches[organisation.pk]
        fields = [name for name, value in plan.values.items() if getattr(organisation, name) != value]
        for name in fields:
            setattr(organisation, name, plan.values[name])
        if plan.spheres is not None and plan.spheres != current_spheres[organisation.pk]:
            changed_spheres[organisation.pk] = plan.spheres
        if fields:
            organisation.updated_at = now
            changed.setdefault(frozenset([*fields, "updated_at"]), []).append(organisation)
        elif organisation.pk not in changed_spheres:
            unchanged += 1
    updated_ids = {o.pk for group in changed.values() for o in group} | set(changed_spheres)

    # New organisations with unique slugs (also among those of this run).
    taken = set(Organisation.objects.values_list("slug", flat=True)) if new_plans else set()
    new_organisations = []
    for plan in new_plans:
        organisation = Organisation(**{**plan.create_defaults, **plan.values})
        organisation.slug = unique_slug(plan.values["name"], taken)
        new_organisations.append(organisation)

    counts = (len(new_organisations), len(updated_ids), unchanged)
    if run.dry_run:
        return counts

    for fields, group in changed.items():
        _update_rows(sorted(fields), group)
    Organisation.objects.bulk_create(new_organisations)
    if any(o.pk is None for o in new_organisations):  # a database that does not return ids
        ids = {}
        for chunk in _chunks([o.slug for o in new_organisations], size):
            ids.update(Organisation.objects.filter(slug__in=chunk).values_list("slug", "pk"))
        for organisation in new_organisations:
            organisation.pk = ids[organisation.slug]

    links = [
        through(organisation_id=organisation.pk, sphere_id=sphere_id)
        for organisation, plan in zip(new_organisations, new_plans, strict=True)
        for sphere_id in sorted(plan.spheres or ())
    ]
    if changed_spheres:
        for chunk in _chunks(sorted(changed_spheres), size):
            through.objects.filter(organisation_id__in=chunk).delete()
        links += [
            through(organisation_id=pk, sphere_id=s) for pk, spheres in changed_spheres.items() for s in sorted(spheres)
        ]
    if links:
        through.objects.bulk_create(links)

    touched = new_organisations + [o for o in organisations if o.pk in updated_ids]
    if touched:
        search.index_organisations(touched)
    created, updated, unchanged = counts
    audit_log(
        actor=actor,
        action=AUDIT_ACTION,
        target=run,
        details={
            "file": run.source_name,
            "rows": run.total_rows,
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
        },
    )
    return counts


def _update_rows(attnames: list[str], organisations: list[Organisation]) -> None:
    """UPDATE the given columns of many organisations by primary key.

    Django's `bulk_update` builds a CASE per field whose expressions it resolves in Python, which
    takes seconds per thousand rows. PostgreSQL: `UPDATE … FROM (VALUES …)`, one statement per
    `UPDATE_BATCH_SIZE` rows; SQLite (in-process, no round trips): one statement run for every row.
    """
    fields = [Organisation._meta.get_field(attname) for attname in attnames]
    pk = Organisation._meta.pk
    quote = connection.ops.quote_name
    table = quote(Organisation._meta.db_table)
    rows = [
        [organisation.pk, *(f.get_db_prep_save(getattr(organisation, f.attname), connection) for f in fields)]
        for organisation in organisations
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in [pk, *fields]) + ")"
            names = ", ".join(["pk", *(f"v{i}" for i in range(len(fields)))])
            assignments = ", ".join(f"{quote(f.column)} = v.v{i}" for i, f in enumerate(fields))
            for chunk in _chunks(rows, UPDATE_BATCH_SIZE):
                cursor.execute(
                    f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([casts] * len(chunk))}) AS v({names}) "
                    f"WHERE {table}.{quote(pk.column)} = v.pk",
                    [value for row in chunk for value in row],
                )
        else:
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {quote(pk.column)} = %s", [[*row[1:], row[0]] for row in rows]
            )


# ---------------------------------------------------------------------------------------------
# Runs: started from the upload page (task) or the command
# ---------------------------------------------------------------------------------------------


def import_run_create(*, actor, file, dry_run: bool) -> ImportRun:
    """Store an uploaded file as a queued run and enqueue its import (after the commit)."""
    if actor is not None and not actor.has_perm("organisations.import_organisations"):
        raise PermissionDenied
    from ngo_platform.organisations.tasks import organisations_import_run

    with transaction.atomic():
        run = ImportRun.objects.create(
            created_by=actor if actor is not None and actor.is_authenticated else None,
            source_name=Path(file.name).name[:255],
            file=file,
            dry_run=dry_run,
        )
        transaction.on_commit(lambda: organisations_import_run.enqueue(run.pk))
    return run


def import_run_execute(
    *, run: ImportRun, actor, source: Path | str | IO[bytes] | None = None, progress: ProgressCallback | None = None
) -> ImportRun:
    """Read the run's file (or `source`) and import it. A file that cannot be read, or an
    unexpected failure, ends the run as FAILED with the reason in the report."""
    try:
        if source is None:
            with run.file.open("rb") as handle:
                table = table_read(handle, name=run.source_name)
        else:
            table = table_read(source, name=run.source_name)
    except ImportFileError as error:
        return _fail(run, [_file_error(error.message)])
    except OSError:
        return _fail(run, [_file_error("Nie znaleziono pliku importu.")])
    try:
        return organisations_import(run=run, rows_source=table, actor=actor, progress=progress)
    except PermissionDenied:
        return _fail(run, [_file_error("Brak uprawnień do importu organizacji.")])
    except Exception as error:
        _fail(run, [_file_error(f"Import przerwany przez błąd ({type(error).__name__}); nic nie zapisano.")])
        raise


def _file_error(reason: str) -> dict:
    """A report entry about the file or the run as a whole (no row, no column)."""
    return {"row": None, "column": "", "reason": reason, "level": "error"}


def report_lines(run: ImportRun) -> Iterable[str]:
    """The report as lines of text, for the command."""
    for item in run.report:
        where = f"wiersz {item['row']}" if item.get("row") else "plik"
        column = f", kolumna „{item['column']}”" if item.get("column") else ""
        kind = "ostrzeżenie" if item.get("level") == "warning" else "błąd"
        yield f"{where}{column}: {kind}: {item['reason']}"
