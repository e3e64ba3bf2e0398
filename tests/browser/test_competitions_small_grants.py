"""Small grants (art. 19a) in a real browser: the public list and offer, a comment from a signed-in
resident in the seven-day window, and the officer's pool and offer pages; axe-core on every page."""

from tests.browser.helpers import log_in, only_own_origin

TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def test_small_grant_is_listed_commented_and_reviewed(new_page, live_server, assert_accessible):
    from allauth.mfa.totp.internal.auth import TOTP

    from ngo_platform.competitions.models import OfferComment
    from ngo_platform.territory.models import Authority
    from tests.accounts.factories import PASSWORD, UserFactory
    from tests.competitions.factories import officer
    from tests.competitions.test_small_grants import published

    authority = Authority.objects.get(unit__teryt="16")
    clerk = officer(authority)
    TOTP.activate(clerk, TOTP_SECRET)
    offer = published(authority, clerk, title="Piknik sąsiedzki na Zaodrzu")
    resident = UserFactory(email="sasiadka@example.pl", full_name="Maria Sąsiadka")

    visitor = new_page()
    visitor.goto("/konkursy/male-granty/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Piknik sąsiedzki na Zaodrzu").first.click()
    assert_accessible(visitor)
    assert visitor.get_by_role("link", name="Zaloguj się, aby zgłosić uwagę.").is_visible()
    only_own_origin(visitor, live_server)

    neighbour = new_page()
    log_in(neighbour, resident.email, PASSWORD)
    neighbour.goto(f"/konkursy/male-granty/{offer.pk}/")
    neighbour.get_by_label("Twoja uwaga").fill("Świetny pomysł, pomożemy przy scenie.")
    neighbour.get_by_label("Twoja uwaga").press("Tab")
    neighbour.keyboard.press("Enter")
    neighbour.wait_for_selector("text=Świetny pomysł, pomożemy przy scenie.")
    assert_accessible(neighbour)
    assert OfferComment.objects.get().author_name == "Maria Sąsiadka"

    desk = new_page()
    log_in(desk, clerk.email, PASSWORD, totp_secret=TOTP_SECRET)
    desk.goto("/konkursy/male-granty/pula/")
    assert_accessible(desk)
    desk.goto(f"/konkursy/male-granty/{offer.pk}/")
    assert_accessible(desk)
    only_own_origin(desk, live_server)
