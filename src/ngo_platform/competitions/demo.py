"""Demo competitions for `ngo-platform seed_demo` (idempotent).

The Opole voivodeship's open competition on culture, accepting offers (published ten days before
seeding, deadline in fourteen days: the statutory 21 days hold), with:
- a draft offer of the demo NGO (ngo@…, Stowarzyszenie Przyjaciół Ziemi Brzeskiej) to continue;
- an offer of another organisation submitted through `services.offer_submit`, with its receipt.
Demo organisations are not verified on the platform, so the competition admits unverified ones
(`require_verified=False`). The announcement is stored as history (the services refuse a publication
date in the past); the submission goes through the services and is audited.
Later increments add a competition under evaluation, one with results and a small grant.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationMembership, OrganisationRole, User
from ngo_platform.accounts.services import organisation_membership_set
from ngo_platform.competitions import selectors, services
from ngo_platform.competitions.models import (
    Competition,
    CompetitionState,
    CompetitionVersion,
    CostCategory,
    CostLine,
    EvaluationCriterion,
    Offer,
    OfferAction,
    OfferResult,
)
from ngo_platform.competitions.money import line_total
from ngo_platform.core.services import audit_log
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority

SLUG = "kultura-2026-demo"
DEMO_NGO_SLUG = "stowarzyszenie-przyjaciol-ziemi-brzeskiej"
SUBMITTER = "oferty-demo@demo.ngo-platform.pl"


def _offer(competition, organisation, creator, title, grant, own) -> Offer:
    year = competition.task_start.year
    offer = Offer.objects.create(
        competition=competition, organisation=organisation, created_by=creator, title=title,
        contact_name=creator.full_name or "Osoba kontaktowa", contact_email=creator.email,
        date_from=date(year, 6, 1), date_to=date(year, 9, 30),
        summary="Cykl koncertów i warsztatów w świetlicach wiejskich dla seniorów i dzieci.",
        expected_results="Sześć koncertów, dwa warsztaty, co najmniej 300 uczestników.",
        resources="Zespół wolontariuszy, nagłośnienie, świetlice udostępnione przez sołectwa.",
        paid_activity="free", tax_arrears="none", signatories="Prezes zarządu\nSkarbnik",
        declares_pbo_only=True, declares_fees_rules=True, declares_register_data=True, declares_truth=True, declares_gdpr=True,
        grant_requested=grant, own_financial=own // 2, own_personal=own - own // 2,
    )
    concerts = OfferAction.objects.create(offer=offer, position=1, name="Koncerty w świetlicach", target_group="seniorzy", start=offer.date_from, end=offer.date_to)
    OfferAction.objects.create(offer=offer, position=2, name="Warsztaty muzyczne", target_group="dzieci")
    OfferResult.objects.create(offer=offer, position=1, name="Liczba uczestników", target_value="300", monitoring="listy obecności")
    total = grant + own
    admin = total // 10
    CostLine.objects.create(offer=offer, position=1, category=CostCategory.ACTION, action=concerts, name="Honoraria muzyków",
                            unit="koncert", unit_cost=total - admin, units=Decimal("1"), total=line_total(total - admin, Decimal("1")))
    CostLine.objects.create(offer=offer, position=2, category=CostCategory.ADMINISTRATIVE, name="Obsługa księgowa",
                            unit="usługa", unit_cost=admin, units=Decimal("1"), total=admin)
    return offer


@transaction.atomic
def seed() -> list:
    authority = Authority.objects.filter(unit__teryt="16").first()
    if authority is None or Competition.objects.filter(slug=SLUG).exists():
        return []
    now = timezone.now()
    year = timezone.localdate().year + (1 if timezone.localdate().month > 6 else 0)
    competition = Competition.objects.create(
        authority=authority, slug=SLUG, title="Otwarty konkurs ofert – kultura i tradycja regionu (demo)",
        task_kind="Wspieranie zadań z zakresu kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego",
        task_form="wspieranie", total_funds=200_000_00, min_grant=2_000_00, max_grant=20_000_00,
        own_contribution_min_bp=1000, admin_costs_max_bp=1500, eligible_entities="Organizacje pozarządowe i podmioty z art. 3 ust. 3 UDPP.",
        require_verified=False, task_start=date(year, 5, 1), task_end=date(year, 12, 15),
        offers_deadline=now + timedelta(days=14), funds_this_year=0, funds_last_year=185_000_00,
        required_attachments="Statut (jeśli nie ma go w KRS)\nPełnomocnictwo, jeśli ofertę podpisuje pełnomocnik",
        rules_text="Dotacje przyznaje Zarząd Województwa po ocenie komisji konkursowej. Oferty składa się na platformie.",
        state=CompetitionState.PUBLISHED, version=1, published_at=now - timedelta(days=10),
    )
    for n, criterion in enumerate(selectors.legal_parameters(authority=authority).default_criteria, start=1):
        EvaluationCriterion.objects.create(competition=competition, position=n, name=criterion["name"], max_points=criterion["max_points"])
    CompetitionVersion.objects.create(competition=competition, number=1, snapshot=services._snapshot(competition), published_at=competition.published_at)
    audit_log(actor=None, action="competitions.demo_seed", target=competition, details={"competition": competition.pk})

    demo_ngo = Organisation.objects.filter(slug=DEMO_NGO_SLUG).first()
    demo_member = OrganisationMembership.objects.filter(organisation=demo_ngo).select_related("user").first() if demo_ngo else None
    if demo_member is not None:
        # A draft still to finish: the declarations of section VII are not made yet.
        draft = _offer(competition, demo_ngo, demo_member.user, "Muzyczne lato nad Odrą", 9_000_00, 1_000_00)
        Offer.objects.filter(pk=draft.pk).update(declares_truth=False)
    other = Organisation.objects.exclude(slug=DEMO_NGO_SLUG).order_by("pk").first()
    if other is not None:
        submitter, _ = User.objects.get_or_create(
            email=SUBMITTER, defaults={"full_name": "Przedstawiciel demonstracyjny", "is_active": False, "password": make_password(None)}
        )
        organisation_membership_set(actor=None, organisation=other, user=submitter, role=OrganisationRole.ADMIN, check_permission=False)
        offer = _offer(competition, other, submitter, "Śpiewamy po opolsku", 15_000_00, 3_000_00)
        services.offer_submit(actor=submitter, offer=offer)
    return []
