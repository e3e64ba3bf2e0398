"""Open data: the filtered directory as CSV (machine or Excel-PL), XLSX or JSON, public fields only.

The columns are declared once here and written by `core.spreadsheets`. Every column is documented in
docs/open-data.md; keep the two in step (a test checks it).
"""

import datetime
import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import pgettext_lazy

from ngo_platform.core import spreadsheets
from ngo_platform.core.spreadsheets import Column, CsvVariant, Kind
from ngo_platform.organisations.models import LegalForm, Organisation, OrganisationStatus, Register


def _seat(o: Organisation):
    """The gmina of the seat, or None: rows imported without a seat have none."""
    return o.seat if o.seat_id is not None else None


def _powiat_teryt(o: Organisation) -> str | None:
    seat = _seat(o)
    return seat.parent.teryt if seat is not None and seat.parent_id is not None else None


# Only what an organisation publishes about itself: no person's data.
PUBLIC_COLUMNS = [
    Column(
        "id", pgettext_lazy("spreadsheet", "number of the organisation on the platform"), lambda o: o.pk, Kind.INTEGER
    ),
    Column("nazwa", pgettext_lazy("spreadsheet", "full name"), lambda o: o.name),
    Column("nazwa_skrocona", pgettext_lazy("spreadsheet", "short name or acronym"), lambda o: o.short_name),
    Column("forma_prawna", pgettext_lazy("spreadsheet", "legal form"), lambda o: o.legal_form, Kind.CODE, LegalForm),
    Column("rejestr", pgettext_lazy("spreadsheet", "register"), lambda o: o.register, Kind.CODE, Register),
    Column(
        "numer_w_rejestrze",
        pgettext_lazy("spreadsheet", "number in a register other than KRS"),
        lambda o: o.registry_number,
    ),
    Column(
        "organ_rejestrowy",
        pgettext_lazy("spreadsheet", "authority keeping that register"),
        lambda o: o.registry_authority,
    ),
    Column("krs", pgettext_lazy("spreadsheet", "KRS number"), lambda o: o.krs),
    Column("nip", pgettext_lazy("spreadsheet", "NIP"), lambda o: o.nip),
    Column("regon", pgettext_lazy("spreadsheet", "REGON"), lambda o: o.regon),
    Column("ulica", pgettext_lazy("spreadsheet", "street and number of the seat"), lambda o: o.street),
    Column("kod_pocztowy", pgettext_lazy("spreadsheet", "postal code of the seat"), lambda o: o.postal_code),
    Column("miejscowosc", pgettext_lazy("spreadsheet", "town of the seat"), lambda o: o.city),
    Column(
        "gmina_teryt",
        pgettext_lazy("spreadsheet", "TERYT code of the gmina of the seat"),
        lambda o: getattr(_seat(o), "teryt", None),
    ),
    Column("gmina", pgettext_lazy("spreadsheet", "gmina of the seat"), lambda o: getattr(_seat(o), "name", None)),
    Column("powiat_teryt", pgettext_lazy("spreadsheet", "TERYT code of the powiat of the seat"), _powiat_teryt),
    Column(
        "sfery",
        pgettext_lazy("spreadsheet", "spheres of public tasks (item numbers of art. 4 ust. 1 UDPP)"),
        lambda o: ";".join(s.number for s in o.spheres.all()),
    ),
    Column("opp", pgettext_lazy("spreadsheet", "public benefit organisation (OPP)"), lambda o: o.is_opp, Kind.BOOLEAN),
    Column("opp_od", pgettext_lazy("spreadsheet", "OPP status since"), lambda o: o.opp_since, Kind.DATE),
    Column("opis_krotki", pgettext_lazy("spreadsheet", "short description"), lambda o: o.description_short),
    Column("www", pgettext_lazy("spreadsheet", "website"), lambda o: o.website),
    Column("email", pgettext_lazy("spreadsheet", "contact e-mail of the organisation"), lambda o: o.email),
    Column("telefon", pgettext_lazy("spreadsheet", "contact telephone of the organisation"), lambda o: o.phone),
    Column("data_zalozenia", pgettext_lazy("spreadsheet", "founding date"), lambda o: o.founded_on, Kind.DATE),
    Column(
        "status",
        pgettext_lazy("spreadsheet", "status in the register"),
        lambda o: o.status,
        Kind.CODE,
        OrganisationStatus,
    ),
    Column(
        "zweryfikowana",
        pgettext_lazy("spreadsheet", "a representative verified on the platform"),
        lambda o: o.is_verified,
        Kind.BOOLEAN,
    ),
    Column(
        "profil",
        pgettext_lazy("spreadsheet", "path of the public profile on the platform"),
        lambda o: o.get_absolute_url(),
    ),
]
COLUMNS = [column.code for column in PUBLIC_COLUMNS]
CHUNK = 2000


def records(organisations: QuerySet[Organisation]) -> Iterator[Organisation]:
    # iterator(chunk_size) keeps memory flat; prefetching works per chunk (Django ≥ 4.1).
    return organisations.iterator(chunk_size=CHUNK)


def as_csv(organisations, variant: CsvVariant = CsvVariant.PLAIN) -> Iterator[str]:
    return spreadsheets.csv_chunks(PUBLIC_COLUMNS, records(organisations), variant)


def _json_value(value):
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else value


def as_json(organisations) -> Iterator[str]:
    yield '{"kolumny": ' + json.dumps(COLUMNS) + ', "organizacje": ['
    first = True
    for organisation in records(organisations):
        row = {column.code: _json_value(column.read(organisation)) for column in PUBLIC_COLUMNS}
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]}\n"


def as_xlsx_counted(organisations) -> tuple[bytes, int]:
    """The XLSX file and the number of organisations in it."""
    return spreadsheets.xlsx_bytes(PUBLIC_COLUMNS, records(organisations), sheet="organizacje")


def as_xlsx(organisations) -> bytes:
    return as_xlsx_counted(organisations)[0]
