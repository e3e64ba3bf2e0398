"""Validation of the rows of an import file (no writes): each valid row becomes a `RowPlan`.

`parse_row` reads one row field group by field group (names and texts, identifiers, seat, legal form and
other choices, contacts, dates, OPP, spheres); every problem goes to the report on that row, in the column
as the file names it. A problem that would make the data wrong (no name, an identifier failing its check
digit, a form outside the act) refuses the row: an error, and the row has no plan. Any other problem leaves
that value out and is a warning; a new organisation whose seat or legal form could not be determined is
imported and marked to complete (`RowPlan.to_complete`). `strict`: every problem is an error.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone, translation

from ngo_platform.organisations import legal_forms
from ngo_platform.organisations.import_columns import (
    DATE_FORMATS,
    FALSE_WORDS,
    GMINA_PREFIX,
    IDENTIFIER_CLEANERS,
    IDENTIFIER_LABELS,
    IDENTIFIER_MESSAGES,
    MAX_LENGTH,
    POSTAL_CODE,
    REGISTER_ALIASES,
    STATUS_ALIASES,
    TERYT_IN_PARENTHESES,
    TEXT_COLUMNS,
    TRUE_WORDS,
    cell_text,
    choices_aliases,
    norm,
    quoted,
)
from ngo_platform.organisations.models import LegalForm, OrganisationStatus, Register
from ngo_platform.organisations.services import IDENTIFIER_FIELDS
from ngo_platform.territory.models import Sphere, SphereCatalogue, TerritorialUnit, UnitLevel

_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class RowPlan:
    """What one valid row asks for."""

    number: int
    values: dict[str, Any]  # model attname → value: only what the row sets
    create_defaults: dict[str, Any]  # extra values for a new organisation only
    spheres: set[int] | None  # None: leave the spheres as they are
    identifiers: dict[str, str]  # krs/nip/regon → compact value, only the non-empty ones
    name_key: tuple[str, int | None]  # (folded name, seat id): matches rows without identifiers
    to_complete: dict[str, str]  # field → why a new organisation lacks it (seat, legal_form)


@dataclass
class Lookups:
    """What rows are checked against, read once per import: gminas, spheres, aliases of choices."""

    gminas_by_code: dict[str, int]
    gminas_by_name: dict[str, list[tuple[int, str, str]]]  # folded name → [(id, teryt, powiat)]
    spheres: dict[str, int] | None  # number → id in the newest catalogue
    catalogue_version: str
    registers: dict[str, str]
    statuses: dict[str, str]

    @classmethod
    def load(cls, *, need_spheres: bool) -> Lookups:
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
            registers=choices_aliases(Register.choices, REGISTER_ALIASES),
            statuses=choices_aliases(OrganisationStatus.choices, STATUS_ALIASES),
        )


def _gmina_key(name: str) -> str:
    return GMINA_PREFIX.sub("", norm(name))


def has_errors(report: list[dict]) -> bool:
    return any(item["level"] == "error" for item in report)


class RowErrors:
    """The problems of one row, added to the report under the column's header as written in the file: an error
    refuses the row (`refuse`, or any problem when `strict`); otherwise the value is left out, with a warning."""

    def __init__(self, number: int, headers: dict[str, str], report: list[dict], *, strict: bool = False):
        self.number, self.headers, self.report, self.strict = number, headers, report, strict
        self.count = 0  # errors: the row is refused

    def add(self, column: str, reason: str, *, refuse: bool = False) -> None:
        error = refuse or self.strict
        self.count += error
        self.report.append(
            {
                "row": self.number,
                "column": self.headers.get(column, column),
                "reason": reason if error else f"{reason} Tej wartości nie zapisano.",
                "level": "error" if error else "warning",
            }
        )


@dataclass
class _Row:
    """The cells of one row, by column key, and its errors."""

    cells: list[Any]
    index: dict[str, int]  # column key → position
    errors: RowErrors

    def __contains__(self, key: str) -> bool:
        """Whether the file has the column."""
        return key in self.index

    def cell(self, key: str) -> Any:
        position = self.index.get(key)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def text(self, key: str) -> str:
        return cell_text(self.cell(key))


def resolve_gmina(raw: str, lookups: Lookups) -> tuple[int | None, str | None, str]:
    """(gmina id, None, "") or (None, Polish reason, kind of problem: code, unknown, ambiguous)."""
    code = re.sub(r"[\s-]", "", raw)
    match = TERYT_IN_PARENTHESES.search(raw)
    if match:
        code = match.group(1)
    if code.isdigit():
        if len(code) == 6:  # a spreadsheet dropped the leading zero
            code = code.zfill(7)
        if len(code) != 7:
            return None, f"Kod TERYT gminy ma 7 cyfr (np. 1601011), a podano {quoted(raw)}.", "code"
        pk = lookups.gminas_by_code.get(code)
        if pk is None:
            return None, f"Nie ma gminy o kodzie TERYT {code}.", "code"
        return pk, None, ""
    candidates = lookups.gminas_by_name.get(_gmina_key(raw), [])
    if not candidates:
        return None, f"Nie znaleziono gminy {quoted(raw)}: podaj jej nazwę albo 7-cyfrowy kod TERYT.", "unknown"
    if len(candidates) > 1:
        options = ", ".join(
            f"{teryt} (powiat {powiat})" for _pk, teryt, powiat in sorted(candidates, key=lambda c: c[1])
        )
        return (
            None,
            (f"Gmina {quoted(raw)} występuje w kilku powiatach: {options}. Wpisz 7-cyfrowy kod TERYT właściwej gminy."),
            "ambiguous",
        )
    return candidates[0][0], None, ""


def parse_date(raw: Any) -> datetime.date | None:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = cell_text(raw)
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d", text):
        text = text[:10]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _identifier_text(key: str, raw: Any) -> str:
    text = cell_text(raw).lstrip("'")
    if key == "regon" and isinstance(raw, (int, float)) and len(text) in (8, 13):
        text = text.zfill(len(text) + 1)  # a spreadsheet dropped the leading zero
    return text


def parse_row(
    number: int,
    cells: list[Any],
    index: dict[str, int],
    headers: dict[str, str],
    lookups: Lookups,
    report: list[dict],
    *,
    strict: bool = False,
) -> RowPlan | None:
    """The plan of a row, or None when it is refused (its errors added to `report`)."""
    row = _Row(cells=cells, index=index, errors=RowErrors(number, headers, report, strict=strict))
    values: dict[str, Any] = {}
    to_complete: dict[str, str] = {}
    _parse_texts(row, values)
    identifiers = _parse_identifiers(row)
    values.update(identifiers)
    seat_id, seat_problem = _parse_seat(row, lookups)
    if seat_id is not None:
        values["seat_id"] = seat_id
    else:
        to_complete["seat"] = seat_problem
    _parse_legal_form(row, values, to_complete)
    _parse_choices(row, lookups, values)
    create_defaults = _register_default(values, identifiers)
    if "legal_form" not in values:
        create_defaults["legal_form"] = ""
    _parse_contacts(row, values)
    _parse_dates(row, values)
    _parse_opp(row, values)
    spheres = _parse_spheres(row, lookups)
    if row.errors.count:
        return None
    return RowPlan(
        number=number,
        values=values,
        create_defaults=create_defaults,
        spheres=spheres,
        identifiers=identifiers,
        name_key=(norm(values["name"]), values.get("seat_id")),
        to_complete=to_complete,
    )


def _parse_texts(row: _Row, values: dict[str, Any]) -> None:
    """Plain text: names, address, description and the like, within the field's length. A name is required."""
    for key, multiline in TEXT_COLUMNS.items():
        if key not in row:
            continue
        text = cell_text(row.cell(key), multiline=multiline)
        if not text:
            continue
        limit = MAX_LENGTH.get(key)
        if limit and len(text) > limit:
            row.errors.add(key, f"Tekst jest za długi: {len(text)} znaków, najwyżej {limit}.", refuse=key == "name")
            continue
        values[key] = text
    if not row.text("name"):
        row.errors.add("name", "Podaj nazwę organizacji.", refuse=True)


