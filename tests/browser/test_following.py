"""Following a thread from its page without JavaScript, seeing it on the follows page, and the e-mail of the next
reply; axe-clean and valid at phone width, nothing from another origin."""

import io

from django.core import mail
from django.core.management import call_command

from tests.browser.helpers import log_in, only_own_origin
from tests.forum.factories import established, make_thread

PHONE = {"width": 390, "height": 844}


def test_a_person_follows_a_thread_and_is_e_mailed_the_next_reply(new_page, live_server, assert_accessible):
    starter = established()
    thread = make_thread(author=starter, title="Jak rozliczyć wkład osobowy?")
    follower = established(display_name="Ola Nowak")

    plain = new_page(viewport=PHONE, java_script_enabled=False)
    log_in(plain, follower.email)
    plain.goto(thread.get_absolute_url())
    plain.get_by_role("button", name="Powiadamiaj mnie e-mailem").click()
    plain.wait_for_url(f"**{thread.get_absolute_url()}")
    assert "Obserwujesz: napiszemy e-mail" in plain.locator("main").inner_text()
    assert plain.get_by_role("button", name="Przestań obserwować").count() == 1

    page = new_page(viewport=PHONE)
    log_in(page, follower.email)
    page.goto(thread.get_absolute_url())
    assert_accessible(page)
    page.goto("/konto/obserwowane/")
    link = page.get_by_role("link", name="Jak rozliczyć wkład osobowy?")
    assert link.get_attribute("href") == thread.get_absolute_url()
    assert "(wątek)" in page.locator("main").inner_text()
    assert_accessible(page)
    only_own_origin(page, live_server)

    from ngo_platform.forum import services

    services.reply(actor=established(display_name="Ewa Lis"), thread=thread, body="Według faktur.")
    mail.outbox.clear()
    call_command("notify", stdout=io.StringIO())
    assert sorted(message.to[0] for message in mail.outbox) == sorted([starter.email, follower.email])
    message = next(message for message in mail.outbox if message.to == [follower.email])
    assert "Nowa odpowiedź w obserwowanym wątku" in message.subject and "Ewa Lis" in message.body
