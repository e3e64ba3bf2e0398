"""The directory in a real browser: search, facet, profile, registration, verification, invitation."""

import re

from django.core import mail

from ngo_platform.accounts.models import OrganisationMembership
from ngo_platform.organisations import services
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Sphere, TerritorialUnit
from tests.accounts.factories import UserFactory
from tests.browser.helpers import log_in


def test_search_with_an_inflected_query_and_a_facet_then_open_a_profile(page, live_server, assert_accessible):
    culture, sport = Sphere.objects.get(number="16"), Sphere.objects.get(number="17")
    for name, teryt, sphere, form in [
        ("Stowarzyszenie Przyjaciół Ziemi Brzeskiej", "1601011", culture, "stowarzyszenie"),
        ("Stowarzyszenie Kultury Fizycznej Olimp", "1604023", sport, "stowarzyszenie"),
        ("Fundacja Opolska Kultura", "1661011", culture, "fundacja"),  # its legal form is searched too
    ]:
        services.organisation_create(
            actor=None,
            data={
                "name": name,
                "legal_form": form,
                "seat": TerritorialUnit.objects.get(teryt=teryt),
                "spheres": [sphere],
                "description_short": "Działamy w naszej gminie.",
            },
        )
    page.goto("/organizacje/")
    assert_accessible(page)
    page.get_by_label("Nazwa, opis, KRS, NIP lub REGON").fill("stowarzyszeniach")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_url(re.compile(r"q=stowarzyszeniach"))  # the results' page loaded, not merely committed
    results = page.locator(".result h3")
    assert sorted(results.all_inner_texts()) == [
        "Stowarzyszenie Kultury Fizycznej Olimp",
        "Stowarzyszenie Przyjaciół Ziemi Brzeskiej",
    ]
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("brzeski")).click()
    page.wait_for_url(re.compile(r"powiat=1601"))
    assert results.all_inner_texts() == ["Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]
    assert "q=stowarzyszeniach" in page.url and "powiat=1601" in page.url
    assert_accessible(page)
    page.get_by_role("link", name="Stowarzyszenie Przyjaciół Ziemi Brzeskiej").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Stowarzyszenie Przyjaciół Ziemi Brzeskiej"
    assert_accessible(page)


def test_register_verify_and_invite(new_page, live_server, assert_accessible):
    from allauth.mfa.totp.internal.auth import TOTP

    from ngo_platform.accounts.models import AuthorityRole
    from ngo_platform.accounts.services import authority_membership_set
    from ngo_platform.territory.models import Authority

    UserFactory(email="prezes@example.pl")
    officer = UserFactory(email="urzednik@example.pl")
    authority_membership_set(
        actor=None, authority=Authority.objects.get(unit__teryt="1601033"), user=officer, role=AuthorityRole.OFFICER
    )
    TOTP.activate(officer, "JBSWY3DPEHPK3PXP")

    page = new_page()
    log_in(page, "prezes@example.pl")
    page.get_by_role("link", name="Zarejestruj organizację").first.click()
    assert_accessible(page)
    page.get_by_label("Nazwa:", exact=True).fill("Stowarzyszenie Miłośników Ziemi Grodkowskiej")
    page.get_by_label("Numer KRS").fill("98765")
    page.get_by_label("Gmina siedziby").select_option(value=str(TerritorialUnit.objects.get(teryt="1601033").pk))
    page.get_by_label("kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego").check()
    page.get_by_label("Notatka dla weryfikującego").fill("Jestem prezesem zarządu.")
    page.get_by_role("button", name="Wyślij do weryfikacji").click()
    page.wait_for_url(re.compile(r"/organizacje/wniosek/\d+/$"))
    assert_accessible(page)

    officer_page = new_page()
    log_in(officer_page, "urzednik@example.pl", totp_secret="JBSWY3DPEHPK3PXP")
    officer_page.get_by_role("link", name="Weryfikacja organizacji").click()
    assert_accessible(officer_page)
    officer_page.get_by_role("link", name="Stowarzyszenie Miłośników Ziemi Grodkowskiej").click()
    assert_accessible(officer_page)
    officer_page.get_by_role("radio", name=re.compile("Zweryfikuj")).check()
    officer_page.get_by_role("button", name="Zapisz decyzję").click()
    officer_page.wait_for_url(re.compile(r"/organizacje/weryfikacja/$"))
    organisation = Organisation.objects.get(krs="0000098765")
    assert organisation.is_listed

    page.goto("/konto/profil/")
    page.get_by_role("link", name="przedstawiciele").click()
    assert_accessible(page)
    page.get_by_label("Adres e-mail osoby").fill("skarbnik@example.pl")
    page.get_by_role("button", name="Wyślij zaproszenie").click()
    link = re.search(r"https?://[^\s]+(/organizacje/zaproszenie/[^\s/]+/)", mail.outbox[-1].body).group(1)

    UserFactory(email="skarbnik@example.pl")
    invited_page = new_page()
    log_in(invited_page, "skarbnik@example.pl")
    invited_page.goto(link)
    assert_accessible(invited_page)
    invited_page.get_by_role("button", name="Przyjmij zaproszenie").click()
    invited_page.wait_for_url(re.compile(r"/konto/profil/$"))
    assert OrganisationMembership.objects.filter(user__email="skarbnik@example.pl", organisation=organisation).exists()
    assert_accessible(invited_page)
