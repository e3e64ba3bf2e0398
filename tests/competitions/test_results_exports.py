"""The published results for spreadsheets (issue 13, point 6): the machine CSV, the CSV for Polish Excel,
the typed XLSX, the link on the competition's page, queries not growing with the offers."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ngo_platform.competitions.models import Competition, CompetitionState, Offer, OfferPartner, OfferState
from ngo_platform.competitions.views.results import RESULT_COLUMNS
from ngo_platform.core import spreadsheets
from tests.competitions.factories import CompetitionFactory, complete_offer, verified_organisation

pytestmark = pytest.mark.django_db

HEADER = [
    "miejsce",
    "ex_aequo",
    "oferent",
    "partnerzy",
    "tytul_zadania",
    "srednia_punktow",
    "kwota_wnioskowana_zl",
    "kwota_dotacji_zl",
    "dotacja_przyznana",
]


def published(n: int = 3) -> Competition:
    """A competition with published results: places 1, 1 (ex aequo), 3, ...; the first two funded."""
    competition = CompetitionFactory()
    for i in range(n):
        offer = complete_offer(
            competition, verified_organisation(name=f"Stowarzyszenie Wynikowe {i}"), title=f"Zadanie {i}"
        )
        funded = i < 2
        Offer.objects.filter(pk=offer.pk).update(
            state=OfferState.FUNDED if funded else OfferState.NOT_FUNDED,
            final_rank=1 if i < 2 else i + 1,
            final_points=Decimal("18.50") if i < 2 else Decimal("9"),
            granted_amount=(7_999_99 if i == 0 else 4_000_00) if funded else 0,
        )
        if i == 0:
            OfferPartner.objects.create(
                offer=offer, organisation=verified_organisation(name="Fundacja Partnerska"), invited_by=offer.created_by
            )
    Competition.objects.filter(pk=competition.pk).update(state=CompetitionState.RESULTS)
    competition.refresh_from_db()
    return competition


def test_excel_pl_csv_has_semicolons_bom_crlf_and_decimal_commas(client, opolskie):
    competition = published()
    response = client.get(f"/konkursy/{competition.slug}/wyniki.csv?wariant=excel")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="wyniki-{competition.slug}-excel.csv"'
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    content = data.decode("utf-8")
    assert content.count("\r\n") == 4 and "\n" not in content.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert rows[0] == HEADER == spreadsheets.headers(RESULT_COLUMNS, labelled=True)
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first == {
        "miejsce": "1",
        "ex_aequo": "tak",
        "oferent": "Stowarzyszenie Wynikowe 0",
        "partnerzy": "Fundacja Partnerska",
        "tytul_zadania": "Zadanie 0",
        "srednia_punktow": "18,50",
        "kwota_wnioskowana_zl": "8000,00",
        "kwota_dotacji_zl": "7999,99",
        "dotacja_przyznana": "tak",
    }
    last = dict(zip(HEADER, rows[3], strict=True))
    assert (last["miejsce"], last["ex_aequo"], last["kwota_dotacji_zl"], last["dotacja_przyznana"]) == (
        "3",
        "nie",
        "0,00",
        "nie",
    )


def test_machine_csv_has_commas_and_dot_decimals(client, opolskie):
    competition = published()
    response = client.get(f"/konkursy/{competition.slug}/wyniki.csv")
    assert response["Content-Disposition"] == f'attachment; filename="wyniki-{competition.slug}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADER
    assert rows[1][5:] == ["18.50", "8000.00", "7999.99", "tak"] and rows[3][5:] == ["9.00", "8000.00", "0.00", "nie"]


def test_xlsx_cells_are_typed_numbers_with_formats(client, opolskie):
    competition = published()
    book = load_workbook(io.BytesIO(client.get(f"/konkursy/{competition.slug}/wyniki.xlsx").content))
    assert book.sheetnames == ["wyniki", "kolumny"]
    sheet = book["wyniki"]
    assert [cell.value for cell in sheet[1]] == HEADER
    place, tied, organisation, partners, title, points, requested, amount, funded = sheet[2]
    assert place.value == 1 and isinstance(place.value, int) and place.data_type == "n"
    assert tied.value is True and funded.value is True and tied.data_type == "b"
    assert (organisation.value, partners.value, title.value) == (
        "Stowarzyszenie Wynikowe 0",
        "Fundacja Partnerska",
        "Zadanie 0",
    )
    assert points.value == pytest.approx(18.5) and isinstance(points.value, float) and points.number_format == "0.00"
    assert amount.value == pytest.approx(7999.99) and isinstance(amount.value, float)
    assert requested.value == 8000 and isinstance(requested.value, int)
    assert requested.number_format == amount.number_format == spreadsheets.MONEY_FORMAT == '#,##0.00\\ "zł"'
    last = [cell.value for cell in sheet[4]]
    assert last[0] == 3 and last[1] is False and last[3] is None and last[7] == 0 and last[8] is False


def test_unknown_variant_and_unpublished_results_are_not_found(client, opolskie):
    competition = published()
    assert client.get(f"/konkursy/{competition.slug}/wyniki.csv?wariant=libreoffice").status_code == 404
    Competition.objects.filter(pk=competition.pk).update(state=CompetitionState.DECIDED)
    assert client.get(f"/konkursy/{competition.slug}/wyniki.csv?wariant=excel").status_code == 404


def test_the_competition_page_offers_the_excel_csv(client, opolskie):
    competition = published()
    # In English: the Polish "CSV dla Excela (średnik)" is in the catalogue once the lead merges it.
    html = client.get(competition.get_absolute_url(), HTTP_COOKIE="ngo_language=en").content.decode()
    assert f'<a href="/konkursy/{competition.slug}/wyniki.csv?wariant=excel">CSV for Excel (semicolon)</a>' in html
    assert f'<a href="/konkursy/{competition.slug}/wyniki.csv">CSV</a>' in html


def measured(client, url: str) -> int:
    """The queries of one export after a warm-up request and an emptied cache (as tests/core/test_query_counts)."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["wyniki.csv", "wyniki.csv?wariant=excel", "wyniki.xlsx"])
def test_export_queries_do_not_grow_with_the_offers(client, opolskie, path):
    few, many = published(2), published(12)
    assert measured(client, f"/konkursy/{few.slug}/{path}") == measured(client, f"/konkursy/{many.slug}/{path}")


def test_open_data_documentation_covers_every_result_column():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "open-data.md").read_text(encoding="utf-8")
    assert [column for column in HEADER if f"`{column}`" not in doc] == []
    assert "`/konkursy/<slug>/wyniki.csv?wariant=excel`" in doc
