"""Search of organisations: the same cases on SQLite (FTS5) and PostgreSQL (full-text + pg_trgm).

Organisations are created through the services, so the index is written the way production writes it.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.pl import regon

from ngo_platform.core import lemmatiser
from ngo_platform.organisations.models import Organisation, SearchEntry
from ngo_platform.organisations.search import apply_search, identifier_candidates, index_organisations
from ngo_platform.organisations.selectors import DirectoryFilters, directory_queryset, directory_search
from ngo_platform.organisations.services import organisation_create, organisation_update
from ngo_platform.territory.models import TerritorialUnit
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NIP = "5260250995"
REGON_9 = "12345678" + regon.calc_check_digit("12345678")
REGON_14 = REGON_9 + "1234" + regon.calc_check_digit(REGON_9 + "1234")
KRS = "0000123456"


@pytest.fixture
def seat(reference_data):
    return TerritorialUnit.objects.get(teryt="1601011")


@pytest.fixture
def create(seat):
    def create(name, **data):
        return organisation_create(actor=None, data={"name": name, "seat": seat, **data})

    return create


def search(q, queryset=None):
    return list(apply_search(Organisation.objects.all() if queryset is None else queryset, q))


def names(q, queryset=None):
    return [organisation.name for organisation in search(q, queryset)]


# The lemmatiser ---------------------------------------------------------------------------------


def test_tokens_keep_words_and_digits():
    assert lemmatiser.tokens("OSP w Brzegu-Dolnym, nr 12!") == ["OSP", "w", "Brzegu", "Dolnym", "nr", "12"]


def test_terms_are_folded_lemmas_then_differing_surface_forms():
    assert lemmatiser.terms("Związków Kultury, kultura") == ["zwiazek", "zwiazkow", "kultura", "kultury"]
    assert lemmatiser.terms("Stowarzyszenie 2024") == ["stowarzyszenie", "2024"]


def test_query_terms_drop_one_letter_words_and_are_capped():
    assert lemmatiser.query_terms("pomoc w gminach") == ["pomoc", "gmina", "gminach"]
    assert len(lemmatiser.query_terms(" ".join(f"slowo{n}" for n in range(20)))) <= lemmatiser.MAX_QUERY_TERMS
    assert lemmatiser.query_terms("  - * ") == []


# Polish inflection ------------------------------------------------------------------------------


def test_inflected_query_finds_the_name(create):
    create("Stowarzyszenie Przyjaciół Ziemi Brzeskiej")
    create("Fundacja Rozwoju Wsi", legal_form="fundacja")
    assert names("stowarzyszeniach") == ["Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]
    assert names("przyjaciół ziemi brzeskiej") == ["Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Fundacja Rozwoju Gmina Lubsza", "gminach"),
        ("Fundacja Pomocy Gminach Powiatu", "gmina"),
    ],
)
def test_gmina_and_gminach_find_each_other(create, text, query):
    create(text)
    create("Klub Sportowy Orzeł")
    assert names(query) == [text]


@pytest.mark.parametrize(
    ("description", "query"),
    [
        ("Wspieramy kulturę ludową i rękodzieło.", "kulturze"),
        ("Wspieramy kulturę ludową i rękodzieło.", "kultura"),
        ("Działamy na rzecz dostępu do wydarzeń w kulturze.", "kultura"),
        ("Działamy na rzecz dostępu do wydarzeń w kulturze.", "kultury"),
    ],
)
def test_inflected_query_finds_the_description(create, description, query):
    create("Fundacja Dobry Start", description=description)
    create("Klub Sportowy Orzeł", description="Piłka nożna dla dzieci.")
    assert names(query) == ["Fundacja Dobry Start"]


def test_query_without_diacritics(create):
    create("Związek Harcerstwa Polskiego", short_name="ZHP")
    create("Okręg Związków Sportowych")
    create("Fundacja Rozwoju Wsi")
    assert set(names("zwiazek")) == {"Związek Harcerstwa Polskiego", "Okręg Związków Sportowych"}
    assert names("zwiazek harcerstwa") == ["Związek Harcerstwa Polskiego"]
    assert names("ZWIĄZKU HARCERSTWA") == ["Związek Harcerstwa Polskiego"]
    assert names("zwiazkow") == ["Okręg Związków Sportowych"]  # the surface form, typed without diacritics
    assert names("zhp") == ["Związek Harcerstwa Polskiego"]  # the short name


def test_every_word_must_match(create):
    create("Fundacja Kultura i Sport")
    create("Fundacja Kultura Razem")
    assert names("kultura sport") == ["Fundacja Kultura i Sport"]


def test_last_word_matches_as_a_prefix(create):
    create("Stowarzyszenie Przyjaciół Ziemi Brzeskiej")
    assert names("stowarzysz") == ["Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]
    assert names("przyjaciół zie") == ["Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]


def directory_names(q):
    """What the directory lists for `q`: typos corrected first (`selectors.directory_search`)."""
    found = directory_search(DirectoryFilters(q=q))
    return [o.name for o in directory_queryset(found.filters, broad=found.summary["broad"])]


def test_typo_in_the_name(create):
    create("Caritas Diecezji Opolskiej")
    create("Fundacja Rozwoju Wsi")
    assert names("Caritsa") == []  # apply_search matches as typed
    assert directory_names("Caritsa") == ["Caritas Diecezji Opolskiej"]  # a transposition: one typo


def test_typo_in_one_word_keeps_the_other_words_whole(create):
    create("Fundacja Kultury Ziemi Nyskiej")
    create("Fundacja Kulturystyki Siłowej")  # shares only the first letters of the correct word
    create("Stowarzyszenie Kultury Ludowej")
    # "kultury" is in the index: kept whole; only "fundajca" is corrected (to "fundacja").
    assert directory_names("kultury fundajca") == ["Fundacja Kultury Ziemi Nyskiej"]


def test_name_match_ranks_above_description_match(create):
    create(
        "Fundacja Nowa Przestrzeń",
        description_short="Kultura w każdej wsi.",
        description="Wspieramy kulturę, bo kultura łączy. Kultury nigdy dość: festiwale kultury ludowej.",
    )
    create("Fundacja Kultura Razem", description="Festiwale i koncerty.")
    create("Ośrodek Kultury w Brzegu")
    results = search("kultura")
    assert {o.name for o in results[:2]} == {"Fundacja Kultura Razem", "Ośrodek Kultury w Brzegu"}
    assert results[2].name == "Fundacja Nowa Przestrzeń"  # mentions "kultura" five times, but not in its name
    assert results[1].search_rank > results[2].search_rank


# Identifiers ------------------------------------------------------------------------------------


@pytest.fixture
def with_identifiers(create):
    create("Fundacja Rozwoju Wsi")
    return create("Stowarzyszenie Liczb", krs=KRS, nip=NIP, regon=REGON_14), create("Klub Cyfr", regon=REGON_9)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("5260250995", "Stowarzyszenie Liczb"),
        ("526-025-09-95", "Stowarzyszenie Liczb"),
        ("526 025 09 95", "Stowarzyszenie Liczb"),
        ("NIP: 526-025-09-95", "Stowarzyszenie Liczb"),
        (KRS, "Stowarzyszenie Liczb"),
        ("123456", "Stowarzyszenie Liczb"),
        ("KRS 123456", "Stowarzyszenie Liczb"),
        (REGON_14, "Stowarzyszenie Liczb"),
        (f"{REGON_14[:9]}-{REGON_14[9:]}", "Stowarzyszenie Liczb"),
        (REGON_9, "Klub Cyfr"),
        (f"{REGON_9[:3]}-{REGON_9[3:6]}-{REGON_9[6:]}", "Klub Cyfr"),
    ],
)
def test_identifiers(with_identifiers, q, expected):
    assert names(q) == [expected]


def test_unknown_identifier_finds_nothing(with_identifiers):
    assert names("0000999999") == []
    assert names("999999999") == []


def test_identifier_candidates():
    assert identifier_candidates("526-025-09-95") == ["5260250995"]
    assert identifier_candidates("123456") == ["0000123456"]
    assert identifier_candidates("123456789") == ["123456789", "0123456789"]
    assert identifier_candidates("2024") is None  # a year, not an identifier: full-text
    assert identifier_candidates("kultura 2024") is None


def test_short_number_is_a_word(create):
    create("Festiwal Kultury 2024")
    assert names("festiwal 2024") == ["Festiwal Kultury 2024"]
    assert names("2024") == ["Festiwal Kultury 2024"]


# Keeping the index current ----------------------------------------------------------------------


def test_update_reindexes(create):
    organisation = create("Stowarzyszenie Przyjaciół Ziemi Brzeskiej")
    platform_admin = UserFactory(is_staff=True)
    organisation_update(actor=platform_admin, organisation=organisation, data={"name": "Fundacja Ochrony Przyrody"})
    assert names("przyjaciół ziemi brzeskiej") == []
    assert names("przyroda") == ["Fundacja Ochrony Przyrody"]
    assert SearchEntry.objects.count() == 1


def test_delete_removes_from_the_index(create):
    create("Caritas Diecezji Opolskiej").delete()
    assert names("caritas") == []
    assert names("caritsa") == []


def test_index_many_at_once_and_again(reference_data, django_assert_num_queries):
    organisations = OrganisationFactory.create_batch(30, description="Wspieramy kulturę.")
    with django_assert_num_queries(4):  # the seats, the spheres, the entries' upsert, the vocabulary
        index_organisations(organisations)
    with django_assert_num_queries(4):
        index_organisations(organisations)  # an upsert: the same rows again
    assert SearchEntry.objects.count() == 30
    assert len(search("kulturze")) == 30


# Robustness and composition ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"kultura',
        "kultura*",
        "*",
        ":",
        "kultura:*",
        "a:b",
        "&",
        "kultura & sport",
        "(",
        "(kultura",
        "'",
        "kultur'a",
        "kultura OR",
        "NEAR(kultura",
        "AND",
        "-kultura",
        "!kultura",
        "\\",
        "||",
        "^kultura",
        "{name_terms}: kultura",
        "kultura <-> sport",
        "%",
        "%s",
        "żółć",
        "½",
        "𝔨𝔲𝔩𝔱𝔲𝔯𝔞",
        "x" * 500,
    ],
)
def test_special_characters_do_not_crash(create, q):
    create("Fundacja Kultura Razem")
    search(q)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60) | st.text(alphabet=" \"*:&|!()'^-+<>{}[]\\%NEARORAND0123456789kultra", max_size=30))
def test_any_text_is_a_valid_query(create_once, q):
    for organisation in apply_search(Organisation.objects.all(), q)[:5]:
        assert organisation.search_rank is not None


@pytest.fixture
def create_once(create):
    create("Fundacja Kultura Razem", description="Wspieramy kulturę ludową.")


@pytest.mark.parametrize("q", ["", "   ", "-", "w z i", None])
def test_query_without_words_leaves_the_queryset_alone(create, q):
    create("Zespół Szkół")
    create("Akademia Ruchu")
    assert names(q) == ["Akademia Ruchu", "Zespół Szkół"]


def test_queryset_stays_composable(create):
    create("Fundacja Kultura Razem", city="Brzeg")
    create("Ośrodek Kultury", city="Opole")
    create("Klub Sportowy Orzeł", city="Brzeg")
    found = apply_search(Organisation.objects.all(), "kultura")
    assert found.count() == 2
    assert [o.name for o in found.filter(city="Brzeg")] == ["Fundacja Kultura Razem"]
    assert set(found.values_list("name", flat=True)[:2]) == {"Fundacja Kultura Razem", "Ośrodek Kultury"}
    # As a subquery (its join gets another alias there).
    assert Organisation.objects.filter(pk__in=found.values("pk")).count() == 2
    # Searching an already filtered queryset.
    assert names("kultura", Organisation.objects.filter(city="Opole")) == ["Ośrodek Kultury"]


def test_number_of_queries_is_constant(create, django_assert_max_num_queries):
    for n in range(25):
        create(f"Fundacja Kultura nr {n}", description="Wspieramy kulturę.")
    with django_assert_max_num_queries(1):  # one query, whatever the words
        assert len(list(apply_search(Organisation.objects.all(), "kultura")[:20])) == 20
    with django_assert_max_num_queries(1):
        assert len(list(apply_search(Organisation.objects.all(), "kultrua")[:20])) == 0  # a typo: corrected before
    with django_assert_max_num_queries(1):
        assert len(list(apply_search(Organisation.objects.all(), "fundacja kultur")[:20])) == 20  # half typed
