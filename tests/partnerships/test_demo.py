from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.partnerships.models import Announcement, Conversation, Partnership
from tests.core.query_fixtures import sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_has_announcements_a_conversation_and_a_partnership_with_its_joint_offer(reference_data, client):
    call_command("seed_demo", stdout=StringIO())
    announcements = Announcement.objects.filter(state="published")
    parties = {str(a.party) for a in announcements}
    assert len(parties) == 4 and any(a.authority_id for a in announcements)
    conversation = Conversation.objects.get()
    assert conversation.messages.count() == 2
    partnership = Partnership.objects.get()
    assert partnership.state == "confirmed" and partnership.leader == "interested"
    offer = partnership.offer
    assert offer.organisation == conversation.organisation and offer.competition.slug.startswith("kultura")
    assert [p.organisation for p in offer.partners.all()] == [conversation.announcement.organisation]

    from ngo_platform.accounts.models import User

    ngo = User.objects.get(email="ngo@demo.ngo-platform.pl")
    sign_in(client, ngo)
    page = client.get(conversation.announcement.get_absolute_url()).content.decode()
    assert "Dlaczego:" in page and conversation.get_absolute_url() in page  # suggestions, the conversation
    assert "Partnerstwo" in client.get(conversation.get_absolute_url()).content.decode()
    call_command("seed_demo", stdout=StringIO())
    assert (Announcement.objects.count(), Partnership.objects.count()) == (4, 1)