def _parse_identifiers(row: _Row) -> dict[str, str]:
    """KRS, NIP and REGON, compact and with valid check digits: only the non-empty ones."""
    identifiers: dict[str, str] = {}
    for key in IDENTIFIER_FIELDS:
        if key not in row:
            continue
        raw = _identifier_text(key, row.cell(key))
        if not raw:
            continue
        try:
            identifiers[key] = IDENTIFIER_CLEANERS[key](raw)
        except ValidationError as error:
            reason = IDENTIFIER_MESSAGES.get(error.code or "")
            if reason is None:
                with translation.override("pl"):
                    reason = " ".join(str(message) for message in error.messages)
            row.errors.add(key, f"Nieprawidłowy {IDENTIFIER_LABELS[key]} {quoted(raw)}: {reason}.", refuse=True)
    return identifiers


def _parse_seat(row: _Row, lookups: Lookups) -> tuple[int | None, str]:
    """The gmina of the seat: `gmina`, else `miejscowosc` read as a gmina name; or None and why not."""
    seat_raw = row.text("seat")
    seat_column = "seat" if "seat" in row else "city"
    if seat_raw:
        seat_id, reason, _kind = resolve_gmina(seat_raw, lookups)
        if reason:
            row.errors.add("seat", reason)
        return seat_id, reason or ""
    city = row.text("city")
    if not city:
        reason = "Podaj gminę siedziby: 7-cyfrowy kod TERYT albo nazwę gminy."
        if "seat" in row or "city" in row:
            row.errors.add(seat_column, reason)
        return None, reason
    seat_id, reason, kind = resolve_gmina(city, lookups)
    if reason and kind != "ambiguous":
        reason = f"Podaj gminę siedziby (kod TERYT albo nazwę gminy): miejscowość {quoted(city)} nie jest nazwą gminy."
    if reason:
        row.errors.add(seat_column, reason)
    return seat_id, reason or ""


