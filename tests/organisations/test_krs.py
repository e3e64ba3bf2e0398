"""KRS data by number: the client of the open KRS API, filling the registration and edit forms, and the
representation the verifier sees. The API is a local http.server serving the fixtures (fixtures/krs/README.md)."""

import contextlib
import copy
import json
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from ngo_platform.organisations import krs, services
from ngo_platform.organisations.models import Organisation, VerificationRequest
from ngo_platform.territory.models import TerritorialUnit
from tests.accounts.factories import OrganisationMembershipFactory, UserFactory
from tests.helpers import get_page
from tests.organisations.test_verification import officer_of, registration_data

FIXTURES = Path(__file__).parent / "fixtures" / "krs"
ASSOCIATION = "0000098765"  # register S, Grodków, OPP
FOUNDATION = "0000123456"  # register S, Opole, from an earlier register
COMPANY = "0000413516"  # register P only


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def pl(message: str, **values) -> str:
    """A message of the code as the Polish page shows it (escaped as a whole, like any variable)."""
    with translation.override("pl"):
        text = translation.gettext(message)
    return escape(text % values if values else text)


def pl_template(message: str, **values) -> str:
    """A message of a template as the Polish page shows it (only the values it puts in are escaped)."""
    with translation.override("pl"):
        text = translation.gettext(message)
    return text % {name: escape(value) for name, value in values.items()} if values else text


