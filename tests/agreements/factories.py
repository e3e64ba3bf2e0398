"""Funded offers (submitted through the competitions' services, then marked funded directly, as the
results increment would) and agreements at any stage, made through the services."""

from datetime import date

from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from ngo_platform.agreements import services
from ngo_platform.competitions import services as competition_services
from ngo_platform.competitions.models import Offer, OfferState
from tests.competitions.factories import CompetitionFactory, complete_offer, member, officer, verified_organisation

IBAN = "PL61 1090 1014 0000 0712 1981 2874"


def funded_offer(*, competition=None, organisation=None, submit=True, **kwargs) -> Offer:
    """An offer for 8 000 zł of 10 000 zł costs (10% own), submitted with its receipt, then funded."""
    competition = competition or CompetitionFactory()
    offer = complete_offer(competition, organisation, **kwargs)
    if submit:
        competition_services.offer_submit(actor=offer.creator, offer=offer)
    Offer.objects.filter(pk=offer.pk).update(state=OfferState.FUNDED)
    offer.refresh_from_db()
    offer.creator = offer.created_by
    return offer


def ready_agreement(offer=None, *, clerk=None, granted=None, send=True, sign=False, **data):
    """An agreement filled in completely (and sent / signed when asked)."""
    offer = offer or funded_offer()
    clerk = clerk or officer_with_mfa(offer.competition.authority)
    agreement = services.agreement_create(actor=clerk, offer=offer)
    values = {
        "authority_signatories": "Jan Kowalski – Członek Zarządu Województwa",
        "place": "Opole",
        "account_number": IBAN.replace(" ", ""),
        **data,
    }
    if granted is not None:
        values["granted_amount"] = granted
    signatories = {party.pk: party.signatories or "Ewa Partnerska – prezeska" for party in agreement.parties.all()}
    amount = values.get("granted_amount", agreement.granted_amount)
    services.agreement_update(
        actor=clerk,
        agreement=agreement,
        data=values,
        signatories=signatories,
        instalments=[{"due_on": agreement.task_start, "amount": amount}],
    )
    if send:
        services.agreement_send(actor=clerk, agreement=agreement)
    if sign:
        services.agreement_sign(actor=clerk, agreement=agreement, signed_on=timezone.localdate())
    agreement.refresh_from_db()
    agreement.clerk = clerk
    return agreement


def officer_with_mfa(authority):
    person = officer(authority)
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    return person


__all__ = [
    "CompetitionFactory",
    "IBAN",
    "date",
    "funded_offer",
    "member",
    "officer",
    "officer_with_mfa",
    "ready_agreement",
    "verified_organisation",
]
