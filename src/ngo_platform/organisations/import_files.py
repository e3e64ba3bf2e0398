"""Reading an import file: CSV or XLSX into a `Table` of headers and rows.

CSV: UTF-8 with or without BOM (or UTF-16 with a BOM), else Windows-1250; `;`, `,` or tab, sniffed from
the header line. XLSX: the first sheet, read-only. Blank rows are skipped; each row keeps the number a
spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ngo_platform.core.exceptions import ServiceError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ACCEPTED_EXTENSIONS = (".csv", ".xlsx")


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