class FakeKrs:
    """The KRS open API on 127.0.0.1: `routes[(krs, register)] = (status, body, delay)`; unknown ones answer 404."""

    def __init__(self):
        self.routes: dict[tuple[str, str], tuple[int, bytes, float]] = {}
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.requests.append(self.path)
                path, _, query = self.path.partition("?")
                number = path.rsplit("/", 1)[-1]
                register = dict(part.split("=", 1) for part in query.split("&") if "=" in part).get("rejestr", "")
                default = (404, (FIXTURES / "not_found.json").read_bytes(), 0.0)
                status, body, delay = fake.routes.get((number, register), default)
                time.sleep(delay)
                with contextlib.suppress(OSError):  # the client gave up (a timeout test)
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, *args):
                """Silent: the fake registry's requests are asserted on, not printed."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/krs"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, number: str, register: str, body, *, status: int = 200, delay: float = 0.0):
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.routes[(number, register)] = (status, raw, delay)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def krs_api(settings):
    fake = FakeKrs()
    fake.serve(ASSOCIATION, "S", fixture("odpis_aktualny_S_0000098765.json"))
    fake.serve(FOUNDATION, "S", fixture("odpis_aktualny_S_0000123456.json"))
    fake.serve(COMPANY, "P", fixture("odpis_aktualny_P_0000413516.json"))
    settings.NGO_KRS_API_URL = fake.url
    settings.NGO_KRS_TIMEOUT_SECONDS = 2.0
    yield fake
    fake.stop()


# --- The client ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_association_is_read_as_the_api_documents_it(krs_api, reference_data):
    entry = krs.fetch("98765")  # typed without the leading zeros
    assert krs_api.requests == [f"/api/krs/OdpisAktualny/{ASSOCIATION}?rejestr=S&format=json"]
    assert entry.krs == ASSOCIATION and entry.register == "S"
    assert entry.name == "STOWARZYSZENIE MIŁOŚNIKÓW ZIEMI GRODKOWSKIEJ"
    assert (entry.legal_form_text, entry.legal_form) == ("STOWARZYSZENIE", "stowarzyszenie")
    assert entry.nip == "5260250995" and entry.regon == "531675439"  # 14 digits = REGON-9 and five zeros
    assert entry.address == krs.Address(street="UL. JANA PAWŁA II 12/4", postal_code="49-200", town="GRODKÓW")
    assert (entry.seat.gmina, entry.seat.powiat, entry.seat.teryt) == ("GRODKÓW", "BRZESKI", "1601033")
    assert str(entry.registered_on) == "2002-03-14" and not entry.previously_registered
    assert str(entry.as_of) == "2026-11-28" and entry.is_opp is True
    assert entry.representation.body == "ZARZĄD"
    assert entry.representation.members == (
        ("PREZES ZARZĄDU", "J** M****", "K*******"),
        ("SKARBNIK", "A***", "N****-W*****"),
    )
    assert "DWÓCH CZŁONKÓW ZARZĄDU" in entry.representation.method


@pytest.mark.django_db
def test_a_foundation_in_a_city_with_powiat_rights_from_an_earlier_register(krs_api, reference_data):
    entry = krs.fetch(FOUNDATION)
    assert entry.legal_form == "fundacja" and entry.is_opp is False
    assert entry.seat.teryt == "1661011"  # "M. OPOLE"
    assert entry.previously_registered and str(entry.registered_on) == "2002-07-26"
    assert entry.representation.members == (("PREZES ZARZĄDU", "P**** A***", "S*****"),)


@pytest.mark.django_db
def test_a_number_not_in_register_s_is_asked_in_register_p(krs_api, reference_data):
    entry = krs.fetch(COMPANY)
    assert [path.rsplit("rejestr=", 1)[1] for path in krs_api.requests] == ["S&format=json", "P&format=json"]
    assert entry.register == "P" and entry.seat.teryt == TerritorialUnit.objects.get(name="Nysa").teryt
    assert entry.legal_form is None  # a limited company is not one of our forms by itself


@pytest.mark.parametrize(
    ("wording", "code"),
    [
        ("STOWARZYSZENIE", "stowarzyszenie"),
        ("FUNDACJA", "fundacja"),
        ("JEDNOSTKA TERENOWA STOWARZYSZENIA", "jednostka_terenowa_stowarzyszenia"),
        ("STOWARZYSZENIE KULTURY FIZYCZNEJ", "klub_sportowy"),
        ("UCZNIOWSKI KLUB SPORTOWY", "uks"),
        ("SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", None),
    ],
)
@pytest.mark.django_db
def test_the_legal_form_wording_maps_to_our_code(krs_api, reference_data, wording, code):
    body = fixture("odpis_aktualny_S_0000098765.json")
    body["odpis"]["dane"]["dzial1"]["danePodmiotu"]["formaPrawna"] = wording
    krs_api.serve(ASSOCIATION, "S", body)
    entry = krs.fetch(ASSOCIATION)
    assert (entry.legal_form_text, entry.legal_form) == (wording, code)


@pytest.mark.parametrize(
    ("seat", "teryt"),
    [
        ({"voivodeship": "OPOLSKIE", "powiat": "BRZESKI", "gmina": "BRZEG"}, "1601011"),
        ({"voivodeship": "opolskie", "powiat": "kędzierzyńsko-kozielski", "gmina": "KĘDZIERZYN-KOŹLE"}, "1603011"),
        ({"voivodeship": "DOLNOŚLĄSKIE", "powiat": "WOŁOWSKI", "gmina": "BRZEG DOLNY"}, None),
        ({"voivodeship": "ŚLĄSKIE", "powiat": "M. GLIWICE", "gmina": "M. GLIWICE"}, None),
        ({"voivodeship": "OPOLSKIE", "powiat": "BRZESKI", "gmina": "NIE MA TAKIEJ"}, None),
    ],
)
@pytest.mark.django_db
def test_the_seat_gmina_is_found_by_name_in_its_voivodeship(reference_data, seat, teryt):
    assert krs.gmina_teryt(krs.Seat(**seat)) == teryt


@pytest.mark.parametrize(
    ("status", "body", "code", "message"),
    [
        (404, b"", "not_found", "The KRS has no entity with the number %(krs)s. Check the number."),
        (500, b'{"title": "Internal Server Error"}', "unavailable", None),
        (503, b"<html>Przerwa techniczna</html>", "unavailable", None),
        (200, b'{"odpis": {"rodzaj": "Aktualny", "naglo', "malformed", None),
        (200, b"[]", "malformed", None),
        (200, b"\xff\xfe not utf-8", "malformed", None),
    ],
)
@pytest.mark.django_db
def test_registry_failures_raise_one_error_with_a_message(krs_api, reference_data, status, body, code, message):
    number = "0000555555"
    if status != 404:
        krs_api.serve(number, "S", body, status=status)
    with pytest.raises(krs.KrsError) as raised:
        krs.fetch(number)
    assert raised.value.code == code and raised.value.field == "krs" and raised.value.message
    if message:
        assert raised.value.message == translation.gettext(message) % {"krs": number}


@pytest.mark.django_db
def test_an_entry_of_another_number_is_not_taken_for_this_one(krs_api, reference_data):
    krs_api.serve("0000555555", "S", fixture("odpis_aktualny_S_0000098765.json"))
    with pytest.raises(krs.KrsError) as raised:
        krs.fetch("0000555555")
    assert raised.value.code == "malformed"


@pytest.mark.django_db
def test_a_registry_that_does_not_answer_in_time_is_given_up(krs_api, settings, reference_data):
    settings.NGO_KRS_TIMEOUT_SECONDS = 0.3
    krs_api.serve(ASSOCIATION, "S", fixture("odpis_aktualny_S_0000098765.json"), delay=2.0)
    started = time.monotonic()
    with pytest.raises(krs.KrsError) as raised:
        krs.fetch(ASSOCIATION)
    assert raised.value.code == "timeout"
    assert time.monotonic() - started < 1.5
    assert krs_api.requests == [f"/api/krs/OdpisAktualny/{ASSOCIATION}?rejestr=S&format=json"]  # not P as well


def test_switched_off_and_bad_numbers_ask_nothing(settings):
    settings.NGO_KRS_API_URL = ""
    with pytest.raises(krs.KrsError) as raised:
        krs.fetch(ASSOCIATION)
    assert raised.value.code == "off" and not krs.enabled()
    settings.NGO_KRS_API_URL = "http://127.0.0.1:9/api/krs"  # nothing listens there; never asked
    for typed in ("", "12345678901", "KRS abc"):
        with pytest.raises(krs.KrsError) as raised:
            krs.fetch(typed)
        assert raised.value.code == "invalid"


def test_registered_upper_case_reads_as_people_write_it():
    assert krs.readable("UL. JANA PAWŁA II 12/4") == "ul. Jana Pawła II 12/4"
    assert krs.readable("KĘDZIERZYN-KOŹLE") == "Kędzierzyn-Koźle"
    assert krs.readable("AL. WOJSKA POLSKIEGO 3") == "al. Wojska Polskiego 3"
    assert krs.readable("NOWA WIEŚ NAD ODRĄ") == "Nowa Wieś nad Odrą"


# --- Is the applicant a member? ----------------------------------------------------------------------------


PRESIDENT = krs.Member("PREZES ZARZĄDU", "JAN MARIA", "KOWALSKI")
TREASURER = krs.Member("SKARBNIK", "ANNA", "NOWAK-WÓJCIK")
MASKED = krs.Member("PREZES ZARZĄDU", "J** M****", "K*******")


@pytest.mark.parametrize(
    ("name", "member", "expected"),
    [
        ("Jan Kowalski", PRESIDENT, "exact"),
        ("kowalski jan", PRESIDENT, "exact"),  # word order, case
        ("Jan Maria Kowalski", PRESIDENT, "exact"),
        ("Maria Jan Kowalski", PRESIDENT, "exact"),
        ("Anna Nowak-Wójcik", TREASURER, "exact"),
        ("anna nowak wojcik", TREASURER, "exact"),  # diacritics, a dash as a space
        ("Anna Nowak", TREASURER, None),  # half of the surname
        ("Maria Kowalski", PRESIDENT, None),  # the second name alone
        ("Jan Kowalska", PRESIDENT, None),
        ("Jan", PRESIDENT, None),
        ("Jan Kowalski Nowak", PRESIDENT, None),  # a word the member does not have
        ("Jan Kowalski", MASKED, "masked"),
        ("Józef Kamiński", MASKED, None),  # J, K, but other lengths
        ("Jan Kowalczyk", MASKED, None),
        ("Ewa Kowalski", MASKED, None),
        ("Jan Maria Kowalski", MASKED, "masked"),
        ("Jan Marianna Kowalski", MASKED, None),  # the mask M**** has five letters
        ("", PRESIDENT, None),
    ],
)
def test_the_applicant_matches_a_member_ignoring_case_diacritics_and_order(name, member, expected):
    assert krs.member_match(name, member) == expected


# --- Registration and editing -------------------------------------------------------------------------------


def fetch(client, url, data):
    return client.post(url, {**data, "krs_fetch": "1"})


@pytest.mark.django_db
def test_the_fetch_button_is_there_only_when_the_setting_is_on(client, settings, reference_data):
    client.force_login(UserFactory())
    settings.NGO_KRS_API_URL = ""
    html = get_page(client, "/organizacje/zarejestruj/", max_queries=8).content.decode()
    assert 'name="krs_fetch"' not in html
    settings.NGO_KRS_API_URL = "http://127.0.0.1:9/api/krs"
    html = get_page(client, "/organizacje/zarejestruj/", max_queries=8).content.decode()
    assert 'name="krs_fetch"' in html and pl_template("Fetch data from the KRS") in html


@pytest.mark.django_db
def test_registration_is_filled_from_the_krs_for_checking_and_saved_only_when_sent(client, krs_api, reference_data):
    client.force_login(UserFactory())
    typed = registration_data(name="Nasze stowarzyszenie", krs="98765", seat="", city="", note="Jestem prezesem.")
    response = fetch(client, "/organizacje/zarejestruj/", typed)
    assert response.status_code == 200
    assert not Organisation.objects.exists() and not VerificationRequest.objects.exists()
    form = response.context["form"]
    values = {name: form[name].value() for name in form.fields}
    grodkow = TerritorialUnit.objects.get(teryt="1601033")
    assert values["name"] == "STOWARZYSZENIE MIŁOŚNIKÓW ZIEMI GRODKOWSKIEJ"
    assert values["legal_form"] == "stowarzyszenie" and values["register"] == "krs" and values["krs"] == ASSOCIATION
    assert (values["street"], values["postal_code"], values["city"]) == ("ul. Jana Pawła II 12/4", "49-200", "Grodków")
    assert str(values["seat"]) == str(grodkow.pk)
    assert str(values["founded_on"]) == "2002-03-14" and values["is_opp"] is True
    assert values["note"] == "Jestem prezesem."  # what the KRS does not give stays as typed
    html = response.content.decode()
    assert 'id="krs-result"' in html and "K*******" in html and "error-summary" not in html
    assert pl("The KRS entry says the organisation has the OPP status, but not since when: give it.") in html
    # The person checks and sends: now it is saved, with what the KRS gave.
    sent = {name: value for name, value in values.items() if value not in (None, False) and name != "evidence"}
    sent["spheres"] = typed["spheres"]
    response = client.post("/organizacje/zarejestruj/", {**sent, "is_opp": "on"})
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.krs == ASSOCIATION and organisation.seat == grodkow and organisation.is_opp
    assert str(organisation.founded_on) == "2002-03-14" and organisation.street == "ul. Jana Pawła II 12/4"


@pytest.mark.django_db
def test_what_the_krs_does_not_settle_is_left_for_the_person(client, krs_api, reference_data):
    client.force_login(UserFactory())
    body = fixture("odpis_aktualny_S_0000123456.json")
    body["odpis"]["dane"]["dzial1"]["danePodmiotu"]["formaPrawna"] = "FORMA NIEZNANA"
    body["odpis"]["dane"]["dzial1"]["siedzibaIAdres"]["siedziba"]["wojewodztwo"] = "ŚLĄSKIE"
    krs_api.serve(FOUNDATION, "S", body)
    typed = registration_data(krs=FOUNDATION, legal_form="osp", founded_on="1995-05-01", opp_since="2010-01-01")
    response = fetch(client, "/organizacje/zarejestruj/", typed)
    form = response.context["form"]
    assert form["legal_form"].value() == "osp" and str(form["seat"].value()) == str(typed["seat"])
    assert form["founded_on"].value() == "1995-05-01"  # KRS date is the transfer from an earlier register
    assert form["is_opp"].value() is False and not form["opp_since"].value()
    with translation.override("pl"):
        transferred = date_format(date(2002, 7, 26), "j E Y")
    assert response.context["krs_notes"] == [
        translation.gettext(
            "The KRS gives the legal form as “%(form)s”, which the platform does not recognise: choose it."
        )
        % {"form": "FORMA NIEZNANA"},
        translation.gettext("The gmina of the seat in the KRS, “%(gmina)s”, is not among the gminas here: choose it.")
        % {"gmina": "M. OPOLE, ŚLĄSKIE"},
        translation.gettext(
            "The organisation was entered in the KRS on %(date)s from an earlier register: "
            "give its founding date yourself."
        )
        % {"date": transferred},
    ]
    html = response.content.decode()
    assert all(escape(note) in html for note in response.context["krs_notes"])
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("status", "body", "delay", "message"),
    [
        (404, None, 0.0, "The KRS has no entity with the number %(krs)s. Check the number."),
        (
            502,
            b"Bad Gateway",
            0.0,
            "The KRS did not answer properly (error %(status)s). Try again later or type the data yourself.",
        ),
        (
            200,
            b'{"odpis": {',
            0.0,
            "The KRS answered with data the platform cannot read. Try again later or type the data yourself.",
        ),
        (200, b"{}", 1.5, "The KRS did not answer in time. Try again later or type the data yourself."),
    ],
)
@pytest.mark.django_db
def test_a_registry_failure_leaves_the_registration_form_as_typed(
    client, krs_api, settings, reference_data, status, body, delay, message
):
    settings.NGO_KRS_TIMEOUT_SECONDS = 0.5
    number = "0000555555"
    if body is not None:
        krs_api.serve(number, "S", body, status=status, delay=delay)
    client.force_login(UserFactory())
    typed = registration_data(name="Wpisane ręcznie", krs=number, city="Grodków")
    response = fetch(client, "/organizacje/zarejestruj/", typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert pl(message, krs=number, status=status) in html and 'id="id_krs_error"' in html
    form = response.context["form"]
    assert form["name"].value() == "Wpisane ręcznie" and form["city"].value() == "Grodków"
    assert form["krs"].value() == number and str(form["seat"].value()) == str(typed["seat"])
    assert 'id="krs-result"' not in html
    assert not Organisation.objects.exists() and not VerificationRequest.objects.exists()


@pytest.mark.django_db
def test_a_fetch_with_the_setting_off_saves_nothing(client, settings, reference_data):
    settings.NGO_KRS_API_URL = ""
    client.force_login(UserFactory())
    response = fetch(client, "/organizacje/zarejestruj/", {**registration_data(), "evidence": ""})
    assert response.status_code == 200
    assert pl("Fetching data from the KRS is switched off on this platform.") in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.fixture
def organisation(reference_data):
    return services.organisation_create(
        actor=None,
        data={
            "name": "Stara nazwa",
            "legal_form": "fundacja",
            "register": "krs",
            "krs": ASSOCIATION,
            "seat": TerritorialUnit.objects.get(teryt="1601011"),
            "city": "Brzeg",
            "is_opp": False,
        },
    )


def edit_data(organisation, **overrides):
    return {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "register": "krs",
        "krs": organisation.krs,
        "seat": organisation.seat_id,
        "city": organisation.city,
        "status": "active",
        "description": "Opis wpisany przed pobraniem.",
        **overrides,
    }


@pytest.mark.django_db
def test_the_edit_form_is_filled_from_the_krs_and_nothing_changes_until_saved(client, krs_api, organisation):
    client.force_login(OrganisationMembershipFactory(organisation=organisation).user)
    url = f"/organizacje/{organisation.slug}/edytuj/"
    assert 'name="krs_fetch"' in get_page(client, url, max_queries=20).content.decode()
    response = fetch(client, url, edit_data(organisation))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].value() == "STOWARZYSZENIE MIŁOŚNIKÓW ZIEMI GRODKOWSKIEJ"
    assert form["legal_form"].value() == "stowarzyszenie" and form["is_opp"].value() is True
    assert str(form["seat"].value()) == str(TerritorialUnit.objects.get(teryt="1601033").pk)
    assert form["description"].value() == "Opis wpisany przed pobraniem."
    organisation.refresh_from_db()
    assert (organisation.name, organisation.legal_form, organisation.is_opp) == ("Stara nazwa", "fundacja", False)
    assert organisation.seat.teryt == "1601011" and organisation.description == ""


@pytest.mark.django_db
def test_a_registry_failure_leaves_the_edit_form_and_the_organisation_as_they_were(client, krs_api, organisation):
    krs_api.serve(ASSOCIATION, "S", b"Internal error", status=500)
    client.force_login(OrganisationMembershipFactory(organisation=organisation).user)
    response = fetch(client, f"/organizacje/{organisation.slug}/edytuj/", edit_data(organisation, name="Nowa wpisana"))
    assert response.status_code == 200
    assert 'id="id_krs_error"' in response.content.decode()
    assert response.context["form"]["name"].value() == "Nowa wpisana"
    organisation.refresh_from_db()
    assert organisation.name == "Stara nazwa" and organisation.description == ""


@pytest.mark.django_db
def test_strangers_cannot_fetch_into_someone_elses_organisation(client, krs_api, organisation):
    client.force_login(UserFactory())
    assert fetch(client, f"/organizacje/{organisation.slug}/edytuj/", edit_data(organisation)).status_code == 403
    assert krs_api.requests == []


# --- The verifier ------------------------------------------------------------------------------------------


def pending_request(client, display_name):
    applicant = UserFactory(display_name=display_name)
    client.force_login(applicant)
    assert client.post("/organizacje/zarejestruj/", registration_data(krs="98765")).status_code == 302
    officer_of("1601033", client)
    return VerificationRequest.objects.get(applicant=applicant)


def unmasked():
    body = fixture("odpis_aktualny_S_0000098765.json")
    board = copy.deepcopy(body["odpis"]["dane"]["dzial2"]["reprezentacja"]["sklad"])
    board[0]["imiona"], board[0]["nazwisko"] = {"imie": "JAN", "imieDrugie": "MARIA"}, {"nazwiskoICzlon": "KOWALSKI"}
    board[1]["imiona"], board[1]["nazwisko"] = (
        {"imie": "ANNA"},
        {"nazwiskoICzlon": "NOWAK", "nazwiskoIICzlon": "WÓJCIK"},
    )
    body["odpis"]["dane"]["dzial2"]["reprezentacja"]["sklad"] = board
    return body


EXACT = "The applicant's name, %(applicant)s, is among the members of the representation body."
MASKED_FIT = (
    "The applicant's name, %(applicant)s, fits a member of the representation body as the open KRS shows them: "
    "only the first letters and the lengths of the names. This is not a confirmation: check the evidence."
)
ABSENT = "The applicant's name, %(applicant)s, is not among the members of the representation body."


@pytest.mark.parametrize(
    ("display_name", "masked", "expected"),
    [
        ("Jan Kowalski", True, MASKED_FIT),
        ("Jan Kowalski", False, EXACT),
        ("KOWALSKI Jan", False, EXACT),
        ("Anna Nowak-Wójcik", False, EXACT),
        ("Anna Nowak", False, ABSENT),
        ("Jan Kowalczyk", True, ABSENT),
        ("Zofia Kowalska", False, ABSENT),
    ],
)
@pytest.mark.django_db
def test_the_verifier_sees_the_board_and_whether_the_applicant_is_in_it(
    client, krs_api, reference_data, display_name, masked, expected
):
    if not masked:
        krs_api.serve(ASSOCIATION, "S", unmasked())
    request = pending_request(client, display_name)
    html = get_page(client, f"/organizacje/weryfikacja/{request.pk}/", max_queries=14).content.decode()
    assert 'aria-labelledby="krs-representation"' in html and "PREZES ZARZĄDU" in html
    assert pl_template(expected, applicant=display_name) in html
    for other in {EXACT, MASKED_FIT, ABSENT} - {expected}:
        assert pl_template(other, applicant=display_name) not in html


@pytest.mark.django_db
def test_a_registry_failure_on_the_verification_page_is_said_and_the_decision_still_possible(
    client, krs_api, reference_data
):
    request = pending_request(client, "Jan Kowalski")
    krs_api.serve(ASSOCIATION, "S", b"oops", status=500)
    html = get_page(client, f"/organizacje/weryfikacja/{request.pk}/", max_queries=14).content.decode()
    assert pl_template("The representation could not be checked in the KRS:") in html
    assert (
        pl("The KRS did not answer properly (error %(status)s). Try again later or type the data yourself.", status=500)
        in html
    )
    assert 'name="decision"' in html
    for message in (EXACT, MASKED_FIT, ABSENT):
        assert pl_template(message, applicant="Jan Kowalski") not in html


# --- The import ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_import_fills_what_a_row_lacks_from_the_krs_and_says_so(krs_api, reference_data):
    from ngo_platform.organisations.importing import organisations_import, table_read
    from ngo_platform.organisations.models import ImportRun, Organisation
    from tests.organisations.test_import import make_csv

    rows = [
        {"nazwa": "Stowarzyszenie Miłośników Ziemi Grodkowskiej", "krs": ASSOCIATION, "forma_prawna": "", "gmina": ""},
        {"nazwa": "Nieznane w KRS", "krs": "0000000042", "forma_prawna": "", "gmina": ""},
    ]
    run = ImportRun.objects.create(source_name="z-krs.csv")
    data = table_read(make_csv(rows), name="z-krs.csv")
    run = organisations_import(run=run, rows_source=data, actor=None, fill_from_krs=True)
    assert (run.created_count, run.to_complete_count, run.refused_count) == (2, 1, 0)
    filled = Organisation.objects.get(krs=ASSOCIATION)
    assert (filled.legal_form, filled.seat.teryt, filled.city, filled.to_complete) == (
        "stowarzyszenie",
        "1601033",
        "Grodków",
        {},
    )
    assert str(filled.founded_on) == "2002-03-14" and filled.postal_code == "49-200"
    assert set(Organisation.objects.get(krs="0000000042").to_complete) == {"seat", "legal_form"}
    reasons = {item["row"]: item["reason"] for item in run.report if item["column"] == "krs"}
    assert reasons[2].startswith("Uzupełniono z KRS: forma prawna, gmina siedziby")
    assert reasons[3].startswith("KRS: ")
    # Without the option nothing is asked of the registry.
    before = len(krs_api.requests)
    organisations_import(run=ImportRun.objects.create(source_name="z-krs.csv"), rows_source=data, actor=None)
    assert len(krs_api.requests) == before
