"""Partnership announcements: the public list with search and filters, an announcement's page with the partners
suggested to its author only, writing one (bad input refused next to its field, nothing saved), its course, the
clock archiving it after the deadline, its followers told once, and no page showing an e-mail address the
organisation did not make public."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ngo_platform.notifications import services as follows
from ngo_platform.partnerships.models import Announcement, AnnouncementState
from ngo_platform.territory.models import TerritorialUnit
from tests.accounts.factories import OrganisationMembershipFactory, UserFactory
from tests.core.query_fixtures import sign_in
from tests.helpers import get_page, third_party_urls
from tests.partnerships.factories import announcement, organisation, sphere

pytestmark = pytest.mark.django_db

LIST = "/partnerstwa/"
TODAY = timezone.localdate


@pytest.fixture
def author(reference_data):
    return organisation(name="Fundacja Autorska", spheres=["16"], email="biuro@autorska.example")


@pytest.fixture
def editor(author):
    return OrganisationMembershipFactory(
        organisation=author, role="editor", user__email="redaktor@prywatny.example"
    ).user


def _form(**changes):
    data = {
        "party": "",
        "kind": "seeking",
        "role": "leader",
        "title": "Partnerzy do festiwalu",
        "description": "Szukamy partnerów do festiwalu pieśni.",
        "spheres": [str(sphere("16").pk)],
        "territory": [str(TerritorialUnit.objects.get(teryt="1601011").pk)],
        "programme": "FIO",
        "competition": "",
        "deadline": (TODAY() + timedelta(days=20)).isoformat(),
        "offered": "Sala i wolontariusze.",
        "needed": "Doświadczenie w projektach.",
        "budget_from": "10000",
        "budget_to": "50000",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_list_shows_current_announcements_and_filters_them(client, author, opolskie):
    current = announcement(organisation=author, title="Festiwal seniorów", spheres=["16"], territory=["1601011"])
    offering = announcement(authority=opolskie, kind="offering", title="Sala dla organizacji", spheres=["18"])
    announcement(organisation=author, title="Szkic ogłoszenia", state="draft")
    archived = announcement(organisation=author, title="Stare ogłoszenie", state="archived")
    expired = announcement(organisation=author, title="Po terminie")
    Announcement.objects.filter(pk=expired.pk).update(deadline=TODAY() - timedelta(days=1))

    html = get_page(client, LIST, max_queries=20).content.decode()
    assert current.title in html and offering.title in html
    assert "Szkic ogłoszenia" not in html and archived.title not in html and expired.title not in html
    assert third_party_urls(html) == []

    def titles(query):
        return [item.title for item in client.get(LIST + query).context["page"].object_list]

    assert titles("?rodzaj=offering") == [offering.title]
    assert titles("?sfera=16") == [current.title]
    assert titles("?powiat=1601") == [current.title]
    assert titles("?q=festiwalu+seniorow") == [current.title]  # inflected, without diacritics
    assert set(titles("?stan=archiwum")) == {expired.title, archived.title}
    assert titles("?rodzaj=nieznany&sfera=x") != []  # a stale link's values are dropped, not an error


def test_the_list_asks_the_same_queries_for_many_announcements(client, author):
    announcement(organisation=author)
    get_page(client, LIST, max_queries=20)
    for n in range(15):
        announcement(organisation=author, title=f"Ogłoszenie {n}", spheres=["16", "17"], territory=["1601011"])
    get_page(client, LIST + "?x=1", max_queries=20)


def test_a_draft_is_seen_only_by_its_party(client, author, editor):
    draft = announcement(organisation=author, author=editor, state="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    sign_in(client, UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404
    sign_in(client, editor)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_author_sees_suggestions_with_reasons_others_do_not(client, author, editor):
    organisation(name="Chór z Brzegu", spheres=["16"], seat="1601011")
    made = announcement(organisation=author, author=editor, territory=["1601011"], spheres=["16"])

    public = client.get(made.get_absolute_url()).content.decode()
    assert "Chór z Brzegu" not in public and "Dlaczego:" not in public
    sign_in(client, editor)
    html = get_page(client, made.get_absolute_url(), max_queries=40).content.decode()
    assert "Chór z Brzegu" in html
    assert "wspólne sfery: kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego; ta sama gmina" in html


def test_writing_publishing_and_archiving_an_announcement(client, author, editor):
    sign_in(client, editor)
    response = client.post("/partnerstwa/nowe/", _form(party=f"organisation:{author.pk}"))
    made = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.state == AnnouncementState.DRAFT and made.organisation == author and made.budget_to == 50_000
    assert [unit.teryt for unit in made.territory.all()] == ["1601011"]
    assert made.search_entry.name_terms  # indexed for search and suggestions

    client.post(f"/partnerstwa/{made.pk}/krok/publish/")
    made.refresh_from_db()
    assert made.state == AnnouncementState.PUBLISHED and made.published_at is not None
    form = client.get(f"/partnerstwa/{made.pk}/edytuj/").content.decode()
    assert 'value="Partnerzy do festiwalu"' in form and "selected" in form  # the values shown survive
    client.post(f"/partnerstwa/{made.pk}/krok/archive/")
    made.refresh_from_db()
    assert made.state == AnnouncementState.ARCHIVED


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"deadline": (TODAY() - timedelta(days=1)).isoformat()}, "deadline", "Termin nie może być w przeszłości."),
        ({"budget_from": "60000"}, "budget_to", "Górna granica nie może być niższa od dolnej."),
        ({"spheres": []}, "spheres", "To pole jest wymagane."),
        ({"title": "x" * 301}, "title", "Najwyżej 300 znaków"),
        ({"kind": "cokolwiek"}, "kind", "Wybierz poprawną wartość"),
        ({"budget_to": "-5"}, "budget_to", "większa lub równa 0"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(client, author, editor, changes, field, message):
    sign_in(client, editor)
    response = client.post("/partnerstwa/nowe/", _form(party=f"organisation:{author.pk}", **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Announcement.objects.count() == 0


def test_others_may_not_write_for_a_party_nor_change_its_announcement(client, author, editor):
    made = announcement(organisation=author, author=editor)
    outsider = OrganisationMembershipFactory().user
    sign_in(client, outsider)
    response = client.post("/partnerstwa/nowe/", _form(party=f"organisation:{author.pk}"))
    assert "party" in response.context["form"].errors  # not one of the parties offered to them
    assert client.get(f"/partnerstwa/{made.pk}/edytuj/").status_code == 403
    assert client.post(f"/partnerstwa/{made.pk}/krok/archive/").status_code == 403
    sign_in(client, UserFactory())
    assert client.get("/partnerstwa/nowe/").status_code == 403
    client.logout()
    assert client.get("/partnerstwa/nowe/").status_code == 302
    made.refresh_from_db()
    assert made.state == AnnouncementState.PUBLISHED


def test_publishing_again_needs_a_deadline_to_come(client, author, editor):
    made = announcement(organisation=author, author=editor, state="archived")
    Announcement.objects.filter(pk=made.pk).update(deadline=TODAY() - timedelta(days=2))
    sign_in(client, editor)
    response = client.post(f"/partnerstwa/{made.pk}/krok/republish/", follow=True)
    assert "Termin minął: najpierw ustaw późniejszy." in response.content.decode()
    made.refresh_from_db()
    assert made.state == AnnouncementState.ARCHIVED


def test_notify_archives_announcements_after_their_deadline_once(author):
    due = announcement(organisation=author, title="Po terminie")
    today = announcement(organisation=author, title="Termin dziś")
    Announcement.objects.filter(pk=due.pk).update(deadline=TODAY() - timedelta(days=1))
    Announcement.objects.filter(pk=today.pk).update(deadline=TODAY())
    call_command("notify", stdout=io.StringIO())
    call_command("notify", stdout=io.StringIO())
    due.refresh_from_db()
    today.refresh_from_db()
    assert due.state == AnnouncementState.ARCHIVED and due.archived_at is not None
    assert today.state == AnnouncementState.PUBLISHED
    from ngo_platform.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="partnerships.announcement_archive", target_id=due.pk).count() == 1


def test_followers_of_a_sphere_or_territory_hear_of_a_new_announcement_once(author, editor):
    of_sphere, of_powiat, unrelated = UserFactory(), UserFactory(), UserFactory()
    follows.follow_add(actor=of_sphere, sphere=sphere("16"))
    follows.follow_add(actor=of_powiat, unit=TerritorialUnit.objects.get(teryt="1601"))
    follows.follow_add(actor=unrelated, sphere=sphere("18"))
    follows.follow_add(actor=editor, sphere=sphere("16"))
    announcement(
        organisation=author, author=editor, title="Chór szuka partnerów", spheres=["16"], territory=["1601011"]
    )
    announcement(organisation=author, author=editor, title="Szkic", state="draft")
    mail.outbox.clear()
    call_command("notify", stdout=io.StringIO())
    call_command("notify", stdout=io.StringIO())
    told = sorted((message.to[0], message.subject) for message in mail.outbox)
    assert told == sorted(
        [
            (of_sphere.email, "Szukamy partnerów: Chór szuka partnerów"),
            (of_powiat.email, "Szukamy partnerów: Chór szuka partnerów"),
        ]
    )


def test_no_page_shows_an_e_mail_address_the_organisation_did_not_make_public(client, author, editor):
    other = organisation(name="Chór z Brzegu", spheres=["16"], seat="1601011", email="")
    OrganisationMembershipFactory(organisation=other, user__email="dyrygent@prywatny.example")
    made = announcement(organisation=author, author=editor, territory=["1601011"])
    announcement(organisation=other, territory=["1601011"], title="Chór szuka sali")
    pages = [LIST, made.get_absolute_url(), f"/partnerstwa/dla/{author.slug}/", f"/partnerstwa/{made.pk}/edytuj/"]
    sign_in(client, editor)
    for url in pages:
        html = client.get(url).content.decode()
        assert "dyrygent@prywatny.example" not in html and "redaktor@prywatny.example" not in html, url


def test_an_organisations_suggestions_are_for_its_representatives(client, author, editor):
    url = f"/partnerstwa/dla/{author.slug}/"
    organisation(name="Sąsiedzi", spheres=["16"], seat="1601022")
    assert client.get(url).status_code == 302
    sign_in(client, UserFactory())
    assert client.get(url).status_code == 403
    sign_in(client, editor)
    html = get_page(client, url, max_queries=30).content.decode()
    assert "Sąsiedzi" in html and "ten sam powiat" in html


def test_a_saved_search_e_mails_each_new_match_once_and_nothing_else(client, author, editor):
    searcher = UserFactory(email="szuka@example.pl")
    sign_in(client, searcher)
    client.post("/partnerstwa/wyszukiwania/zapisz/", {"query": "sfera=16&powiat=1601&q=chórów"})
    saved = searcher.follows.get().target
    assert saved.query == "q=ch%C3%B3r%C3%B3w&sfera=16&powiat=1601"
    assert "Sfera zadań publicznych: 16)" in saved.description and "«chórów»" in saved.description
    assert "Chór" in client.get("/partnerstwa/wyszukiwania/").content.decode() or saved.description

    match = announcement(organisation=author, author=editor, title="Chór szuka partnerów", spheres=["16"],
                         territory=["1601011"])  # fmt: skip
    announcement(organisation=author, author=editor, title="Chór z innego powiatu", spheres=["16"], territory=["1602"])
    announcement(organisation=author, author=editor, title="Orkiestra", spheres=["16"], territory=["1601011"])
    announcement(organisation=author, author=editor, title="Chór w innej sferze", spheres=["17"], territory=["16"])
    follows.follow_add(actor=searcher, sphere=sphere("16"))  # the match reaches them twice over: one e-mail
    mail.outbox.clear()
    call_command("notify", stdout=io.StringIO())
    call_command("notify", stdout=io.StringIO())
    told = [message.subject for message in mail.outbox if message.to == [searcher.email]]
    assert told == [f"Szukamy partnerów: {match.title}"]


def test_a_saved_search_needs_a_filter_and_is_removed_with_its_alerts(client):
    searcher = UserFactory()
    sign_in(client, searcher)
    response = client.post("/partnerstwa/wyszukiwania/zapisz/", {"query": "stan=archiwum"}, follow=True)
    assert "Najpierw wybierz filtr albo wpisz szukane słowa." in response.content.decode()
    client.post("/partnerstwa/wyszukiwania/zapisz/", {"query": "rodzaj=offering"})
    saved = searcher.follows.get().target
    other = UserFactory()
    sign_in(client, other)
    assert client.post(f"/partnerstwa/wyszukiwania/{saved.pk}/usun/").status_code == 404
    sign_in(client, searcher)
    client.post(f"/partnerstwa/wyszukiwania/{saved.pk}/usun/")
    assert not searcher.follows.exists()
    client.logout()
    assert client.post("/partnerstwa/wyszukiwania/zapisz/", {"query": "rodzaj=offering"}).status_code == 302
