"""A council election in a real browser: nominate, consent, verify, vote by keyboard only, check the
receipt after the results. Every page visited is checked with axe-core."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone

from tests.browser.helpers import log_in

SECRET = "JBSWY3DPEHPK3PXP"


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached by the keyboard")


def test_nominate_consent_verify_vote_by_keyboard_and_check_the_receipt(new_page, live_server, assert_accessible):
    from allauth.mfa.totp.internal.auth import TOTP

    from ngo_platform.elections.models import Ballot, ElectionState
    from ngo_platform.territory.models import Authority
    from tests.accounts.factories import PASSWORD
    from tests.elections.factories import ElectionFactory, eligible_organisation, officer, representative

    opolskie = Authority.objects.get(unit__teryt="16")
    election = ElectionFactory(stage=ElectionState.NOMINATIONS, seats=1, title="Wybory do Rady Pożytku")
    organisation = eligible_organisation(name="Stowarzyszenie Głosujące")
    voter = representative(organisation, email="przedstawiciel@example.pl")
    clerk = officer(opolskie)
    TOTP.activate(clerk, SECRET)

    ngo = new_page()
    log_in(ngo, voter.email, PASSWORD)
    ngo.goto(election.get_absolute_url())
    assert_accessible(ngo)
    ngo.get_by_role("link", name="Zgłoś kandydata").click()
    assert_accessible(ngo)
    ngo.get_by_role("button", name="Zgłoś", exact=True).click()
    assert ngo.locator(".error-summary").is_visible()
    assert_accessible(ngo)
    ngo.get_by_label("Imię i nazwisko kandydata").fill("Ewa Lis")
    ngo.get_by_label("Adres e-mail kandydata").fill("ewa.lis@example.pl")
    ngo.get_by_label("Kwalifikacje i doświadczenie").fill("Dwadzieścia lat w organizacjach seniorów.")
    ngo.get_by_role("button", name="Zgłoś", exact=True).click()
    assert ngo.get_by_text("czeka na zgodę kandydata").is_visible()
    assert_accessible(ngo)

    link = re.search(r"https?://[^\s]+/wybory/zgoda/[^\s]+/", mail.outbox[-1].body).group(0)
    candidate_page = new_page()
    candidate_page.goto(urlsplit(link).path)
    assert_accessible(candidate_page)
    candidate_page.get_by_label(re.compile("Wyrażam zgodę")).check()
    candidate_page.get_by_role("button", name="Wyślij odpowiedź").click()
    assert candidate_page.get_by_text("zgoda wyrażona, czeka na weryfikację").is_visible()
    assert_accessible(candidate_page)

    now = timezone.now()
    election.nominations_start, election.nominations_end = now - timedelta(days=2), now - timedelta(seconds=1)
    election.save()
    committee = new_page()
    log_in(committee, clerk.email, PASSWORD, totp_secret=SECRET)
    committee.goto(f"/wybory/{election.slug}/komisja/")
    assert_accessible(committee)
    # A person from outside the authority is named to the committee; an unknown address is explained at the field.
    committee.get_by_label("Adres e-mail konta tej osoby na platformie").fill("nikt@example.pl")
    committee.get_by_role("button", name="Powołaj do komisji").click()
    committee.wait_for_selector("text=Nie ma aktywnego konta z tym adresem e-mail")
    assert_accessible(committee)
    from tests.accounts.factories import UserFactory

    committee.get_by_label("Adres e-mail konta tej osoby na platformie").fill(
        UserFactory(email="delegatka@example.pl").email
    )
    committee.get_by_role("button", name="Powołaj do komisji").click()
    committee.wait_for_selector("text=powołano do komisji")
    assert_accessible(committee)
    committee.get_by_role("link", name="Ewa Lis").click()
    assert_accessible(committee)
    committee.get_by_label(re.compile("Zweryfikuj")).check()
    committee.get_by_role("button", name="Zapisz decyzję").click()
    committee.get_by_role("button", name=re.compile("lista kandydatów opublikowana")).click()
    committee.wait_for_selector("text=nie można jej wycofać")  # the page that asks first
    assert_accessible(committee)
    committee.locator("form:has(input[name=confirmed]) button[type=submit]").click()
    assert committee.get_by_text("Wybory przeszły do etapu").is_visible()
    assert_accessible(committee)

    election.refresh_from_db()
    election.voting_start = timezone.now() - timedelta(seconds=1)
    election.save()
    ngo.goto(f"/wybory/{election.slug}/glosuj/")
    assert_accessible(ngo)
    tab_to(ngo, "input[type=radio][name=candidates]")
    ngo.keyboard.press("Space")
    tab_to(ngo, "button[type=submit].button")
    ngo.keyboard.press("Enter")
    ngo.wait_for_selector("text=Potwierdź swój głos")
    assert_accessible(ngo)
    tab_to(ngo, "button[type=submit].button")
    ngo.keyboard.press("Enter")
    ngo.wait_for_selector("text=Głos został oddany")
    assert_accessible(ngo)
    ballot = Ballot.objects.get()
    assert ballot.organisation == organisation and ngo.get_by_text(ballot.receipt).first.is_visible()

    election.refresh_from_db()
    election.voting_end = timezone.now() - timedelta(seconds=1)
    election.save()
    committee.goto(f"/wybory/{election.slug}/komisja/")
    committee.get_by_role("button", name=re.compile("wyniki ogłoszone")).click()
    committee.locator("form:has(input[name=confirmed]) button[type=submit]").click()
    assert committee.get_by_text("Wybory przeszły do etapu").is_visible()

    ngo.goto(f"/wybory/{election.slug}/pokwitowanie/")
    assert_accessible(ngo)
    ngo.get_by_label("Kod pokwitowania").fill(ballot.receipt)
    ngo.get_by_role("button", name="Sprawdź").click()
    assert ngo.get_by_text("została policzona").is_visible()
    assert_accessible(ngo)
    ngo.goto(election.get_absolute_url())
    assert ngo.get_by_text("Frekwencja: 1 z").is_visible()
    assert_accessible(ngo)
