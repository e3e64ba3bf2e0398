"""Institutions of the directory (a school, a library, a company): registered with their type instead of a legal
form, found by it, suggested as partners and able to announce, but never an applicant or a partner of an offer
(art. 3 ust. 2 and 3 UDPP: only NGOs and the entities named there)."""

import pytest
from django.utils import timezone

from ngo_platform.competitions import services as competitions
from ngo_platform.competitions.services import CompetitionError
from ngo_platform.organisations.forms import OrganisationRegistrationForm
from ngo_platform.organisations.models import Organisation
from ngo_platform.organisations.search import apply_search
from ngo_platform.partnerships import selectors, suggestions
from tests.competitions.factories import CompetitionFactory, complete_offer, member
from tests.partnerships.factories import announcement, organisation

pytestmark = pytest.mark.django_db


def _form(**changes):
    data = {
        "register": "inny",
        "name": "Szkoła Podstawowa nr 3 w Brzegu",
        "legal_form": "",
        "institution_type": "school",
        "seat": Organisation._meta.get_field("seat").related_model.objects.get(teryt="1601011").pk,
        "registry_number": "RSPO 123456",
        "registry_authority": "Rejestr Szkół i Placówek Oświatowych",
        "note": "Jestem dyrektorką.",
        **changes,
    }
    return OrganisationRegistrationForm(data=data)


def test_an_institution_registers_with_its_type_and_an_ngo_still_needs_its_legal_form(reference_data):
    school = _form()
    assert school.is_valid(), school.errors
    assert school.cleaned_data["institution_type"] == "school" and school.cleaned_data["legal_form"] == ""
    ngo = _form(institution_type="")
    assert not ngo.is_valid()
    assert ngo.errors["legal_form"] == [
        "Wybierz formę prawną (dla instytucji, która nie jest organizacją pozarządową: jej rodzaj)."
    ]
    assert _form(institution_type="", legal_form="fundacja").is_valid()


def test_an_institution_is_found_by_its_type_and_suggested_as_a_partner(reference_data):
    library = organisation(name="Miejska Biblioteka w Brzegu", spheres=["16"], institution_type="library",
                           legal_form="")  # fmt: skip
    author = organisation(name="Fundacja Czytania", spheres=["16"])
    assert list(apply_search(Organisation.objects.all(), "biblioteka")) == [library]
    made = announcement(organisation=author, spheres=["16"], territory=["1601011"])
    found = suggestions.suggest_organisations(suggestions.of_announcement(selectors.announcement_page(made.pk)))
    assert [s.item for s in found] == [library]
    assert announcement(organisation=library, spheres=["16"]).organisation == library  # it announces, too


def test_an_institution_is_neither_an_applicant_nor_a_partner_of_an_offer(reference_data):
    company = organisation(name="Drukarnia Sp. z o.o.", spheres=["16"], institution_type="company", legal_form="",
                           verified_at=timezone.now())  # fmt: skip
    competition = CompetitionFactory()
    with pytest.raises(CompetitionError, match="instytucją katalogu"):
        competitions.offer_start(actor=member(company), competition=competition, organisation=company)
    offer = complete_offer(competition)
    with pytest.raises(CompetitionError, match="instytucją katalogu"):
        competitions.offer_partner_add(actor=offer.creator, offer=offer, organisation=company, scope="", cost_share=0)
