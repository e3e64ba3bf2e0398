"""The demo partnerships for `ngo-platform seed_demo` (idempotent: nothing is added once any announcement exists).

Announcements by three organisations and the voivodeship's office; the German minority's society writes to the
demo association about its festival, they agree, the society proposes the partnership (it leads) and the
association confirms it; the society then starts the joint offer in the demo competition with the association
filled in as its partner, whose admin (ngo@…) confirms it in the offer. Everything goes through the services.
"""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from ngo_platform.accounts.demo import DEMO_DOMAIN
from ngo_platform.accounts.models import OrganisationRole, User
from ngo_platform.accounts.services import organisation_membership_set
from ngo_platform.community.selectors import Party
from ngo_platform.competitions.demo import DEMO_NGO_SLUG, SLUG
from ngo_platform.competitions.models import Competition
from ngo_platform.core.workflow import perform
from ngo_platform.organisations.models import Organisation
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.partnerships import conversations, services
from ngo_platform.partnerships.models import Announcement
from ngo_platform.partnerships.workflows import ANNOUNCEMENT
from ngo_platform.territory.models import Authority, TerritorialUnit

SOCIETY = "Towarzystwo Społeczno-Kulturalne Niemców Województwa Opolskiego"
VOLUNTEERS = "Fundacja Opolskie Centrum Wolontariatu"
PARTNER = f"partnerstwa-demo@{DEMO_DOMAIN}"

ANNOUNCEMENTS = [
    {
        "party": DEMO_NGO_SLUG,
        "kind": "seeking",
        "role": "partner",
        "title": "Festiwal pieśni nad Odrą: szukamy partnera, który poprowadzi projekt",
        "description": "Od lat organizujemy w Brzegu przeglądy pieśni ludowej. Chcemy rozszerzyć je na cały powiat "
        "i zaprosić zespoły mniejszości niemieckiej. Szukamy organizacji z doświadczeniem w ofertach, która "
        "złoży ofertę wspólną w konkursie województwa jako lider.",
        "spheres": ["16"],
        "territory": ["1601011", "1601"],
        "competition": True,
        "offered": "Sala widowiskowa, wolontariusze, kontakty z zespołami z powiatu brzeskiego.",
        "needed": "Doświadczenie w rozliczaniu dotacji, zespoły śpiewacze, tłumaczenia na język niemiecki.",
        "budget": (15_000, 40_000),
    },
    {
        "party": VOLUNTEERS,
        "kind": "offering",
        "role": "partner",
        "title": "Oferujemy wolontariuszy i szkolenia dla organizacji przygotowujących wydarzenia",
        "description": "Prowadzimy bazę wolontariuszy z całego województwa. Pomożemy w rekrutacji, szkoleniu i "
        "ubezpieczeniu wolontariuszy przy festiwalach, zbiórkach i projektach dla seniorów.",
        "spheres": ["33", "16"],
        "territory": ["16"],
        "offered": "Rekrutacja i szkolenie wolontariuszy, porozumienia wolontariackie, ubezpieczenie.",
        "needed": "Opis zadań dla wolontariuszy i osoba do kontaktu po stronie partnera.",
    },
    {
        "party": SOCIETY,
        "kind": "seeking",
        "role": "leader",
        "title": "Wymiana młodzieży z partnerami z Niemiec: szukamy szkół i organizacji",
        "description": "Przygotowujemy projekt wymiany młodzieży w programie Erasmus+. Szukamy szkół i organizacji "
        "młodzieżowych z Opola i okolic, które przyjmą grupę z Niemiec i wyślą swoją.",
        "spheres": ["5", "16"],
        "territory": ["1661"],
        "abroad": True,
        "programme": "Erasmus+ (wymiany młodzieży)",
        "needed": "Grupa 10–15 uczniów z opiekunem, sala na warsztaty, noclegi u rodzin.",
    },
    {
        "party": "authority:16",
        "kind": "offering",
        "role": "partner",
        "title": "Tydzień Seniora w województwie: samorząd zaprasza organizacje do współpracy",
        "description": "Urząd Marszałkowski koordynuje Tydzień Seniora. Zapewniamy promocję, sale i patronat; "
        "zapraszamy organizacje, które poprowadzą warsztaty, spotkania i zajęcia ruchowe dla seniorów.",
        "spheres": ["1", "24"],
        "territory": ["16"],
        "offered": "Promocja w mediach województwa, sale urzędu, patronat marszałka.",
        "needed": "Program zajęć dla seniorów i prowadzący.",
    },
]


