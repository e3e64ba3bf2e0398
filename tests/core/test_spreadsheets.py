"""core.spreadsheets: one column declaration written as the machine CSV, the CSV for Polish Excel and a
typed XLSX (issue 13, point 6)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import translation
from openpyxl import load_workbook

from ngo_platform.core import spreadsheets
from ngo_platform.core.spreadsheets import Column, CsvVariant, Kind
from ngo_platform.organisations.models import LegalForm

COLUMNS = [
    Column("numer", "number", lambda r: r["n"], Kind.INTEGER),
    Column("nazwa", "name", lambda r: r["name"]),
    Column("forma", "legal form", lambda r: r["form"], Kind.CODE, LegalForm),
    Column("punkty", "points", lambda r: r["points"], Kind.DECIMAL),
    Column("kwota", "amount", lambda r: r["grosze"], Kind.MONEY),
    Column("dnia", "date", lambda r: r["day"], Kind.DATE),
    Column("opp", "public benefit", lambda r: r["yes"], Kind.BOOLEAN),
]
RECORDS = [
    {
        "n": 1,
        "name": 'Klub; "Odra"\nBrzeg',
        "form": LegalForm.SPORTS_CLUB,
        "points": Decimal("18.5"),
        "grosze": 123_456_78,
        "day": datetime.date(2026, 3, 1),
        "yes": True,
    },
    {"n": 2, "name": '=HYPERLINK("x")', "form": "nieznana", "points": None, "grosze": 0, "day": None, "yes": False},
]


def text(variant):
    return "".join(spreadsheets.csv_chunks(COLUMNS, RECORDS, variant))


def test_the_machine_csv_has_commas_dots_iso_dates_codes_and_the_text_verbatim():
    content = text(CsvVariant.PLAIN)
    assert content.startswith("\ufeffnumer,nazwa,forma,punkty,kwota,dnia,opp\r\n")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"), newline="")))
    assert rows[0] == ["numer", "nazwa", "forma", "punkty", "kwota", "dnia", "opp"]
    assert rows[1] == ["1", 'Klub; "Odra"\nBrzeg', "klub_sportowy", "18.50", "123456.78", "2026-03-01", "tak"]
    assert rows[2] == ["2", '=HYPERLINK("x")', "nieznana", "", "0.00", "", "nie"]


def test_the_excel_pl_csv_has_semicolons_decimal_commas_polish_dates_labels_and_no_formulas():
    with translation.override("en"):  # labels are in the platform's language, not the reader's
        content = text(CsvVariant.EXCEL_PL)
    data = content.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    # Every record ends with CRLF; the line break inside the quoted name is kept as it was.
    assert content.count("\r\n") == 3 and content.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert rows[0] == ["numer", "nazwa", "forma", "forma_nazwa", "punkty", "kwota", "dnia", "opp"]
    assert rows[1] == [
        "1",
        'Klub; "Odra"\nBrzeg',
        "klub_sportowy",
        "klub sportowy",
        "18,50",
        "123456,78",
        "01.03.2026",
        "tak",
    ]
    # An unknown code has no label; text Excel would run as a formula starts with an apostrophe.
    assert rows[2] == ["2", '\'=HYPERLINK("x")', "nieznana", "", "", "0,00", "", "nie"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised_in_excel_pl_only(start):
    columns = [Column("t", "text", lambda r: r)]
    excel = "".join(spreadsheets.csv_chunks(columns, [f"{start}1+1"], CsvVariant.EXCEL_PL))
    plain = "".join(spreadsheets.csv_chunks(columns, [f"{start}1+1"], CsvVariant.PLAIN))
    assert list(csv.reader(io.StringIO(excel[1:], newline=""), delimiter=";"))[1] == [f"'{start}1+1"]
    assert list(csv.reader(io.StringIO(plain[1:], newline="")))[1] == [f"{start}1+1"]


def test_a_long_csv_comes_in_pieces():
    columns = [Column("t", "text", lambda r: r)]
    chunks = list(spreadsheets.csv_chunks(columns, ["x" * 100] * 2000, CsvVariant.EXCEL_PL))
    assert len(chunks) > 2 and chunks[0].startswith("\ufeff")
    assert len(list(csv.reader(io.StringIO("".join(chunks)[1:], newline="")))) == 2001


def test_the_xlsx_has_typed_cells_with_number_formats():
    with translation.override("en"):
        content, count = spreadsheets.xlsx_bytes(COLUMNS, RECORDS, sheet="dane")
    assert count == 2
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["dane", "kolumny"]
    sheet = book["dane"]
    assert [c.value for c in sheet[1]] == ["numer", "nazwa", "forma", "forma_nazwa", "punkty", "kwota", "dnia", "opp"]
    number, name, code, label, points, amount, day, yes = sheet[2]
    assert number.value == 1 and number.data_type == "n" and isinstance(number.value, int)
    assert name.value == 'Klub; "Odra"\nBrzeg' and name.data_type == "s"
    assert (code.value, label.value) == ("klub_sportowy", "klub sportowy")
    assert points.value == pytest.approx(18.5) and points.number_format == spreadsheets.DECIMAL_FORMAT
    assert amount.value == pytest.approx(123456.78) and isinstance(amount.value, float)
    assert amount.number_format == '#,##0.00\\ "zł"'
    assert isinstance(day.value, datetime.datetime) and day.value.date() == datetime.date(2026, 3, 1)
    assert day.is_date and day.number_format == "dd.mm.yyyy"
    assert yes.value is True and yes.data_type == "b"
    number, name, code, label, points, amount, day, yes = sheet[3]
    # Text that looks like a formula stays text; an unknown code has no label; None is an empty cell.
    assert name.value == '=HYPERLINK("x")' and name.data_type == "s"
    assert label.value is None and points.value is None and day.value is None
    assert amount.value == 0 and isinstance(amount.value, int) and yes.value is False
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:H3"
    described = {row[0]: row[1] for row in book["kolumny"].iter_rows(min_row=2, values_only=True)}
    assert list(described) == ["numer", "nazwa", "forma", "forma_nazwa", "punkty", "kwota", "dnia", "opp"]


def test_text_with_characters_xml_cannot_hold_is_cleaned_not_fatal():
    content, _count = spreadsheets.xlsx_bytes([Column("t", "text", lambda r: r)], ["a\x0bb\x00c"], sheet="x")
    assert load_workbook(io.BytesIO(content))["x"]["A2"].value == "abc"


def test_variant_parameter_and_file_names():
    assert spreadsheets.csv_variant(QueryDict("")) is CsvVariant.PLAIN
    assert spreadsheets.csv_variant(QueryDict("wariant=excel&powiat=1601")) is CsvVariant.EXCEL_PL
    assert spreadsheets.csv_variant(QueryDict("wariant=libreoffice")) is None
    assert spreadsheets.csv_filename("wyniki-x", CsvVariant.PLAIN) == "wyniki-x.csv"
    assert spreadsheets.csv_filename("wyniki-x", CsvVariant.EXCEL_PL) == "wyniki-x-excel.csv"


def test_a_code_column_names_its_choices_and_only_a_code_column():
    with pytest.raises(ValueError):
        Column("forma", "legal form", lambda r: r, Kind.CODE)
    with pytest.raises(ValueError):
        Column("nazwa", "name", lambda r: r, Kind.TEXT, LegalForm)
