"""One test per rule of competitions: who may and who may not, at every stage the rule looks at.

`scene(stage)` builds, through the services, a competition with a joint offer (a lead organisation and a
confirmed partner) and a rival offer, brought to the stage named, and the people around it: the platform
admin, an officer of the announcing authority and one of another authority, the lead's admin and editor,
the partner's admin and editor, the rival applicant's admin, the commission (a member who signed the
declaration, one who did not, one who signed and stepped aside from the joint offer, an officer of the
authority appointed to it who did not sign), a stranger and an anonymous visitor.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.competitions import services
from ngo_platform.competitions.canonical import sha256_hex as sha
from ngo_platform.competitions.models import Competition, CompetitionState, Offer, OfferPartner, OfferState
from ngo_platform.territory.models import Authority
from tests.accounts.factories import UserFactory
from tests.competitions.evaluation import all_met, in_formal_check
from tests.competitions.factories import CompetitionFactory, complete_offer, member, officer, verified_organisation

pytestmark = pytest.mark.django_db
CS = CompetitionState

# The scene's stages in order; "submitted": the competition is still published, both offers are submitted.
# "annulled" is reached from the evaluation.
STAGES = ["draft", "published", "submitted", "formal_check", "evaluation", "decided", "results", "annulled"]
WITH_OFFERS = STAGES[1:]
MANAGERS = {"platform_admin", "officer"}
APPLICANTS = {"lead_admin", "lead_editor", "partner_admin", "partner_editor"}
COMMISSION = {"member", "unsigned", "recused", "officer_member"}


@dataclass
class Scene:
    competition: Competition
    people: dict
    offer: Offer | None = None  # the joint offer
    rival: Offer | None = None
    partner: OfferPartner | None = None

    def allowed(self, perm, obj=None):
        return {name for name, person in self.people.items() if person.has_perm(perm, obj)}


def _sign(person, competition):
    seat = competition.commission.get(user=person)
    services.declaration_sign(
        actor=person, competition=competition, digest=sha(services.declaration_text(seat, competition))
    )


def _through(stage, step):
    """Whether the scene for `stage` goes through `step` (an annulled competition went up to the evaluation)."""
    target = "evaluation" if stage == "annulled" else stage
    return STAGES.index(target) >= STAGES.index(step)


def scene(stage) -> Scene:
    draft = stage == "draft"
    competition = CompetitionFactory(**({"state": CS.DRAFT, "published_at": None} if draft else {}))
    clerk = officer(competition.authority)
    lead, partner_org, rival_org = (verified_organisation() for _ in range(3))
    p = {
        "platform_admin": UserFactory(is_staff=True),
        "officer": clerk,
        "other_officer": officer(Authority.objects.get(unit__teryt="1601011")),
        "lead_admin": member(lead),
        "lead_editor": member(lead, role=OrganisationRole.EDITOR),
        "partner_admin": member(partner_org),
        "partner_editor": member(partner_org, role=OrganisationRole.EDITOR),
        "rival_admin": member(rival_org),
        "member": UserFactory(),
        "unsigned": UserFactory(),
        "recused": UserFactory(),
        "officer_member": officer(competition.authority),
        "stranger": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    if draft:  # no offers, no commission yet
        return Scene(competition, p)
    offer = complete_offer(competition, lead, created_by=p["lead_admin"], lead_cost_share=6_000_00)
    partner = services.offer_partner_add(
        actor=p["lead_admin"], offer=offer, organisation=partner_org, scope="Koncert 3", cost_share=4_000_00
    )
    services.offer_partner_confirm(actor=p["partner_admin"], partner=partner, agree=True)
    rival = complete_offer(competition, rival_org, created_by=p["rival_admin"], title="Zadanie rywala")
    for name in ("member", "unsigned", "recused", "officer_member"):
        services.commission_appoint(
            actor=clerk, competition=competition, user=p[name], role="official", chair=name == "member"
        )
    if _through(stage, "submitted"):
        for each in (offer, rival):
            services.offer_submit(actor=each.creator, offer=each)
    if _through(stage, "formal_check"):
        Competition.objects.filter(pk=competition.pk).update(offers_deadline=timezone.now() - timedelta(minutes=1))
        competition.refresh_from_db()
        services.formal_check_start(actor=clerk, competition=competition)
        competition.refresh_from_db()
        for name in ("member", "recused"):
            _sign(p[name], competition)
    if _through(stage, "evaluation"):
        for each in (offer, rival):
            all_met(clerk, Offer.objects.get(pk=each.pk))
            services.formal_decide(actor=clerk, offer=Offer.objects.get(pk=each.pk), correct=True)
        services.evaluation_start(actor=clerk, competition=competition)
        services.recuse(actor=p["recused"], offer=Offer.objects.get(pk=offer.pk), reason="Mój brat jest prezesem.")
    if _through(stage, "decided"):
        criteria = list(competition.criteria.all())
        for person, each, points in ((p["member"], offer, 8), (p["member"], rival, 6), (p["recused"], rival, 7)):
            scores = {c.pk: (points, f"Uzasadnienie {points} pkt") for c in criteria}
            services.score_offer(actor=person, offer=Offer.objects.get(pk=each.pk), scores=scores)
        services.amounts_propose(actor=clerk, competition=competition, amounts={offer.pk: 8_000_00})
        services.competition_decide(actor=clerk, competition=competition, reference="Uchwała nr 1/2026 Zarządu")
    if _through(stage, "results"):
        services.results_publish(actor=clerk, competition=competition)
    if stage == "annulled":
        services.competition_annul(actor=clerk, competition=competition, ground="reserved", reason="Brak środków.")
    competition = Competition.objects.get(pk=competition.pk)
    assert competition.state == ("published" if stage == "submitted" else stage)
    offer, rival = (Offer.objects.select_related("competition").get(pk=o.pk) for o in (offer, rival))
    return Scene(competition, p, offer, rival, OfferPartner.objects.get(pk=partner.pk))


@pytest.mark.parametrize("stage", STAGES)
def test_manage_competition(opolskie, gmina_brzeg, stage):
    s = scene(stage)
    # An officer of the authority manages at every stage, even when sitting on the commission unsigned.
    officers = MANAGERS | {"officer_member"}
    assert s.allowed("competitions.manage_competition", s.competition) == officers
    assert s.allowed("competitions.manage_competition", opolskie) == officers
    # An officer of another authority manages its own authority's competitions, not these.
    assert s.allowed("competitions.manage_competition", gmina_brzeg) == {"platform_admin", "other_officer"}
    # Without an object: the platform admin only.
    assert s.allowed("competitions.manage_competition") == {"platform_admin"}
    if s.offer is not None:
        assert s.allowed("competitions.manage_competition", s.offer) == officers


@pytest.mark.parametrize("stage", STAGES)
def test_start_offer(opolskie, stage):
    """Anyone who represents some organisation (admin or editor), only while the competition takes offers."""
    s = scene(stage)
    representatives = APPLICANTS | {"rival_admin"}
    accepting = stage in ("published", "submitted")
    assert s.allowed("competitions.start_offer", s.competition) == (representatives if accepting else set())


def test_start_offer_ends_at_the_deadline_to_the_second_and_for_a_deactivated_account(opolskie):
    s = scene("published")
    deadline = timezone.now() + timedelta(seconds=30)
    Competition.objects.filter(pk=s.competition.pk).update(offers_deadline=deadline)
    competition = Competition.objects.get(pk=s.competition.pk)
    admin = s.people["lead_admin"]
    assert admin.has_perm("competitions.start_offer", competition)
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=timezone.now())
    assert not admin.has_perm("competitions.start_offer", Competition.objects.get(pk=competition.pk))
    admin.is_active = False
    assert not admin.has_perm("competitions.start_offer", competition)


@pytest.mark.parametrize("stage", STAGES)
def test_sit_on_commission(opolskie, stage):
    s = scene(stage)
    # Appointed (signed or not, stepped aside or not) sits, at any stage; nobody else, not even the officer.
    assert s.allowed("competitions.sit_on_commission", s.competition) == (set() if stage == "draft" else COMMISSION)
    other = CompetitionFactory()
    assert s.allowed("competitions.sit_on_commission", other) == set()


@pytest.mark.parametrize("stage", WITH_OFFERS)
def test_edit_offer(opolskie, stage):
    s = scene(stage)
    # The lead organisation's admins and editors, at any stage: what may change when is the services'
    # `selectors.edit_refusal`. Not the partners, nor the authority.
    assert s.allowed("competitions.edit_offer", s.offer) == {"lead_admin", "lead_editor"}
    assert s.allowed("competitions.edit_offer", s.rival) == {"rival_admin"}


@pytest.mark.parametrize("stage", WITH_OFFERS)
def test_submit_offer(opolskie, stage):
    s = scene(stage)
    # Only an admin of the lead organisation submits and withdraws (the state and the deadline are the services').
    assert s.allowed("competitions.submit_offer", s.offer) == {"lead_admin"}
    assert s.allowed("competitions.submit_offer", s.rival) == {"rival_admin"}


@pytest.mark.parametrize("stage", WITH_OFFERS)
def test_confirm_partnership(opolskie, stage):
    s = scene(stage)
    # Only an admin of the partner organisation (after the submission the service refuses the change).
    assert s.allowed("competitions.confirm_partnership", s.partner) == {"partner_admin"}
    if stage == "published":  # a partnership still waiting for the confirmation: the same
        invited = services.offer_partner_add(
            actor=s.people["rival_admin"], offer=s.rival, organisation=s.partner.organisation, scope="", cost_share=0
        )
        assert s.allowed("competitions.confirm_partnership", invited) == {"partner_admin"}


# Who may evaluate (joint offer, rival offer): only members who signed and did not step aside, once the offers are
# formally correct and the commission evaluates (and afterwards, to read their cards); nobody once annulled.
EVALUATE = {
    "published": (set(), set()),
    "submitted": (set(), set()),
    "formal_check": (set(), set()),  # signed already, but the formal check is not the commission's
    "evaluation": ({"member"}, {"member", "recused"}),
    "decided": ({"member"}, {"member", "recused"}),
    "results": ({"member"}, {"member", "recused"}),
    "annulled": (set(), set()),
}


@pytest.mark.parametrize("stage", WITH_OFFERS)
def test_evaluate_offer(opolskie, stage):
    s = scene(stage)
    joint, rival = EVALUATE[stage]
    assert s.allowed("competitions.evaluate_offer", s.offer) == joint
    assert s.allowed("competitions.evaluate_offer", s.rival) == rival


# Who sees the offers: the applicants always; the authority once submitted (an officer on the commission only
# after signing); the commission members who may evaluate it; never a member who stepped aside from it.
SEEN_BY_EVALUATORS = (APPLICANTS | MANAGERS | {"member"}, MANAGERS | {"rival_admin", "member", "recused"})
VIEW = {
    "published": (APPLICANTS, {"rival_admin"}),
    "submitted": (APPLICANTS | MANAGERS, MANAGERS | {"rival_admin"}),
    "formal_check": (APPLICANTS | MANAGERS, MANAGERS | {"rival_admin"}),
    "evaluation": SEEN_BY_EVALUATORS,
    "decided": SEEN_BY_EVALUATORS,
    "results": SEEN_BY_EVALUATORS,
    "annulled": (APPLICANTS | MANAGERS, MANAGERS | {"rival_admin"}),
}


@pytest.mark.parametrize("stage", WITH_OFFERS)
def test_view_offer(opolskie, stage):
    s = scene(stage)
    joint, rival = VIEW[stage]
    assert s.allowed("competitions.view_offer", s.offer) == joint
    assert s.allowed("competitions.view_offer", s.rival) == rival


# The score cards: the authority at any stage; the applicants and partners of the offer once the results are
# published (not after the decision alone); never the commission's members on this page.
SCORE_CARDS = {
    # A draft's score cards stay with nobody, as the draft itself (`view_offer`).
    "published": (set(), set()),
    "submitted": (MANAGERS, MANAGERS),
    "formal_check": (MANAGERS, MANAGERS),
    "evaluation": (MANAGERS, MANAGERS),
    "decided": (MANAGERS, MANAGERS),
    "results": (MANAGERS | APPLICANTS, MANAGERS | {"rival_admin"}),
    "annulled": (MANAGERS, MANAGERS),
}


@pytest.mark.parametrize("stage", WITH_OFFERS)
def test_view_score_cards(opolskie, stage):
    s = scene(stage)
    joint, rival = SCORE_CARDS[stage]
    assert s.allowed("competitions.view_score_cards", s.offer) == joint
    assert s.allowed("competitions.view_score_cards", s.rival) == rival


def test_offer_states_the_commission_and_the_authority_see(opolskie):
    """Evaluated and seen by the commission only when formally correct; a rejected or withdrawn offer stays
    visible to the authority and the applicant."""
    competition, clerk, (correct, rejected) = in_formal_check(2)
    all_met(clerk, correct)
    services.formal_decide(actor=clerk, offer=correct, correct=True)
    services.formal_decide(actor=clerk, offer=rejected, correct=False, reason="Brak podpisu.")
    person, admin = UserFactory(), rejected.organisation.memberships.get(role="admin").user
    services.commission_appoint(actor=clerk, competition=competition, user=person, role="official", chair=True)
    services.evaluation_start(actor=clerk, competition=competition)
    _sign(person, Competition.objects.get(pk=competition.pk))
    correct, rejected = (Offer.objects.select_related("competition").get(pk=o.pk) for o in (correct, rejected))
    assert rejected.state == OfferState.FORMALLY_REJECTED
    assert person.has_perm("competitions.evaluate_offer", correct)
    assert person.has_perm("competitions.view_offer", correct)
    assert not person.has_perm("competitions.evaluate_offer", rejected)
    assert not person.has_perm("competitions.view_offer", rejected)
    assert clerk.has_perm("competitions.view_offer", rejected) and admin.has_perm("competitions.view_offer", rejected)
    assert not AnonymousUser().has_perm("competitions.view_offer", rejected)

    withdrawn = complete_offer()
    applicant = withdrawn.creator
    services.offer_submit(actor=applicant, offer=withdrawn)
    services.offer_withdraw(actor=applicant, offer=withdrawn)
    withdrawn = Offer.objects.select_related("competition").get(pk=withdrawn.pk)
    assert withdrawn.state == OfferState.WITHDRAWN
    assert officer(withdrawn.competition.authority).has_perm("competitions.view_offer", withdrawn)
    assert applicant.has_perm("competitions.view_offer", withdrawn)
    assert not officer(Authority.objects.get(unit__teryt="1601011")).has_perm("competitions.view_offer", withdrawn)


def test_a_member_of_the_applicant_on_the_commission_does_not_evaluate_its_own_offer(opolskie):
    """An admin of an applicant, appointed as the authority's representative and signed, still never evaluates the
    offer of their own organisation (art. 15 ust. 2d UDPP)."""
    competition, clerk, (offer,) = in_formal_check(1)
    insider = offer.organisation.memberships.get(role="admin").user
    all_met(clerk, offer)
    services.formal_decide(actor=clerk, offer=offer, correct=True)
    services.commission_appoint(actor=clerk, competition=competition, user=insider, role="official", chair=True)
    services.evaluation_start(actor=clerk, competition=competition)
    _sign(insider, Competition.objects.get(pk=competition.pk))
    offer = Offer.objects.select_related("competition").get(pk=offer.pk)
    assert not insider.has_perm("competitions.evaluate_offer", offer)
    assert insider.has_perm("competitions.view_offer", offer)  # as a member of the applicant, not as its judge


def test_predicates_refuse_missing_objects_and_anonymous_users(opolskie):
    from ngo_platform.competitions import rules as r

    person = UserFactory()
    for predicate in (
        r.is_officer_of_the_authority,
        r.is_member_of_the_applicant,
        r.is_admin_of_the_applicant,
        r.is_member_of_a_partner,
        r.is_admin_of_the_partner,
        r.is_commission_member,
        r.may_evaluate_offer,
        r.offer_is_submitted,
        r.results_are_published,
    ):
        assert not predicate(person, None), predicate
    offer = complete_offer()
    assert not r.is_officer_of_the_authority(AnonymousUser(), offer)
    assert r.not_barred_on_the_commission(AnonymousUser(), offer)  # neutral: the other predicates decide


# --- Who may, and when ----------------------------------------------------------------------------------------

WHEN = {
    "competitions.appoint_commission": {"published", "formal_check", "evaluation"},
    "competitions.set_checklist": {"published", "formal_check"},
    "competitions.decide_grants": {"evaluation"},
    "competitions.publish_results": {"decided"},
}


@pytest.mark.parametrize("perm", sorted(WHEN))
@pytest.mark.parametrize("stage", WITH_OFFERS)
def test_the_officers_steps_only_at_their_stage(opolskie, stage, perm):
    s = scene(stage)
    competition = Competition.objects.get(pk=s.offer.competition_id)
    # The officer on the commission is an officer of the authority first.
    expected = MANAGERS | {"officer_member"} if competition.state in WHEN[perm] else set()
    assert s.allowed(perm, competition) == expected


@pytest.mark.parametrize("stage", WITH_OFFERS)
def test_the_declaration_is_signed_by_members_during_the_formal_check_and_the_evaluation(opolskie, stage):
    s = scene(stage)
    competition = Competition.objects.get(pk=s.offer.competition_id)
    signers = s.allowed("competitions.sign_declaration", competition)
    if competition.state in ("formal_check", "evaluation"):
        assert signers == COMMISSION
    else:
        assert signers == set()
