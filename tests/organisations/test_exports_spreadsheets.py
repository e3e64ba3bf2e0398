"""The directory's exports for spreadsheets (issue 13, point 6): the CSV for Polish Excel beside the machine
CSV, the typed XLSX, organisations without a seat, the link on the page, queries not growing with rows."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from ngo_platform.core import spreadsheets
from ngo_platform.organisations.exports import COLUMNS, PUBLIC_COLUMNS
from ngo_platform.organisations.models import LegalForm, Organisation, OrganisationStatus, Register
from ngo_platform.territory.models import Sphere
from tests.organisations.factories import OrganisationFactory
from tests.organisations.test_directory import make

pytestmark = pytest.mark.django_db

LABELLED = spreadsheets.headers(PUBLIC_COLUMNS, labelled=True)


@pytest.fixture
def sample(reference_data):
    culture = Sphere.objects.get(number="16")
    sport = Sphere.objects.get(number="17")
    return [
        make(
            "Stowarzyszenie Przyjaciół Ziemi Brzeskiej",
            spheres=[culture, sport],
            is_opp=True,
            opp_since=datetime.date(2015, 6, 30),
            founded_on=datetime.date(2004, 1, 9),
        ),
        make("Klub Sportowy Odra Brzeg", legal_form=LegalForm.SPORTS_CLUB, krs="0000012345", spheres=[sport]),
        make("Uczniowski Klub Sportowy Orlik", "1608043", legal_form=LegalForm.STUDENT_SPORTS_CLUB),
    ]


def streamed(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def by_name(table: list[list[str]]) -> dict[str, dict[str, str]]:
    header, *rows = table
    return {row[header.index("nazwa")]: dict(zip(header, row, strict=True)) for row in rows}


def test_excel_pl_csv_has_semicolons_bom_crlf_polish_dates_and_labels_beside_codes(client, sample):
    response = client.get("/organizacje/eksport.csv?wariant=excel&powiat=1601", HTTP_COOKIE="ngo_language=en")
    assert response["Content-Disposition"] == 'attachment; filename="organizacje-excel.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = streamed(response)
    assert content.startswith("\ufeffid;nazwa;nazwa_skrocona;forma_prawna;forma_prawna_nazwa;rejestr;")
    assert content.endswith("\r\n") and content.count("\r\n") == 3 and "\n" not in content.replace("\r\n", "")
    table = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert table[0] == LABELLED
    rows = by_name(table)
    assert sorted(rows) == ["Klub Sportowy Odra Brzeg", "Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]
    club = rows["Klub Sportowy Odra Brzeg"]
    # Labels come from the model's choices, in Polish even for a reader who chose English.
    with translation.override("pl"):
        assert club["forma_prawna_nazwa"] == str(LegalForm.SPORTS_CLUB.label) == "klub sportowy"
        assert club["status_nazwa"] == str(OrganisationStatus.ACTIVE.label)
        assert club["rejestr_nazwa"] == str(Register.KRS.label)
    assert club["forma_prawna"] == "klub_sportowy" and club["status"] == "active" and club["rejestr"] == "krs"
    assert club["krs"] == "0000012345" and club["opp"] == "nie" and club["opp_od"] == ""
    friends = rows["Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]
    assert friends["opp"] == "tak" and friends["opp_od"] == "30.06.2015" and friends["data_zalozenia"] == "09.01.2004"
    assert friends["sfery"] == "16;17" and friends["gmina_teryt"] == "1601011" and friends["powiat_teryt"] == "1601"


def test_machine_csv_keeps_commas_codes_and_iso_dates(client, sample):
    content = streamed(client.get("/organizacje/eksport.csv?powiat=1601"))
    assert content.startswith("\ufeffid,nazwa,") and content.endswith("\r\n")
    table = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"), newline="")))
    assert table[0] == COLUMNS and "forma_prawna_nazwa" not in table[0]
    friends = by_name(table)["Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]
    assert friends["opp_od"] == "2015-06-30" and friends["opp"] == "tak" and friends["forma_prawna"] == "stowarzyszenie"


def test_xlsx_cells_are_typed_with_labels_beside_codes(client, sample):
    book = load_workbook(io.BytesIO(client.get("/organizacje/eksport.xlsx").content))
    assert book.sheetnames == ["organizacje", "kolumny"]
    sheet = book["organizacje"]
    header = [cell.value for cell in sheet[1]]
    assert header == LABELLED
    cells = {
        row[header.index("nazwa")].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)
    }
    friends = cells["Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]
    assert isinstance(friends["id"].value, int) and friends["id"].data_type == "n"
    assert friends["opp"].value is True and friends["zweryfikowana"].value is False
    assert isinstance(friends["opp_od"].value, datetime.datetime) and friends["opp_od"].is_date
    assert friends["opp_od"].value.date() == datetime.date(2015, 6, 30)
    assert friends["opp_od"].number_format == friends["data_zalozenia"].number_format == "dd.mm.yyyy"
    club = cells["Klub Sportowy Odra Brzeg"]
    assert (club["forma_prawna"].value, club["forma_prawna_nazwa"].value) == ("klub_sportowy", "klub sportowy")
    # Identifiers stay text: the leading zeros of a KRS number and of a TERYT code are kept.
    assert club["krs"].value == "0000012345" and club["krs"].data_type == "s"
    assert club["gmina_teryt"].value == "1601011" and club["gmina_teryt"].data_type == "s"
    assert club["opp_od"].value is None
    described = {row[0]: row[1] for row in book["kolumny"].iter_rows(min_row=2, values_only=True)}
    assert list(described) == LABELLED and all(described.values())


def test_an_organisation_without_a_seat_has_empty_seat_cells(client, reference_data):
    OrganisationFactory(name="Stowarzyszenie Bez Siedziby", slug="bez-siedziby", seat=None)
    OrganisationFactory(name="Stowarzyszenie Z Siedzibą", slug="z-siedziba")
    seat_columns = ["gmina_teryt", "gmina", "powiat_teryt"]
    excel = by_name(
        list(
            csv.reader(
                io.StringIO(streamed(client.get("/organizacje/eksport.csv?wariant=excel"))[1:], newline=""),
                delimiter=";",
            )
        )
    )
    plain = by_name(list(csv.reader(io.StringIO(streamed(client.get("/organizacje/eksport.csv"))[1:], newline=""))))
    for rows in (excel, plain):
        assert [rows["Stowarzyszenie Bez Siedziby"][c] for c in seat_columns] == ["", "", ""]
        assert [rows["Stowarzyszenie Z Siedzibą"][c] for c in seat_columns] == ["1601011", "Brzeg", "1601"]
    sheet = load_workbook(io.BytesIO(client.get("/organizacje/eksport.xlsx").content))["organizacje"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "Stowarzyszenie Bez Siedziby")
    assert [row[header.index(c)] for c in seat_columns] == [None, None, None]
    import json

    data = json.loads(streamed(client.get("/organizacje/eksport.json")))
    seatless = next(o for o in data["organizacje"] if o["nazwa"] == "Stowarzyszenie Bez Siedziby")
    assert [seatless[c] for c in seat_columns] == ["", "", ""]


def test_an_unknown_variant_is_not_found_and_other_formats_ignore_the_parameter(client, sample):
    assert client.get("/organizacje/eksport.csv?wariant=libreoffice").status_code == 404
    # The parameter only chooses between CSVs (a directory URL that carries it still downloads XLSX and JSON).
    assert client.get("/organizacje/eksport.xlsx?wariant=excel")["Content-Disposition"].endswith('organizacje.xlsx"')
    assert client.get("/organizacje/eksport.json?wariant=excel")["Content-Disposition"].endswith('organizacje.json"')


def test_the_directory_offers_the_excel_csv_with_the_filters(client, sample):
    # In English: the Polish "CSV dla Excela (średnik)" is in the catalogue once the lead merges it.
    html = client.get("/organizacje/?powiat=1601", HTTP_COOKIE="ngo_language=en").content.decode()
    assert (
        'href="/organizacje/eksport.csv?wariant=excel&amp;powiat=1601" download>CSV for Excel (semicolon)</a>' in html
    )
    html = client.get("/organizacje/").content.decode()
    assert 'href="/organizacje/eksport.csv?wariant=excel" download>' in html


def measured(client, url: str) -> int:
    """The queries of one export after a warm-up request and an emptied cache (as tests/core/test_query_counts)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/organizacje/eksport.csv", "/organizacje/eksport.csv?wariant=excel", "/organizacje/eksport.xlsx"],
)
def test_export_queries_do_not_grow_with_the_rows(client, reference_data, url):
    culture = Sphere.objects.get(number="16")
    make("Jedna", spheres=[culture])
    one = measured(client, url)
    for n in range(30):
        make(f"Kolejna {n}", "1608043" if n % 2 else "1601011", spheres=[culture], is_opp=n % 3 == 0)
    many = measured(client, url)
    assert Organisation.objects.count() == 31
    assert many == one, (one, many)