def _parse_legal_form(row: _Row, values: dict[str, Any], to_complete: dict[str, str]) -> None:
    """The legal form as a register words it (`legal_forms`); a form outside the act refuses the row."""
    text = row.text("legal_form")
    found = legal_forms.match(text) if text else None
    if found == legal_forms.EXCLUDED:
        row.errors.add(
            "legal_form",
            f"Forma prawna {quoted(text)} nie jest organizacją pozarządową w rozumieniu ustawy (art. 3 ust. 4 UDPP).",
            refuse=True,
        )
    elif found:
        values["legal_form"] = found
    elif text:
        reason = f"Nieznana forma prawna {quoted(text)}; znane: {legal_forms.examples()}."
        row.errors.add("legal_form", reason)
        to_complete["legal_form"] = reason
    else:
        to_complete["legal_form"] = "Plik nie podaje formy prawnej."


def _parse_choices(row: _Row, lookups: Lookups, values: dict[str, Any]) -> None:
    """Register and status, by any of their aliases."""
    for key, aliases, what, examples in (
        ("register", lookups.registers, "rejestr", "KRS, starosta, inny"),
        ("status", lookups.statuses, "status", "aktywna, zawieszona, w likwidacji, wykreślona"),
    ):
        text = row.text(key)
        if not text:
            continue
        value = aliases.get(norm(text))
        if value is None:
            row.errors.add(key, f"Nieznana {what} {quoted(text)}; dozwolone: {examples}.")
        else:
            values[key] = value


def _register_default(values: dict[str, Any], identifiers: dict[str, str]) -> dict[str, Any]:
    """A new organisation without `rejestr`: from the KRS number or the legal form (domain.md §E)."""
    create_defaults: dict[str, Any] = {}
    if "register" not in values:
        form = values.get("legal_form", LegalForm.ASSOCIATION)
        if "krs" in identifiers:
            create_defaults["register"] = Register.KRS
        elif form in (LegalForm.ORDINARY_ASSOCIATION, LegalForm.STUDENT_SPORTS_CLUB):
            create_defaults["register"] = Register.STAROSTA
        elif form == LegalForm.RURAL_HOUSEWIVES_CIRCLE:
            create_defaults["register"] = Register.OTHER
    return create_defaults


