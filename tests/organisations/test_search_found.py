"""Search finds what people type (issue 13): words naming a legal form match the legal form, names of places the
seat, the rest name, description and spheres; typos are corrected against the index's vocabulary the same way on
SQLite and PostgreSQL (one typo from 5 letters, two from 9, a swap of neighbours counts as one); a query nothing
matches whole shows the best partial matches, labelled, and "Czy chodziło o"; never an empty page without a way on.
The suite runs on both databases (scripts/test.sh), so every test here holds on each."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ngo_platform.organisations.models import LegalForm, Organisation
from ngo_platform.organisations.search import corrected
from ngo_platform.organisations.selectors import DirectoryFilters, directory_queryset, directory_search
from ngo_platform.organisations.services import organisation_create
from ngo_platform.territory.models import Sphere, TerritorialUnit

pytestmark = pytest.mark.django_db

NYSA, OPOLE, BRZEG = "1607053", "1661011", "1601011"


@pytest.fixture
def directory(reference_data):
    def make(name, form, teryt, **data):
        seat = TerritorialUnit.objects.get(teryt=teryt)
        return organisation_create(actor=None, data={"name": name, "legal_form": form, "seat": seat, **data})

    make("Ludowy Klub Orzeł", LegalForm.ASSOCIATION, NYSA, description="Piłka nożna dla dzieci.")
    make("Polonia Nysa", LegalForm.SPORTS_CLUB, NYSA)
    make("Klub Olimp", LegalForm.SPORTS_CLUB, BRZEG)
    make("Fundacja Rozwoju Opolszczyzny", LegalForm.FOUNDATION, OPOLE)
    make("Fundacja Dobrego Słowa", LegalForm.FOUNDATION, BRZEG)
    make("Stowarzyszenie Przyjaciół Książki", LegalForm.ASSOCIATION, BRZEG)
    make("Koło Gospodyń Wiejskich w Lipkach", LegalForm.RURAL_HOUSEWIVES_CIRCLE, BRZEG)


def listed(q: str) -> tuple[list[str], str, str | None]:
    found = directory_search(DirectoryFilters(q=q))
    names = sorted(o.name for o in directory_queryset(found.filters, broad=found.summary["broad"]))
    return names, found.mode, found.suggestion


def test_stowarzyszenie_sportowe_finds_the_sports_associations(directory):
    # An association with no sports word in its name is found by "sportowe" only if it is a sports club: the
    # legal form "klub sportowy" ("stowarzyszenie kultury fizycznej" in KRS) names both words.
    assert listed("stowarzyszenie sportowe") == (["Klub Olimp", "Polonia Nysa"], "", None)


def test_fundacja_opole_finds_the_foundation_seated_in_opole(directory):
    assert listed("fundacja opole") == (["Fundacja Rozwoju Opolszczyzny"], "", None)


def test_klub_sportowy_nysa_finds_the_clubs_of_nysa(directory):
    assert listed("klub sportowy nysa") == (["Polonia Nysa"], "", None)
    assert listed("klub nysa") == (["Ludowy Klub Orzeł", "Polonia Nysa"], "", None)


def test_the_powiat_and_the_spheres_are_searched_too(directory):
    assert listed("fundacja brzeski")[0] == ["Fundacja Dobrego Słowa"]  # the powiat of Brzeg
    organisation = Organisation.objects.get(name="Fundacja Dobrego Słowa")
    organisation.spheres.set(Sphere.objects.filter(number="16"))  # kultura, sztuka, ochrona dóbr kultury…
    from ngo_platform.organisations.search import index_organisations

    index_organisations([organisation])
    assert "Fundacja Dobrego Słowa" in listed("fundacja sztuka")[0]


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("Opolszczyny", "opolszczyzny"),  # a letter dropped
        ("Opolszczyzxny", "opolszczyzny"),  # a letter added
        ("Opolszczuzny", "opolszczyzny"),  # a letter changed
        ("fudnacja opolszczyzny", "fundacja opolszczyzny"),  # neighbours swapped: one typo
        ("Opolszcyzyny", "opolszczyzny"),  # 12 letters: two typos
    ],
)
def test_a_typo_in_a_name_finds_it_and_says_what_it_meant(directory, typed, suggestion):
    assert listed(typed) == (["Fundacja Rozwoju Opolszczyzny"], "corrected", suggestion)


@pytest.mark.parametrize(
    "typed",
    [
        "Orzek",  # 5 letters may have one typo…
        "Polnoia",  # …a swap counts as one
    ],
)
def test_one_typo_from_five_letters(directory, typed):
    names, mode, _suggestion = listed(typed)
    assert mode == "corrected" and len(names) == 1


@pytest.mark.parametrize(
    "typed",
    [
        "Olinp",  # 5 letters: one typo is tolerated, so this one is…
        "Olmp",  # …but 4 letters: none
        "Opolszczzzzzy",  # 13 letters, three typos: more than two
        "Plnoia",  # 6 letters, two typos: more than one
    ],
)
def test_no_more_typos_than_the_length_allows(directory, typed):
    names, mode, suggestion = listed(typed)
    if typed == "Olinp":
        assert (names, mode) == (["Klub Olimp"], "corrected")
    else:
        assert (names, suggestion) == ([], None)


def test_words_the_index_holds_are_not_corrected(directory):
    assert corrected("fundacja rozwoju") is None
    assert corrected("fundacji rozwoju") is None  # another form of a word it holds
    assert corrected("fundacja rozowju") == "fundacja rozwoju"


def test_a_query_no_organisation_matches_whole_shows_partial_matches_labelled(directory):
    names, mode, suggestion = listed("fundacja rozwoju marsjańskiego")
    assert mode == "partial" and suggestion is None
    found = directory_search(DirectoryFilters(q="fundacja rozwoju marsjańskiego"))
    ranked = [o.name for o in directory_queryset(found.filters, broad=False)]
    assert ranked[0] == "Fundacja Rozwoju Opolszczyzny"  # two of the three words before one of them
    assert set(ranked) == {"Fundacja Rozwoju Opolszczyzny", "Fundacja Dobrego Słowa"}


def test_the_directory_page_says_what_it_did_and_offers_a_way_on(client, directory):
    html = client.get("/organizacje/", {"q": "Opolszczyny"}).content.decode()
    assert "Czy chodziło o:" in html and "?q=opolszczyzny" in html and "Fundacja Rozwoju Opolszczyzny" in html
    assert 'value="Opolszczyny"' in html  # the field keeps what was typed
    html = client.get("/organizacje/", {"q": "fundacja rozwoju marsjańskiego"}).content.decode()
    assert "najlepsze częściowe dopasowania" in html and "Fundacja Rozwoju Opolszczyzny" in html
    html = client.get("/organizacje/", {"q": "zzyzzx qqwwq"}).content.decode()
    assert "Nic nie pasuje do „zzyzzx qqwwq”." in html and "Sprawdź pisownię" in html
    assert "Pobierz tę listę" not in html and "/organizacje/eksport." not in html  # no download of nothing
    assert "Pobierz tę listę" in client.get("/organizacje/", {"q": "Opolszczyzny", "v": "1"}).content.decode()
    html = client.get("/organizacje/", {"q": "zzyzzx", "forma": "fundacja"}).content.decode()
    assert "Szukaj bez filtrów" in html


def test_the_typo_path_costs_the_same_number_of_queries_whatever_the_data(client, directory):
    visits = iter(range(1000))  # a new address each time: anonymous pages are cached

    def queries(q):
        cache.clear()  # as cold as after a write: nothing of the search kept (the test never commits one)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/organizacje/", {"q": q, "n": next(visits)}).status_code == 200
        return len(captured)

    queries("rozgrzewka")  # the lemmatiser and the vocabulary loaded
    few = queries("Opolszczyny")
    for n in range(30):
        organisation_create(
            actor=None,
            data={"name": f"Fundacja Opolszczyzny nr {n}", "seat": TerritorialUnit.objects.get(teryt=OPOLE)},
        )
    queries("rozgrzewka")
    assert queries("Opolszczyny") == few
