"""An authority's page gathers what is its own: contact details, the council and its members, the latest
consultations, competitions, published results and elections (each linking to the list filtered for the
authority), the organisations seated in its territory; a number of SQL queries that does not grow with them.
Contact details are set by `territory.services.authority_contact_set` (the demo fills the voivodeship's)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.core.models import AuditEntry
from ngo_platform.elections.models import CouncilMember, ElectionState
from ngo_platform.territory import demo
from ngo_platform.territory.models import Authority, TerritorialUnit
from ngo_platform.territory.services import AuthorityContactError, authority_contact_set
from tests.accounts.factories import UserFactory
from tests.competitions.factories import CompetitionFactory
from tests.consultations.factories import make_consultation, officer_of
from tests.core import query_fixtures as data
from tests.elections.factories import CouncilFactory, ElectionFactory, candidate
from tests.helpers import section
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
CONTACT = {
    "address": "ul. Piastowska 14, 45-082 Opole",
    "email": "urzad@example.pl",
    "phone": "+48 77 000 00 00",
    "website": "https://www.example.pl/",
    "bip_url": "https://bip.example.pl/",
}


def page(client, authority) -> str:
    response = client.get(authority.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# --- Contact details ---


def test_the_contact_details_are_shown_with_links_to_write_ring_and_read_the_bip(client, opolskie):
    authority_contact_set(actor=None, authority=opolskie, data=CONTACT)
    html = section(page(client, opolskie), "contact-heading")
    assert CONTACT["address"] in html
    assert '<a href="mailto:urzad@example.pl">urzad@example.pl</a>' in html
    assert '<a href="tel:+48770000000">+48 77 000 00 00</a>' in html
    assert '<a href="https://bip.example.pl/" rel="external noopener noreferrer">https://bip.example.pl/</a>' in html
    assert 'href="https://www.example.pl/"' in html


def test_without_contact_details_the_page_says_so(client, gmina_brzeg):
    html = section(page(client, gmina_brzeg), "contact-heading")
    assert "<dl" not in html and "mailto:" not in html


def test_contact_details_are_checked_field_by_field_and_nothing_is_saved_on_refusal(opolskie):
    for field, value in (
        ("address", "x" * 251),
        ("phone", "1" * 41),
        ("email", "nie-adres"),
        ("bip_url", "bip.opolskie"),
        ("website", "https://" + "a" * 200 + ".pl/"),
    ):
        with pytest.raises(AuthorityContactError) as error:
            authority_contact_set(actor=None, authority=opolskie, data={**CONTACT, field: value})
        assert error.value.field == field
    opolskie.refresh_from_db()
    assert (opolskie.address, opolskie.email, opolskie.phone) == ("", "", "")
    assert not AuditEntry.objects.filter(action="territory.authority_contact_set").exists()


def test_only_the_system_and_administrators_who_may_change_authorities_set_them(opolskie):
    for person in (UserFactory(), UserFactory(is_staff=True), officer_of(opolskie, role="admin")):
        with pytest.raises(PermissionDenied):
            authority_contact_set(actor=person, authority=opolskie, data={"phone": "77 111 11 11"})
    assert Authority.objects.get(pk=opolskie.pk).phone == ""
    admin = UserFactory(is_staff=True, is_superuser=True)
    authority_contact_set(actor=admin, authority=opolskie, data={"phone": " 77 111 11 11 "})
    assert Authority.objects.get(pk=opolskie.pk).phone == "77 111 11 11"  # stripped
    entry = AuditEntry.objects.get(action="territory.authority_contact_set")
    assert entry.actor == admin and entry.details == {"phone": "77 111 11 11"}


def test_an_unchanged_value_is_not_audited_and_fields_not_given_keep_theirs(opolskie):
    authority_contact_set(actor=None, authority=opolskie, data=CONTACT)
    authority_contact_set(actor=None, authority=opolskie, data={"phone": CONTACT["phone"]})
    assert AuditEntry.objects.filter(action="territory.authority_contact_set").count() == 1
    opolskie.refresh_from_db()
    assert opolskie.bip_url == CONTACT["bip_url"]


def test_the_demo_fills_the_voivodeship_and_brzeg_once(opolskie, gmina_brzeg):
    demo.seed()
    demo.seed()
    opolskie.refresh_from_db()
    gmina_brzeg.refresh_from_db()
    assert opolskie.bip_url == "https://bip.opolskie.pl/" and opolskie.address.endswith("Opole")
    assert opolskie.email.endswith("@demo.ngo-platform.pl") and gmina_brzeg.email.endswith("@demo.ngo-platform.pl")
    assert AuditEntry.objects.filter(action="territory.authority_contact_set").count() == 2


# --- The council ---


def _member(council, *, term_end, name):
    election = ElectionFactory(council=council, stage=ElectionState.FINAL)
    chosen = candidate(election, full_name=name)
    return CouncilMember.objects.create(
        council=council,
        election=election,
        candidate=chosen,
        full_name=name,
        organisation=chosen.organisation,
        term_start=term_end - timedelta(days=3 * 365),
        term_end=term_end,
    )


def test_the_council_with_its_current_members_only(client, opolskie):
    council = CouncilFactory(authority=opolskie, name="Rada Działalności Pożytku Publicznego Województwa")
    current = _member(council, term_end=timezone.localdate() + 400 * DAY, name="Anna Obecna")
    _member(council, term_end=timezone.localdate() - DAY, name="Piotr Dawny")
    html = section(page(client, opolskie), "council-heading")
    assert f'href="{council.get_absolute_url()}"' in html and council.name in html
    assert "Anna Obecna" in html and current.organisation.name in html and "Piotr Dawny" not in html


def test_an_authority_without_a_council_says_so(client, gmina_brzeg):
    CouncilFactory()  # the voivodeship's, not Brzeg's
    html = section(page(client, gmina_brzeg), "council-heading")
    assert "<h3" not in html and "<p>" in html


# --- Its matters, the latest few, linking to the filtered lists ---


def test_its_consultations_competitions_results_and_elections_not_another_authoritys(client, opolskie, gmina_brzeg):
    mine = make_consultation(opolskie, title="Konsultacje województwa")
    theirs = make_consultation(gmina_brzeg, title="Konsultacje Brzegu")
    competition = CompetitionFactory(authority=opolskie, title="Konkurs województwa")
    other = CompetitionFactory(authority=gmina_brzeg, title="Konkurs Brzegu")
    results = CompetitionFactory(
        authority=opolskie,
        title="Konkurs z wynikami",
        state="results",
        offers_deadline=timezone.now() - 30 * DAY,
        results_published_at=timezone.now() - DAY,
    )
    election = ElectionFactory(council=CouncilFactory(authority=opolskie), title="Wybory województwa")
    elsewhere = ElectionFactory(council=CouncilFactory(authority=gmina_brzeg), title="Wybory Brzegu")
    html = page(client, opolskie)
    consultations = section(html, "consultations-heading")
    assert mine.title in consultations and theirs.title not in consultations
    assert f'href="/konsultacje/?organ={opolskie.slug}"' in consultations
    competitions = section(html, "competitions-heading")
    assert competition.title in competitions and other.title not in competitions
    assert f'href="/konkursy/?authority={opolskie.slug}"' in competitions
    published = section(html, "results-heading")
    assert f'href="{results.get_absolute_url()}#results"' in published and competition.title not in published
    elections = section(html, "elections-heading")
    assert election.title in elections and elsewhere.title not in elections
    assert f'href="{election.council.get_absolute_url()}"' in elections
    # The filtered lists the links lead to show the authority's own.
    listed = client.get(f"/konsultacje/?organ={opolskie.slug}").content.decode()
    assert mine.title in listed and theirs.title not in listed
    listed = client.get(f"/konkursy/?authority={opolskie.slug}").content.decode()
    assert competition.title in listed and other.title not in listed


def test_at_most_five_of_each_the_newest_competitions_first(client, opolskie):
    officer = officer_of(opolskie)
    for n in range(7):
        make_consultation(opolskie, officer=officer, title=f"Konsultacje numer {n}")
        CompetitionFactory(title=f"Konkurs numer {n}", published_at=timezone.now() - (20 - n) * DAY)
    html = page(client, opolskie)
    assert section(html, "consultations-heading").count('class="result"') == 5
    competitions = section(html, "competitions-heading")
    assert competitions.count('class="result"') == 5
    assert "Konkurs numer 6" in competitions and "Konkurs numer 1" not in competitions


def test_an_authority_with_nothing_yet_shows_no_empty_lists(client, gmina_brzeg):
    html = page(client, gmina_brzeg)
    for heading in ("consultations-heading", "competitions-heading", "results-heading", "elections-heading"):
        part = section(html, heading)
        assert "<ul" not in part and "?organ=" not in part and "?authority=" not in part


def test_organisations_seated_here_link_to_the_directory_filtered_for_the_territory(client, gmina_brzeg):
    for n in range(22):
        OrganisationFactory(name=f"Stowarzyszenie z Brzegu {n:02d}")
    html = section(page(client, gmina_brzeg), "organisations-heading")
    assert html.count("<li>") == 20 and 'href="/organizacje/?gmina=1601011"' in html and "22" in html


# --- Officers ---


def test_only_the_officers_who_chose_to_be_named_are_listed_with_their_title(client, gmina_brzeg):
    named = officer_of(gmina_brzeg, is_public=True)
    named.display_name, named.public_title = "Anna Urzędnik", "inspektorka ds. współpracy z NGO"
    named.save()
    officer_of(gmina_brzeg, is_public=False).save()
    gone = officer_of(gmina_brzeg, is_public=True)
    gone.is_active = False
    gone.save()
    html = section(page(client, gmina_brzeg), "contact-heading")
    assert "<li>Anna Urzędnik, inspektorka ds. współpracy z NGO</li>" in html
    assert html.count("<li>") == 1  # neither the one who did not choose it nor the deactivated one
    assert "@" not in html


def test_an_officer_shows_and_hides_their_name_from_the_profile_and_only_their_own(client, gmina_brzeg):
    officer = officer_of(gmina_brzeg)
    membership = officer.authority_memberships.get()
    data.sign_in(client, officer, officer=True)
    url = f"/konto/profil/widocznosc-w-urzedzie/{membership.pk}/"
    assert "pokazuj moje imię i nazwisko na stronie urzędu" in client.get("/konto/profil/").content.decode()
    assert client.post(url, {"is_public": "1"}).status_code == 302
    membership.refresh_from_db()
    assert membership.is_public
    assert str(officer) in section(page(client, gmina_brzeg), "contact-heading")
    entry = AuditEntry.objects.get(action="accounts.authoritymembership_publicity_set")
    assert entry.actor == officer and entry.details == {"is_public": True}
    # Somebody else's membership: not found, unchanged.
    other = officer_of(gmina_brzeg).authority_memberships.get()
    assert client.post(f"/konto/profil/widocznosc-w-urzedzie/{other.pk}/", {"is_public": "1"}).status_code == 404
    other.refresh_from_db()
    assert not other.is_public
    assert client.get(url).status_code == 405
    client.post(url, {"is_public": "0"})
    membership.refresh_from_db()
    assert not membership.is_public


# --- Bounded queries ---

# The authority (with its unit and parent), the units it covers, its public officers, its councils and their
# current members, its latest news, consultations, competitions, results and elections, and the organisations seated
# in it with their count: twelve, whatever their number (eleven for a gmina: it covers no smaller units).
QUERIES = 12


def _grow(authority, n):
    council = CouncilFactory(authority=authority)
    officer = officer_of(authority)
    unit = authority.unit
    seat = (
        unit
        if unit.level == "gmina"
        else TerritorialUnit.objects.filter(teryt__startswith=unit.teryt, level="gmina")[0]
    )
    for i in range(n):
        make_consultation(authority, officer=officer)
        CompetitionFactory(authority=authority)
        CompetitionFactory(
            authority=authority,
            state="results",
            offers_deadline=timezone.now() - 30 * DAY,
            results_published_at=timezone.now() - DAY,
        )
        ElectionFactory(council=council, stage=ElectionState.VOTING)
        _member(council, term_end=date(timezone.localdate().year + 3, 6, 30), name=f"Członek {i}")
        OrganisationFactory(seat=seat)
        officer_of(authority, is_public=True)


@pytest.mark.parametrize(
    ("teryt", "queries"),
    [("16", QUERIES), ("1601011", QUERIES - 1), ("1661", QUERIES)],
    ids=["voivodeship", "gmina", "city"],
)
def test_the_number_of_queries_does_not_grow_with_the_data(
    client, reference_data, django_assert_num_queries, teryt, queries
):
    authority = Authority.objects.select_related("unit").get(unit__teryt=teryt)
    url = authority.get_absolute_url()
    for n in (2, 10):
        _grow(authority, n)
        client.get(url)  # warms the process
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["consultations"]) == min(n, 5)
        assert len(response.context["results"]) == min(n, 5)
        assert len(response.context["elections"]) == min(2 * n, 5)  # voting, and the final ones of the members
        assert len(response.context["officers"]) == (2 if n == 2 else 12)  # _grow adds up
        newest = max(response.context["councils"], key=lambda council: council.pk)
        assert len(newest.current) == n


def test_the_counts_hold_for_a_signed_in_officer_too(client, opolskie, django_assert_num_queries):
    officer = officer_of(opolskie)
    data.sign_in(client, officer, officer=True)
    client.get(opolskie.get_absolute_url())
    with django_assert_num_queries(QUERIES + 5):  # the session, the person, their MFA and memberships
        assert client.get(opolskie.get_absolute_url()).status_code == 200
