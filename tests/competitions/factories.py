"""Competitions at any stage and complete offers (alone or joint)."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.competitions import services
from ngo_platform.competitions.models import (
    Competition,
    CompetitionState,
    CostCategory,
    CostLine,
    EvaluationCriterion,
    Offer,
    OfferAction,
    OfferResult,
)
from ngo_platform.core.money import line_total
from ngo_platform.territory.models import Authority
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory

DAY = timedelta(days=1)


def task_period(today: date | None = None) -> tuple[date, date]:
    """The task period of a competition announced today: 1 June – 30 November of next year (one calendar year,
    after the offers deadline, its report due in the future), whatever the date the suite runs on."""
    year = (today or timezone.localdate()).year + 1
    return date(year, 6, 1), date(year, 11, 30)


class CompetitionFactory(factory.django.DjangoModelFactory):
    """A published competition accepting offers (deadline in ten days) unless told otherwise."""

    class Meta:
        model = Competition
        skip_postgeneration_save = True

    authority = factory.LazyFunction(lambda: Authority.objects.get(unit__teryt="16"))
    title = factory.Sequence(lambda n: f"Konkurs na wspieranie kultury nr {n}")
    slug = factory.Sequence(lambda n: f"konkurs-{n}")
    task_kind = "Organizacja wydarzeń kulturalnych dla mieszkańców"
    task_form = "wspieranie"
    total_funds = 100_000_00
    max_grant = 10_000_00
    own_contribution_min_bp = 1000
    eligible_entities = "Organizacje pozarządowe i podmioty z art. 3 ust. 3 UDPP"
    task_start = factory.LazyFunction(lambda: task_period()[0])
    task_end = factory.LazyAttribute(lambda o: date(o.task_start.year, 11, 30))  # the year of the start
    offers_deadline = factory.LazyFunction(lambda: timezone.now() + 10 * DAY)
    rules_text = "Zasady przyznawania dotacji."
    state = CompetitionState.PUBLISHED
    version = 1
    published_at = factory.LazyFunction(lambda: timezone.now() - 15 * DAY)

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if create:
            EvaluationCriterion.objects.bulk_create(
                EvaluationCriterion(competition=self, position=n, name=f"Kryterium {n}", max_points=10) for n in (1, 2)
            )


def verified_organisation(**kwargs):
    return OrganisationFactory(verified_at=timezone.now(), **kwargs)


def member(organisation, role=OrganisationRole.ADMIN, **kwargs):
    return OrganisationMembershipFactory(organisation=organisation, role=role, user=UserFactory(**kwargs)).user


def officer(authority):
    return AuthorityMembershipFactory(authority=authority).user


def complete_offer(competition=None, organisation=None, *, grant=8_000_00, own=2_000_00, **kwargs) -> Offer:
    """A draft offer that can be submitted: costs 10 000 zł (9 000 actions + 1 000 administrative)."""
    competition = competition or CompetitionFactory()
    organisation = organisation or verified_organisation()
    creator = kwargs.pop("created_by", None) or member(organisation)
    values = {
        "contact_name": "Anna Nowak",
        "contact_email": "anna@example.pl",
        "title": "Festiwal pieśni ludowej",
        "date_from": competition.task_start,
        "date_to": competition.task_end,
        "summary": "Festiwal w Brzegu dla seniorów.",
        "expected_results": "200 uczestników.",
        "resources": "Wolontariusze i sala.",
        "paid_activity": "free",
        "tax_arrears": "none",
        "signatories": "Anna Nowak – prezeska",
        "declares_pbo_only": True,
        "declares_fees_rules": True,
        "declares_register_data": True,
        "declares_truth": True,
        "declares_gdpr": True,
        "grant_requested": grant,
        "own_financial": own,
        **kwargs,
    }
    offer = Offer.objects.create(competition=competition, organisation=organisation, created_by=creator, **values)
    action = OfferAction.objects.create(offer=offer, position=1, name="Koncerty", target_group="seniorzy")
    OfferResult.objects.create(
        offer=offer, position=1, name="Uczestnicy", target_value="200", monitoring="lista obecności"
    )
    CostLine.objects.create(
        offer=offer,
        position=1,
        category=CostCategory.ACTION,
        action=action,
        name="Honoraria",
        unit="koncert",
        unit_cost=3_000_00,
        units=Decimal("3"),
        total=line_total(3_000_00, Decimal("3")),
    )
    CostLine.objects.create(
        offer=offer,
        position=2,
        category=CostCategory.ADMINISTRATIVE,
        name="Księgowość",
        unit="miesiąc",
        unit_cost=500_00,
        units=Decimal("2"),
        total=1_000_00,
    )
    offer.creator = creator
    return offer


__all__ = [
    "CompetitionFactory",
    "complete_offer",
    "member",
    "officer",
    "services",
    "task_period",
    "verified_organisation",
]


def many_complete_offers(competition, count: int, *, prefix: str = "konkursowa") -> tuple[list, list]:
    """`count` organisations, each with its admin and a draft offer ready to submit (a copy of `complete_offer`'s,
    written in bulk): the people and the offers, in the same order. For races at the deadline (tests and
    bench/deadline.py)."""
    from ngo_platform.accounts.models import OrganisationMembership, User
    from ngo_platform.competitions.models import CostLine, OfferAction, OfferResult
    from ngo_platform.organisations.models import Organisation
    from ngo_platform.territory.models import TerritorialUnit

    template = complete_offer(competition)
    seat = TerritorialUnit.objects.get(teryt="1601011")
    now = timezone.now()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organizacja {prefix} {n}", slug=f"organizacja-{prefix}-{n}", seat=seat, verified_at=now)
        for n in range(count)
    )
    users = User.objects.bulk_create(User(email=f"oferent-{prefix}-{n}@example.pl") for n in range(count))
    OrganisationMembership.objects.bulk_create(
        OrganisationMembership(user=u, organisation=o, role=OrganisationRole.ADMIN)
        for u, o in zip(users, organisations, strict=True)
    )
    fields = {
        f.name: getattr(template, f.name)
        for f in Offer._meta.concrete_fields
        if f.name not in ("id", "organisation", "created_by", "created_at", "updated_at")
    }
    offers = Offer.objects.bulk_create(
        Offer(**{**fields, "organisation": o, "created_by": u}) for u, o in zip(users, organisations, strict=True)
    )
    actions = OfferAction.objects.bulk_create(OfferAction(offer=o, position=1, name="Koncerty") for o in offers)
    OfferResult.objects.bulk_create(
        OfferResult(offer=o, position=1, name="Uczestnicy", target_value="200") for o in offers
    )
    lines = list(template.cost_lines.all())
    CostLine.objects.bulk_create(
        CostLine(
            offer=o,
            position=line.position,
            category=line.category,
            action=a if line.action_id else None,
            name=line.name,
            unit=line.unit,
            unit_cost=line.unit_cost,
            units=line.units,
            total=line.total,
            year=line.year,
        )
        for o, a in zip(offers, actions, strict=True)
        for line in lines
    )
    return users, offers
