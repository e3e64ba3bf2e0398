"""News: writing, publishing, the public list with its filters and feeds, the item's page, its image and
attachments, and the latest news on the home page and the parties' pages."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ngo_platform.community import services
from ngo_platform.community.models import News, NewsAttachment
from ngo_platform.community.workflows import NEWS, NewsError
from ngo_platform.core.models import AuditEntry
from ngo_platform.core.workflow import perform
from ngo_platform.organisations.selectors import current_spheres
from tests.community.factories import make_news, png_upload, writer_for
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def organisation(reference_data):
    return OrganisationFactory(seat_id=None)


def test_writing_publishing_and_archiving_are_audited_and_the_first_publication_date_stays(organisation):
    editor = writer_for(organisation)
    news = make_news(organisation=organisation, author=editor, state="draft")
    assert news.published_at is None and news.state == "draft"
    first = timezone.now() - timedelta(days=3)
    perform(NEWS, news, "publish", actor=editor, now=first)
    perform(NEWS, news, "unpublish", actor=editor)
    perform(NEWS, news, "publish", actor=editor)
    perform(NEWS, news, "archive", actor=editor)
    perform(NEWS, news, "republish", actor=editor)
    news.refresh_from_db()
    assert (news.state, news.published_at) == ("published", first)
    entries = AuditEntry.objects.filter(action__startswith="community.", target_id=str(news.pk)).order_by("pk")
    actions = list(entries.values_list("action", flat=True))
    assert actions == [
        "community.news_create",
        "community.news_publish",
        "community.news_unpublish",
        "community.news_publish",
        "community.news_archive",
        "community.news_republish",
    ]
    assert {entry.acting_for_organisation_id for entry in entries} == {organisation.pk}


def test_a_step_from_the_wrong_state_is_refused_and_nothing_changes(organisation):
    news = make_news(organisation=organisation, state="draft")
    with pytest.raises(NewsError, match="projekt roboczy"):
        perform(NEWS, news, "archive", actor=writer_for(organisation))
    news.refresh_from_db()
    assert news.state == "draft" and news.archived_at is None


def test_an_archived_item_cannot_be_changed(organisation):
    news = make_news(organisation=organisation, state="archived")
    data = {"title": "Nowy", "lead": "L", "body": "B", "image_alt": "", "spheres": []}
    with pytest.raises(NewsError):
        services.news_update(actor=writer_for(organisation), news=news, data=data)
    news.refresh_from_db()
    assert news.title == "Aktualność"


def test_the_database_refuses_an_image_without_its_alternative_text(organisation):
    from django.db import IntegrityError, transaction

    news = make_news(organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        News.objects.filter(pk=news.pk).update(image="news/x.jpg", image_alt="")


def test_the_list_shows_published_news_newest_first_and_filters_them(client, organisation, opolskie, gmina_brzeg):
    spheres = list(current_spheres()[:2])
    seated = OrganisationFactory(seat=gmina_brzeg.unit)
    old = make_news(organisation=organisation, title="Starsza organizacji", spheres=[spheres[0]])
    News.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=5))
    make_news(organisation=seated, title="Z Brzegu", spheres=[spheres[1]])
    make_news(authority=opolskie, title="Województwa")
    make_news(title="Platformy")
    make_news(organisation=organisation, title="Szkic ukryty", state="draft")
    make_news(organisation=organisation, title="Zarchiwizowana", state="archived")

    def titles(query=""):
        cache.clear()  # the anonymous page cache answers without a context
        response = client.get(f"/aktualnosci/{query}")
        assert response.status_code == 200
        return [item.title for item in response.context["page"].object_list]

    assert titles() == ["Platformy", "Województwa", "Z Brzegu", "Starsza organizacji"]
    assert titles("?autor=organisation") == ["Z Brzegu", "Starsza organizacji"]
    assert titles("?autor=authority") == ["Województwa"]
    assert titles("?autor=platform") == ["Platformy"]
    assert titles(f"?organ={opolskie.slug}") == ["Województwa"]
    assert titles("?powiat=1601") == ["Z Brzegu"]  # the organisation seated in the Brzeg powiat
    assert titles(f"?sfera={spheres[0].number}") == ["Starsza organizacji"]
    assert titles("?stan=archiwum") == ["Zarchiwizowana"]
    assert titles("?autor=nonsense&powiat=abc") == titles()  # an invalid filter is dropped


def test_the_cached_list_shows_an_item_as_soon_as_it_is_published(
    client, organisation, django_capture_on_commit_callbacks
):
    news = make_news(organisation=organisation, state="draft", title="Świeża wiadomość")
    cache.clear()
    assert "Świeża wiadomość" not in client.get("/aktualnosci/").content.decode()
    assert "Świeża wiadomość" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        perform(NEWS, news, "publish", actor=writer_for(organisation))
    assert "Świeża wiadomość" in client.get("/aktualnosci/").content.decode()
    assert "Świeża wiadomość" in client.get("/").content.decode()


def test_rss_and_atom_list_the_filtered_news_with_links_back(client, organisation, opolskie):
    news = make_news(organisation=organisation, title="Wiadomość organizacji")
    make_news(authority=opolskie, title="Wiadomość urzędu")
    rss = client.get("/aktualnosci/rss/?autor=organisation").content.decode()
    assert "<title>Wiadomość organizacji</title>" in rss and "Wiadomość urzędu" not in rss
    assert f"http://testserver/aktualnosci/{news.pk}/" in rss
    atom = client.get("/aktualnosci/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Wiadomość urzędu" in atom.content.decode() and organisation.name in atom.content.decode()


def test_a_draft_is_not_found_by_others_and_shown_with_its_steps_to_its_writers(client, organisation):
    editor = writer_for(organisation)
    news = make_news(organisation=organisation, author=editor, state="draft", title="Jeszcze nie")
    assert client.get(f"/aktualnosci/{news.pk}/").status_code == 404
    client.force_login(OrganisationFactory() and writer_for(OrganisationFactory()))
    assert client.get(f"/aktualnosci/{news.pk}/").status_code == 404
    assert client.get(f"/aktualnosci/{news.pk}/edytuj/").status_code == 403
    assert client.post(f"/aktualnosci/{news.pk}/krok/publish/").status_code == 403
    client.force_login(editor)
    page = client.get(f"/aktualnosci/{news.pk}/").content.decode()
    assert "Jeszcze nie" in page and f'action="/aktualnosci/{news.pk}/krok/publish/"' in page
    assert "/krok/archive/" not in page  # not a step a draft may take


def test_hostile_markdown_reaches_the_page_as_harmless_text(client, organisation):
    body = (
        "<script>alert('x')</script>\n\n[kliknij](javascript:alert(1)) [duże](JaVaScRiPt:alert(1))\n\n"
        '<img src=x onerror="alert(1)"> <a href="javascript:alert(2)" onclick="alert(3)">a</a>\n\n'
        "[dane](data:text/html;base64,PHNjcmlwdD4=) ![obraz](https://example.com/p.png)\n\n**pogrubione**"
    )
    news = make_news(organisation=organisation, body=body)
    html = client.get(f"/aktualnosci/{news.pk}/").content.decode()
    article = Elements()
    article.feed(html[html.index('<div class="prose">') : html.index("</article>")])
    assert "script" not in article.tags and "img" not in article.tags
    assert not [name for _tag, name, _value in article.attributes if name.startswith("on")]
    links = [value for tag, name, value in article.attributes if name in ("href", "src")]
    assert links == ["https://example.com/p.png"]  # the one http(s) address, as a link (pictures are not loaded)
    assert "<script>alert('x')</script>" in article.text  # shown as the text it is
    assert "strong" in article.tags


class Elements(HTMLParser):
    """The tags, attributes and text of an HTML fragment, as a browser would parse it."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.text = [], [], ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.text += data


