"""Contact through the platform and the partnership: an interested organisation writes to an announcement's author,
both sides (and nobody else) read and answer, each person of the other side is e-mailed alone, attachments are
checked by their content, abuse is reported once to the administrators, the conversation outlives the
announcement; a partnership proposed by one side is confirmed by the other and starts a joint offer with the
partner filled in."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ngo_platform.competitions.models import Offer
from ngo_platform.core.workflow import perform
from ngo_platform.partnerships.models import AbuseReport, Conversation, Message, Partnership
from ngo_platform.partnerships.workflows import ANNOUNCEMENT
from tests.accounts.factories import OrganisationMembershipFactory, UserFactory
from tests.competitions.factories import CompetitionFactory
from tests.core.query_fixtures import sign_in
from tests.partnerships.factories import announcement, organisation, sphere

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def sides(reference_data):
    author = organisation(name="Fundacja Autorska", spheres=["16"], verified_at=timezone.now())
    interested = organisation(name="Chór z Brzegu", spheres=["16"], verified_at=timezone.now())
    people = {
        "author_admin": OrganisationMembershipFactory(organisation=author, user__email="a1@prywatny.example").user,
        "author_editor": OrganisationMembershipFactory(
            organisation=author, role="editor", user__email="a2@prywatny.example"
        ).user,
        "choir": OrganisationMembershipFactory(organisation=interested, user__email="c1@prywatny.example").user,
    }
    made = announcement(organisation=author, author=people["author_admin"], spheres=["16"])
    return author, interested, made, people


def _start(client, made, person, text="Dzień dobry, chętnie dołączymy.", **extra):
    sign_in(client, person)
    return client.post(f"/partnerstwa/{made.pk}/napisz/", {"text": text, **extra})


def test_an_organisation_writes_and_each_person_of_the_other_side_is_told_alone(client, sides):
    author, interested, made, people = sides
    mail.outbox.clear()
    response = _start(client, made, people["choir"])
    conversation = Conversation.objects.get()
    assert response["Location"] == conversation.get_absolute_url()
    assert conversation.organisation == interested and conversation.messages.get().from_announcer is False
    assert sorted(message.to for message in mail.outbox) == [["a1@prywatny.example"], ["a2@prywatny.example"]]
    assert "Dzień dobry, chętnie dołączymy." in mail.outbox[0].body
    assert "c1@prywatny.example" not in mail.outbox[0].body

    sign_in(client, people["author_editor"])
    mail.outbox.clear()
    client.post(conversation.get_absolute_url(), {"text": "Zapraszamy na spotkanie."})
    assert [message.to for message in mail.outbox] == [["c1@prywatny.example"]]
    html = client.get(conversation.get_absolute_url()).content.decode()
    assert "Zapraszamy na spotkanie." in html and "Chór z Brzegu" in html
    assert "prywatny.example" not in html  # nobody's address, on either side


def test_a_second_start_continues_the_same_conversation(client, sides):
    _author, _interested, made, people = sides
    _start(client, made, people["choir"])
    _start(client, made, people["choir"], text="Jeszcze jedno pytanie.")
    assert Conversation.objects.count() == 1 and Message.objects.count() == 2


def test_only_the_two_sides_read_and_write(client, sides):
    _author, _interested, made, people = sides
    _start(client, made, people["choir"])
    conversation = Conversation.objects.get()
    client.logout()
    assert client.get(conversation.get_absolute_url()).status_code == 302
    for outsider in (OrganisationMembershipFactory().user, UserFactory(is_staff=True), UserFactory()):
        sign_in(client, outsider, officer=outsider.is_staff)
        assert client.get(conversation.get_absolute_url()).status_code == 404
        assert client.post(conversation.get_absolute_url(), {"text": "Wtrącam się."}).status_code == 404
    assert Message.objects.count() == 1


def test_nobody_writes_to_their_own_announcement_nor_to_a_draft(client, sides):
    author, _interested, made, people = sides
    assert _start(client, made, people["author_editor"]).status_code == 403
    draft = announcement(organisation=organisation(name="Inna", spheres=["16"]), state="draft")
    assert _start(client, draft, people["choir"]).status_code == 403
    assert _start(client, made, UserFactory()).status_code == 403  # represents no organisation
    assert Conversation.objects.count() == 0


def test_an_attachment_is_checked_by_its_content_and_read_only_by_the_sides(client, sides):
    _author, _interested, made, people = sides
    disguised = SimpleUploadedFile("oferta.pdf", b"MZ\x90\x00 not a pdf")
    response = _start(client, made, people["choir"], attachment=disguised)
    assert response.status_code == 400 and "attachment" in response.context["contact_form"].errors
    assert Conversation.objects.count() == 0  # nothing half-saved

    _start(client, made, people["choir"], attachment=SimpleUploadedFile("oferta.pdf", PDF))
    message = Message.objects.get()
    url = f"/partnerstwa/rozmowy/{message.conversation_id}/zalacznik/{message.pk}/"
    assert message.attachment_type == "pdf" and b"".join(client.get(url).streaming_content) == PDF
    sign_in(client, OrganisationMembershipFactory().user)
    assert client.get(url).status_code == 404


def test_abuse_is_reported_once_to_the_administrators_and_never_ones_own(client, sides):
    _author, _interested, made, people = sides
    admin = UserFactory(is_staff=True, email="admin@platforma.example")
    _start(client, made, people["choir"], text="Obraźliwa treść.")
    message = Message.objects.get()
    url = f"/partnerstwa/rozmowy/{message.conversation_id}/zglos/{message.pk}/"
    own = client.post(url, {"comment": "Moja własna."})
    assert "Nie możesz zgłosić własnej wiadomości." in own.content.decode()
    sign_in(client, people["author_editor"])
    mail.outbox.clear()
    client.post(url, {"comment": "Obraża nas."})
    client.post(url, {"comment": "Jeszcze raz."})
    assert AbuseReport.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert client.get("/partnerstwa/zgloszenia/").status_code == 403
    sign_in(client, admin, officer=True)
    assert "Obraża nas." in client.get("/partnerstwa/zgloszenia/").content.decode()


def test_the_conversation_is_kept_after_the_announcement_is_archived(client, sides):
    _author, _interested, made, people = sides
    _start(client, made, people["choir"])
    perform(ANNOUNCEMENT, made, "archive", actor=people["author_admin"])
    conversation = Conversation.objects.get()
    sign_in(client, people["author_admin"])
    client.post(conversation.get_absolute_url(), {"text": "Wracamy do rozmowy."})
    assert conversation.messages.count() == 2
    assert _start(client, made, OrganisationMembershipFactory().user).status_code == 403  # no new ones


def test_a_partnership_is_proposed_by_one_side_and_confirmed_by_the_other(client, sides):
    _author, _interested, made, people = sides
    _start(client, made, people["choir"])
    conversation = Conversation.objects.get()
    propose = f"/partnerstwa/rozmowy/{conversation.pk}/partnerstwo/"
    client.post(propose, {"leader": "announcer", "scope": "Chór przygotuje koncerty."})
    partnership = Partnership.objects.get()
    assert partnership.state == "proposed" and partnership.proposed_by_announcer is False
    again = client.post(propose, {"leader": "announcer", "scope": "Drugi raz."})
    assert again.status_code == 400 and Partnership.objects.count() == 1

    client.post(f"/partnerstwa/partnerstwo/{partnership.pk}/krok/confirm/")  # the proposing side may not
    partnership.refresh_from_db()
    assert partnership.state == "proposed"
    sign_in(client, people["author_editor"])
    mail.outbox.clear()
    client.post(f"/partnerstwa/partnerstwo/{partnership.pk}/krok/confirm/")
    partnership.refresh_from_db()
    assert partnership.state == "confirmed" and partnership.confirmed_by == people["author_editor"]
    assert [m.to for m in mail.outbox] == [["c1@prywatny.example"]]


def test_a_confirmed_partnership_starts_the_joint_offer_with_the_partner_filled_in(client, sides):
    author, interested, made, people = sides
    competition = CompetitionFactory(sphere=sphere("16"))
    _start(client, made, people["choir"])
    conversation = Conversation.objects.get()
    client.post(f"/partnerstwa/rozmowy/{conversation.pk}/partnerstwo/", {"leader": "announcer", "scope": "Koncerty."})
    partnership = Partnership.objects.get()
    url = f"/partnerstwa/partnerstwo/{partnership.pk}/oferta/"
    assert client.post(url, {"competition": competition.pk}).status_code == 403  # not confirmed yet
    sign_in(client, people["author_admin"])
    client.post(f"/partnerstwa/partnerstwo/{partnership.pk}/krok/confirm/")
    sign_in(client, people["choir"])
    assert client.post(url, {"competition": competition.pk}).status_code == 403  # the leader is the author

    sign_in(client, people["author_admin"])
    response = client.post(url, {"competition": competition.pk})
    offer = Offer.objects.get()
    assert response["Location"] == offer.get_absolute_url()
    assert offer.organisation == author and offer.competition == competition
    assert offer.title == made.title  # the draft names its task after the announcement; the leader edits it
    assert [(p.organisation, p.scope, p.state) for p in offer.partners.all()] == [(interested, "Koncerty.", "invited")]
    assert client.post(url, {"competition": competition.pk}).status_code == 403  # once
    assert Offer.objects.count() == 1


def test_an_authoritys_partnership_is_confirmed_but_makes_no_offer(client, sides, opolskie):
    from tests.competitions.factories import officer

    _author, _interested, _made, people = sides
    clerk = officer(opolskie)
    by_authority = announcement(authority=opolskie, author=clerk, spheres=["16"])
    _start(client, by_authority, people["choir"])
    conversation = Conversation.objects.get(announcement=by_authority)
    client.post(f"/partnerstwa/rozmowy/{conversation.pk}/partnerstwo/", {"leader": "interested", "scope": "Razem."})
    partnership = Partnership.objects.get()
    sign_in(client, clerk, officer=True)
    client.post(f"/partnerstwa/partnerstwo/{partnership.pk}/krok/confirm/")
    partnership.refresh_from_db()
    assert partnership.state == "confirmed"
    assert not people["choir"].has_perm("partnerships.start_joint_offer", partnership)


def test_the_author_writes_to_a_suggested_organisation_and_others_may_not(client, sides):
    _author, interested, made, people = sides
    url = f"/partnerstwa/{made.pk}/napisz/{interested.slug}/"
    sign_in(client, people["author_editor"])
    assert url in client.get(made.get_absolute_url()).content.decode()  # from its suggestions
    mail.outbox.clear()
    response = client.post(url, {"text": "Zapraszamy do partnerstwa."})
    conversation = Conversation.objects.get()
    assert response["Location"] == conversation.get_absolute_url()
    assert conversation.organisation == interested and conversation.messages.get().from_announcer
    assert [m.to for m in mail.outbox] == [["c1@prywatny.example"]]
    sign_in(client, people["choir"])
    assert client.post(url, {"text": "Piszę sam do siebie?"}).status_code == 403
    assert "Zapraszamy do partnerstwa." in client.get(conversation.get_absolute_url()).content.decode()
    draft = announcement(organisation=_author, author=people["author_admin"], state="draft")
    sign_in(client, people["author_admin"])
    response = client.post(f"/partnerstwa/{draft.pk}/napisz/{interested.slug}/", {"text": "Za wcześnie."})
    assert "Najpierw opublikuj ogłoszenie" in response.content.decode() and Conversation.objects.count() == 1
