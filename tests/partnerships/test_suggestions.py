"""Suggestions of partners on constructed cases: each reason (spheres, territory ranks, text, history, the other
kind) ranks what it should, says so, and nothing suggests its subject, its own organisation or an archived
announcement. Brzeg (1601011) and Skarbimierz (1601022) are gminas of the powiat brzeski (1601), Baborów
(1602013) is in the powiat głubczycki: the same voivodeship only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ngo_platform.competitions.models import Offer, OfferPartner
from ngo_platform.partnerships import selectors, suggestions
from ngo_platform.partnerships.models import Announcement
from tests.competitions.factories import CompetitionFactory, complete_offer, member
from tests.partnerships.factories import announcement, organisation, sphere

pytestmark = pytest.mark.django_db

BRZEG, SKARBIMIERZ, BABOROW = "1601011", "1601022", "1602013"


def _subject(made: Announcement):
    return suggestions.of_announcement(selectors.announcement_page(made.pk))


def _names(found):
    return [suggestion.item.name for suggestion in found]


def _reasons(found, name):
    return next(suggestion.reasons for suggestion in found if suggestion.item.name == name)


@pytest.fixture
def author(reference_data):
    return organisation(name="Fundacja Autorska", spheres=["16"], seat=BRZEG)


def test_shared_spheres_rank_and_say_which(author):
    two = organisation(name="Dwie sfery", spheres=["16", "17"], seat=BABOROW)
    one = organisation(name="Jedna sfera", spheres=["17"], seat=BABOROW)
    organisation(name="Obca sfera", spheres=["18"], seat=BABOROW)
    made = announcement(organisation=author, spheres=["16", "17"], territory=[BRZEG])

    found = suggestions.suggest_organisations(_subject(made))

    assert _names(found) == [two.name, one.name]  # the other sphere's organisation is not suggested
    assert any(reason.startswith("wspólne sfery: kultury, sztuki") for reason in _reasons(found, two.name))
    assert found[0].score > found[1].score


def test_territory_ranks_the_same_gmina_above_the_powiat_above_the_voivodeship(author):
    voivodeship = organisation(name="A Województwo", spheres=["16"], seat=BABOROW)
    powiat = organisation(name="B Powiat", spheres=["16"], seat=SKARBIMIERZ)
    gmina = organisation(name="C Gmina", spheres=["16"], seat=BRZEG)
    made = announcement(organisation=author, spheres=["16"], territory=[BRZEG])

    found = suggestions.suggest_organisations(_subject(made))

    assert _names(found) == [gmina.name, powiat.name, voivodeship.name]  # names alone would give the reverse
    assert "ta sama gmina" in _reasons(found, gmina.name)
    assert "ten sam powiat" in _reasons(found, powiat.name)
    assert "to samo województwo" in _reasons(found, voivodeship.name)


def test_a_powiat_wide_announcement_ranks_the_powiat_above_the_voivodeship(author):
    """Its territory is a powiat, no gmina (the near candidates' read once failed on PostgreSQL for it)."""
    voivodeship = organisation(name="A Województwo", spheres=["16"], seat=BABOROW)
    powiat = organisation(name="B Powiat", spheres=["16"], seat=SKARBIMIERZ)
    made = announcement(organisation=author, spheres=["16"], territory=[BRZEG[:4]])

    found = suggestions.suggest_organisations(_subject(made))

    assert _names(found) == [powiat.name, voivodeship.name]
    assert "ten sam powiat" in _reasons(found, powiat.name)


def test_areas_of_activity_count_as_territory(author):
    active_here = organisation(name="Działa w Brzegu", spheres=["16"], seat=BABOROW, areas=[BRZEG])
    organisation(name="A Tylko Baborów", spheres=["16"], seat=BABOROW)
    made = announcement(organisation=author, spheres=["16"], territory=[BRZEG])

    found = suggestions.suggest_organisations(_subject(made))

    assert found[0].item == active_here
    assert "ta sama gmina" in found[0].reasons


def test_territory_alone_suggests_no_one(author):
    organisation(name="Sąsiad bez wspólnej sfery", spheres=["18"], seat=BRZEG)
    made = announcement(organisation=author, spheres=["16"], territory=[BRZEG])

    assert suggestions.suggest_organisations(_subject(made)) == []


def test_words_of_the_text_in_inflected_forms_rank_and_are_named(author):
    others = [
        organisation(name=f"Klub nr {n}", spheres=["16"], seat=BABOROW, description="Zajęcia sportowe.")
        for n in range(6)
    ]
    seniors = organisation(
        name="Uniwersytet Trzeciego Wieku", spheres=["16"], seat=BABOROW, description="Warsztaty cyfrowe dla seniorek."
    )
    made = announcement(
        organisation=author,
        spheres=["16"],
        title="Cyfrowy senior",
        description="Warsztatów cyfrowych szukamy dla seniorów.",
    )

    found = suggestions.suggest_organisations(_subject(made))

    assert found[0].item == seniors
    words = next(reason for reason in found[0].reasons if reason.startswith("podobne słowa"))
    assert "cyfrowy" in words and "warsztat" in words
    assert all(not reason.startswith("podobne słowa") for s in found[1:] for reason in s.reasons)
    assert {s.item for s in found[1:]} == set(others)


def test_a_name_matching_the_theme_is_found_without_a_shared_sphere(author):
    named = organisation(name="Stowarzyszenie Seniorzy Cyfrowi", spheres=["18"], seat=BABOROW)
    made = announcement(organisation=author, spheres=["16"], title="Seniorzy w sieci")

    found = suggestions.suggest_organisations(_subject(made))

    assert _names(found) == [named.name]
    assert _reasons(found, named.name) == ["podobne słowa: senior"]  # the announcement names no territory


def test_a_word_every_candidate_has_is_not_a_reason(author):
    for n in range(8):
        organisation(name=f"Kultura nr {n}", spheres=["16"], seat=BABOROW, description="Festiwal muzyki.")
    made = announcement(organisation=author, spheres=["16"], title="Festiwal", description="Festiwal muzyki.")

    found = suggestions.suggest_organisations(_subject(made))

    assert len(found) == 8
    assert all(not reason.startswith("podobne słowa") for s in found for reason in s.reasons)


def test_history_grants_offers_and_joint_offers_in_the_sphere(author):
    culture = CompetitionFactory(sphere=sphere("16"))
    sport = CompetitionFactory(sphere=sphere("17"))
    funded = organisation(name="D Dotowana", spheres=["16"], seat=BABOROW)
    offered = organisation(name="C Oferowała", spheres=["16"], seat=BABOROW)
    elsewhere = organisation(name="B W innej sferze", spheres=["16"], seat=BABOROW)
    partner = organisation(name="A Wspólna oferta", spheres=["16"], seat=BABOROW)
    Offer.objects.filter(pk=complete_offer(culture, funded).pk).update(state="funded")
    Offer.objects.filter(pk=complete_offer(culture, offered).pk).update(state="submitted")
    Offer.objects.filter(pk=complete_offer(sport, elsewhere).pk).update(state="funded")
    complete_offer(culture, organisation(name="Szkic", spheres=["18"]))  # a draft is no history
    joint = complete_offer(culture, author)
    Offer.objects.filter(pk=joint.pk).update(state="submitted")
    OfferPartner.objects.create(offer=joint, organisation=partner, invited_by=member(author))
    made = announcement(organisation=author, spheres=["16"], territory=[BABOROW])

    found = suggestions.suggest_organisations(_subject(made))

    assert _names(found) == [partner.name, funded.name, offered.name, elsewhere.name]
    assert "wcześniejsza wspólna oferta z wami" in _reasons(found, partner.name)
    assert "realizowała zadania publiczne w sferze: kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego" in (
        _reasons(found, funded.name)
    )
    assert any(reason.startswith("składała oferty w sferze") for reason in _reasons(found, offered.name))
    assert not any("sferze" in reason for reason in _reasons(found, elsewhere.name))  # sport is not the subject's


def test_an_earlier_partner_is_suggested_even_without_a_shared_sphere(author):
    partner = organisation(name="Partner z innej bajki", spheres=["18"], seat=BABOROW)
    joint = complete_offer(CompetitionFactory(sphere=sphere("18")), partner)
    Offer.objects.filter(pk=joint.pk).update(state="funded")
    OfferPartner.objects.create(offer=joint, organisation=author, invited_by=member(partner))
    made = announcement(organisation=author, spheres=["16"])

    found = suggestions.suggest_organisations(_subject(made))

    assert _names(found) == [partner.name]


def test_never_the_organisation_itself_nor_an_inactive_or_unlisted_one(author):
    organisation(name="Zawieszona", spheres=["16"], status="suspended")
    organisation(name="Niewidoczna", spheres=["16"], is_listed=False)
    made = announcement(organisation=author, spheres=["16"], title="Fundacja Autorska szuka", territory=[BRZEG])

    found = suggestions.suggest_organisations(_subject(made))
    own = suggestions.suggest_organisations(suggestions.of_organisation(author))

    assert found == [] and own == []


def test_announcements_by_spheres_kind_and_territory_never_own_or_archived(author):
    other = organisation(name="Inna", spheres=["16"], seat=BABOROW)
    offering = announcement(
        organisation=other, kind="offering", spheres=["16"], territory=[SKARBIMIERZ], title="Oferujemy salę"
    )
    seeking = announcement(organisation=other, kind="seeking", spheres=["16"], territory=[BABOROW], title="Też szukamy")
    announcement(organisation=other, spheres=["16"], state="archived", title="Zarchiwizowane")
    announcement(organisation=other, spheres=["16"], state="draft", title="Szkic")
    expired = announcement(organisation=other, spheres=["16"], title="Po terminie")
    Announcement.objects.filter(pk=expired.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    announcement(organisation=author, spheres=["16"], title="Nasze drugie")
    made = announcement(organisation=author, spheres=["16"], territory=[BRZEG])

    found = suggestions.suggest_announcements(_subject(made))

    assert [s.item for s in found] == [offering, seeking]
    assert "oferują współpracę" in found[0].reasons and "ten sam powiat" in found[0].reasons
    assert "to samo województwo" in found[1].reasons


def test_an_authoritys_announcement_suggests_organisations_and_not_its_own(opolskie, author):
    organisation(name="Kultura", spheres=["16"], seat=BRZEG)
    announcement(authority=opolskie, spheres=["16"], title="Drugie województwa")
    made = announcement(authority=opolskie, spheres=["16"], territory=["16"])

    assert _names(suggestions.suggest_organisations(_subject(made))) == ["Fundacja Autorska", "Kultura"]
    assert suggestions.suggest_announcements(_subject(made)) == []


def test_an_organisations_profile_gets_announcements_and_organisations(author):
    other = organisation(name="Sąsiedzi", spheres=["16"], seat=SKARBIMIERZ)
    theirs = announcement(organisation=other, spheres=["16"], territory=[BRZEG])
    announcement(organisation=author, spheres=["16"])

    subject = suggestions.of_organisation(author)

    assert [s.item for s in suggestions.suggest_announcements(subject)] == [theirs]
    assert "ta sama gmina" in suggestions.suggest_announcements(subject)[0].reasons
    assert _names(suggestions.suggest_organisations(subject)) == [other.name]


def test_place_level_compares_teryt_codes_of_any_level():
    assert suggestions.place_level({BRZEG}, {BRZEG}) == 3
    assert suggestions.place_level({BRZEG}, {SKARBIMIERZ}) == 2
    assert suggestions.place_level({"1601"}, {SKARBIMIERZ}) == 2
    assert suggestions.place_level({"16"}, {BRZEG}) == 1
    assert suggestions.place_level({BRZEG}, {BABOROW}) == 1
    assert suggestions.place_level({BRZEG}, {"1201011"}) == 0
    assert suggestions.place_level(set(), {BRZEG}) == 0


def test_queries_do_not_grow_with_the_candidates(author):
    def measured():
        made = selectors.announcement_page(Announcement.objects.latest("pk").pk)
        subject = suggestions.of_announcement(made)
        with CaptureQueriesContext(connection) as queries:
            suggestions.suggest(subject)
        return len(queries)

    other = organisation(name="Pierwsza", spheres=["16"])
    announcement(organisation=other, spheres=["16"], territory=[BRZEG])
    announcement(organisation=author, spheres=["16"], territory=[BRZEG], title="Seniorzy")
    few = measured()
    for n in range(12):
        more = organisation(name=f"Seniorzy nr {n}", spheres=["16"], areas=[BRZEG])
        announcement(organisation=more, spheres=["16"], territory=[BABOROW], title="Seniorzy też")
    announcement(organisation=author, spheres=["16"], territory=[BRZEG], title="Seniorzy")

    assert (few, measured()) == (16, 16)  # the earlier partners once; near: the units, the seated, their spheres
