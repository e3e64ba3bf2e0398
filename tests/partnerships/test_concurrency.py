"""Exactly once, on PostgreSQL: a partnership's joint offer started by two representatives of the leader at the same
moment (or one double click) is one offer with one partner; the other start is refused, nothing half-made."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from ngo_platform.competitions.models import Offer, OfferPartner
from ngo_platform.partnerships import conversations
from tests.accounts.factories import OrganisationMembershipFactory
from tests.competitions.factories import CompetitionFactory
from tests.partnerships.factories import announcement, organisation

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_two_starts_of_the_joint_offer_at_once_make_one_offer(reference_data):
    author = organisation(name="Autorzy", spheres=["16"], verified_at=timezone.now())
    choir = organisation(name="Chór", spheres=["16"], verified_at=timezone.now())
    leaders = [OrganisationMembershipFactory(organisation=author).user for _ in range(2)]
    singer = OrganisationMembershipFactory(organisation=choir).user
    made = announcement(organisation=author, author=leaders[0], spheres=["16"])
    conversation = conversations.conversation_start(actor=singer, announcement=made, organisation=choir, text="Hej.")
    partnership = conversations.partnership_propose(
        actor=singer, conversation=conversation, leader="announcer", scope="Koncerty."
    )
    partnership = conversations.partnership_confirm(actor=leaders[0], partnership=partnership)
    competition = CompetitionFactory()
    barrier = threading.Barrier(4)

    def start(actor):
        barrier.wait()
        try:
            conversations.joint_offer_start(actor=actor, partnership=partnership, competition=competition)
            return "ok"
        except Exception as error:
            return type(error).__name__
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(start, [*leaders, *leaders]))
    assert outcomes.count("ok") == 1 and set(outcomes) - {"ok"} <= {"PartnershipError", "PermissionDenied"}
    assert Offer.objects.count() == 1 and OfferPartner.objects.count() == 1
    partnership.refresh_from_db()
    assert partnership.offer == Offer.objects.get()
