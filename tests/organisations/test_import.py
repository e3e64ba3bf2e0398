"""The import of organisations from CSV/XLSX: service, task, command and the upload pages."""

import csv
import datetime
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, include, path, reverse

from ngo_platform.core.models import AuditEntry
from ngo_platform.organisations import search
from ngo_platform.organisations.importing import (
    PROGRESS_EVERY,
    ImportFileError,
    organisations_import,
    table_read,
)
from ngo_platform.organisations.models import (
    ImportRun,
    ImportState,
    LegalForm,
    Organisation,
    Register,
)
from ngo_platform.territory.models import Sphere, SphereCatalogue, TerritorialUnit
from tests.accounts.factories import UserFactory
from tests.helpers import get_page
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def __getattr__(name: str):
    """`urlpatterns` of this module, the URLconf of the page tests: the project's urls.py gets
    `path("organizacje/import/", include(...import_urls))` from its owner; until it has it, the tests
    mount it themselves (before organisations' `<slug>/` pattern). Built on first use, not on import."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from ngo_platform import urls as project_urls

    try:
        reverse("organisations_import:upload", urlconf="ngo_platform.urls")
        return list(project_urls.urlpatterns)
    except NoReverseMatch:
        return [
            path("organizacje/import/", include("ngo_platform.organisations.import_urls")),
            *project_urls.urlpatterns,
        ]


with_import_urls = pytest.mark.urls(__name__)

HEADER = ["nazwa", "forma_prawna", "krs", "nip", "regon", "miejscowosc", "gmina", "opis", "www", "email", "opp"]


def nip(seed: int) -> str:
    """A valid NIP, different for every seed."""
    for k in range(10):
        digits = f"{100000000 + seed * 10 + k:09d}"
        check = sum(w * int(d) for w, d in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), digits, strict=True)) % 11
        if check != 10:
            return digits + str(check)
    raise AssertionError


def regon(seed: int) -> str:
    digits = f"{10000000 + seed:08d}"
    return digits + str(sum(w * int(d) for w, d in zip((8, 9, 2, 3, 4, 5, 6, 7), digits, strict=True)) % 11 % 10)


def krs(seed: int) -> str:
    return f"{seed:010d}"


def row(n: int, **overrides) -> dict:
    values = {
        "nazwa": f"Stowarzyszenie Rozwoju Gminy nr {n}",
        "forma_prawna": "stowarzyszenie",
        "krs": krs(n),
        "nip": nip(n),
        "regon": regon(n),
        "miejscowosc": "Brzeg",
        "gmina": "1601011",
        "opis": f"Opis {n}",
        "www": f"www.org{n}.pl",
        "email": f"biuro{n}@example.pl",
        "opp": "nie",
    }
    values.update(overrides)
    return values


def make_csv(
    rows: list[dict], *, header: list[str] | None = None, delimiter: str = ";", encoding: str = "utf-8"
) -> bytes:
    header = header or (list(rows[0]) if rows else HEADER)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def run_import(
    data: bytes,
    *,
    name: str = "organizacje.csv",
    dry_run: bool = False,
    strict: bool = False,
    actor=None,
    progress=None,
) -> ImportRun:
    run = ImportRun.objects.create(source_name=name, dry_run=dry_run, strict=strict)
    return organisations_import(run=run, rows_source=table_read(data, name=name), actor=actor, progress=progress)


def errors_of(run: ImportRun) -> list[tuple]:
    return [(item["row"], item["column"]) for item in run.report if item["level"] == "error"]


# Acceptance ---------------------------------------------------------------------------------


def test_a_csv_with_the_issue_columns_imports_and_its_names_are_found_in_other_inflected_forms(reference_data):
    assert not Organisation.objects.exists()  # a fresh database
    rows = [
        row(1, nazwa="Fundacja Pomocy Zwierzętom", forma_prawna="fundacja", gmina="Nysa", miejscowosc="Nysa"),
        row(2, nazwa="Stowarzyszenie Przyjaciół Ziemi Brzeskiej", opp="tak"),
        row(3, nazwa="Koło Gospodyń Wiejskich w Lubszy", forma_prawna="KGW", krs="", nip="", regon="", gmina="Lubsza"),
    ]
    run = run_import(make_csv(rows, header=HEADER))
    assert run.state == ImportState.DONE, run.report
    assert (run.created_count, run.updated_count, run.unchanged_count, run.total_rows) == (3, 0, 0, 3)
    assert Organisation.objects.count() == 3

    def found(q):
        return set(search.apply_search(Organisation.objects.all(), q).values_list("name", flat=True))

    assert found("fundacji pomocy zwierzętom") == {"Fundacja Pomocy Zwierzętom"}
    assert found("przyjaciele ziemi brzeskiej") == {"Stowarzyszenie Przyjaciół Ziemi Brzeskiej"}
    assert found("kołem gospodyń") == {"Koło Gospodyń Wiejskich w Lubszy"}

    organisation = Organisation.objects.get(krs=krs(1))
    assert organisation.legal_form == LegalForm.FOUNDATION and organisation.seat.teryt == "1607053"
    assert organisation.website == "https://www.org1.pl" and organisation.email == "biuro1@example.pl"
    assert Organisation.objects.get(krs=krs(2)).is_opp is True
    kgw = Organisation.objects.get(name__startswith="Koło")
    assert (kgw.krs, kgw.nip, kgw.regon, kgw.register) == (None, None, None, Register.OTHER)


def test_a_strict_import_with_one_bad_nip_imports_nothing_and_the_report_names_its_row_and_column(reference_data):
    rows = [row(1), row(2, nip="1234567890"), row(3)]
    run = run_import(make_csv(rows), strict=True)
    assert run.state == ImportState.FAILED
    assert not Organisation.objects.exists()
    assert errors_of(run) == [(3, "nip")]  # the header is row 1: the second data row is row 3
    assert "NIP" in run.report[0]["reason"] and "1234567890" in run.report[0]["reason"]
    assert (run.created_count, run.updated_count, run.unchanged_count) == (0, 0, 0)
    assert not AuditEntry.objects.filter(action="organisations.import").exists()


def test_every_error_of_every_row_is_reported(reference_data):
    rows = [
        row(1, krs="12345678901"),
        row(2, nazwa=""),
        row(3, gmina="Atlantyda", miejscowosc=""),
        row(4, email="nie-adres", www="to nie jest adres"),
        row(5, opp="może", forma_prawna="spółka akcyjna"),
        row(6, regon="123456789"),
        row(7, gmina="", miejscowosc=""),
        row(8),
    ]
    run = run_import(make_csv(rows), strict=True)
    assert run.state == ImportState.FAILED and not Organisation.objects.exists()
    assert sorted(errors_of(run)) == [
        (2, "krs"),
        (3, "nazwa"),
        (4, "gmina"),
        (5, "email"),
        (5, "www"),
        (6, "forma_prawna"),
        (6, "opp"),
        (7, "regon"),
        (8, "gmina"),
    ]
    assert all(item["reason"] for item in run.report)


def test_optional_columns_are_validated_too(reference_data):
    header = [*HEADER, "kod_pocztowy", "data_zalozenia", "opp_od", "sfery", "status", "rejestr"]
    rows = [
        row(
            1,
            kod_pocztowy="4500",
            data_zalozenia="31.02.2020",
            opp_od="2020-01-01",
            opp="nie",
            sfery="16;99",
            status="zamknięta",
            rejestr="sąd",
        ),
    ]
    run = run_import(make_csv(rows, header=header), strict=True)
    assert sorted(errors_of(run)) == [
        (2, "data_zalozenia"),
        (2, "kod_pocztowy"),
        (2, "opp_od"),
        (2, "rejestr"),
        (2, "sfery"),
        (2, "status"),
    ]


def test_a_file_without_the_required_columns_fails_on_row_1(reference_data):
    run = run_import(make_csv([{"nazwa_x": "A", "opis": "B"}]), strict=True)
    assert run.state == ImportState.FAILED
    assert sorted(errors_of(run)) == [(1, "gmina"), (1, "nazwa")]
    # Without --strict only the name is required: a file without a seat column marks every new one.
    run = run_import(make_csv([{"nazwa_x": "A", "opis": "B"}]))
    assert run.state == ImportState.FAILED and errors_of(run) == [(1, "nazwa")]
    run = run_import(make_csv([{"nazwa": "Fundacja Bez Gminy", "forma_prawna": "fundacja"}]))
    assert (run.state, run.created_count, run.to_complete_count) == (ImportState.DONE, 1, 1)
    assert Organisation.objects.get().to_complete == {
        "seat": "Podaj gminę siedziby: 7-cyfrowy kod TERYT albo nazwę gminy."
    }


def test_a_file_with_headers_only_fails(reference_data):
    run = run_import(make_csv([], header=HEADER))
    assert run.state == ImportState.FAILED and errors_of(run) == [(None, "")]


# Dry run, idempotency, upsert -----------------------------------------------------------------


def test_a_dry_run_writes_nothing_but_counts_what_it_would_do(reference_data):
    existing = OrganisationFactory(krs=krs(1), name="Stara nazwa")
    run = run_import(make_csv([row(1), row(2), row(3)]), dry_run=True)
    assert run.state == ImportState.DONE
    assert (run.created_count, run.updated_count, run.unchanged_count) == (2, 1, 0)
    assert Organisation.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name == "Stara nazwa"
    assert not AuditEntry.objects.filter(action="organisations.import").exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(reference_data):
    header = [*HEADER, "sfery", "opp_od", "data_zalozenia"]
    data = make_csv(
        [row(n, sfery="16;17", opp="tak", opp_od="2019-05-01", data_zalozenia="01.02.2003") for n in range(1, 6)]
        + [row(6, krs="", nip="", regon="", nazwa="KGW bez numerów", forma_prawna="KGW")],
        header=header,
    )
    first = run_import(data)
    assert (first.state, first.created_count) == (ImportState.DONE, 6)
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    second = run_import(data)
    assert (second.state, second.created_count, second.updated_count, second.unchanged_count) == (
        ImportState.DONE,
        0,
        0,
        6,
    )
    assert Organisation.objects.count() == 6 and set(Organisation.objects.values_list("slug", flat=True)) == slugs
    entries = AuditEntry.objects.filter(action="organisations.import").order_by("pk")
    assert [e.details["created"] for e in entries] == [6, 0]
    assert entries[0].details == {
        "file": "organizacje.csv",
        "rows": 6,
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "to_complete": 0,
    }
    assert entries[0].target_id == str(first.pk)


def test_existing_organisations_are_matched_by_krs_then_nip_then_regon(reference_data):
    by_krs = OrganisationFactory(krs=krs(1), nip=None, name="A")
    by_nip = OrganisationFactory(krs=None, nip=nip(2), name="B")
    by_regon = OrganisationFactory(krs=None, nip=None, regon=regon(3), name="C")
    rows = [
        row(1, nazwa="Alfa nowa", nip=nip(1)),  # KRS matches; NIP filled in
        row(2, nazwa="Beta nowa", krs=krs(2)),  # NIP matches; KRS filled in
        row(3, nazwa="Gamma nowa", krs="", nip=""),  # REGON matches
        row(4, nazwa="D"),  # new
    ]
    run = run_import(make_csv(rows))
    assert run.state == ImportState.DONE, run.report
    assert (run.created_count, run.updated_count, run.unchanged_count) == (1, 3, 0)
    for organisation, name in ((by_krs, "Alfa nowa"), (by_nip, "Beta nowa"), (by_regon, "Gamma nowa")):
        organisation.refresh_from_db()
        assert organisation.name == name
    by_krs.refresh_from_db()
    by_nip.refresh_from_db()
    assert by_krs.nip == nip(1) and by_nip.krs == krs(2)
    assert Organisation.objects.count() == 4
    assert set(search.apply_search(Organisation.objects.all(), "gamma").values_list("pk", flat=True)) == {by_regon.pk}


def test_updates_write_every_kind_of_field(reference_data):
    header = [*HEADER, "data_zalozenia", "opp_od", "kod_pocztowy", "status"]
    first = [row(n, data_zalozenia="2001-01-01", kod_pocztowy="49-300") for n in (1, 2)]
    assert run_import(make_csv(first, header=header)).created_count == 2
    before = {o.pk: o.updated_at for o in Organisation.objects.all()}
    second = [
        row(
            1,
            nazwa="Fundacja Zielonych Lasów",
            gmina="Nysa",
            opp="tak",
            opp_od="2012-12-12",
            data_zalozenia="2002-02-02",
            kod_pocztowy="48-300",
            forma_prawna="fundacja",
            status="w likwidacji",
            www="https://nowa.example.pl/",
        ),
        row(2, opp="", data_zalozenia="2001-01-01", kod_pocztowy="49-300"),
    ]
    run = run_import(make_csv(second, header=header))
    assert (run.created_count, run.updated_count, run.unchanged_count) == (0, 1, 1)
    changed = Organisation.objects.get(krs=krs(1))
    assert (changed.name, changed.seat.teryt, changed.is_opp, changed.opp_since, changed.founded_on) == (
        "Fundacja Zielonych Lasów",
        "1607053",
        True,
        datetime.date(2012, 12, 12),
        datetime.date(2002, 2, 2),
    )
    assert (changed.postal_code, changed.legal_form, changed.status, changed.website) == (
        "48-300",
        LegalForm.FOUNDATION,
        "in_liquidation",
        "https://nowa.example.pl/",
    )
    assert changed.updated_at > before[changed.pk]
    assert Organisation.objects.get(krs=krs(2)).updated_at == before[Organisation.objects.get(krs=krs(2)).pk]
    assert set(
        search.apply_search(Organisation.objects.all(), "fundacji zielonego lasu").values_list("pk", flat=True)
    ) == {changed.pk}
    # "opp" set back to "nie" clears the date (a check constraint requires it).
    run = run_import(make_csv([row(1, nazwa="Fundacja Zielonych Lasów", gmina="Nysa", opp="nie")], header=HEADER))
    changed.refresh_from_db()
    assert (run.updated_count, changed.is_opp, changed.opp_since) == (1, False, None)


def test_empty_cells_do_not_clear_what_an_organisation_has(reference_data):
    existing = OrganisationFactory(krs=krs(1), nip=nip(1), email="stary@example.pl", description="Stary opis")
    run = run_import(make_csv([row(1, nip="", email="", opis="", nazwa=existing.name, www="")]))
    assert run.state == ImportState.DONE
    existing.refresh_from_db()
    assert (existing.nip, existing.email, existing.description) == (nip(1), "stary@example.pl", "Stary opis")


def test_identifiers_pointing_at_two_organisations_are_an_error(reference_data):
    OrganisationFactory(krs=krs(1), nip=None, name="Pierwsza")
    OrganisationFactory(krs=None, nip=nip(2), name="Druga")
    run = run_import(make_csv([row(5), row(1, nip=nip(2))]))
    assert (run.state, run.created_count, run.refused_count) == (ImportState.DONE, 1, 1)
    assert errors_of(run) == [(3, "nip")]
    assert "Pierwsza" in run.report[0]["reason"] and "Druga" in run.report[0]["reason"]
    assert Organisation.objects.count() == 3 and not Organisation.objects.get(name="Pierwsza").nip
    assert run_import(make_csv([row(5), row(1, nip=nip(2))]), strict=True).state == ImportState.FAILED


def test_a_matched_organisation_with_another_identifier_is_an_error(reference_data):
    OrganisationFactory(krs=krs(1), nip=nip(7))
    run = run_import(make_csv([row(1, nip=nip(8))]))
    assert (run.state, run.updated_count, run.refused_count) == (ImportState.DONE, 0, 1)
    assert errors_of(run) == [(2, "nip")] and Organisation.objects.get().nip == nip(7)


def test_two_rows_for_the_same_organisation_are_an_error_on_the_later_row(reference_data):
    OrganisationFactory(krs=krs(1), nip=nip(1))
    run = run_import(make_csv([row(1, nip=""), row(2, krs="", nip=nip(1))]))
    assert (run.state, run.updated_count, run.refused_count) == (ImportState.DONE, 1, 1)
    assert errors_of(run) == [(3, "nip")]


def test_an_identifier_repeated_in_the_file_is_an_error_on_the_later_row(reference_data):
    run = run_import(make_csv([row(1), row(2), row(3, krs=krs(1)), row(4, regon=regon(2))]))
    assert (run.state, run.created_count, run.refused_count) == (ImportState.DONE, 2, 2)
    assert errors_of(run) == [(4, "krs"), (5, "regon")]
    assert "wierszu 2" in run.report[0]["reason"] and "wierszu 3" in run.report[1]["reason"]


def test_rows_without_identifiers_match_by_name_within_the_gmina(reference_data):
    rows = [
        row(1, krs="", nip="", regon="", nazwa="KGW Pogodne"),
        row(2, krs="", nip="", regon="", nazwa="KGW Pogodne"),
    ]
    run = run_import(make_csv(rows), strict=True)
    assert run.state == ImportState.FAILED and errors_of(run) == [(3, "nazwa")]
    run = run_import(make_csv(rows[:1]))
    assert run.created_count == 1
    run = run_import(make_csv([row(1, krs="", nip="", regon="", nazwa="KGW  pogodne", opis="Nowy opis")]))
    assert (run.created_count, run.updated_count) == (0, 1)
    assert Organisation.objects.get().description == "Nowy opis"


def test_new_organisations_get_unique_slugs(reference_data):
    OrganisationFactory(slug="fundacja-lipa", name="Fundacja Lipa")
    run = run_import(make_csv([row(1, nazwa="Fundacja Lipa"), row(2, nazwa="Fundacja Lipa", gmina="Nysa")]))
    assert run.state == ImportState.DONE
    assert set(Organisation.objects.values_list("slug", flat=True)) == {
        "fundacja-lipa",
        "fundacja-lipa-2",
        "fundacja-lipa-3",
    }


# Gminas ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gmina", "miejscowosc", "teryt"),
    [
        ("1601011", "", "1601011"),
        ("Kędzierzyn-Koźle", "", "1603011"),
        ("kedzierzyn kozle", "", "1603011"),
        ("GŁUCHOŁAZY", "", "1607013"),
        ("gmina Lubsza", "", "1601052"),
        ("Brzeg (1601011)", "", "1601011"),
        ("160101", "", None),  # 6 digits: not a TERYT code with a dropped zero of this voivodeship
        ("", "Nysa", "1607053"),
    ],
)
def test_the_gmina_is_a_teryt_code_or_a_name(reference_data, gmina, miejscowosc, teryt):
    run = run_import(make_csv([row(1, gmina=gmina, miejscowosc=miejscowosc)]), strict=True)
    if teryt is None:
        assert errors_of(run) == [(2, "gmina")]
    else:
        assert run.state == ImportState.DONE, run.report
        assert Organisation.objects.get().seat.teryt == teryt


def test_a_town_that_is_not_a_gmina_name_asks_for_the_gmina(reference_data):
    run = run_import(make_csv([row(1, gmina="", miejscowosc="Skorogoszcz")]), strict=True)
    assert errors_of(run) == [(2, "gmina")]
    assert "Skorogoszcz" in run.report[0]["reason"]


def test_a_gmina_name_found_in_two_powiats_asks_for_the_teryt_code(reference_data):
    powiat = TerritorialUnit.objects.create(
        teryt="0201", level="powiat", name="bolesławiecki", valid_as_of=datetime.date(2024, 1, 1)
    )
    TerritorialUnit.objects.create(
        teryt="0201011", level="gmina", gmina_type=1, name="Brzeg", parent=powiat, valid_as_of=datetime.date(2024, 1, 1)
    )
    run = run_import(make_csv([row(1, gmina="Brzeg"), row(2, gmina="1601011")]), strict=True)
    assert run.state == ImportState.FAILED and errors_of(run) == [(2, "gmina")]
    reason = run.report[0]["reason"]
    assert "1601011" in reason and "0201011" in reason and "TERYT" in reason


# Values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "legal_form"),
    [
        ("fundacja", LegalForm.FOUNDATION),
        ("Stowarzyszenie", LegalForm.ASSOCIATION),
        ("stowarzyszenie zwykłe", LegalForm.ORDINARY_ASSOCIATION),
        ("Stowarzyszenie_zwykle", LegalForm.ORDINARY_ASSOCIATION),
        ("UKS", LegalForm.STUDENT_SPORTS_CLUB),
        ("uczniowski klub sportowy", LegalForm.STUDENT_SPORTS_CLUB),
        ("klub sportowy", LegalForm.SPORTS_CLUB),
        ("OSP", LegalForm.VOLUNTEER_FIRE_BRIGADE),
        ("Ochotnicza Straż Pożarna", LegalForm.VOLUNTEER_FIRE_BRIGADE),
        ("KGW", LegalForm.RURAL_HOUSEWIVES_CIRCLE),
        ("koło gospodyń wiejskich", LegalForm.RURAL_HOUSEWIVES_CIRCLE),
        ("spółdzielnia socjalna", LegalForm.SOCIAL_COOPERATIVE),
        ("JEDNOSTKA TERENOWA STOWARZYSZENIA", LegalForm.ASSOCIATION_BRANCH),
        ("Oddział terenowy stowarzyszenia", LegalForm.ASSOCIATION_BRANCH),
        ("zrzeszenie sportowe", LegalForm.SPORTS_UNION),
        ("Polski Związek Sportowy", LegalForm.SPORTS_UNION),
        ("STOWARZYSZENIE KULTURY FIZYCZNEJ", LegalForm.SPORTS_CLUB),
        ("stowarzyszenie jednostek samorządu terytorialnego", LegalForm.ASSOCIATION_OF_LOCAL_GOVERNMENTS),
        ("ZWIĄZEK STOWARZYSZEŃ", LegalForm.UNION_OF_ASSOCIATIONS),
        ("Stowarzyszenie (KRS)", LegalForm.ASSOCIATION),
        ("OSP – stowarzyszenie", LegalForm.VOLUNTEER_FIRE_BRIGADE),
        ("osoba prawna Kościoła katolickiego", LegalForm.CHURCH_LEGAL_PERSON),
        ("spółka z o.o. non-profit", LegalForm.NON_PROFIT_COMPANY),
        ("INNA ORGANIZACJA SPOŁECZNA LUB ZAWODOWA", LegalForm.OTHER),
    ],
)
def test_legal_forms_accept_polish_labels_and_common_variants(reference_data, text, legal_form):
    run = run_import(make_csv([row(1, forma_prawna=text)]))
    assert run.state == ImportState.DONE, run.report
    assert Organisation.objects.get().legal_form == legal_form


@pytest.mark.parametrize(
    ("text", "is_opp"),
    [
        ("tak", True),
        ("TAK", True),
        ("1", True),
        ("true", True),
        ("x", True),
        ("nie", False),
        ("0", False),
        ("false", False),
        ("", False),
    ],
)
def test_opp_accepts_yes_and_no_words(reference_data, text, is_opp):
    run = run_import(make_csv([row(1, opp=text)]))
    assert run.state == ImportState.DONE
    assert Organisation.objects.get().is_opp is is_opp


def test_optional_columns_are_imported(reference_data):
    header = [
        *HEADER,
        "skrót",
        "ulica",
        "kod pocztowy",
        "telefon",
        "rejestr",
        "numer_w_rejestrze",
        "organ_rejestrowy",
        "data_zalozenia",
        "opp_od",
        "status",
        "sfery",
    ]
    rows = [
        row(
            1,
            krs="",
            forma_prawna="stowarzyszenie zwykłe",
            opp="",
            **{
                "skrót": "SRG",
                "ulica": "Rynek 1",
                "kod pocztowy": "49300",
                "telefon": "77 404 00 00",
                "rejestr": "ewidencja starosty",
                "numer_w_rejestrze": "SZ/12",
                "organ_rejestrowy": "Starosta Brzeski",
                "data_zalozenia": "2005-03-01",
                "opp_od": "15.06.2010",
                "status": "aktywna",
                "sfery": "16; 1a, 17)",
            },
        )
    ]
    run = run_import(make_csv(rows, header=header))
    assert run.state == ImportState.DONE, run.report
    organisation = Organisation.objects.get()
    assert (organisation.short_name, organisation.street, organisation.postal_code, organisation.phone) == (
        "SRG",
        "Rynek 1",
        "49-300",
        "77 404 00 00",
    )
    assert (organisation.register, organisation.registry_number, organisation.registry_authority) == (
        Register.STAROSTA,
        "SZ/12",
        "Starosta Brzeski",
    )
    assert organisation.founded_on == datetime.date(2005, 3, 1)
    assert organisation.is_opp and organisation.opp_since == datetime.date(2010, 6, 15)
    newest = SphereCatalogue.objects.order_by("-effective_from").first()
    assert set(organisation.spheres.values_list("catalogue", "number")) == {(newest.pk, n) for n in ("1a", "16", "17")}


def test_spheres_come_from_the_newest_catalogue_and_are_replaced_on_update(reference_data):
    newer = SphereCatalogue.objects.create(
        version="test-2030", effective_from=datetime.date(2030, 1, 1), legal_basis="test"
    )
    Sphere.objects.create(catalogue=newer, number="16", position=1, name="kultura")
    Sphere.objects.create(catalogue=newer, number="40", position=2, name="nowa sfera")
    header = [*HEADER, "sfery"]
    assert run_import(make_csv([row(1, sfery="16;40")], header=header)).state == ImportState.DONE
    organisation = Organisation.objects.get()
    assert set(organisation.spheres.values_list("catalogue__version", "number")) == {
        ("test-2030", "16"),
        ("test-2030", "40"),
    }
    run = run_import(make_csv([row(1, sfery="40")], header=header))
    assert (run.updated_count, run.unchanged_count) == (1, 0)
    assert list(organisation.spheres.values_list("number", flat=True)) == ["40"]


def test_headers_are_case_and_diacritics_insensitive_and_unknown_columns_are_warnings(reference_data):
    header = [
        "Nazwa",
        "Forma prawna",
        "KRS",
        "NIP",
        "REGON",
        "Miejscowość",
        "GMINA",
        "Opis",
        "WWW",
        "E-mail",
        "OPP",
        "Nazwa skrócona",
        "Uwagi",
    ]
    values = row(1, **{"Nazwa skrócona": "SRG", "Uwagi": "cokolwiek"})
    data_row = {h: values.get(h.lower(), values.get(h, "")) for h in header}
    data_row.update({"Miejscowość": "Brzeg", "E-mail": "biuro@example.pl", "Forma prawna": "fundacja"})
    run = run_import(make_csv([data_row], header=header))
    assert run.state == ImportState.DONE, run.report
    assert run.report == [
        {"row": 1, "column": "Uwagi", "reason": "Nieznana kolumna: jej wartości pominięto.", "level": "warning"}
    ]
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.short_name, organisation.email, organisation.legal_form) == (
        values["nazwa"],
        "SRG",
        "biuro@example.pl",
        LegalForm.FOUNDATION,
    )


def test_two_columns_for_the_same_field_are_an_error(reference_data):
    run = run_import(make_csv([{"nazwa": "A", "Nazwa organizacji": "B", "gmina": "Brzeg"}]))
    assert run.state == ImportState.FAILED and errors_of(run) == [(1, "Nazwa organizacji")]


# File formats ---------------------------------------------------------------------------------


def test_windows_1250_csv_with_commas(reference_data):
    data = make_csv([row(1, nazwa="Świętokrzyskie Łąki Żółwia", gmina="Głuchołazy")], delimiter=",", encoding="cp1250")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    run = run_import(data)
    assert run.state == ImportState.DONE, run.report
    organisation = Organisation.objects.get()
    assert organisation.name == "Świętokrzyskie Łąki Żółwia" and organisation.seat.teryt == "1607013"


def test_utf8_csv_with_a_byte_order_mark(reference_data):
    data = b"\xef\xbb\xbf" + make_csv([row(1, nazwa="Zażółć")])
    run = run_import(data)
    assert run.state == ImportState.DONE, run.report
    assert Organisation.objects.get().name == "Zażółć"


def test_multiline_cells_keep_the_spreadsheet_row_numbers(reference_data):
    data = make_csv([row(1, opis="pierwsza linia\ndruga linia"), row(2, nip="1234567890")])
    run = run_import(data)
    assert errors_of(run) == [(3, "nip")]


def make_xlsx(header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_numbers_and_dates_in_cells(reference_data):
    header = ["Nazwa", "forma_prawna", "KRS", "NIP", "REGON", "miejscowość", "gmina", "opp", "data_zalozenia", "sfery"]
    data = make_xlsx(
        header,
        [
            [
                "Fundacja Arkuszowa",
                "fundacja",
                123456,
                int(nip(1)),
                regon(1),
                "Opole",
                1661011,
                True,
                datetime.datetime(2001, 5, 4),
                16,
            ],
            [],
            [
                "Stowarzyszenie Druga Strona",
                "stowarzyszenie",
                "0000654321",
                nip(2),
                None,
                None,
                "Brzeg",
                "nie",
                None,
                None,
            ],
        ],
    )
    run = run_import(data, name="organizacje.xlsx")
    assert run.state == ImportState.DONE, run.report
    first = Organisation.objects.get(name="Fundacja Arkuszowa")
    assert (first.krs, first.nip, first.seat.teryt, first.is_opp, first.founded_on) == (
        "0000123456",
        nip(1),
        "1661011",
        True,
        datetime.date(2001, 5, 4),
    )
    assert list(first.spheres.values_list("number", flat=True)) == ["16"]
    assert Organisation.objects.get(name="Stowarzyszenie Druga Strona").krs == "0000654321"
    # A bad row of an XLSX is reported with the row number the spreadsheet shows (blank row 3 included).
    bad = make_xlsx(header, [["A", "", "", "", "", "", "Brzeg"], [], ["B", "", "", "1234567890", "", "", "Brzeg"]])
    run = run_import(bad, name="zle.xlsx")
    assert errors_of(run) == [(4, "NIP")]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "pusty.csv", "empty"),
        (b"\x81\x83\x88\x90\x98", "binarny.csv", "encoding"),
        (b"nazwa;gmina\x00\n", "zero.csv", "encoding"),
        (b"PK\x03\x04 to nie arkusz", "zly.xlsx", "xlsx"),
        (b"cokolwiek", "stary.xls", "format"),
        (b";;;\n", "bez-naglowkow.csv", "empty"),
    ],
)
def test_files_that_cannot_be_read(data, name, code):
    with pytest.raises(ImportFileError) as raised:
        table_read(data, name=name)
    assert raised.value.code == code


# Progress and performance ---------------------------------------------------------------------


def test_progress_is_written_and_reported_every_500_rows(reference_data):
    assert PROGRESS_EVERY == 500
    calls = []
    data = make_csv([row(n) for n in range(1, 1201)])
    run = ImportRun.objects.create(source_name="duzy.csv")

    def progress(done, total):
        calls.append((done, total, ImportRun.objects.get(pk=run.pk).processed_rows))

    organisations_import(run=run, rows_source=table_read(data, name="duzy.csv"), actor=None, progress=progress)
    assert calls == [(500, 1200, 500), (1000, 1200, 1000), (1200, 1200, 1200)]
    assert run.state == ImportState.DONE and run.processed_rows == run.total_rows == 1200


def _queries_of_import(rows: int, *, start: int, description: str = "Opis") -> int:
    header = [*HEADER, "sfery"]
    data = make_csv(
        [
            row(n, sfery="16;17", gmina=("Brzeg", "Nysa", "1661011")[n % 3], opis=f"{description} {n}")
            for n in range(start, start + rows)
        ],
        header=header,
    )
    table = table_read(data, name="wydajnosc.csv")
    run = ImportRun.objects.create(source_name="wydajnosc.csv")
    with CaptureQueriesContext(connection) as queries:
        organisations_import(run=run, rows_source=table, actor=None)
    assert run.state == ImportState.DONE, run.report[:3]
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(reference_data):
    """Not timed: counted. Everything is loaded and written in bulk; what grows is only the progress
    writes (one per 500 rows), the search index's batches (three queries per 1,000 organisations) and, on
    SQLite, the batches Django splits a bulk INSERT into (SQLite takes at most 999 parameters per statement,
    ~30 organisations)."""
    small = _queries_of_import(200, start=1)
    large = _queries_of_import(2000, start=1000)
    sqlite_batches = 2000 // 25 if connection.vendor == "sqlite" else 0
    index_batches = 3 * (2000 // search.INDEX_BATCH_SIZE - 1)
    assert large <= small + 2000 // PROGRESS_EVERY + index_batches + sqlite_batches, (small, large)
    assert large < 2000 / 10, (small, large)
    # Re-importing, all 2,000 unchanged or all 2,000 changed, costs no more.
    unchanged = _queries_of_import(2000, start=1000)
    changed = _queries_of_import(2000, start=1000, description="Nowy opis")
    assert ImportRun.objects.order_by("-pk").values_list("updated_count", flat=True)[0] == 2000
    assert max(unchanged, changed) <= small + 2000 // PROGRESS_EVERY + index_batches + 10, (small, unchanged, changed)


# Command and task -----------------------------------------------------------------------------


def test_the_command_imports_and_prints_progress(reference_data, tmp_path):
    path = tmp_path / "organizacje.csv"
    path.write_bytes(make_csv([row(n) for n in range(1, 601)]))
    out = StringIO()
    call_command("import_organisations", str(path), stdout=out)
    text = out.getvalue()
    assert "przetworzono 500/600 wierszy" in text and "przetworzono 600/600 wierszy" in text
    assert "nowe 600" in text
    assert Organisation.objects.count() == 600
    run = ImportRun.objects.get()
    assert (run.state, run.source_name, run.created_by) == (ImportState.DONE, "organizacje.csv", None)


def test_the_command_dry_run_and_failure(reference_data, tmp_path):
    path = tmp_path / "organizacje.csv"
    path.write_bytes(make_csv([row(1)]))
    out = StringIO()
    call_command("import_organisations", str(path), "--dry-run", stdout=out)
    assert "nic nie zapisano" in out.getvalue() and not Organisation.objects.exists()

    path.write_bytes(make_csv([row(1), row(2, nip="1234567890")]))
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_organisations", str(path), "--strict", stdout=out)
    assert "nic nie zapisano" in str(raised.value)
    assert "wiersz 3, kolumna „nip”: błąd: Nieprawidłowy NIP" in out.getvalue()
    assert not Organisation.objects.exists()

    with pytest.raises(CommandError):
        call_command("import_organisations", str(tmp_path / "brak.csv"), stdout=StringIO())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_task_imports_a_stored_run(reference_data, media):
    from ngo_platform.organisations.tasks import organisations_import_run

    admin = platform_admin()
    run = ImportRun.objects.create(
        created_by=admin,
        source_name="z-formularza.csv",
        file=SimpleUploadedFile("z-formularza.csv", make_csv([row(1)])),
    )
    result = organisations_import_run.enqueue(run.pk)
    assert result.return_value == ImportState.DONE
    run.refresh_from_db()
    assert (run.state, run.created_count) == (ImportState.DONE, 1)
    entry = AuditEntry.objects.get(action="organisations.import")
    assert entry.actor == admin and entry.details["file"] == "z-formularza.csv"
    # A run that is not queued any more is left alone.
    assert organisations_import_run.enqueue(run.pk).return_value == ImportState.DONE
    assert AuditEntry.objects.filter(action="organisations.import").count() == 1


def test_the_task_fails_a_run_whose_file_cannot_be_read(reference_data, media):
    from ngo_platform.organisations.tasks import organisations_import_run

    run = ImportRun.objects.create(source_name="zly.xlsx", file=SimpleUploadedFile("zly.xlsx", b"PK\x03\x04 zepsuty"))
    assert organisations_import_run.enqueue(run.pk).return_value == ImportState.FAILED
    run.refresh_from_db()
    assert run.report[0]["row"] is None and "XLSX" in run.report[0]["reason"]


def test_a_person_without_the_permission_cannot_import(reference_data):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run_import(make_csv([row(1)]), actor=UserFactory())
    assert not Organisation.objects.exists()


# Pages ----------------------------------------------------------------------------------------


def platform_admin():
    from allauth.mfa.totp.internal.auth import TOTP

    admin = UserFactory(is_staff=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXP")
    return admin


@with_import_urls
def test_the_upload_page_is_for_platform_admins_only(client, reference_data):
    url = reverse("organisations_import:upload")
    assert url == "/organizacje/import/"
    response = client.get(url)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    client.force_login(UserFactory())  # a resident
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": SimpleUploadedFile("a.csv", make_csv([row(1)]))}).status_code == 403
    run = ImportRun.objects.create(source_name="a.csv")
    assert client.get(reverse("organisations_import:status", args=[run.pk])).status_code == 403
    assert not Organisation.objects.exists()


@with_import_urls
def test_the_upload_page_shows_the_form_and_recent_runs(client, reference_data):
    client.force_login(platform_admin())
    for n in range(3):
        ImportRun.objects.create(source_name=f"plik{n}.csv", state=ImportState.DONE)
    response = get_page(client, reverse("organisations_import:upload"), max_queries=7)
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html and 'name="dry_run"' in html
    assert "plik2.csv" in html and '<th scope="col">' in html and "<caption" in html


@with_import_urls
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lista.txt", b"nazwa;gmina\nA;Brzeg\n", "Choose a CSV or XLSX file."),
        ("lista.csv", b"\x81\x83\x88\x90\x98", "could not be read as CSV text"),
        ("lista.xlsx", b"PK\x03\x04 nie arkusz", "could not be opened as an XLSX workbook"),
        ("lista.csv", b"", "The submitted file is empty."),
    ],
)
def test_the_upload_form_checks_the_file(client, reference_data, media, name, content, message, settings):
    client.force_login(platform_admin())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("organisations_import:upload"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'class="error-message"' in html and 'aria-invalid="true"' in html
    assert message in html
    assert not ImportRun.objects.exists()


@with_import_urls
def test_the_upload_form_refuses_files_over_20_mb(client, reference_data, media, monkeypatch):
    from ngo_platform.organisations import import_views

    monkeypatch.setattr(import_views, "MAX_UPLOAD_BYTES", 10)
    client.force_login(platform_admin())
    response = client.post(
        reverse("organisations_import:upload"), {"file": SimpleUploadedFile("a.csv", make_csv([row(1)]))}
    )
    assert response.status_code == 200 and 'class="error-message"' in response.content.decode()
    assert not ImportRun.objects.exists()


@with_import_urls
def test_uploading_a_file_queues_the_import_and_shows_its_status(
    client, reference_data, media, django_capture_on_commit_callbacks
):
    admin = platform_admin()
    client.force_login(admin)
    upload = SimpleUploadedFile("organizacje.csv", make_csv([row(1), row(2)]), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations_import:upload"), {"file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/organizacje/import/{run.pk}/"
    assert (run.state, run.created_by, run.source_name, run.dry_run) == (
        ImportState.DONE,
        admin,
        "organizacje.csv",
        False,
    )
    assert run.file.name.startswith("imports/")
    assert Organisation.objects.count() == 2

    html = get_page(client, response["Location"], max_queries=6).content.decode()
    assert "data-refresh-url" not in html and "<progress" not in html
    assert "organizacje.csv" in html and '<dl class="facts">' in html


@with_import_urls
def test_a_dry_run_from_the_page_saves_nothing(client, reference_data, media, django_capture_on_commit_callbacks):
    client.force_login(platform_admin())
    upload = SimpleUploadedFile("organizacje.csv", make_csv([row(1)]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organisations_import:upload"), {"file": upload, "dry_run": "on"})
    run = ImportRun.objects.get()
    assert (run.dry_run, run.state, run.created_count) == (True, ImportState.DONE, 1)
    assert not Organisation.objects.exists()


@with_import_urls
def test_the_status_page_of_a_running_import_shows_progress_and_asks_to_be_refreshed(client, reference_data):
    client.force_login(platform_admin())
    run = ImportRun.objects.create(
        source_name="duzy.csv", state=ImportState.RUNNING, total_rows=10000, processed_rows=2500
    )
    url = reverse("organisations_import:status", args=[run.pk])
    html = get_page(client, url, max_queries=6).content.decode()
    # A live region the script re-fetches (no page reload, WCAG 2.2.1); a plain link without JavaScript.
    assert f'<div id="import-status" aria-live="polite" data-refresh-url="{url}">' in html
    assert '<progress id="import-progress" max="10000" value="2500">25%</progress>' in html
    assert f'<a href="{url}">' in html and "http-equiv" not in html

    queued = ImportRun.objects.create(source_name="kolejka.csv")
    html = get_page(client, reverse("organisations_import:status", args=[queued.pk]), max_queries=6).content.decode()
    assert "data-refresh-url" in html and "<progress" in html


@with_import_urls
def test_the_status_page_of_a_failed_import_shows_the_report_as_a_table(client, reference_data):
    client.force_login(platform_admin())
    run = run_import(make_csv([{**row(1), "uwagi": "x"}, row(2, nip="1234567890"), row(3, email="zly")]), strict=True)
    assert run.state == ImportState.FAILED
    html = get_page(client, reverse("organisations_import:status", args=[run.pk]), max_queries=6).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "<caption" in html and html.count('<th scope="col">') >= 3
    assert '<th scope="row">3</th><td>nip</td>' in html and '<th scope="row">4</th><td>email</td>' in html
    assert "uwagi" in html  # the warning table


@with_import_urls
def test_the_status_page_404s_for_an_unknown_run(client, reference_data):
    client.force_login(platform_admin())
    assert client.get("/organizacje/import/999999/").status_code == 404


def test_an_import_refreshes_the_cached_directory(client, reference_data, django_capture_on_commit_callbacks):
    before = client.get("/organizacje/").context["page"].paginator.count
    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(make_csv([row(1), row(2)]))
    assert run.state == ImportState.DONE
    assert client.get("/organizacje/").context["page"].paginator.count == before + 2
