"""A thread started and answered through the pages; the answer is reported, a category's moderator hides it from
the desk with a reason; its author sees the reason, everyone else only that a post was hidden, and the author and
the reporter each get an e-mail. Axe-clean, valid, no horizontal scroll at 390 px, without JavaScript for the
reporter, nothing from another origin; the honeypot field stays out of sight."""

import re

from django.core import mail

from tests.browser.helpers import log_in, only_own_origin
from tests.forum.factories import established, make_category

PHONE = {"width": 390, "height": 844}


def test_a_post_is_reported_hidden_with_a_reason_and_its_author_sees_why(new_page, live_server, assert_accessible):
    moderator, starter, replier, reporter = established(), established(), established(), established()
    make_category(slug="wspolpraca", name="Współpraca i dotacje", moderators=[moderator])

    page = new_page(viewport=PHONE)
    log_in(page, starter.email)
    page.goto("/forum/")
    assert_accessible(page)
    page.get_by_role("link", name="Współpraca i dotacje").click()
    page.get_by_role("link", name="Załóż wątek").click()
    trap = page.locator(".trap").bounding_box()  # the honeypot: drawn off the screen, out of the tab order
    assert trap["x"] + trap["width"] <= 0
    assert page.get_by_label("Zostaw to pole puste").get_attribute("tabindex") == "-1"
    page.get_by_label("Tytuł:", exact=True).fill("Jak rozliczyć wkład osobowy?")
    page.get_by_label("Tekst:", exact=True).fill("Wolontariusze przepracowali **120 godzin**.")
    page.get_by_role("button", name="Opublikuj wątek").click()
    page.wait_for_url(re.compile(r"/forum/watki/\d+/$"))
    thread_url = page.url
    assert "Twój wpis został opublikowany." in page.locator("main").inner_text()
    assert page.locator("article strong").inner_text() == "120 godzin"
    assert_accessible(page)

    other = new_page(viewport=PHONE)
    log_in(other, replier.email)
    other.goto(thread_url)
    other.get_by_label("Tekst:", exact=True).fill("Znowu te same osoby biorą wszystkie pieniądze.")
    other.get_by_role("button", name="Opublikuj odpowiedź").click()
    other.wait_for_url(re.compile(r"#wpis-\d+$"))

    watcher = new_page(viewport=PHONE, java_script_enabled=False)
    log_in(watcher, reporter.email)
    watcher.goto(thread_url)
    watcher.get_by_role("link", name=re.compile(f"Zgłoś wpis: {replier.display_name}")).click()
    watcher.get_by_label("obraźliwy, nienawistny lub bezprawny").check()
    watcher.get_by_label("Co jeszcze powinni wiedzieć moderatorzy:").fill("Zarzuca nieuczciwość bez podstaw.")
    page.goto(watcher.url)  # axe needs JavaScript: the same form checked on the starter's page
    assert_accessible(page)
    watcher.get_by_role("button", name="Wyślij zgłoszenie").click()
    watcher.wait_for_url(re.compile(r"/forum/watki/\d+/#wpis-\d+$"))
    assert "Dziękujemy: moderatorzy przejrzą wpis" in watcher.locator("main").inner_text()

    desk = new_page()
    log_in(desk, moderator.email)
    desk.goto("/moje/")
    desk.get_by_role("link", name="Jak rozliczyć wkład osobowy?").click()
    assert "Zarzuca nieuczciwość bez podstaw." in desk.locator("main").inner_text()
    assert_accessible(desk)
    mail.outbox.clear()
    desk.get_by_label("Ukryj").check()
    desk.get_by_label("Powód:", exact=True).fill("Wpis nie dotyczy pytania i obraża innych.")
    desk.get_by_role("button", name="Zdecyduj").click()
    desk.wait_for_url(re.compile(r"/forum/moderacja/$"))
    assert "Nic nie czeka" in desk.locator("main").inner_text()
    assert_accessible(desk)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([replier.email, reporter.email])
    assert all("Wpis nie dotyczy pytania i obraża innych." in message.body for message in mail.outbox)

    other.goto(thread_url)
    hidden = other.locator("article.forum-post-hidden").inner_text()
    assert "Ukryty przez moderatorów: Wpis nie dotyczy pytania i obraża innych." in hidden
    assert "Znowu te same osoby" in hidden
    assert_accessible(other)
    visitor = new_page(viewport=PHONE)
    visitor.goto(thread_url)
    text = visitor.locator("main").inner_text()
    assert "Wpis ukryty przez moderatorów." in text and "Znowu te same osoby" not in text
    assert "obraża innych" not in text
    assert_accessible(visitor)
    only_own_origin(visitor, live_server)
