"""Writes of the territory app: the TERC register, German names and the lists of spheres.

Reference data comes from files shipped in `territory/data/` (loaded by `reference_data_load`)
or, for TERC, from a file downloaded from GUS (eteryt.stat.gov.pl) and imported with
`terc_import`. Every service runs in one transaction and records what it changed with
`audit_log` (the TERC import on every run, the others when they changed something).
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from defusedxml import DefusedXmlException, ElementTree
from django.db import transaction

from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.services import audit_log
from ngo_platform.core.text import slugify_pl
from ngo_platform.territory.models import (
    Authority,
    AuthorityKind,
    Sphere,
    SphereCatalogue,
    TerritorialUnit,
    UnitLevel,
    in_city_with_powiat_rights,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
REFERENCE_TERC_FILE = DATA_DIR / "terc_16_2024-01-01.csv"
REFERENCE_GERMAN_NAMES_FILE = DATA_DIR / "german_names.csv"
REFERENCE_SPHERES_FILE = DATA_DIR / "spheres_2024.csv"
REFERENCE_SPHERES_VERSION = "UDPP-art4-2024"
REFERENCE_SPHERES_EFFECTIVE_FROM = date(2024, 1, 1)
REFERENCE_SPHERES_LEGAL_BASIS = (
    "art. 4 ust. 1 ustawy z 24.04.2003 o działalności pożytku publicznego i o wolontariacie (t.j. Dz.U. 2024 poz. 1491)"
)
REFERENCE_SPHERES_NOTE = (
    "Brzmienie i numeracja punktów odtworzone z wtórnych źródeł, niezweryfikowane z tekstem "
    "jednolitym w ISAP; przed użyciem w dokumentach urzędowych porównać z oficjalnym tekstem "
    "i w razie różnic wczytać nową wersję wykazu."
)

TERC_COLUMNS = ("WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA")
# RODZ of whole gminas; 4 (town) and 5 (rural area) of an urban-rural gmina, 8 and 9
# (districts and delegations of cities) are parts of gminas and are not imported.
TERC_GMINA_RODZ = {"1", "2", "3"}
TERC_PART_RODZ = {"4", "5", "8", "9"}
SPHERE_NUMBER_PATTERN = re.compile(r"^[0-9]{1,3}[a-z]?$")


class ReferenceDataError(ServiceError):
    """A reference-data file cannot be loaded; the message (Polish) names the line."""


class TercImportError(ReferenceDataError):
    """A TERC file is malformed or does not fit the data already stored."""


@dataclass(frozen=True)
class TercImportResult:
    source_name: str
    state_date: date
    units_created: int
    units_updated: int
    units_unchanged: int
    authorities_created: int
    # Rows describing parts of gminas (RODZ 4, 5, 8, 9), skipped by design.
    rows_skipped: int


@dataclass(frozen=True)
class GermanNamesResult:
    source_name: str
    units_updated: int
    units_unchanged: int


@dataclass(frozen=True)
class SphereCatalogueResult:
    catalogue: SphereCatalogue
    created: bool
    sphere_count: int


@dataclass(frozen=True)
class ReferenceDataResult:
    terc: TercImportResult
    german_names: GermanNamesResult
    spheres: SphereCatalogueResult


@dataclass(frozen=True)
class _TercRow:
    where: str
    teryt: str
    level: str
    gmina_type: int | None
    name: str
    description: str
    valid_as_of: date
    parent_teryt: str | None


# --- reading files -----------------------------------------------------------------------------


def _read_source(source: Path | str | IO, *, error_class: type[ReferenceDataError]) -> tuple[str, str]:
    """Return (text, name) of a path or an open file (text or binary); the BOM is dropped."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            raw: bytes | str = path.read_bytes()
        except OSError as error:
            raise error_class(f"Nie można odczytać pliku {path}: {error.strerror}.") from error
        name = path.name
    else:
        raw = source.read()
        name = Path(getattr(source, "name", "") or "").name
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise error_class(f"Plik {name} nie jest zapisany w kodowaniu UTF-8 (bajt {error.start + 1}).") from error
    return raw.removeprefix("\ufeff"), name


