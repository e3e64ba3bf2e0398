"""Annulling a competition in a real browser (art. 18a UDPP): the officer chooses the ground, a wrong
ground or a missing confirmation is explained next to the field, and the annulment is published on the
competition's page; axe-core on every state, nothing from another origin."""

from tests.browser.helpers import log_in, only_own_origin

TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def test_officer_annuls_a_competition_without_offers(new_page, live_server, assert_accessible):
    from datetime import timedelta

    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from ngo_platform.competitions.models import Competition, CompetitionState
    from tests.accounts.factories import PASSWORD
    from tests.competitions.evaluation import submitted_offers
    from tests.competitions.factories import CompetitionFactory, officer

    competition = CompetitionFactory(title="Konkurs bez ofert 2026")
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=timezone.now() - timedelta(hours=1))
    other = CompetitionFactory(title="Konkurs z ofertą 2026", authority=competition.authority)
    submitted_offers(other, 1)
    clerk = officer(competition.authority)
    TOTP.activate(clerk, TOTP_SECRET)

    page = new_page()
    log_in(page, clerk.email, PASSWORD, totp_secret=TOTP_SECRET)
    # A competition with an offer: "no offer submitted" is refused next to the ground.
    page.goto(f"/konkursy/{other.slug}/uniewaznij/")
    assert_accessible(page)
    page.get_by_label("nie złożono żadnej oferty").check()
    page.get_by_label("Powód").fill("Brak ofert.")
    page.get_by_label("Rozumiem, że unieważnienia nie można cofnąć.").check()
    page.get_by_role("button", name="Unieważnij konkurs").press("Enter")
    page.wait_for_selector("text=ta podstawa nie ma zastosowania")
    assert_accessible(page)
    assert Competition.objects.get(pk=other.pk).state != CompetitionState.ANNULLED

    page.goto(competition.get_absolute_url())
    page.get_by_role("link", name="Unieważnij konkurs (art. 18a)").click()
    assert_accessible(page)
    page.get_by_label("nie złożono żadnej oferty").check()
    page.get_by_label("Powód").fill("W terminie nie wpłynęła żadna oferta.")
    page.get_by_role("button", name="Unieważnij konkurs").press("Enter")  # not confirmed
    page.wait_for_selector("text=To pole jest wymagane")
    assert_accessible(page)
    assert Competition.objects.get(pk=competition.pk).state == CompetitionState.PUBLISHED
    page.get_by_label("Rozumiem, że unieważnienia nie można cofnąć.").check()
    page.get_by_role("button", name="Unieważnij konkurs").press("Enter")
    page.wait_for_selector("text=Ten konkurs unieważniono")
    assert_accessible(page)
    assert "W terminie nie wpłynęła żadna oferta." in page.content()
    assert Competition.objects.get(pk=competition.pk).state == CompetitionState.ANNULLED
    only_own_origin(page, live_server)