def test_an_editor_writes_a_news_item_with_an_image_and_the_form_asks_for_its_description(client, organisation):
    client.force_login(writer_for(organisation))
    page = client.get("/aktualnosci/nowa/").content.decode()
    assert f'value="organisation:{organisation.pk}"' in page and "platform" not in page.split("<form")[1][:2000]
    data = {"party": f"organisation:{organisation.pk}", "title": "Z obrazem", "lead": "Zapowiedź", "body": "Treść"}
    response = client.post("/aktualnosci/nowa/", {**data, "image": png_upload()})
    assert response.status_code == 200
    assert "Opisz obraz osobom, które go nie widzą." in response.content.decode()
    assert 'value="Z obrazem"' in response.content.decode()  # what was typed survives
    assert not News.objects.exists()
    response = client.post("/aktualnosci/nowa/", {**data, "image": png_upload(2400, 1200), "image_alt": "Las"})
    news = News.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/aktualnosci/{news.pk}/"
    assert (news.state, news.image_alt, news.image_width, news.image_height) == ("draft", "Las", 1200, 600)
    image = client.get(f"/aktualnosci/{news.pk}/obraz/")
    assert image["Content-Type"] == "image/jpeg" and image["Cache-Control"] == "private, no-store"
    assert b"".join(image.streaming_content)[:3] == b"\xff\xd8\xff"
    client.logout()
    assert client.get(f"/aktualnosci/{news.pk}/obraz/").status_code == 404  # a draft's image is not public


