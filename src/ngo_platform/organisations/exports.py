"""Open data: the filtered directory as CSV, XLSX or JSON, public fields only.

Every field is documented in docs/open-data.md; keep the two in step (a test checks it).
"""

import csv
import io
import json
from collections.abc import Iterator

from django.db.models import QuerySet

from ngo_platform.organisations.models import Organisation

# (column name, how to read it). Only what an organisation publishes about itself: no person's data.
PUBLIC_FIELDS = [
    ("id", lambda o: o.pk),
    ("nazwa", lambda o: o.name),
    ("nazwa_skrocona", lambda o: o.short_name),
    ("forma_prawna", lambda o: o.legal_form),
    ("rejestr", lambda o: o.register),
    ("numer_w_rejestrze", lambda o: o.registry_number),
    ("organ_rejestrowy", lambda o: o.registry_authority),
    ("krs", lambda o: o.krs or ""),
    ("nip", lambda o: o.nip or ""),
    ("regon", lambda o: o.regon or ""),
    ("ulica", lambda o: o.street),
    ("kod_pocztowy", lambda o: o.postal_code),
    ("miejscowosc", lambda o: o.city),
    ("gmina_teryt", lambda o: o.seat.teryt),
    ("gmina", lambda o: o.seat.name),
    ("powiat_teryt", lambda o: o.seat.parent.teryt if o.seat.parent else ""),
    ("sfery", lambda o: ";".join(s.number for s in o.spheres.all())),
    ("opp", lambda o: o.is_opp),
    ("opp_od", lambda o: o.opp_since.isoformat() if o.opp_since else ""),
    ("opis_krotki", lambda o: o.description_short),
    ("www", lambda o: o.website),
    ("email", lambda o: o.email),
    ("telefon", lambda o: o.phone),
    ("data_zalozenia", lambda o: o.founded_on.isoformat() if o.founded_on else ""),
    ("status", lambda o: o.status),
    ("zweryfikowana", lambda o: o.verified_at is not None),
    ("profil", lambda o: o.get_absolute_url()),
]
COLUMNS = [name for name, _read in PUBLIC_FIELDS]
CHUNK = 2000


def rows(organisations: QuerySet[Organisation]) -> Iterator[list]:
    # iterator(chunk_size) keeps memory flat; prefetching works per chunk (Django ≥ 4.1).
    for organisation in organisations.iterator(chunk_size=CHUNK):
        yield [read(organisation) for _name, read in PUBLIC_FIELDS]


def as_csv(organisations) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # BOM: spreadsheet programs then read UTF-8 Polish letters right
    writer.writerow(COLUMNS)
    for row in rows(organisations):
        writer.writerow(["tak" if v is True else "nie" if v is False else v for v in row])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def as_json(organisations) -> Iterator[str]:
    yield '{"kolumny": ' + json.dumps(COLUMNS) + ', "organizacje": ['
    first = True
    for row in rows(organisations):
        yield ("" if first else ",\n") + json.dumps(dict(zip(COLUMNS, row, strict=True)), ensure_ascii=False)
        first = False
    yield "]}\n"


def as_xlsx_counted(organisations) -> tuple[bytes, int]:
    """The XLSX file and the number of organisations in it."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organizacje")
    sheet.append(COLUMNS)
    count = 0
    for row in rows(organisations):
        sheet.append(row)
        count += 1
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue(), count


def as_xlsx(organisations) -> bytes:
    return as_xlsx_counted(organisations)[0]
