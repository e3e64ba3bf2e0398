"""Who may do what in competitions for offers."""

import rules

from ngo_platform.accounts.memberships import remembered
from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.accounts.rules import (
    is_active_person,
    is_any_organisation_member,
    is_authority_member,
    is_platform_admin,
    organisation_role,
)
from ngo_platform.core.arrival import arrived_at


def _authority(obj):
    """The authority of a competition, an offer or an authority itself."""
    competition = getattr(obj, "competition", obj)
    return getattr(competition, "authority", competition)


@rules.predicate
def is_officer_of_the_authority(user, obj) -> bool:
    """An officer of the authority that announces the competition (obj: authority, competition or offer)."""
    if obj is None or not is_active_person(user):
        return False
    return is_authority_member(user, _authority(obj))


@rules.predicate
def is_member_of_the_applicant(user, offer) -> bool:
    """An admin or editor of the offer's lead organisation."""
    return offer is not None and organisation_role(user, offer.organisation_id) is not None


@rules.predicate
def is_admin_of_the_applicant(user, offer) -> bool:
    """An admin of the lead organisation: submits and withdraws on its behalf."""
    return offer is not None and organisation_role(user, offer.organisation_id) == OrganisationRole.ADMIN


@rules.predicate
def is_member_of_a_partner(user, offer) -> bool:
    if offer is None or not is_active_person(user):
        return False
    return user.organisation_memberships.filter(organisation__competition_partnerships__offer=offer).exists()


@rules.predicate
def is_admin_of_the_partner(user, partner) -> bool:
    """An admin of the partner organisation: confirms its part of a joint offer."""
    return partner is not None and organisation_role(user, partner.organisation_id) == OrganisationRole.ADMIN


@rules.predicate
def offer_is_submitted(user, offer) -> bool:
    """Past the draft: the authority sees offers only once they are submitted."""
    return offer is not None and offer.state != "draft"


may_manage = is_officer_of_the_authority | is_platform_admin

rules.add_perm("competitions.manage_competition", may_manage)
rules.add_perm("competitions.edit_offer", is_member_of_the_applicant)
rules.add_perm("competitions.submit_offer", is_admin_of_the_applicant)
rules.add_perm("competitions.confirm_partnership", is_admin_of_the_partner)


# --- The commission and the results ---------------------------------------------------------------

EVALUATED = ("formally_correct", "evaluated", "funded", "not_funded")


def _seat(user, competition):
    """The person's seat on the competition's commission (or None), read once per request."""
    from ngo_platform.competitions.models import CommissionMember

    competition_id = getattr(competition, "pk", competition)
    return remembered(
        ("commission_seat", user.pk, competition_id),
        lambda: (
            CommissionMember.objects.filter(competition_id=competition_id, user=user).only("id", "declared_at").first()
        ),
    )


def remember_seat(user, competition, seat) -> None:
    """Tell the rules the person's seat on the competition's commission, read elsewhere (the desk reads all the
    person's seats in one query), so that `_seat` does not read it again in this request."""
    remembered(("commission_seat", user.pk, competition.pk), lambda: seat)


@rules.predicate
def is_commission_member(user, competition) -> bool:
    """Appointed to the commission of the competition (signed or not)."""
    if competition is None or not is_active_person(user):
        return False
    return _seat(user, competition) is not None


@rules.predicate
def may_evaluate_offer(user, offer) -> bool:
    """A commission member who signed the impartiality declaration and did not step aside from this
    offer, once the offer is formally correct and the commission evaluates (or the results are out)."""
    if offer is None or not is_active_person(user) or offer.state not in EVALUATED:
        return False
    if offer.competition.state not in ("evaluation", "decided", "results"):
        return False
    seat = _seat(user, offer.competition_id)
    return seat is not None and seat.declared_at is not None and not seat.recusals.filter(offer=offer).exists()


@rules.predicate
def not_barred_on_the_commission(user, offer) -> bool:
    """False for a commission member who has not signed the declaration yet, or who stepped aside from
    this offer: whatever other role they have (an officer of the authority too), they do not see it."""
    if offer is None or not is_active_person(user) or offer.state == "draft":
        return True
    seat = _seat(user, offer.competition_id)
    if seat is None:
        return True
    return seat.declared_at is not None and not seat.recusals.filter(offer=offer).exists()


@rules.predicate
def results_are_published(user, offer) -> bool:
    return offer is not None and offer.competition.state == "results"


rules.add_perm("competitions.sit_on_commission", is_commission_member)
# Never an offer of one's own organisation (art. 15 ust. 2d UDPP: no one representing an applicant evaluates).
rules.add_perm(
    "competitions.evaluate_offer", may_evaluate_offer & ~is_member_of_the_applicant & ~is_member_of_a_partner
)
# The authority reads score cards of submitted offers; the applicant (and its partners) their own once the
# results are published.
rules.add_perm(
    "competitions.view_score_cards",
    (
        (may_manage & offer_is_submitted)
        | ((is_member_of_the_applicant | is_member_of_a_partner) & results_are_published)
    )
    & not_barred_on_the_commission,
)
# Officers see offers once submitted; commission members only after signing, never one they stepped aside from.
rules.add_perm(
    "competitions.view_offer",
    (
        is_member_of_the_applicant
        | is_member_of_a_partner
        | (may_manage & offer_is_submitted)
        | (may_evaluate_offer & ~is_member_of_the_applicant & ~is_member_of_a_partner)
    )
    & not_barred_on_the_commission,
)


# --- Who may, and when: the stage of the competition each step needs ---------------------------------------


def at_stage(*stages):
    """A predicate true while the competition (obj: competition or offer) is at one of `stages`."""

    @rules.predicate(name=f"at_stage({', '.join(stages)})")
    def predicate(user, obj) -> bool:
        competition = getattr(obj, "competition", obj)
        return competition is not None and getattr(competition, "state", None) in stages

    return predicate


# Members are appointed until the decision; they sign the declaration once there are offers to see.
rules.add_perm("competitions.appoint_commission", may_manage & at_stage("published", "formal_check", "evaluation"))
rules.add_perm("competitions.sign_declaration", is_commission_member & at_stage("formal_check", "evaluation"))
# The checklist is set before and during the formal check; amounts and the decision during the evaluation;
# the results are published once decided.
rules.add_perm("competitions.set_checklist", may_manage & at_stage("published", "formal_check"))
rules.add_perm("competitions.decide_grants", may_manage & at_stage("evaluation"))
rules.add_perm("competitions.publish_results", may_manage & at_stage("decided"))


@rules.predicate
def accepting_offers(user, competition) -> bool:
    """Published and before the offers' deadline, to the second, by when the request arrived (core.arrival)."""
    return competition is not None and competition.accepting_offers(arrived_at())


# An offer is started on behalf of an organisation the person represents, while the competition takes offers.
rules.add_perm("competitions.start_offer", is_any_organisation_member & accepting_offers)