def _partner_member(society: Organisation) -> User:
    """The society's admin of the demo, who acts through the services (no password: nobody signs in as it)."""
    user, _ = User.objects.get_or_create(
        email=PARTNER, defaults={"display_name": "Anna Kowalczyk", "password": make_password(None)}
    )
    organisation_membership_set(
        actor=None, organisation=society, user=user, role=OrganisationRole.ADMIN, check_permission=False
    )
    return user


def _author(party) -> User | None:
    found = party.memberships.select_related("user").order_by("pk").first()
    return found.user if found else None


def _announce(spec: dict, party, author: User, competition) -> Announcement:
    spheres = {sphere.number: sphere for sphere in current_spheres()}
    budget = spec.get("budget", (None, None))
    data = {
        "kind": spec["kind"],
        "role": spec["role"],
        "title": spec["title"],
        "description": spec["description"],
        "abroad": spec.get("abroad", False),
        "programme": spec.get("programme", ""),
        "competition": competition if spec.get("competition") else None,
        "deadline": timezone.localdate() + timedelta(days=45),
        "offered": spec.get("offered", ""),
        "needed": spec.get("needed", ""),
        "budget_from": budget[0],
        "budget_to": budget[1],
        "spheres": [spheres[number] for number in spec["spheres"] if number in spheres],
        "territory": list(TerritorialUnit.objects.filter(teryt__in=spec["territory"])),
    }
    organisation = party if isinstance(party, Organisation) else None
    authority = party if isinstance(party, Authority) else None
    key = f"organisation:{party.pk}" if organisation else f"authority:{party.pk}"
    made = services.announcement_create(
        actor=author, party=Party(key, str(party), organisation=organisation, authority=authority), data=data
    )
    return perform(ANNOUNCEMENT, made, "publish", actor=author)


def _party(name: str):
    if name.startswith("authority:"):
        return Authority.objects.filter(unit__teryt=name.split(":", 1)[1]).first()
    return Organisation.objects.filter(slug=name).first() or Organisation.objects.filter(name=name).first()


def seed() -> list:
    if Announcement.objects.exists():
        return []
    society = Organisation.objects.filter(name=SOCIETY).first()
    competition = Competition.objects.filter(slug=SLUG).first()
    if society is None or competition is None:
        return []
    partner_member = _partner_member(society)
    made = {}
    for spec in ANNOUNCEMENTS:
        party = _party(spec["party"])
        author = partner_member if party == society else (_author(party) if party else None)
        if party is not None and author is not None:
            made[spec["party"]] = (_announce(spec, party, author, competition), author)
    if DEMO_NGO_SLUG not in made:
        return []
    festival, ngo_author = made[DEMO_NGO_SLUG]
    _conversation(festival, ngo_author, society, partner_member, competition)
    return []


def _conversation(festival, ngo_author, society, partner_member, competition) -> None:
    """The society writes about the festival, they agree, the society leads the joint offer."""
    conversation = conversations.conversation_start(
        actor=partner_member,
        announcement=festival,
        organisation=society,
        text="Dzień dobry, nasze zespoły chętnie wystąpią. Mamy doświadczenie w ofertach i możemy być liderem.",
    )
    conversations.message_send(
        actor=ngo_author,
        conversation=conversation,
        text="Świetnie! Zapewnimy salę i wolontariuszy. Proponujemy, żebyście złożyli ofertę jako lider.",
    )
    partnership = conversations.partnership_propose(
        actor=partner_member,
        conversation=conversation,
        leader="interested",
        scope="Stowarzyszenie zapewnia salę widowiskową w Brzegu, wolontariuszy i zaproszenie zespołów z powiatu "
        "brzeskiego; Towarzystwo prowadzi projekt, zaprasza zespoły mniejszości i rozlicza dotację.",
    )
    partnership = conversations.partnership_confirm(actor=ngo_author, partnership=partnership)
    conversations.joint_offer_start(actor=partner_member, partnership=partnership, competition=competition)
