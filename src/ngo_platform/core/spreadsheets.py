"""Tables for spreadsheets: one declaration of the columns, one writer per file kind.

A table is a list of `Column`s and an iterable of records (model instances, dicts: whatever the columns'
`read` takes). Each column has a `code` (its name in the header row of every file, documented in
docs/open-data.md), a `label` (what it holds, in words; listed on the XLSX sheet "kolumny") and a `kind`
(how its values are written). Three writers:

- `csv_chunks(..., CsvVariant.PLAIN)`: the machine CSV. Comma, CRLF, RFC 4180 quoting, dot decimals,
  ISO dates, codes only, booleans `tak`/`nie`, text verbatim.
- `csv_chunks(..., CsvVariant.EXCEL_PL)`: the CSV Polish Excel opens by a double click. Semicolon, CRLF,
  decimal comma without grouping, dates `DD.MM.RRRR`, each code followed by a column `<code>_nazwa` with
  its label, booleans `tak`/`nie`, and text that Excel would run as a formula (starting with `=`, `+`,
  `-`, `@`, a tab or a carriage return) prefixed with an apostrophe.
- `xlsx_bytes`: a workbook with typed cells. Integers and decimals as numbers, money as a number of złoty
  formatted `# ##0,00 zł`, dates as dates formatted `dd.mm.yyyy`, booleans as booleans, codes followed by
  their labels as in Excel-PL, text always as text (never a formula).

Both CSV variants start with a byte-order mark. Labels are written in the platform's language
(settings.LANGUAGE_CODE, Polish) whatever the language of the person who downloads, so that a file does
not depend on who asked first (the directory's large XLSX files are built once, by the worker, and shared).
"""

from __future__ import annotations

import csv
import datetime
import enum
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Choices
from django.utils import timezone, translation
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

BOM = "\ufeff"
LABEL_SUFFIX = "_nazwa"  # the column beside a code column that holds the code's label
TRUE, FALSE = "tak", "nie"  # booleans in both CSV variants (the data's language, not the reader's)

# The query parameter that asks for the Excel-PL variant of a CSV: `wyniki.csv?wariant=excel`.
VARIANT_PARAMETER = "wariant"

# Number formats of XLSX cells (format codes are stored in the file in Excel's neutral notation; Polish
# Excel shows "1 234,50 zł" and "31.12.2026").
MONEY_FORMAT = '#,##0.00\\ "zł"'
DECIMAL_FORMAT = "0.00"
DATE_FORMAT = "dd.mm.yyyy"

CHUNK_CHARACTERS = 64_000  # a streamed CSV is sent in pieces of about this size
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Kind(enum.Enum):
    """How a column's values are read (`read` returns this, or None for an empty cell) and written."""

    TEXT = "text"  # str
    INTEGER = "integer"  # int
    DECIMAL = "decimal"  # Decimal (or int), written with two places (e.g. average points)
    MONEY = "money"  # int grosze, written as złoty with two places
    DATE = "date"  # datetime.date (an aware datetime is taken as its date in Europe/Warsaw)
    BOOLEAN = "boolean"  # bool
    CODE = "code"  # a value of `choices`; its label is written beside it where the variant has labels


@dataclass(frozen=True)
class Column:
    code: str
    label: Any  # a lazy translatable text: pgettext_lazy("spreadsheet", ...)
    read: Callable[[Any], Any]
    kind: Kind = Kind.TEXT
    choices: type[Choices] | None = None  # for Kind.CODE: the model choices whose labels are written

    def __post_init__(self):
        if (self.kind is Kind.CODE) != (self.choices is not None):
            raise ValueError(f"column {self.code}: a CODE column, and only it, names its choices")

    @property
    def label_code(self) -> str:
        return f"{self.code}{LABEL_SUFFIX}"


class CsvVariant(enum.Enum):
    PLAIN = ""
    EXCEL_PL = "excel"


def csv_variant(params) -> CsvVariant | None:
    """The CSV variant a request's query (`request.GET`) asks for; None for an unknown one (a 404)."""
    try:
        return CsvVariant(params.get(VARIANT_PARAMETER, ""))
    except ValueError:
        return None


def csv_filename(stem: str, variant: CsvVariant) -> str:
    """`organizacje.csv`, or `organizacje-excel.csv` for the Excel-PL variant."""
    return f"{stem}-{variant.value}.csv" if variant.value else f"{stem}.csv"


def headers(columns: list[Column], *, labelled: bool) -> list[str]:
    """The header row: the codes, each code column followed by its label column when `labelled`."""
    names = []
    for column in columns:
        names.append(column.code)
        if labelled and column.kind is Kind.CODE:
            names.append(column.label_code)
    return names


