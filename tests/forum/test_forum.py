"""The forum: threads and replies, quoting, posting on behalf of an organisation, the edit window and the earlier
versions, reports, the moderators' steps with their reasons told to the author and the reporters, locking and
pinning (each audited), and the spam rule (a new account's posts with links wait; its posts an hour are limited;
the honeypot)."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from ngo_platform.core.forms import TRAP
from ngo_platform.core.models import AuditEntry
from ngo_platform.forum import services
from ngo_platform.forum.models import Post, PostReport, PostVersion, Thread
from ngo_platform.forum.workflows import ForumError
from tests.accounts.factories import OrganisationMembershipFactory, UserFactory
from tests.core.query_fixtures import sign_in
from tests.forum.factories import established, make_category, make_thread, opening, pending_post
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_pages():
    cache.clear()  # anonymous pages are cached under the forum's data version


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- A new account's post with a link waits for a moderator ---


def test_a_new_accounts_first_post_with_a_link_is_not_public_until_a_moderator_approves_it(client, reference_data):
    category = make_category()
    newcomer = UserFactory()  # joined today
    thread = make_thread(category, author=newcomer, title="Dotacje bez konkursu", body="Zobacz www.szybkie-dotacje.pl")
    post = opening(thread)
    assert post.state == "pending" and not thread.is_public
    assert "Dotacje bez konkursu" not in _page(client, category.get_absolute_url())
    assert client.get(thread.get_absolute_url()).status_code == 302  # anonymous: log in; not said to exist
    sign_in(client, UserFactory())
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert client.get(post.get_absolute_url()).status_code == 404
    sign_in(client, newcomer)
    own = _page(client, thread.get_absolute_url())
    assert "Czeka na moderatora: do zatwierdzenia ten wpis widzisz tylko Ty i moderatorzy." in own
    moderator = established(is_staff=True)
    services.post_moderate(actor=moderator, post=post, step="approve")
    thread.refresh_from_db()
    assert thread.is_public and thread.last_post_at is not None
    client.logout()
    cache.clear()
    assert "Dotacje bez konkursu" in _page(client, category.get_absolute_url())
    assert "szybkie-dotacje.pl" in _page(client, thread.get_absolute_url())
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert AuditEntry.objects.filter(action="forum.post_approve", actor=moderator).count() == 1


@pytest.mark.parametrize(
    "body, waits",
    [
        ("Zapraszamy na https://fundacja.example/", True),
        ("Szczegóły: www.fundacja.org", True),
        ("[tutaj](http://a.example)", True),
        ("Napiszcie na ngo-opole.pl", True),
        ("Spotkanie w środę o 17:00, np. w bibliotece.", False),
        ("Koszt 1.5 tys. zł, tj. mniej niż rok temu.", False),
    ],
)
def test_what_counts_as_a_link_in_a_new_accounts_post(reference_data, body, waits):
    post = opening(make_thread(author=UserFactory(), body=body))
    assert (post.state == "pending") is waits


def test_an_established_account_or_an_officer_posts_links_at_once(reference_data, opolskie):
    from tests.accounts.factories import AuthorityMembershipFactory

    category = make_category()
    assert opening(make_thread(category, author=established(), body="https://opole.example/")).state == "visible"
    officer = AuthorityMembershipFactory(authority=opolskie).user  # a new account, but an officer
    assert opening(make_thread(category, author=officer, body="https://opole.example/")).state == "visible"


def test_a_new_accounts_edit_that_adds_a_link_holds_the_visible_post_again(reference_data):
    newcomer = UserFactory()
    thread = make_thread(author=newcomer, body="Bez linku.")
    post = services.post_edit(actor=newcomer, post=opening(thread), body="Teraz z linkiem: https://spam.example/")
    assert post.state == "pending"
    thread.refresh_from_db()
    assert not thread.is_public
    assert AuditEntry.objects.filter(action="forum.post_hold", actor=None).count() == 1


def test_a_new_account_writes_at_most_the_hourly_limit(reference_data, settings):
    settings.NGO_FORUM_NEW_ACCOUNT_POSTS_PER_HOUR = 3
    newcomer, thread = UserFactory(), make_thread()
    for number in range(3):
        services.reply(actor=newcomer, thread=thread, body=f"Odpowiedź {number}")
    with pytest.raises(ForumError) as refused:
        services.reply(actor=newcomer, thread=thread, body="Czwarta")
    assert refused.value.field == "body" and "3" in str(refused.value)
    assert Post.objects.filter(author=newcomer).count() == 3
    Post.objects.filter(author=newcomer).update(created_at=timezone.now() - timedelta(minutes=61))
    services.reply(actor=newcomer, thread=thread, body="Po godzinie")  # the hour has passed
    veteran = established()
    for number in range(5):
        services.reply(actor=veteran, thread=thread, body=f"Stały bywalec {number}")  # not limited


def test_the_limit_is_said_next_to_the_text_and_nothing_is_saved(client, reference_data, settings):
    settings.NGO_FORUM_NEW_ACCOUNT_POSTS_PER_HOUR = 1
    newcomer, thread = UserFactory(), make_thread()
    services.reply(actor=newcomer, thread=thread, body="Pierwsza")
    sign_in(client, newcomer)
    response = client.post(f"/forum/watki/{thread.pk}/odpowiedz/", {"body": "Druga, tekst zostaje"})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'id="id_body_error">\s*<li>[^<]*1', page)
    assert "Druga, tekst zostaje" in page  # what was typed survives
    assert Post.objects.filter(author=newcomer).count() == 1


def test_a_filled_honeypot_refuses_the_form_and_saves_nothing(client, reference_data):
    category = make_category()
    sign_in(client, established())
    data = {"title": "Oferta", "body": "Kup teraz", TRAP: "http://bot.example"}
    response = client.post(f"/forum/kategorie/{category.slug}/nowy-watek/", data)
    assert response.status_code == 400
    assert "Formularz odrzucono: pole „Zostaw to pole puste” zostało wypełnione." in response.content.decode()
    assert not Thread.objects.exists()
    del data[TRAP]
    response = client.post(f"/forum/kategorie/{category.slug}/nowy-watek/", data)
    assert response.status_code == 302 and Thread.objects.count() == 1


# --- Hidden posts and their earlier versions ---


def test_a_hidden_post_and_its_versions_are_seen_only_by_moderators_and_its_author_who_sees_the_reason(
    client, reference_data
):
    moderator = established()
    category = make_category(moderators=[moderator])
    author = established()
    thread = make_thread(category, author=author, body="Pierwsze zdanie.")
    post = services.reply(actor=author, thread=thread, body="Wersja pierwsza: obraźliwa.")
    post = services.post_edit(actor=author, post=post, body="Wersja druga: nadal obraźliwa.")
    quoting = services.reply(actor=established(), thread=thread, body="Nie zgadzam się.", quote=post)
    assert PostVersion.objects.filter(post=post).count() == 1
    services.post_moderate(actor=moderator, post=post, step="hide", reason="Obraża innych uczestników.")
    texts = ("Wersja pierwsza", "Wersja druga")

    def sees(page):
        return [text in page for text in texts]

    assert sees(_page(client, thread.get_absolute_url())) == [False, False]  # anonymous
    assert "Wpis ukryty przez moderatorów." in _page(client, thread.get_absolute_url())
    assert client.get(f"/forum/wpisy/{post.pk}/moderuj/").status_code == 302
    sign_in(client, quoting.author)  # who quoted it: the quote is gone too
    assert sees(_page(client, thread.get_absolute_url())) == [False, False]
    assert client.get(f"/forum/wpisy/{post.pk}/moderuj/").status_code == 403
    assert client.get(f"/forum/watki/{thread.pk}/odpowiedz/?cytat={post.pk}").content.decode().count("Wersja") == 0
    sign_in(client, author)
    own = _page(client, thread.get_absolute_url())
    assert sees(own) == [False, True] and "Obraża innych uczestników." in own  # the text and the reason, no versions
    sign_in(client, moderator)
    assert sees(_page(client, f"/forum/wpisy/{post.pk}/moderuj/")) == [True, True]


def test_hiding_needs_a_reason_and_tells_the_author_and_each_reporter(reference_data):
    moderator = established(is_staff=True)
    author, first, second = established(), established(), established()
    post = opening(make_thread(author=author))
    assert services.post_report(actor=first, post=post, reason="abuse", comment="Wyzwiska") is True
    assert services.post_report(actor=first, post=post, reason="spam") is False  # once per person
    assert services.post_report(actor=second, post=post, reason="spam") is True
    with pytest.raises(ForumError) as refused:
        services.post_moderate(actor=moderator, post=post, step="hide", reason="  ")
    assert refused.value.field == "reason"
    post.refresh_from_db()
    assert post.state == "visible" and not mail.outbox
    services.post_moderate(actor=moderator, post=post, step="hide", reason="Mowa nienawiści.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([author.email, first.email, second.email])
    assert all("Mowa nienawiści." in m.body for m in mail.outbox)
    assert not PostReport.objects.filter(settled_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="forum.post_hide")
    assert entry.actor == moderator and entry.details["reason"] == "Mowa nienawiści."
    thread = post.thread
    thread.refresh_from_db()
    assert not thread.is_public  # its opening post was hidden
    mail.outbox.clear()
    services.post_moderate(actor=moderator, post=post, step="restore", reason="Po odwołaniu autora.")
    assert [m.to for m in mail.outbox] == [[author.email]]


def test_a_kept_post_settles_the_reports_and_tells_the_reporters_why(client, reference_data):
    moderator = established()
    category = make_category(moderators=[moderator])
    post = opening(make_thread(category))
    reporter = established()
    services.post_report(actor=reporter, post=post, reason="off_topic")
    sign_in(client, moderator)
    assert client.post(f"/forum/wpisy/{post.pk}/moderuj/", {"dismiss": "1", "keep-reason": ""}).status_code == 400
    response = client.post(f"/forum/wpisy/{post.pk}/moderuj/", {"dismiss": "1", "keep-reason": "Na temat kategorii."})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[reporter.email]] and "Na temat kategorii." in mail.outbox[0].body
    post.refresh_from_db()
    assert post.state == "visible" and AuditEntry.objects.filter(action="forum.reports_dismiss").count() == 1


@pytest.mark.parametrize("person", ["resident", "other_moderator"])
def test_who_may_not_moderate_is_refused_and_nothing_changes(client, reference_data, person):
    other_moderator = established()
    make_category(slug="inna", moderators=[other_moderator])
    post = opening(make_thread())
    actor = {"resident": established(), "other_moderator": other_moderator}[person]
    with pytest.raises(PermissionDenied):
        services.post_moderate(actor=actor, post=post, step="hide", reason="Nie.")
    with pytest.raises(PermissionDenied):
        services.thread_set(actor=actor, thread=post.thread, locked=True)
    sign_in(client, actor)
    assert client.post(f"/forum/wpisy/{post.pk}/moderuj/", {"step": "hide", "reason": "Nie."}).status_code == 403
    queue = client.get("/forum/moderacja/")  # a resident has none; the other category's moderator, theirs
    assert queue.status_code == (200 if person == "other_moderator" else 404)
    services.post_report(actor=established(), post=post, reason="spam")
    assert f"/forum/wpisy/{post.pk}/" not in client.get("/forum/moderacja/").content.decode()
    post.refresh_from_db()
    assert (
        post.state == "visible"
        and not post.thread.locked
        and not AuditEntry.objects.filter(action__startswith="forum.").exists()
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_reports_count_once(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    post = opening(make_thread())
    person = established()
    barrier = threading.Barrier(4)
    results = []

    def report():
        barrier.wait()
        try:
            results.append(services.post_report(actor=person, post=Post.objects.get(pk=post.pk), reason="spam"))
        finally:
            connection.close()

    threads = [threading.Thread(target=report) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert PostReport.objects.filter(post=post).count() == 1


# --- Writing: replies, quotes, on behalf of an organisation, the edit window, locking and pinning ---


def test_a_reply_quotes_a_post_of_the_same_thread_only(reference_data):
    thread, other = make_thread(), make_thread(title="Inny wątek")
    person = established()
    post = services.reply(actor=person, thread=thread, body="Cytuję.", quote=opening(thread))
    assert post.quote == opening(thread)
    with pytest.raises(ForumError):
        services.reply(actor=person, thread=thread, body="Cytuję obcy.", quote=opening(other))
    thread.refresh_from_db()
    assert thread.replies == 1


def test_a_post_on_behalf_of_an_organisation_needs_its_representative(client, reference_data):
    organisation = OrganisationFactory(name="Stowarzyszenie Odra")
    representative = OrganisationMembershipFactory(organisation=organisation, role="editor", user=established()).user
    thread = make_thread()
    post = services.reply(actor=representative, thread=thread, body="W imieniu", organisation=organisation)
    assert post.organisation == organisation
    with pytest.raises(PermissionDenied):
        services.reply(actor=established(), thread=thread, body="Podszywam się", organisation=organisation)
    sign_in(client, established())
    client.post(f"/forum/watki/{thread.pk}/odpowiedz/", {"body": "Podszywka", "on_behalf": str(organisation.pk)})
    assert not Post.objects.filter(body="Podszywka", organisation=organisation).exists()
    page = _page(client, thread.get_absolute_url())
    assert "Stowarzyszenie Odra" in page  # the representative's post names the organisation


def test_an_edit_within_the_window_is_marked_edited_and_after_it_refused(client, reference_data, settings):
    author = established()
    thread = make_thread(author=author, body="Przed zmianą.")
    post = opening(thread)
    sign_in(client, author)
    response = client.post(f"/forum/wpisy/{post.pk}/edytuj/", {"body": "Po zmianie."})
    assert response.status_code == 302
    page = _page(client, thread.get_absolute_url())
    assert "Po zmianie." in page and "Przed zmianą." not in page and 'class="edited"' in page
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.NGO_FORUM_EDIT_MINUTES + 1)
    )
    response = client.post(f"/forum/wpisy/{post.pk}/edytuj/", {"body": "Za późno."})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "Po zmianie." and post.versions.count() == 1
    with pytest.raises(ForumError):
        services.post_edit(actor=author, post=post, body="Za późno.")
    with pytest.raises(ForumError):
        services.post_edit(actor=established(), post=post, body="Nie mój.")


def test_locking_and_pinning_are_audited_and_a_locked_thread_takes_no_reply(client, reference_data):
    admin = established(is_staff=True)
    category = make_category()
    older, newer = make_thread(category, title="Starszy"), make_thread(category, title="Nowszy")
    services.thread_set(actor=admin, thread=older, locked=True, pinned=True)
    services.thread_set(actor=admin, thread=older, locked=True, pinned=True)  # nothing changes: nothing audited
    assert sorted(AuditEntry.objects.filter(action__startswith="forum.thread").values_list("action", flat=True)) == [
        "forum.thread_lock",
        "forum.thread_pin",
    ]
    listing = _page(client, category.get_absolute_url())
    assert listing.index("Starszy") < listing.index("Nowszy")  # pinned first
    with pytest.raises(ForumError):
        services.reply(actor=established(), thread=older, body="Jeszcze jedno")
    services.reply(actor=admin, thread=older, body="Moderator dopisuje")  # a moderator still replies
    sign_in(client, admin, officer=True)
    response = client.post(f"/forum/watki/{older.pk}/moderuj/", {"pinned": "on"})  # unlock, stay pinned
    assert response.status_code == 302
    older.refresh_from_db()
    assert (older.locked, older.pinned) == (False, True)
    assert AuditEntry.objects.filter(action="forum.thread_unlock", actor=admin).count() == 1
    assert newer.replies == 0


def test_the_address_of_a_post_opens_its_page_of_the_thread(client, reference_data, settings):
    settings.NGO_FORUM_POSTS_PER_PAGE = 3
    author = established()
    thread = make_thread(author=author)
    posts = [services.reply(actor=author, thread=thread, body=f"Wpis {n}") for n in range(5)]
    response = client.get(posts[-1].get_absolute_url())
    assert response["Location"] == f"/forum/watki/{thread.pk}/?strona=2#wpis-{posts[-1].pk}"
    assert client.get(posts[0].get_absolute_url())["Location"] == f"/forum/watki/{thread.pk}/#wpis-{posts[0].pk}"
    page_two = _page(client, f"/forum/watki/{thread.pk}/?strona=2")
    assert "Wpis 4" in page_two and "Wpis 1" not in page_two


def test_a_members_category_sends_visitors_to_log_in_and_refuses_residents(client, reference_data):
    category = make_category(slug="dla-organizacji", audience="members")
    thread = make_thread(category, author=established(is_staff=True))
    assert client.get(category.get_absolute_url()).status_code == 302
    sign_in(client, established())
    assert client.get(category.get_absolute_url()).status_code == 404
    assert client.get(thread.get_absolute_url()).status_code == 404
    with pytest.raises(PermissionDenied):
        services.thread_start(actor=established(), category=category, title="T", body="B")


def test_the_moderators_queue_and_desk_show_their_categories_only(client, reference_data):
    moderator = established()
    mine, theirs = make_category(slug="moja", moderators=[moderator]), make_category(slug="cudza")
    waiting = pending_post(mine)
    pending_post(theirs)
    reported = opening(make_thread(mine, title="Zgłoszony"))
    services.post_report(actor=established(), post=reported, reason="spam")
    sign_in(client, moderator)
    page = _page(client, "/forum/moderacja/")
    assert page.count('href="/forum/wpisy/') == 2
    assert (
        f'href="/forum/wpisy/{waiting.pk}/moderuj/"' in page and f'href="/forum/wpisy/{reported.pk}/moderuj/"' in page
    )
    desk = client.get("/moje/").context["items"]
    assert sorted(item.url for item in desk if item.code == "forum.moderation") == sorted(
        [f"/forum/wpisy/{waiting.pk}/moderuj/", f"/forum/wpisy/{reported.pk}/moderuj/"]
    )
