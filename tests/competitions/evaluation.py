"""Helpers of increment 2's tests: a competition past its deadline with submitted offers, a commission."""

from datetime import timedelta

from django.utils import timezone

from ngo_platform.competitions import services
from ngo_platform.competitions.canonical import sha256_hex as sha
from ngo_platform.competitions.models import Competition, CompetitionState, Offer, OfferState, OfferSubmission
from tests.accounts.factories import UserFactory
from tests.competitions.factories import CompetitionFactory, complete_offer, officer, verified_organisation


def submitted_offers(competition, n, *, grants=None, names=None):
    """`n` offers submitted through the services, then the deadline moved into the past."""
    offers = []
    for i in range(n):
        organisation = verified_organisation(name=(names[i] if names else f"Stowarzyszenie Ofertowe {i}"))
        grant = grants[i] if grants else 8_000_00
        offer = complete_offer(competition, organisation, grant=grant, own=10_000_00 - grant, title=f"Zadanie {i}")
        services.offer_submit(actor=offer.creator, offer=offer)
        offers.append(Offer.objects.get(pk=offer.pk))
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=timezone.now() - timedelta(minutes=1))
    competition.refresh_from_db()
    return offers


def in_formal_check(n=3, **kwargs):
    competition = CompetitionFactory(**kwargs)
    clerk = officer(competition.authority)
    offers = submitted_offers(competition, n)
    services.formal_check_start(actor=clerk, competition=competition)
    competition.refresh_from_db()
    return competition, clerk, offers


def all_met(clerk, offer):
    services.formal_mark(
        actor=clerk, offer=offer, marks={item.pk: (True, "") for item in offer.competition.formal_items.all()}
    )


def in_evaluation(n=3, members=2, **kwargs):
    """A competition under evaluation: `n` formally correct offers, `members` members who signed."""
    competition, clerk, offers = in_formal_check(n, **kwargs)
    for offer in offers:
        all_met(clerk, offer)
        services.formal_decide(actor=clerk, offer=offer, correct=True)
    people = []
    for i in range(members):
        person = UserFactory(full_name=f"Członek Komisji {i}")
        services.commission_appoint(actor=clerk, competition=competition, user=person, role="official", chair=i == 0)
        people.append(person)
    services.evaluation_start(actor=clerk, competition=competition)
    competition.refresh_from_db()
    for person in people:
        member = competition.commission.get(user=person)
        services.declaration_sign(
            actor=person, competition=competition, digest=sha(services.declaration_text(member, competition))
        )
    return competition, clerk, [Offer.objects.get(pk=o.pk) for o in offers], people


def score_all(person, offer, points):
    """Score every criterion of the offer; `points` is a list (one per criterion) or an int for all."""
    criteria = list(offer.competition.criteria.all())
    values = points if isinstance(points, list) else [points] * len(criteria)
    services.score_offer(
        actor=person, offer=offer, scores={c.pk: (p, f"Uzasadnienie {p} pkt") for c, p in zip(criteria, values)}
    )


__all__ = [
    "CompetitionState",
    "OfferState",
    "OfferSubmission",
    "in_evaluation",
    "in_formal_check",
    "score_all",
    "submitted_offers",
]