def _labels(columns: list[Column]) -> dict[str, dict[str, str]]:
    """{column code: {choice value: its label}} for the code columns, in the platform's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            column.code: {value: str(label) for value, label in column.choices.choices}
            for column in columns
            if column.kind is Kind.CODE
        }


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _zloty(grosze: int) -> Decimal:
    return Decimal(int(grosze)) / 100


def _plain(kind: Kind, value) -> str:
    if kind is Kind.BOOLEAN:
        return "" if value is None else TRUE if value else FALSE
    if value is None or value == "":
        return ""
    if kind is Kind.DECIMAL:
        return f"{Decimal(value):.2f}"
    if kind is Kind.MONEY:
        return f"{_zloty(value):.2f}"
    if kind is Kind.DATE:
        return _date(value).isoformat()
    if kind is Kind.INTEGER:
        return str(int(value))
    return str(value)


def _excel_pl(kind: Kind, value) -> str:
    if value is None or value == "":
        return ""
    if kind is Kind.DATE:
        return _date(value).strftime("%d.%m.%Y")
    text = _plain(kind, value)
    if kind in (Kind.DECIMAL, Kind.MONEY):
        return text.replace(".", ",")
    if kind is Kind.TEXT and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_chunks(columns: list[Column], records: Iterable, variant: CsvVariant = CsvVariant.PLAIN) -> Iterator[str]:
    """The table as CSV text, in pieces (for a StreamingHttpResponse, or joined)."""
    excel = variant is CsvVariant.EXCEL_PL
    labels = _labels(columns) if excel else {}
    cell = _excel_pl if excel else _plain
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(headers(columns, labelled=excel))
    for record in records:
        row = []
        for column in columns:
            value = column.read(record)
            row.append(cell(column.kind, value))
            if excel and column.kind is Kind.CODE:
                row.append(labels[column.code].get(value, ""))
        writer.writerow(row)
        if buffer.tell() > CHUNK_CHARACTERS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_cell(sheet, kind: Kind, value):
    """The value of one XLSX cell: a plain value, or a write-only cell where it needs a format or a type."""
    if value is None or value == "":
        return None
    number_format = None
    if kind is Kind.MONEY:
        value, number_format = _zloty(value), MONEY_FORMAT
    elif kind is Kind.DECIMAL:
        value, number_format = Decimal(value), DECIMAL_FORMAT
    elif kind is Kind.DATE:
        value, number_format = _date(value), DATE_FORMAT
    elif kind is Kind.INTEGER:
        return int(value)
    elif kind is Kind.BOOLEAN:
        return bool(value)
    else:
        value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        if not value.startswith("="):
            return value
    cell = WriteOnlyCell(sheet, value)
    if number_format is None:
        cell.data_type = "s"  # text beginning with "=": openpyxl would store a formula
    else:
        cell.number_format = number_format
    return cell


def _xlsx_description(workbook, columns: list[Column]) -> None:
    """The sheet "kolumny": each column's name and meaning, in the platform's language."""
    described = workbook.create_sheet("kolumny")
    described.column_dimensions["A"].width = 24
    described.column_dimensions["B"].width = 70
    with translation.override(settings.LANGUAGE_CODE):
        described.append([pgettext("spreadsheet", "column"), pgettext("spreadsheet", "meaning")])
        for column in columns:
            described.append([column.code, str(column.label)])
            if column.kind is Kind.CODE:
                in_words = pgettext("spreadsheet", "%(label)s, in words") % {"label": column.label}
                described.append([column.label_code, in_words])


def xlsx_bytes(columns: list[Column], records: Iterable, *, sheet: str) -> tuple[bytes, int]:
    """The table as an XLSX workbook (sheet `sheet`, then the sheet "kolumny" describing the columns) and
    the number of records in it."""
    labels = _labels(columns)
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(sheet)
    names = headers(columns, labelled=True)
    widths = []
    for column in columns:
        widths.append(40 if column.kind is Kind.TEXT else 14)
        if column.kind is Kind.CODE:
            widths.append(30)
    for index, width in enumerate(widths, start=1):
        data.column_dimensions[get_column_letter(index)].width = width
    data.freeze_panes = "A2"
    data.append(names)
    count = 0
    for record in records:
        row = []
        for column in columns:
            value = column.read(record)
            row.append(_xlsx_cell(data, column.kind, value))
            if column.kind is Kind.CODE:
                row.append(labels[column.code].get(value) or None)
        data.append(row)
        count += 1
    data.auto_filter.ref = f"A1:{get_column_letter(len(names))}{count + 1}"
    _xlsx_description(workbook, columns)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue(), count
