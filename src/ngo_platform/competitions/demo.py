"""Demo competitions for `ngo-platform seed_demo` (idempotent).

The Opole voivodeship's open competition on culture, accepting offers (published ten days before
seeding, deadline in fourteen days: the statutory 21 days hold), with:
- a draft offer of the demo NGO (ngo@…, Stowarzyszenie Przyjaciół Ziemi Brzeskiej) to continue;
- an offer of another organisation submitted through `services.offer_submit`, with its receipt.
Demo organisations are not verified on the platform, so the competition admits unverified ones
(`require_verified=False`). The announcement is stored as history (the services refuse a publication
date in the past); the submission goes through the services and is audited.
Two competitions further on, through the services (formal check, commission, declarations, scores, amounts,
decision, publication; all audited):
- "Sport dzieci i młodzieży (demo)": under evaluation; a commission of three (the demo officer
  urzednik@… among them, declaration signed, one offer still to score), one offer called to complete and
  then found correct, one rejected on formal grounds;
- "Ochrona zdrowia (demo)": results published (points, amounts, score cards, CSV/XLSX).
A small grant (art. 19a) of another organisation to the voivodeship, submitted, published for comments
by the demo officer (its 7 days running) with two comments; the yearly pool of the voivodeship is set for
its year. Idempotent on its own (by the offer's title).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ngo_platform.accounts.demo import demo_name
from ngo_platform.accounts.models import OrganisationMembership, OrganisationRole, User
from ngo_platform.accounts.services import organisation_membership_set
from ngo_platform.competitions import canonical, selectors, services
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
    OfferTemplate,
    SmallGrantPool,
)
from ngo_platform.core.money import line_total
from ngo_platform.core.services import audit_log
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority

SLUG = "kultura-2026-demo"
DEMO_NGO_SLUG = "stowarzyszenie-przyjaciol-ziemi-brzeskiej"
SUBMITTER = "oferty-demo@demo.ngo-platform.pl"


def _offer(competition, organisation, creator, title, grant, own) -> Offer:
    year = competition.task_start.year
    offer = Offer.objects.create(
        competition=competition,
        organisation=organisation,
        created_by=creator,
        title=title,
        contact_name=creator.display_name or "Osoba kontaktowa",
        contact_email=creator.email,
        date_from=date(year, 6, 1),
        date_to=date(year, 9, 30),
        summary="Cykl koncertów i warsztatów w świetlicach wiejskich dla seniorów i dzieci.",
        expected_results="Sześć koncertów, dwa warsztaty, co najmniej 300 uczestników.",
        resources="Zespół wolontariuszy, nagłośnienie, świetlice udostępnione przez sołectwa.",
        paid_activity="free",
        tax_arrears="none",
        signatories="Prezes zarządu\nSkarbnik",
        declares_pbo_only=True,
        declares_fees_rules=True,
        declares_register_data=True,
        declares_truth=True,
        declares_gdpr=True,
        grant_requested=grant,
        own_financial=own // 2,
        own_personal=own - own // 2,
    )
    concerts = OfferAction.objects.create(
        offer=offer,
        position=1,
        name="Koncerty w świetlicach",
        target_group="seniorzy",
        start=offer.date_from,
        end=offer.date_to,
    )
    OfferAction.objects.create(offer=offer, position=2, name="Warsztaty muzyczne", target_group="dzieci")
    OfferResult.objects.create(
        offer=offer, position=1, name="Liczba uczestników", target_value="300", monitoring="listy obecności"
    )
    total = grant + own
    admin = total // 10
    CostLine.objects.create(
        offer=offer,
        position=1,
        category=CostCategory.ACTION,
        action=concerts,
        name="Honoraria muzyków",
        unit="koncert",
        unit_cost=total - admin,
        units=Decimal("1"),
        total=line_total(total - admin, Decimal("1")),
    )
    CostLine.objects.create(
        offer=offer,
        position=2,
        category=CostCategory.ADMINISTRATIVE,
        name="Obsługa księgowa",
        unit="usługa",
        unit_cost=admin,
        units=Decimal("1"),
        total=admin,
    )
    return offer


@transaction.atomic
def seed() -> list:
    authority = Authority.objects.filter(unit__teryt="16").first()
    if authority is None:
        return []
    seed_small_grant(authority)
    if Competition.objects.filter(slug=SLUG).exists():
        return []
    now = timezone.now()
    year = timezone.localdate().year + (1 if timezone.localdate().month > 6 else 0)
    competition = Competition.objects.create(
        authority=authority,
        slug=SLUG,
        title="Otwarty konkurs ofert – kultura i tradycja regionu (demo)",
        task_kind="Wspieranie zadań z zakresu kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego",
        task_form="wspieranie",
        total_funds=200_000_00,
        min_grant=2_000_00,
        max_grant=20_000_00,
        own_contribution_min_bp=1000,
        admin_costs_max_bp=1500,
        eligible_entities="Organizacje pozarządowe i podmioty z art. 3 ust. 3 UDPP.",
        require_verified=False,
        task_start=date(year, 5, 1),
        task_end=date(year, 12, 15),
        offers_deadline=now + timedelta(days=14),
        funds_this_year=0,
        funds_last_year=185_000_00,
        required_attachments="Statut (jeśli nie ma go w KRS)\nPełnomocnictwo, jeśli ofertę podpisuje pełnomocnik",
        rules_text="Dotacje przyznaje Zarząd Województwa po ocenie komisji konkursowej. Oferty składa się na platformie.",
        state=CompetitionState.PUBLISHED,
        version=1,
        published_at=now - timedelta(days=10),
    )
    for n, criterion in enumerate(selectors.legal_parameters(authority=authority).default_criteria, start=1):
        EvaluationCriterion.objects.create(
            competition=competition, position=n, name=criterion["name"], max_points=criterion["max_points"]
        )
    CompetitionVersion.objects.create(
        competition=competition,
        number=1,
        snapshot=services.snapshot(competition),
        published_at=competition.published_at,
    )
    audit_log(actor=None, action="competitions.demo_seed", target=competition, details={"competition": competition.pk})

    demo_ngo = Organisation.objects.filter(slug=DEMO_NGO_SLUG).first()
    demo_member = (
        OrganisationMembership.objects.filter(organisation=demo_ngo).select_related("user").first()
        if demo_ngo
        else None
    )
    if demo_member is not None:
        # A draft still to finish: the declarations of section VII are not made yet.
        draft = _offer(competition, demo_ngo, demo_member.user, "Muzyczne lato nad Odrą", 9_000_00, 1_000_00)
        Offer.objects.filter(pk=draft.pk).update(declares_truth=False)
    other = Organisation.objects.exclude(slug=DEMO_NGO_SLUG).order_by("pk").first()
    if other is not None:
        submitter, _ = User.objects.get_or_create(
            email=SUBMITTER,
            defaults={
                "display_name": "Tomasz Wójcik",
                "is_active": True,  # acts through the services; no password, so nobody signs in as it
                "password": make_password(None),
            },
        )
        organisation_membership_set(
            actor=None, organisation=other, user=submitter, role=OrganisationRole.ADMIN, check_permission=False
        )
        offer = _offer(competition, other, submitter, "Śpiewamy po opolsku", 15_000_00, 3_000_00)
        services.offer_submit(actor=submitter, offer=offer)
    seed_evaluation(authority)
    return []


EVALUATION_SLUG = "sport-2026-demo"
RESULTS_SLUG = "zdrowie-2026-demo"
OFFICER = "urzednik@demo.ngo-platform.pl"


def _closed_competition(authority, slug, title, task_kind, total_funds):
    """A competition whose offers deadline passed yesterday (stored as history, like the one above)."""
    now = timezone.now()
    year = timezone.localdate().year + (1 if timezone.localdate().month > 6 else 0)
    competition = Competition.objects.create(
        authority=authority,
        slug=slug,
        title=title,
        task_kind=task_kind,
        task_form="wspieranie",
        total_funds=total_funds,
        min_grant=2_000_00,
        max_grant=20_000_00,
        own_contribution_min_bp=1000,
        eligible_entities="Organizacje pozarządowe i podmioty z art. 3 ust. 3 UDPP.",
        require_verified=False,
        task_start=date(year, 5, 1),
        task_end=date(year, 12, 15),
        offers_deadline=now + timedelta(days=1),
        rules_text="Oferty ocenia komisja konkursowa według kryteriów z ogłoszenia; o dotacjach rozstrzyga Zarząd Województwa.",
        state=CompetitionState.PUBLISHED,
        version=1,
        published_at=now - timedelta(days=40),
    )
    for n, criterion in enumerate(selectors.legal_parameters(authority=authority).default_criteria, start=1):
        EvaluationCriterion.objects.create(
            competition=competition, position=n, name=criterion["name"], max_points=criterion["max_points"]
        )
    CompetitionVersion.objects.create(
        competition=competition,
        number=1,
        snapshot=services.snapshot(competition),
        published_at=competition.published_at,
    )
    audit_log(actor=None, action="competitions.demo_seed", target=competition, details={"competition": competition.pk})
    return competition


def _demo_person(email, name):
    user, _ = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "is_active": True, "password": make_password(None)}
    )
    return user


def _run_to_evaluation(competition, officer, applicants, titles, grants, members):
    """Offers submitted, then the deadline passes; formal check; commission appointed and signed."""
    offers = []
    for organisation, title, grant in zip(applicants, titles, grants):
        submitter = _demo_person(f"oferent{organisation.pk}@demo.ngo-platform.pl", demo_name(organisation.pk))
        organisation_membership_set(
            actor=None, organisation=organisation, user=submitter, role=OrganisationRole.ADMIN, check_permission=False
        )
        offer = _offer(competition, organisation, submitter, title, grant, grant // 4)
        services.offer_submit(actor=submitter, offer=offer)
        offers.append(offer)
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=timezone.now() - timedelta(days=1))
    services.formal_check_start(actor=officer, competition=competition)
    competition.refresh_from_db()
    items = list(competition.formal_items.all())
    for offer in offers:
        offer.refresh_from_db()
        services.formal_mark(actor=officer, offer=offer, marks={item.pk: (True, "") for item in items})
    for user, role, nominated_by, chair in members:
        services.commission_appoint(
            actor=officer, competition=competition, user=user, role=role, nominated_by=nominated_by, chair=chair
        )
    return offers, items


def _sign(competition, user):
    member = competition.commission.get(user=user)
    services.declaration_sign(
        actor=user, competition=competition, digest=canonical.sha256_hex(services.declaration_text(member, competition))
    )


def _score(user, offer, base):
    criteria = list(offer.competition.criteria.all())
    comments = [
        "Realny harmonogram i doświadczony zespół.",
        "Koszty adekwatne do zakresu.",
        "Wykwalifikowana kadra.",
        "Wkład finansowy zgodny z ogłoszeniem.",
        "Duży wkład wolontariuszy.",
        "Poprzednie dotacje rozliczone terminowo.",
    ]
    services.score_offer(
        actor=user,
        offer=offer,
        scores={
            c.pk: (max(0, min(c.max_points, c.max_points - base + n % 2)), comments[(n - 1) % len(comments)])
            for n, c in enumerate(criteria, start=1)
        },
    )


def seed_evaluation(authority) -> None:
    officer = User.objects.filter(email=OFFICER).first()
    organisations = list(Organisation.objects.exclude(slug=DEMO_NGO_SLUG).order_by("pk")[1:9])
    if (
        officer is None
        or len(organisations) < 8
        or Competition.objects.filter(slug__in=[EVALUATION_SLUG, RESULTS_SLUG]).exists()
    ):
        return
    member_a = _demo_person("komisja-a@demo.ngo-platform.pl", "Ewa Zielińska")
    member_b = _demo_person("komisja-b@demo.ngo-platform.pl", "Tomasz Wróbel")
    nominating = organisations[7]
    _seed_under_evaluation(authority, officer, organisations[:4], member_a, member_b, nominating)
    _seed_results_published(authority, officer, organisations[4:7], member_a, member_b, nominating)


def _seed_under_evaluation(authority, officer, applicants, member_a, member_b, nominating) -> None:
    """The sport competition under evaluation: four offers, one completed after a call, one rejected; the
    demo officer chairs the commission and still has two offers to score."""
    sport = _closed_competition(
        authority,
        EVALUATION_SLUG,
        "Otwarty konkurs ofert – sport dzieci i młodzieży (demo)",
        "Wspieranie i upowszechnianie kultury fizycznej: szkolenie sportowe dzieci i młodzieży",
        60_000_00,
    )
    offers, items = _run_to_evaluation(
        sport,
        officer,
        applicants,
        ["Lekkoatletyka dla każdego", "Wakacje z piłką", "Pływamy bezpiecznie", "Turniej bez granic"],
        [12_000_00, 9_000_00, 15_000_00, 8_000_00],
        [(officer, "official", None, True), (member_a, "official", None, False), (member_b, "ngo", nominating, False)],
    )
    # The third offer lacked a signatory: called to complete, completed, then correct; the fourth rejected.
    _complete_a_missing_signatory(officer, offers[2], items[4])
    for offer in offers[:3]:
        services.formal_decide(actor=officer, offer=offer, correct=True)
    services.formal_decide(
        actor=officer,
        offer=offers[3],
        correct=False,
        reason="Oferent nie prowadzi działalności statutowej w dziedzinie sportu.",
    )
    services.evaluation_start(actor=officer, competition=sport)
    for user in (officer, member_a, member_b):
        _sign(sport, user)
    for n, offer in enumerate(offers[:3]):
        _score(member_a, offer, n + 1)
        _score(member_b, offer, n + 2)
    _score(officer, offers[0], 1)  # the demo officer still has two offers to score


def _complete_a_missing_signatory(officer, offer, item) -> None:
    """The officer marks the signatories' requirement unmet and calls to complete; the applicant adds the
    second signatory and sends the completion; the requirement is then met."""
    Offer.objects.filter(pk=offer.pk).update(signatories="Prezes zarządu")
    services.formal_mark(
        actor=officer,
        offer=offer,
        marks={item.pk: (False, "Brak podpisu drugiej osoby upoważnionej zgodnie z KRS")},
    )
    services.completion_call(
        actor=officer,
        offer=offer,
        message="Proszę uzupełnić sekcję VII o drugą osobę upoważnioną do reprezentacji (zgodnie z KRS).",
        sections=["oswiadczenia"],
        deadline=timezone.now() + timedelta(days=7),
    )
    submitter = User.objects.get(email=f"oferent{offer.organisation_id}@demo.ngo-platform.pl")
    services.offer_save_step(
        actor=submitter, offer=offer, step="oswiadczenia", data={"signatories": "Prezes zarządu\nSkarbnik"}
    )
    services.completion_answer(actor=submitter, offer=offer, note="Uzupełniono podpis skarbnika.")
    services.formal_mark(actor=officer, offer=offer, marks={item.pk: (True, "Uzupełniono")})


def _seed_results_published(authority, officer, applicants, member_a, member_b, nominating) -> None:
    """The health competition with its results published: three offers scored, two funded."""
    health = _closed_competition(
        authority,
        RESULTS_SLUG,
        "Otwarty konkurs ofert – ochrona i promocja zdrowia (demo)",
        "Ochrona i promocja zdrowia: profilaktyka chorób układu krążenia wśród seniorów",
        30_000_00,
    )
    offers, _items = _run_to_evaluation(
        health,
        officer,
        applicants,
        ["Zdrowe serce seniora", "Ruch to zdrowie", "Badania w każdej wsi"],
        [12_000_00, 10_000_00, 14_000_00],
        [(member_a, "official", None, True), (member_b, "ngo", nominating, False)],
    )
    for offer in offers:
        services.formal_decide(actor=officer, offer=offer, correct=True)
    services.evaluation_start(actor=officer, competition=health)
    for user in (member_a, member_b):
        _sign(health, user)
    for n, offer in enumerate(offers):
        _score(member_a, offer, n + 1)
        _score(member_b, offer, n + 1)
    services.amounts_propose(
        actor=officer, competition=health, amounts={offers[0].pk: 12_000_00, offers[1].pk: 9_000_00, offers[2].pk: None}
    )
    services.competition_decide(
        actor=officer, competition=health, reference="Uchwała nr 1234/2026 Zarządu Województwa Opolskiego (demo)"
    )
    services.results_publish(actor=officer, competition=health)


SMALL_GRANT_TITLE = "Piknik sąsiedzki na Zaodrzu (demo)"


def seed_small_grant(authority) -> None:
    """A small grant in its comment window, through the services (submission, pool, publication, comments)."""
    officer = User.objects.filter(email=OFFICER).first()
    other = Organisation.objects.exclude(slug=DEMO_NGO_SLUG).order_by("pk").first()
    if (
        officer is None
        or other is None
        or Offer.objects.filter(template=OfferTemplate.SIMPLIFIED_2018, title=SMALL_GRANT_TITLE).exists()
    ):
        return
    submitter, _ = User.objects.get_or_create(
        email=SUBMITTER,
        defaults={"display_name": "Tomasz Wójcik", "is_active": True, "password": make_password(None)},
    )
    organisation_membership_set(
        actor=None, organisation=other, user=submitter, role=OrganisationRole.ADMIN, check_permission=False
    )
    with transaction.atomic():
        offer = services.small_grant_start(actor=submitter, authority=authority, organisation=other)
        start = timezone.localdate() + timedelta(days=21)
        _fill_small_grant(offer, start)
        services.offer_submit(actor=submitter, offer=offer)
        if not SmallGrantPool.objects.filter(authority=authority, year=start.year).exists():
            services.small_grant_pool_set(actor=officer, authority=authority, year=start.year, amount=2_500_000_00)
        services.small_grant_publish(actor=officer, offer=offer)
        _comment_small_grant(officer, offer)


def _fill_small_grant(offer, start) -> None:
    """The simplified offer of the neighbours' picnic: the task from `start` for 30 days, one action, its costs."""
    Offer.objects.filter(pk=offer.pk).update(
        title=SMALL_GRANT_TITLE,
        contact_name="Przedstawiciel demonstracyjny",
        date_from=start,
        date_to=start + timedelta(days=29),
        summary="Jednodniowy piknik sąsiedzki na osiedlu Zaodrze w Opolu: gry dla dzieci, stoiska organizacji, koncert.",
        expected_results="Co najmniej 300 uczestników, 10 stoisk organizacji, nowa grupa sąsiedzkich wolontariuszy.",
        tax_arrears="none",
        signatories="Prezes zarządu",
        declares_pbo_only=True,
        declares_fees_rules=True,
        declares_register_data=True,
        declares_truth=True,
        declares_gdpr=True,
        grant_requested=6_000_00,
        own_personal=1_500_00,
    )
    action = OfferAction.objects.create(
        offer=offer,
        position=1,
        name="Piknik sąsiedzki",
        target_group="mieszkańcy Zaodrza",
        start=start + timedelta(days=20),
        end=start + timedelta(days=20),
    )
    CostLine.objects.create(
        offer=offer,
        position=1,
        category=CostCategory.ACTION,
        action=action,
        name="Scena i nagłośnienie",
        unit="usługa",
        unit_cost=4_500_00,
        units=Decimal("1"),
        total=4_500_00,
    )
    CostLine.objects.create(
        offer=offer,
        position=2,
        category=CostCategory.ACTION,
        action=action,
        name="Praca wolontariuszy",
        unit="godzina",
        unit_cost=50_00,
        units=Decimal("30"),
        total=line_total(50_00, Decimal("30")),
    )
    CostLine.objects.create(
        offer=offer,
        position=3,
        category=CostCategory.ADMINISTRATIVE,
        name="Obsługa księgowa",
        unit="usługa",
        unit_cost=1_500_00,
        units=Decimal("1"),
        total=1_500_00,
    )


def _comment_small_grant(officer, offer) -> None:
    """Two comments in the window: the demo NGO's (when it has a member) and the officer's."""
    commenter = OrganisationMembership.objects.filter(organisation__slug=DEMO_NGO_SLUG).select_related("user").first()
    if commenter is not None:
        services.small_grant_comment(
            actor=commenter.user,
            offer=offer,
            text=("Dobry pomysł. Proponujemy dołączyć stoisko z informacją o wolontariacie – możemy je poprowadzić."),
        )
    services.small_grant_comment(
        actor=officer,
        offer=offer,
        text=("Prosimy o uzgodnienie terminu z Miejskim Zarządem Dróg (zajęcie pasa na czas pikniku)."),
    )
