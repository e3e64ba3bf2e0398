"""Data for the exact query counts (tests/core/test_query_counts.py): every builder makes `n` rows of what a
page lists, so that a count measured at a few rows and at many shows whether it grows with the data."""

from datetime import timedelta
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.agreements import services as agreement_services
from ngo_platform.competitions.models import CostCategory, CostLine, EvaluationCriterion, OfferAction, OfferResult
from ngo_platform.consultations import services as consultation_services
from ngo_platform.consultations.models import DraftUnit
from ngo_platform.elections.models import Candidate, CandidateState
from ngo_platform.organisations import services as organisation_services
from ngo_platform.organisations.models import LegalForm
from ngo_platform.territory.models import Authority, Sphere, TerritorialUnit
from tests.accounts.factories import OrganisationMembershipFactory, UserFactory
from tests.agreements.factories import IBAN
from tests.competitions.factories import CompetitionFactory, complete_offer, member, verified_organisation
from tests.consultations.factories import representative_of
from tests.elections.factories import eligible_organisation

ACTION_COSTS = 9_000_00  # what complete_offer's actions cost: the totals stay valid whatever the number of rows


def sign_in(client, person, *, officer=False):
    """Sign the person in; an officer with a TOTP device (else the MFA middleware redirects)."""
    if officer and not person.authenticator_set.exists():
        TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    client.force_login(person)
    return person


def authorities(n):
    """`n` different authorities (the voivodeship's gminas, powiats and itself)."""
    return list(Authority.objects.filter(unit__teryt__startswith="16").order_by("unit__teryt")[:n])


# --- Organisations ---


def organisations(n, start=0):
    """`n` listed associations made through the service (so indexed for the search), with spheres."""
    spheres = list(Sphere.objects.order_by("position")[:3])
    seats = list(TerritorialUnit.objects.filter(teryt__in=["1601011", "1661011", "1608043"]).order_by("teryt"))
    return [
        organisation_services.organisation_create(
            actor=None,
            data={
                "name": f"Stowarzyszenie Kulturalne nr {i}",
                "legal_form": LegalForm.ASSOCIATION,
                "seat": seats[i % len(seats)],
                "spheres": spheres[: 1 + i % len(spheres)],
                "is_opp": i % 2 == 0,
            },
        )
        for i in range(start, start + n)
    ]


def grow_profile(organisation, n):
    """Give the organisation `n` more spheres, areas of activity and public representatives."""
    organisation.spheres.add(*Sphere.objects.exclude(organisations=organisation).order_by("position")[:n])
    organisation.areas.add(*TerritorialUnit.objects.exclude(active_organisations=organisation).order_by("teryt")[:n])
    for _ in range(n):
        OrganisationMembershipFactory(organisation=organisation, is_public=True)


# --- Consultations ---


def add_comments(consultation, n, person, organisation):
    """`n` comments of `organisation` (by `person`) and `n` of other organisations, spread over the units,
    each different (so none is grouped with another on the answers page)."""
    units = [None, *DraftUnit.objects.filter(consultation=consultation).order_by("position")]
    start = consultation.comments.count()
    comments = []
    for i in range(start, start + 2 * n):
        author, on_behalf = (person, organisation) if i % 2 == 0 else representative_of()
        comments.append(
            consultation_services.comment_submit(
                actor=author,
                consultation=consultation,
                unit=units[i % len(units)],
                organisation=on_behalf,
                proposed_wording=f"Nowe brzmienie {i}",
                justification=f"Uzasadnienie {i}",
            )
        )
    return comments


# --- Competitions ---


def competitions(n, start=0):
    """`n` published competitions of different authorities."""
    return [CompetitionFactory(authority=authority) for authority in authorities(start + n)[start:]]


def add_criteria(competition, n):
    start = competition.criteria.count()
    EvaluationCriterion.objects.bulk_create(
        EvaluationCriterion(competition=competition, position=p, name=f"Kryterium {p}", max_points=10)
        for p in range(start + 1, start + n + 1)
    )


def offer_with_rows(competition, n, organisation=None):
    """A complete draft offer with `n` actions, `n` results and `n` action cost lines (plus the
    administrative one), costing what complete_offer's does, so that it can be submitted."""
    offer = complete_offer(competition, organisation or verified_organisation())
    offer.cost_lines.filter(category=CostCategory.ACTION).delete()
    offer.actions.all().delete()
    offer.results.all().delete()
    for p in range(1, n + 1):
        action = OfferAction.objects.create(offer=offer, position=p, name=f"Działanie {p}", target_group="seniorzy")
        OfferResult.objects.create(offer=offer, position=p, name=f"Rezultat {p}", target_value="20", monitoring="lista")
        CostLine.objects.create(
            offer=offer,
            position=10 + p,
            category=CostCategory.ACTION,
            action=action,
            name=f"Koszt {p}",
            unit="usługa",
            unit_cost=ACTION_COSTS // n,
            units=Decimal("1"),
            total=ACTION_COSTS // n,
        )
    return offer


# --- Elections ---


def add_candidates(election, n):
    start = election.candidates.count()
    Candidate.objects.bulk_create(
        Candidate(
            election=election,
            organisation=eligible_organisation(),
            state=CandidateState.VERIFIED,
            full_name=f"Kandydat {i}",
            email=f"kandydat{i}@example.pl",
            qualifications="Doświadczenie w radzie.",
            nominated_by=UserFactory(),
        )
        for i in range(start, start + n)
    )
    return list(election.candidates.order_by("id"))


def voter(election):
    """A representative (administrator) of a new eligible organisation: (person, organisation)."""
    organisation = eligible_organisation()
    return member(organisation, role=OrganisationRole.ADMIN), organisation


# --- Agreements ---


def agreement_with_instalments(offer, clerk, n):
    """An agreement prepared from the funded offer, filled in with `n` instalments and sent."""
    agreement = agreement_services.agreement_create(actor=clerk, offer=offer)
    amount = agreement.granted_amount
    instalments = [
        {"due_on": agreement.task_start + timedelta(days=i), "amount": amount // n + (amount % n if i == 0 else 0)}
        for i in range(n)
    ]
    agreement_services.agreement_update(
        actor=clerk,
        agreement=agreement,
        data={
            "authority_signatories": "Jan Kowalski – Członek Zarządu Województwa",
            "place": "Opole",
            "account_number": IBAN.replace(" ", ""),
        },
        signatories={party.pk: "Ewa Partnerska – prezeska" for party in agreement.parties.all()},
        instalments=instalments,
    )
    agreement_services.agreement_send(actor=clerk, agreement=agreement)
    agreement.refresh_from_db()
    return agreement