def test_the_form_refuses_a_file_that_is_not_an_image_and_a_description_without_an_image(client, organisation):
    client.force_login(writer_for(organisation))
    data = {"party": f"organisation:{organisation.pk}", "title": "T", "lead": "L", "body": "B"}
    fake = SimpleUploadedFile("zdjecie.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post("/aktualnosci/nowa/", {**data, "image": fake, "image_alt": "Opis"})
    assert "Tego pliku nie udało się odczytać jako obrazu." in response.content.decode()
    response = client.post("/aktualnosci/nowa/", {**data, "image_alt": "Opis bez obrazu"})
    assert "Dodaj obraz, który opisuje ten tekst, albo zostaw opis pusty." in response.content.decode()
    assert not News.objects.exists()


def test_nobody_writes_on_behalf_of_a_party_they_do_not_represent(client, organisation, opolskie):
    client.force_login(writer_for(organisation))
    other = OrganisationFactory()
    for party in (f"organisation:{other.pk}", f"authority:{opolskie.pk}", "platform"):
        response = client.post("/aktualnosci/nowa/", {"party": party, "title": "T", "lead": "L", "body": "B"})
        assert response.status_code == 200 and 'id="id_party_error"' in response.content.decode()
    assert not News.objects.exists()
    client.force_login(writer_for())  # a resident who is no one's representative
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/aktualnosci/nowa/").status_code == 403


def test_a_value_shown_in_the_edit_form_survives_a_save_unchanged(client, organisation):
    spheres = list(current_spheres()[:1])
    editor = writer_for(organisation)
    news = make_news(organisation=organisation, author=editor, body="Akapit\r\n\r\n- punkt", spheres=spheres)
    client.force_login(editor)
    form = client.get(f"/aktualnosci/{news.pk}/edytuj/").context["form"]
    data = {name: form[name].value() for name in ("title", "lead", "body", "image_alt")}
    data["spheres"] = [sphere.pk for sphere in spheres]
    assert client.post(f"/aktualnosci/{news.pk}/edytuj/", data).status_code == 302
    after = News.objects.get(pk=news.pk)
    assert (after.title, after.lead, after.body, list(after.spheres.all())) == (
        news.title,
        news.lead,
        news.body,
        spheres,
    )


def test_attachments_are_checked_by_their_content(client, organisation):
    editor = writer_for(organisation)
    news = make_news(organisation=organisation, author=editor)
    client.force_login(editor)
    disguised = SimpleUploadedFile("regulamin.pdf", png_upload().read(), content_type="application/pdf")
    response = client.post(f"/aktualnosci/{news.pk}/zalaczniki/", {"title": "Regulamin", "file": disguised})
    assert (
        response.status_code == 400 and "Ten plik nie jest dokumentem, który przyjmujemy." in response.content.decode()
    )
    assert not NewsAttachment.objects.exists()
    real = SimpleUploadedFile("regulamin.bin", PDF, content_type="application/octet-stream")
    client.post(f"/aktualnosci/{news.pk}/zalaczniki/", {"title": "Regulamin", "file": real})
    attachment = NewsAttachment.objects.get()
    assert (attachment.file_type, attachment.size) == ("pdf", len(PDF))
    client.logout()
    download = client.get(f"/aktualnosci/{news.pk}/zalaczniki/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(editor)
    client.post(f"/aktualnosci/{news.pk}/zalaczniki/{attachment.pk}/usun/")
    assert not NewsAttachment.objects.exists()
    assert AuditEntry.objects.filter(action="community.news_detach", target_id=str(news.pk)).exists()


def test_the_latest_news_are_on_the_home_page_the_organisations_and_the_authoritys(client, organisation, opolskie):
    make_news(organisation=organisation, title="Od organizacji")
    make_news(authority=opolskie, title="Od województwa")
    make_news(organisation=organisation, title="Szkic organizacji", state="draft")
    home = client.get("/").content.decode()
    assert "Od organizacji" in home and "Od województwa" in home and "Szkic" not in home
    profile = client.get(organisation.get_absolute_url()).content.decode()
    assert "Od organizacji" in profile and "Od województwa" not in profile and "Szkic" not in profile
    authority = client.get(opolskie.get_absolute_url()).content.decode()
    assert "Od województwa" in authority and "Od organizacji" not in authority


def test_drafts_wait_on_the_desk_of_the_partys_writers(client, organisation):
    editor = writer_for(organisation)
    make_news(organisation=organisation, author=editor, state="draft", title="Do dokończenia")
    colleague = writer_for(organisation)
    client.force_login(colleague)
    assert "Do dokończenia" in client.get("/moje/").content.decode()
    client.force_login(writer_for(OrganisationFactory()))
    assert "Do dokończenia" not in client.get("/moje/").content.decode()