def _read_csv(text: str, *, columns: tuple[str, ...], error_class: type[ReferenceDataError]) -> list[tuple[str, dict]]:
    """Rows of a `;`-separated file with a header as (\"linia N\", {column: stripped value})."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    header = [column.strip() for column in (reader.fieldnames or [])]
    missing = [column for column in columns if column not in header]
    if missing:
        raise error_class(
            f"linia 1: w nagłówku brakuje kolumn {', '.join(missing)} "
            f"(oczekiwany nagłówek: {';'.join(columns)}, kolumny oddzielone średnikiem)."
        )
    reader.fieldnames = header
    rows = []
    try:
        for record in reader:
            where = f"linia {reader.line_num}"
            if None in record:
                raise error_class(f"{where}: za dużo pól (oczekiwano {len(header)}).")
            if any(value is None for value in record.values()):
                raise error_class(f"{where}: za mało pól (oczekiwano {len(header)}).")
            rows.append((where, {column: record[column].strip() for column in columns}))
    except csv.Error as error:
        raise error_class(f"linia {reader.line_num}: błędny format CSV ({error}).") from error
    return rows


def _read_terc_xml(text: str) -> list[tuple[str, dict]]:
    """Rows of the official TERC XML, `<row><WOJ>..</WOJ>..</row>` or `<row><col name="WOJ">..</col>..</row>`."""
    try:
        root = ElementTree.fromstring(text.lstrip())
    except ElementTree.ParseError as error:
        line, column = error.position
        raise TercImportError(f"linia {line}, kolumna {column + 1}: błędny XML ({error.msg}).") from error
    except DefusedXmlException as error:
        raise TercImportError(f"plik XML zawiera niedozwolone deklaracje DTD lub encje ({error}).") from error
    rows = []
    for number, element in enumerate(root.iter("row"), start=1):
        cols = element.findall("col")
        if cols:
            values = {col.get("name", ""): (col.text or "").strip() for col in cols}
        else:
            values = {child.tag: (child.text or "").strip() for child in element}
        missing = [column for column in TERC_COLUMNS if column not in values]
        if missing:
            raise TercImportError(f"wiersz {number} (<row>): brakuje pól {', '.join(missing)}.")
        rows.append((f"wiersz {number} (<row>)", values))
    return rows


def _terc_row(where: str, values: dict) -> _TercRow | None:
    """Validate one TERC record; None for parts of gminas (RODZ 4, 5, 8, 9)."""
    woj, pow_, gmi, rodz = values["WOJ"], values["POW"], values["GMI"], values["RODZ"]
    name, description, state = values["NAZWA"], values["NAZWA_DOD"], values["STAN_NA"]
    if not re.fullmatch(r"[0-9]{2}", woj):
        raise TercImportError(f"{where}: kod WOJ „{woj}” musi mieć 2 cyfry.")
    if pow_ and not re.fullmatch(r"[0-9]{2}", pow_):
        raise TercImportError(f"{where}: kod POW „{pow_}” musi mieć 2 cyfry.")
    if gmi and not re.fullmatch(r"[0-9]{2}", gmi):
        raise TercImportError(f"{where}: kod GMI „{gmi}” musi mieć 2 cyfry.")
    if gmi and not pow_:
        raise TercImportError(f"{where}: kod GMI bez kodu POW.")
    if gmi and not re.fullmatch(r"[0-9]", rodz):
        raise TercImportError(f"{where}: kod RODZ „{rodz}” musi mieć 1 cyfrę.")
    if rodz and not gmi:
        raise TercImportError(f"{where}: kod RODZ bez kodu GMI.")
    if not name:
        raise TercImportError(f"{where}: brak nazwy (NAZWA).")
    try:
        valid_as_of = datetime.strptime(state, "%Y-%m-%d").date()
    except ValueError:
        raise TercImportError(f"{where}: data STAN_NA „{state}” nie ma postaci RRRR-MM-DD.") from None

    common = {"where": where, "description": description, "valid_as_of": valid_as_of}
    if gmi:
        if rodz in TERC_PART_RODZ:
            return None
        if rodz not in TERC_GMINA_RODZ:
            raise TercImportError(f"{where}: nieznany kod RODZ „{rodz}”.")
        return _TercRow(
            teryt=woj + pow_ + gmi + rodz,
            level=UnitLevel.GMINA,
            gmina_type=int(rodz),
            name=name,
            parent_teryt=woj + pow_,
            **common,
        )
    if pow_:
        return _TercRow(
            teryt=woj + pow_, level=UnitLevel.POWIAT, gmina_type=None, name=name, parent_teryt=woj, **common
        )
    # TERC writes voivodeship names in capitals ("OPOLSKIE"); the name is "województwo opolskie".
    return _TercRow(
        teryt=woj, level=UnitLevel.VOIVODESHIP, gmina_type=None, name=name.lower(), parent_teryt=None, **common
    )


def _authority_kind_and_name(unit: TerritorialUnit) -> tuple[str, str]:
    if unit.level == UnitLevel.VOIVODESHIP:
        return AuthorityKind.VOIVODESHIP, f"Województwo {unit.name.title()}"
    if unit.level == UnitLevel.POWIAT:
        if unit.is_city_with_powiat_rights:
            return AuthorityKind.CITY, f"Miasto {unit.name}"
        return AuthorityKind.POWIAT, f"Powiat {unit.name}"
    return AuthorityKind.GMINA, f"Gmina {unit.name}"


def authority_slug(*, name: str, teryt: str) -> str:
    """`Gmina Łubniany`, 1609052 -> `gmina-lubniany-1609052`."""
    return f"{slugify_pl(name)}-{teryt}"


# --- services ----------------------------------------------------------------------------------


def _terc_rows(source: Path | IO, voivodeship: str | None) -> tuple[dict[str, _TercRow], int, str]:
    """Read and validate the file: (its units by TERYT code, the number of rows of parts of gminas skipped, its name)."""
    text, source_name = _read_source(source, error_class=TercImportError)
    if text.lstrip().startswith("<"):
        records = _read_terc_xml(text)
    else:
        records = _read_csv(text, columns=TERC_COLUMNS, error_class=TercImportError)

    rows: dict[str, _TercRow] = {}
    rows_skipped = 0
    for where, values in records:
        row = _terc_row(where, values)
        if row is None:
            rows_skipped += 1
            continue
        if row.teryt in rows:
            raise TercImportError(f"{where}: kod {row.teryt} występuje już w: {rows[row.teryt].where}.")
        rows[row.teryt] = row
    if voivodeship is not None:
        rows = {teryt: row for teryt, row in rows.items() if teryt.startswith(voivodeship)}
        if not rows:
            raise TercImportError(f"Plik {source_name} nie zawiera jednostek województwa {voivodeship}.")
    if not rows:
        raise TercImportError(f"Plik {source_name} nie zawiera żadnych jednostek.")
    return rows, rows_skipped, source_name


def _upsert_units(rows: dict[str, _TercRow]) -> tuple[dict[str, TerritorialUnit], int, int, int]:
    """Create or update the units: (every unit by TERYT code, how many were created, updated, unchanged)."""
    created = updated = unchanged = 0
    units = TerritorialUnit.objects.in_bulk(field_name="teryt")
    for row in rows.values():
        if row.parent_teryt is not None and row.parent_teryt not in rows and row.parent_teryt not in units:
            raise TercImportError(f"{row.where}: nieznana jednostka nadrzędna {row.parent_teryt} dla {row.teryt}.")

    # Parents before children, so every parent has a primary key when its children are saved.
    for level in (UnitLevel.VOIVODESHIP, UnitLevel.POWIAT, UnitLevel.GMINA):
        to_create, to_update = [], []
        for row in sorted((r for r in rows.values() if r.level == level), key=lambda r: r.teryt):
            values = {
                "name": row.name,
                "description": row.description,
                "gmina_type": row.gmina_type,
                "valid_as_of": row.valid_as_of,
                "parent_id": units[row.parent_teryt].pk if row.parent_teryt else None,
            }
            unit = units.get(row.teryt)
            if unit is None:
                to_create.append(TerritorialUnit(teryt=row.teryt, level=level, **values))
            elif any(getattr(unit, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(unit, field, value)
                to_update.append(unit)
            else:
                unchanged += 1
        TerritorialUnit.objects.bulk_create(to_create)
        TerritorialUnit.objects.bulk_update(
            to_update, fields=["name", "description", "gmina_type", "valid_as_of", "parent"]
        )
        created += len(to_create)
        updated += len(to_update)
        # Read the new units back: bulk_create does not set primary keys on every database.
        units.update(TerritorialUnit.objects.in_bulk([u.teryt for u in to_create], field_name="teryt"))
    return units, created, updated, unchanged


def _create_authorities(rows: dict[str, _TercRow], units: dict[str, TerritorialUnit]) -> int:
    """Create the authority of every imported unit that has none (a gmina of a city with powiat rights has its
    city's); return how many were created."""
    governed = set(Authority.objects.values_list("unit_id", flat=True))
    taken_slugs = set(Authority.objects.values_list("slug", flat=True))
    authorities = []
    for teryt in sorted(rows):
        unit = units[teryt]
        if unit.pk in governed:
            continue
        if unit.level == UnitLevel.GMINA and in_city_with_powiat_rights(teryt):
            continue  # governed by its city with powiat rights
        kind, name = _authority_kind_and_name(unit)
        slug = authority_slug(name=name, teryt=teryt)
        if slug in taken_slugs:
            raise TercImportError(f"{rows[teryt].where}: adres (slug) „{slug}” ma już inny urząd.")
        taken_slugs.add(slug)
        authorities.append(Authority(unit=unit, kind=kind, name=name, slug=slug))
    Authority.objects.bulk_create(authorities)
    return len(authorities)


def terc_import(*, source: Path | IO, actor=None, voivodeship: str | None = None) -> TercImportResult:
    """Import units of the GUS TERC register (CSV or XML) and create their authorities.

    Upserts units by TERYT code; creates one authority per voivodeship, powiat and gmina
    that has none yet, a city with powiat rights being one authority (of its powiat-level
    unit) that also governs its gmina. Existing authorities are never renamed. With
    `voivodeship` ("16") only that voivodeship's rows are imported. All or nothing: a
    malformed file raises `TercImportError` naming the line and nothing is saved.
    """
    if voivodeship is not None and not re.fullmatch(r"[0-9]{2}", voivodeship):
        raise TercImportError(f"Kod województwa „{voivodeship}” musi mieć 2 cyfry.")
    rows, rows_skipped, source_name = _terc_rows(source, voivodeship)

    with transaction.atomic():
        units, created, updated, unchanged = _upsert_units(rows)
        authorities_created = _create_authorities(rows, units)
        result = TercImportResult(
            source_name=source_name,
            state_date=max(row.valid_as_of for row in rows.values()),
            units_created=created,
            units_updated=updated,
            units_unchanged=unchanged,
            authorities_created=authorities_created,
            rows_skipped=rows_skipped,
        )
        audit_log(
            actor=actor,
            action="territory.terc_import",
            details={
                "source": source_name,
                "state_date": result.state_date.isoformat(),
                "voivodeship": voivodeship or "",
                "units_created": created,
                "units_updated": updated,
                "units_unchanged": unchanged,
                "authorities_created": authorities_created,
                "rows_skipped": rows_skipped,
            },
        )
    return result


def german_names_apply(*, source: Path | IO, actor=None) -> GermanNamesResult:
    """Set German names and the auxiliary-language flag of gminas from `teryt;name_de;german_auxiliary_language`.

    The shipped file lists the 28 gminas of the Opole voivodeship with official German
    names; 22 of them use German as an auxiliary language (Urzędowy Rejestr Gmin, see
    https://skgd.pl/dzialalnosc-kulturalno-oswiatowa/dwujezyczne-gminy/ and
    https://en.wikipedia.org/wiki/Bilingual_municipalities_in_Poland ; changes after the
    2021 census unverified). Only listed units change; the units must be imported first.
    Writes an audit entry when anything changed.
    """
    text, source_name = _read_source(source, error_class=ReferenceDataError)
    records = _read_csv(text, columns=("teryt", "name_de", "german_auxiliary_language"), error_class=ReferenceDataError)
    with transaction.atomic():
        units = TerritorialUnit.objects.in_bulk([values["teryt"] for _, values in records], field_name="teryt")
        to_update = []
        seen: set[str] = set()
        for where, values in records:
            if values["teryt"] in seen:
                raise ReferenceDataError(f"{where}: kod TERYT {values['teryt']} występuje dwukrotnie.")
            seen.add(values["teryt"])
            unit = units.get(values["teryt"])
            if unit is None:
                raise ReferenceDataError(
                    f"{where}: nie ma jednostki o kodzie TERYT „{values['teryt']}” (najpierw zaimportuj TERC)."
                )
            if values["german_auxiliary_language"] not in ("0", "1"):
                raise ReferenceDataError(f"{where}: german_auxiliary_language musi mieć wartość 0 albo 1.")
            name_de, auxiliary = values["name_de"], values["german_auxiliary_language"] == "1"
            if (unit.name_de, unit.german_auxiliary_language) != (name_de, auxiliary):
                unit.name_de, unit.german_auxiliary_language = name_de, auxiliary
                to_update.append(unit)
        TerritorialUnit.objects.bulk_update(to_update, fields=["name_de", "german_auxiliary_language"])
        result = GermanNamesResult(
            source_name=source_name, units_updated=len(to_update), units_unchanged=len(records) - len(to_update)
        )
        if to_update:
            audit_log(
                actor=actor,
                action="territory.german_names_apply",
                details={"source": source_name, "units_updated": result.units_updated},
            )
    return result


def sphere_catalogue_load(
    *,
    source: Path | IO,
    version: str,
    effective_from: date,
    legal_basis: str,
    note: str,
    actor=None,
) -> SphereCatalogueResult:
    """Create a version of the list of spheres of public tasks from `number;name`.

    A version never changes once loaded, since records refer to its spheres: loading the
    same version with the same content again changes nothing, with different content it
    raises `ReferenceDataError`. A new version creates a new catalogue beside the old ones.
    """
    text, source_name = _read_source(source, error_class=ReferenceDataError)
    records = _read_csv(text, columns=("number", "name"), error_class=ReferenceDataError)
    spheres: list[tuple[str, int, str]] = []
    seen: set[str] = set()
    for position, (where, values) in enumerate(records, start=1):
        number, name = values["number"], values["name"]
        if not SPHERE_NUMBER_PATTERN.match(number):
            raise ReferenceDataError(f"{where}: numer punktu „{number}” ma mieć postać 1, 1a, 32a.")
        if number in seen:
            raise ReferenceDataError(f"{where}: punkt {number} występuje dwukrotnie.")
        if not name:
            raise ReferenceDataError(f"{where}: brak nazwy sfery.")
        seen.add(number)
        spheres.append((number, position, name))
    if not spheres:
        raise ReferenceDataError(f"Plik {source_name} nie zawiera żadnej sfery.")

    with transaction.atomic():
        catalogue = SphereCatalogue.objects.filter(version=version).first()
        if catalogue is not None:
            stored = list(catalogue.spheres.order_by("position").values_list("number", "position", "name"))
            metadata = (catalogue.effective_from, catalogue.legal_basis, catalogue.note)
            if stored != spheres or metadata != (effective_from, legal_basis, note):
                raise ReferenceDataError(
                    f"Wykaz sfer w wersji {version} już istnieje i różni się od wczytywanego; "
                    "zmieniony wykaz wczytaj jako nową wersję."
                )
            return SphereCatalogueResult(catalogue=catalogue, created=False, sphere_count=len(stored))
        catalogue = SphereCatalogue.objects.create(
            version=version, effective_from=effective_from, legal_basis=legal_basis, note=note
        )
        Sphere.objects.bulk_create(
            Sphere(catalogue=catalogue, number=number, position=position, name=name)
            for number, position, name in spheres
        )
        audit_log(
            actor=actor,
            action="territory.sphere_catalogue_load",
            target=catalogue,
            details={"source": source_name, "version": version, "spheres": len(spheres)},
        )
    return SphereCatalogueResult(catalogue=catalogue, created=True, sphere_count=len(spheres))


def reference_data_load(*, actor=None) -> ReferenceDataResult:
    """Load the shipped reference data: TERC of the Opole voivodeship, German names, spheres.

    Idempotent: run again it creates nothing (the TERC import still records an audit entry).
    """
    with transaction.atomic():
        terc = terc_import(source=REFERENCE_TERC_FILE, actor=actor)
        german_names = german_names_apply(source=REFERENCE_GERMAN_NAMES_FILE, actor=actor)
        spheres = sphere_catalogue_load(
            source=REFERENCE_SPHERES_FILE,
            version=REFERENCE_SPHERES_VERSION,
            effective_from=REFERENCE_SPHERES_EFFECTIVE_FROM,
            legal_basis=REFERENCE_SPHERES_LEGAL_BASIS,
            note=REFERENCE_SPHERES_NOTE,
            actor=actor,
        )
    return ReferenceDataResult(terc=terc, german_names=german_names, spheres=spheres)


AUTHORITY_CONTACT_FIELDS = ("address", "email", "phone", "website", "bip_url")


class AuthorityContactError(ServiceError):
    """Contact details of an authority that cannot be stored (too long, not an address)."""


def authority_contact_set(*, actor, authority: Authority, data: dict) -> Authority:
    """Set the office's public contact details (`AUTHORITY_CONTACT_FIELDS`; the others keep their value).

    The system (`actor=None`: the demo, an import) or a platform administrator who may change authorities. The
    values are checked against the fields (length, e-mail and URL format); an audit entry only when anything
    changed.
    """
    from django.core.exceptions import PermissionDenied, ValidationError

    if actor is not None and not actor.has_perm("territory.change_authority"):
        raise PermissionDenied
    with transaction.atomic():
        authority = Authority.objects.select_for_update().get(pk=authority.pk)
        changed = {}
        for name in AUTHORITY_CONTACT_FIELDS:
            if name not in data:
                continue
            field = Authority._meta.get_field(name)
            value = (data[name] or "").strip()
            try:
                field.clean(value, authority)
            except ValidationError as error:
                raise AuthorityContactError(" ".join(error.messages), field=name) from error
            if getattr(authority, name) != value:
                changed[name] = value
                setattr(authority, name, value)
        if changed:
            authority.save(update_fields=list(changed))
            audit_log(actor=actor, action="territory.authority_contact_set", target=authority, details=changed)
    return authority