def _parse_contacts(row: _Row, values: dict[str, Any]) -> None:
    """E-mail, website (https:// added when the scheme is missing) and postal code."""
    email = row.text("email")
    if email:
        try:
            _email_validator(email)
            if len(email) > MAX_LENGTH["email"]:
                raise ValidationError("too long")
            values["email"] = email
        except ValidationError:
            row.errors.add("email", f"Nieprawidłowy adres e-mail {quoted(email)}.")
    website = row.text("website")
    if website:
        url = website if re.match(r"^[a-z][a-z0-9+.-]*://", website, re.IGNORECASE) else f"https://{website}"
        try:
            _url_validator(url)
            if len(url) > MAX_LENGTH["website"]:
                raise ValidationError("too long")
            values["website"] = url
        except ValidationError:
            row.errors.add("website", f"Nieprawidłowy adres strony internetowej {quoted(website)}.")
    postal = row.text("postal_code")
    if postal:
        match = POSTAL_CODE.match(postal)
        if match:
            values["postal_code"] = f"{match.group(1)}-{match.group(2)}"
        else:
            row.errors.add("postal_code", f"Kod pocztowy ma postać 00-000, a podano {quoted(postal)}.")


def _parse_dates(row: _Row, values: dict[str, Any]) -> None:
    """Date of founding and of the OPP status: a date, not in the future."""
    today = timezone.localdate()
    for key in ("founded_on", "opp_since"):
        raw = row.cell(key)
        if not cell_text(raw):
            continue
        parsed = parse_date(raw)
        if parsed is None:
            row.errors.add(key, f"Nieprawidłowa data {quoted(cell_text(raw))}: wpisz RRRR-MM-DD albo DD.MM.RRRR.")
        elif parsed > today:
            row.errors.add(key, f"Data {parsed:%Y-%m-%d} jest w przyszłości.")
        else:
            values[key] = parsed


def _parse_opp(row: _Row, values: dict[str, Any]) -> None:
    """The OPP status: tak/nie, or a date of `opp_od` alone; "nie" clears the date."""
    if "is_opp" in row:
        text = norm(row.text("is_opp"))
        if text in TRUE_WORDS:
            values["is_opp"] = True
        elif text in FALSE_WORDS:
            values["is_opp"] = False
        else:
            row.errors.add("is_opp", f"Wpisz tak albo nie (albo 1/0, x, puste), a podano {quoted(row.text('is_opp'))}.")
    if "opp_since" in values:
        if values.get("is_opp") is False and row.text("is_opp"):  # an explicit "nie"
            row.errors.add("opp_since", "Data uzyskania statusu OPP jest podana, a kolumna „opp” mówi „nie”.")
            values.pop("opp_since")
        else:
            values["is_opp"] = True
    if values.get("is_opp") is False:
        values["opp_since"] = None


def _parse_spheres(row: _Row, lookups: Lookups) -> set[int] | None:
    """Spheres of the newest list, by their numbers (art. 4 ust. 1); None: the row leaves them as they are."""
    spheres_text = row.text("spheres")
    if not spheres_text:
        return None
    if lookups.spheres is None:
        row.errors.add("spheres", "Nie wczytano wykazu sfer zadań publicznych (ngo-platform load_reference_data).")
        return None
    numbers = [part.strip(").").lower() for part in re.split(r"[;,\s]+", spheres_text) if part.strip(").")]
    unknown = [n for n in numbers if n not in lookups.spheres]
    if unknown:
        row.errors.add(
            "spheres",
            f"Nie ma punktów {', '.join(unknown)} w wykazie sfer {lookups.catalogue_version} "
            "(art. 4 ust. 1, np. „16;17”)."
            if len(unknown) > 1
            else f"Nie ma punktu {unknown[0]} w wykazie sfer {lookups.catalogue_version} (art. 4 ust. 1, np. „16;17”).",
        )
        return None
    return {lookups.spheres[n] for n in numbers}
