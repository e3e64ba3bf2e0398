"""Registers as they are (issue 13): the sound rows of a real-world file import, rows whose seat or legal form
cannot be determined are imported and marked to complete, the rows that would make data wrong come back as a
CSV file with the reasons, and `--strict` keeps all or nothing."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from ngo_platform.organisations import legal_forms
from ngo_platform.organisations.importing import refused_csv, table_read
from ngo_platform.organisations.models import ImportState, LegalForm, Organisation
from ngo_platform.organisations.services import organisation_update
from ngo_platform.territory.models import TerritorialUnit
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory
from tests.organisations.test_import import krs, make_csv, nip, platform_admin, row, run_import, with_import_urls

pytestmark = pytest.mark.django_db

HEADER = ["nazwa", "forma_prawna", "krs", "nip", "miejscowosc", "gmina"]


def _rows():
    return [
        row(1, forma_prawna="JEDNOSTKA TERENOWA STOWARZYSZENIA", regon=""),
        row(2, forma_prawna="zrzeszenie sportowe", gmina="", miejscowosc="", regon=""),
        row(3, nip="1234567890", regon=""),  # the check digit fails
        row(4, forma_prawna="Stowarzyszenie jednostek samorządu terytorialnego", gmina="Atlantyda", regon=""),
        row(5, forma_prawna="spółdzielnia mieszkaniowa", regon=""),
    ]


def test_the_sound_rows_import_those_without_seat_are_marked_and_the_bad_nip_comes_back_as_csv(reference_data):
    untouched = OrganisationFactory(name="Fundacja Już Obecna", krs=krs(900), description="Bez zmian")
    before = Organisation.objects.filter(pk=untouched.pk).values().get()
    run = run_import(make_csv(_rows(), header=HEADER))
    assert run.state == ImportState.DONE, run.report
    assert (run.created_count, run.updated_count, run.refused_count, run.to_complete_count) == (4, 0, 1, 3)

    branch = Organisation.objects.get(krs=krs(1))
    assert (branch.legal_form, branch.seat.teryt, branch.to_complete) == (LegalForm.ASSOCIATION_BRANCH, "1601011", {})
    no_seat = Organisation.objects.get(krs=krs(2))
    assert (no_seat.legal_form, no_seat.seat) == (LegalForm.SPORTS_UNION, None)
    assert list(no_seat.to_complete) == ["seat"]
    unknown_gmina = Organisation.objects.get(krs=krs(4))
    assert unknown_gmina.legal_form == LegalForm.ASSOCIATION_OF_LOCAL_GOVERNMENTS and unknown_gmina.seat is None
    assert "Atlantyda" in unknown_gmina.to_complete["seat"]
    unknown_form = Organisation.objects.get(krs=krs(5))
    assert (unknown_form.legal_form, unknown_form.seat.teryt) == ("", "1601011")
    assert "spółdzielnia mieszkaniowa" in unknown_form.to_complete["legal_form"]
    assert not Organisation.objects.filter(krs=krs(3)).exists()
    assert Organisation.objects.filter(pk=untouched.pk).values().get() == before

    # The refused row, as the file had it, with the reason: semicolons and a BOM for a spreadsheet.
    text = refused_csv(run)
    assert text.startswith("\ufeff") and "\r\n" in text
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert table[0] == [*HEADER, "powod_odrzucenia", "wiersz_w_pliku"]
    assert len(table) == 2 and table[1][:4] == [row(3)["nazwa"], "stowarzyszenie", krs(3), "1234567890"]
    assert "Nieprawidłowy NIP" in table[1][-2] and table[1][-1] == "4"

    # Corrected, the same file imports again: the two extra columns are left out with a warning.
    fixed = text.replace("1234567890", nip(3))
    again = run_import(fixed.encode("utf-8"))
    assert (again.state, again.created_count, again.refused_count) == (ImportState.DONE, 1, 0)
    assert Organisation.objects.get(krs=krs(3)).nip == nip(3)
    assert {item["column"] for item in again.report if item["level"] == "warning"} == {
        "powod_odrzucenia",
        "wiersz_w_pliku",
    }


def test_strict_keeps_all_or_nothing_and_a_dry_run_reports_the_same(reference_data):
    strict = run_import(make_csv(_rows(), header=HEADER), strict=True)
    assert strict.state == ImportState.FAILED and not Organisation.objects.exists()
    assert {(item["row"], item["column"]) for item in strict.report if item["level"] == "error"} == {
        (3, "gmina"),
        (4, "nip"),
        (5, "gmina"),
        (6, "forma_prawna"),
    }
    dry = run_import(make_csv(_rows(), header=HEADER), dry_run=True)
    assert (dry.state, dry.created_count, dry.refused_count, dry.to_complete_count) == (ImportState.DONE, 4, 1, 3)
    assert not Organisation.objects.exists()
    lenient = run_import(make_csv(_rows(), header=HEADER))
    assert [(i["row"], i["column"], i["level"]) for i in dry.report] == [
        (i["row"], i["column"], i["level"]) for i in lenient.report
    ]


@pytest.mark.parametrize("wording", ["związek zawodowy", "PARTIA POLITYCZNA", "Organizacja pracodawców"])
def test_a_form_outside_the_act_refuses_the_row(reference_data, wording):
    run = run_import(make_csv([row(1, forma_prawna=wording), row(2)]))
    assert (run.created_count, run.refused_count) == (1, 1)
    assert "art. 3 ust. 4 UDPP" in run.report[0]["reason"]
    assert not Organisation.objects.filter(krs=krs(1)).exists()


def test_a_value_that_cannot_be_read_is_left_out_and_the_row_imported(reference_data):
    run = run_import(make_csv([row(1, email="nie-adres", www="to nie adres", opp="może")]))
    assert (run.state, run.created_count, run.refused_count) == (ImportState.DONE, 1, 0)
    organisation = Organisation.objects.get()
    assert (organisation.email, organisation.website, organisation.is_opp) == ("", "", False)
    warnings = {item["column"]: item["reason"] for item in run.report}
    assert set(warnings) == {"email", "www", "opp"} and all("nie zapisano" in r for r in warnings.values())


def test_a_row_without_a_name_is_refused(reference_data):
    run = run_import(make_csv([row(1, nazwa=""), row(2)]))
    assert (run.created_count, run.refused_count) == (1, 1)


def test_a_later_import_or_the_edit_completes_what_was_missing(reference_data):
    run_import(make_csv([row(1, gmina="", miejscowosc="", forma_prawna="")]))
    organisation = Organisation.objects.get()
    assert set(organisation.to_complete) == {"seat", "legal_form"}
    # A file that now says the seat completes it; the legal form stays to complete.
    run = run_import(make_csv([row(1, forma_prawna="")]))
    assert run.updated_count == 1
    organisation.refresh_from_db()
    assert organisation.seat.teryt == "1601011" and set(organisation.to_complete) == {"legal_form"}
    # An empty cell never clears what an organisation has: the seat stays.
    run_import(make_csv([row(1, gmina="", miejscowosc="", forma_prawna="")]))
    organisation.refresh_from_db()
    assert organisation.seat.teryt == "1601011"
    organisation_update(actor=None, organisation=organisation, data={"legal_form": LegalForm.FOUNDATION})
    organisation.refresh_from_db()
    assert (organisation.legal_form, organisation.to_complete) == (LegalForm.FOUNDATION, {})


def test_the_command_writes_the_refused_rows_beside_the_file(reference_data, tmp_path):
    path = tmp_path / "rejestr.csv"
    path.write_bytes(make_csv(_rows(), header=HEADER))
    out = StringIO()
    call_command("import_organisations", str(path), stdout=out)
    assert "odrzucone 1" in out.getvalue() and "do uzupełnienia 3" in out.getvalue()
    refused = tmp_path / "rejestr-odrzucone.csv"
    assert "1234567890" in refused.read_text(encoding="utf-8-sig")
    assert table_read(refused.read_bytes(), name=refused.name).rows[0][0] == 2  # one data row


def test_every_wording_of_the_reference_list_names_a_known_form():
    assert set(legal_forms.wordings().values()) <= {*LegalForm.values, legal_forms.EXCLUDED}
    # Every form of ours is reachable by its own label too.
    assert {legal_forms.match(str(label)) for _value, label in LegalForm.choices} == set(LegalForm.values)
    assert legal_forms.match("Stowarzyszenie zwykle") == LegalForm.ORDINARY_ASSOCIATION
    assert legal_forms.match("spółdzielnia mieszkaniowa") is None


def test_a_wording_given_to_two_forms_is_refused(tmp_path, monkeypatch):
    data = tmp_path / "legal_forms_test.csv"
    data.write_text("code;wording\nfundacja;Fundacja\nstowarzyszenie;FUNDACJA\n", encoding="utf-8")
    monkeypatch.setattr(legal_forms, "DATA_FILE", data)
    legal_forms._rows.cache_clear()
    legal_forms.wordings.cache_clear()
    try:
        with pytest.raises(ValueError, match="already names"):
            legal_forms.wordings()
    finally:
        legal_forms._rows.cache_clear()
        legal_forms.wordings.cache_clear()


# Pages -----------------------------------------------------------------------------------------


@with_import_urls
def test_the_refused_rows_download_is_for_platform_admins(client, reference_data):
    run = run_import(make_csv(_rows(), header=HEADER))
    url = reverse("organisations_import:refused", args=[run.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(platform_admin())
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "1234567890" in response.content.decode("utf-8-sig")
    page = client.get(reverse("organisations_import:status", args=[run.pk])).content.decode()
    assert url in page and "Odrzucone" in page
    clean = run_import(make_csv([row(9)]))
    assert client.get(reverse("organisations_import:refused", args=[clean.pk])).status_code == 404


@with_import_urls
def test_the_list_to_complete_shows_the_reasons_to_admins_in_a_fixed_number_of_queries(
    client, reference_data, django_assert_num_queries
):
    run_import(make_csv(_rows(), header=HEADER))
    url = reverse("organisations_import:to_complete")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(platform_admin())
    client.get(url)  # warm the session and the permission caches
    with django_assert_num_queries(5):  # session, person, second factor, the count, the page
        html = client.get(url).content.decode()
    assert "Atlantyda" in html and "spółdzielnia mieszkaniowa" in html and row(1)["nazwa"] not in html
    run_import(make_csv([row(n, gmina="", miejscowosc="") for n in range(20, 30)]))
    with django_assert_num_queries(5):
        assert client.get(url).content.decode().count("<tr>") == 3 + 10 + 1


def test_the_profile_tells_its_admins_what_to_complete_and_no_one_else(client, reference_data):
    from ngo_platform.accounts.models import OrganisationMembership, OrganisationRole

    run_import(make_csv([row(1, gmina="", miejscowosc="")]))
    organisation = Organisation.objects.get()
    url = organisation.get_absolute_url()
    assert "Do uzupełnienia" not in client.get(url).content.decode()
    assert "gminę siedziby do uzupełnienia" not in client.get(url).content.decode()
    member = UserFactory()
    OrganisationMembership.objects.create(user=member, organisation=organisation, role=OrganisationRole.ADMIN)
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "Do uzupełnienia" in html and "Podaj gminę siedziby" in html


def test_the_edit_form_asks_for_what_the_import_could_not_tell_and_then_forgets_the_mark(client, reference_data):
    from ngo_platform.accounts.models import OrganisationMembership, OrganisationRole

    run_import(make_csv([row(1, gmina="", miejscowosc="", forma_prawna="")]))
    organisation = Organisation.objects.get()
    member = UserFactory()
    OrganisationMembership.objects.create(user=member, organisation=organisation, role=OrganisationRole.ADMIN)
    client.force_login(member)
    url = f"/organizacje/{organisation.slug}/edytuj/"
    data = {"name": organisation.name, "register": "krs", "krs": organisation.krs, "status": "active"}
    data.update(legal_form="", seat="")
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_legal_form_error"' in html and 'id="id_seat_error"' in html
    organisation.refresh_from_db()
    assert set(organisation.to_complete) == {"seat", "legal_form"}
    seat = TerritorialUnit.objects.get(teryt="1601011")
    response = client.post(url, {**data, "legal_form": LegalForm.FOUNDATION, "seat": seat.pk})
    assert response.status_code == 302, response.context["form"].errors
    organisation.refresh_from_db()
    assert (organisation.legal_form, organisation.seat, organisation.to_complete) == (LegalForm.FOUNDATION, seat, {})


def test_the_command_refuses_to_fill_from_the_krs_when_it_is_off(reference_data, tmp_path, settings):
    from django.core.management import CommandError

    settings.NGO_KRS_API_URL = ""
    path = tmp_path / "rejestr.csv"
    path.write_bytes(make_csv([row(1)]))
    with pytest.raises(CommandError, match="NGO_KRS_API_URL"):
        call_command("import_organisations", str(path), "--z-krs", stdout=StringIO())
    assert not Organisation.objects.exists()
