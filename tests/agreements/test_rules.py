"""Who may: each permission against each kind of person, including every negative case."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.agreements import services
from ngo_platform.competitions.models import OfferPartner, PartnerState
from tests.accounts.factories import UserFactory
from tests.agreements.factories import funded_offer, member, officer_with_mfa, ready_agreement, verified_organisation

pytestmark = pytest.mark.django_db


def test_permissions_matrix(opolskie, gmina_brzeg):
    offer = funded_offer()
    partner = verified_organisation()
    OfferPartner.objects.create(
        offer=offer, organisation=partner, state=PartnerState.CONFIRMED, invited_by=offer.created_by
    )
    agreement = ready_agreement(offer, send=False)
    people = {
        "officer": agreement.clerk,
        "other_officer": officer_with_mfa(gmina_brzeg),
        "platform_admin": UserFactory(is_staff=True),
        "lead_admin": member(offer.organisation),
        "lead_editor": member(offer.organisation, role=OrganisationRole.EDITOR),
        "partner_admin": member(partner),
        "stranger": member(verified_organisation()),
        "anonymous": AnonymousUser(),
    }

    def allowed(perm, obj):
        return {name for name, person in people.items() if person.has_perm(perm, obj)}

    assert allowed("agreements.manage_agreement", agreement) == {"officer", "platform_admin"}
    assert allowed("agreements.manage_agreement", offer) == {"officer", "platform_admin"}
    # A draft is the authority's; once sent, every organisation of the agreement sees it.
    assert allowed("agreements.view_agreement", agreement) == {"officer", "platform_admin"}
    assert allowed("agreements.fill_agreement", agreement) == set()
    services.agreement_send(actor=agreement.clerk, agreement=agreement)
    agreement.refresh_from_db()
    assert allowed("agreements.view_agreement", agreement) == {
        "officer",
        "platform_admin",
        "lead_admin",
        "lead_editor",
        "partner_admin",
    }
    assert allowed("agreements.fill_agreement", agreement) == {"lead_admin"}
    assert allowed("agreements.view_organisation", offer.organisation) == {
        "platform_admin",
        "lead_admin",
        "lead_editor",
    }
    assert allowed("agreements.view_organisation", partner) == {"platform_admin", "partner_admin"}
