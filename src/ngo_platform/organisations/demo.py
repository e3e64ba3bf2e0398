"""Demo organisations for `ngo-platform seed_demo` (idempotent).

Five named organisations (the demo accounts of `accounts.demo` get roles in two of them), created
through `services.organisation_create` so that they are validated, indexed for search and audited,
then a few hundred generated ones (`generator.bulk_insert`, fixed seed) so that the directory,
its filters and search have something to show. Two requests to represent an organisation wait for the
verifiers (`seed_requests`: the officers of Brzeg and of Opole and the platform admin find them on their desks).
"""

from datetime import date

from django.db import transaction

from ngo_platform.accounts.models import User
from ngo_platform.core.models import AuditEntry
from ngo_platform.organisations import generator, services
from ngo_platform.organisations.models import LegalForm, Organisation, Register, VerificationRequest
from ngo_platform.territory.models import SphereCatalogue, TerritorialUnit

DEMO_SEED = 2026
DEMO_GENERATED = 300

# Cleaned data for `organisation_create`; "seat" is a gmina TERYT, "spheres" numbers of art. 4 ust. 1.
# Identifiers are made up (the NIP and REGON check digits are valid).
ORGANISATIONS = [
    {
        "name": "Stowarzyszenie Przyjaciół Ziemi Brzeskiej",
        "short_name": "SPZB",
        "legal_form": LegalForm.ASSOCIATION,
        "register": Register.KRS,
        "krs": "0000123456",
        "nip": "7473012453",
        "regon": "531012348",
        "seat": "1601011",
        "street": "ul. Piastowska 12",
        "postal_code": "49-300",
        "city": "Brzeg",
        "founded_on": date(1994, 5, 12),
        "is_opp": True,
        "opp_since": date(2006, 3, 1),
        "description_short": "Dbamy o historię, zabytki i przyrodę Brzegu i okolic.",
        "description": (
            "Dbamy o historię, zabytki i przyrodę Brzegu i okolic. Organizujemy spacery z przewodnikiem po "
            "Starym Mieście, wykłady o dziejach Piastów Śląskich i rajdy rowerowe nad Odrą. Wydajemy kwartalnik "
            "o Ziemi Brzeskiej i zbieramy wspomnienia mieszkańców."
        ),
        "website": "https://www.spzb.example/",
        "email": "kontakt@spzb.example",
        "spheres": ["16", "13", "19"],
    },
    {
        "name": "Fundacja Opolskie Centrum Wolontariatu",
        "short_name": "OCW",
        "legal_form": LegalForm.FOUNDATION,
        "register": Register.KRS,
        "krs": "0000234567",
        "nip": "7542209183",
        "regon": "161098764",
        "seat": "1661011",
        "street": "ul. Damrota 6",
        "postal_code": "45-064",
        "city": "Opole",
        "founded_on": date(2009, 9, 15),
        "description_short": "Łączymy wolontariuszy z organizacjami, szkołami i instytucjami w całym województwie.",
        "description": (
            "Łączymy wolontariuszy z organizacjami, szkołami i instytucjami w całym województwie. Szkolimy "
            "koordynatorów wolontariatu, prowadzimy szkolne kluby wolontariusza i doradzamy organizacjom "
            "pozarządowym w sprawach prawnych i księgowych."
        ),
        "website": "https://www.wolontariat-opole.example/",
        "email": "biuro@wolontariat-opole.example",
        "phone": "+48 77 441 20 30",
        "spheres": ["27", "33", "15"],
    },
    {
        "name": "Ochotnicza Straż Pożarna w Dobrzeniu Wielkim",
        "short_name": "OSP Dobrzeń Wielki",
        "legal_form": LegalForm.VOLUNTEER_FIRE_BRIGADE,
        "register": Register.KRS,
        "krs": "0000345678",
        "nip": "7543102777",
        "regon": "531501231",
        "seat": "1609032",
        "street": "ul. Strażacka 2",
        "postal_code": "46-081",
        "city": "Dobrzeń Wielki",
        "founded_on": date(1947, 6, 1),
        "description_short": "Gasimy pożary, ratujemy poszkodowanych w wypadkach i pomagamy podczas powodzi.",
        "description": (
            "Gasimy pożary, ratujemy poszkodowanych w wypadkach i pomagamy podczas powodzi. Nasza jednostka "
            "należy do Krajowego Systemu Ratowniczo-Gaśniczego. Prowadzimy młodzieżową drużynę pożarniczą."
        ),
        "spheres": ["23", "20", "15"],
    },
    {
        "name": "Uczniowski Klub Sportowy „Olimp” Kluczbork",
        "short_name": "UKS Olimp",
        "legal_form": LegalForm.STUDENT_SPORTS_CLUB,
        "register": Register.STAROSTA,
        "registry_number": "UKS/4/2009",
        "registry_authority": "Starosta Kluczborski",
        "nip": "7511880342",
        "regon": "160456782",
        "seat": "1604023",
        "street": "ul. Mickiewicza 10",
        "postal_code": "46-200",
        "city": "Kluczbork",
        "founded_on": date(2009, 2, 20),
        "description_short": "Szkolimy dzieci i młodzież w lekkiej atletyce i piłce siatkowej.",
        "description": (
            "Szkolimy dzieci i młodzież w lekkiej atletyce i piłce siatkowej. Nasi zawodnicy startują w "
            "mistrzostwach województwa, a co roku organizujemy Bieg Kluczborski dla szkół."
        ),
        "spheres": ["17", "15"],
    },
    {
        "name": "Towarzystwo Społeczno-Kulturalne Niemców Województwa Opolskiego",
        "short_name": "TSKN",
        "legal_form": LegalForm.ASSOCIATION,
        "register": Register.KRS,
        "krs": "0000456789",
        "nip": "7541022459",
        "regon": "531255430",
        "seat": "1661011",
        "street": "ul. Konopnickiej 6",
        "postal_code": "45-004",
        "city": "Opole",
        "founded_on": date(1990, 2, 16),
        "is_opp": True,
        "opp_since": date(2004, 7, 1),
        "description_short": "Zrzeszamy mniejszość niemiecką na Śląsku Opolskim.",
        "description": (
            "Zrzeszamy mniejszość niemiecką na Śląsku Opolskim. Pielęgnujemy język niemiecki, kulturę i "
            "tradycje regionu, prowadzimy koła w gminach województwa i współpracujemy z partnerami w Niemczech."
        ),
        "website": "https://www.tskn.example/",
        "email": "biuro@tskn.example",
        "spheres": ["5", "16", "4", "26"],
    },
]


@transaction.atomic
def seed() -> list:
    """Create what is missing; return no accounts (this module creates none)."""
    catalogue = SphereCatalogue.objects.order_by("-effective_from", "-pk").first()
    spheres = {sphere.number: sphere for sphere in catalogue.spheres.all()} if catalogue else {}
    seats = {unit.teryt: unit for unit in TerritorialUnit.objects.filter(teryt__in=[o["seat"] for o in ORGANISATIONS])}
    for spec in ORGANISATIONS:
        if Organisation.objects.filter(name=spec["name"]).exists():
            continue
        data = {**spec, "seat": seats[spec["seat"]], "spheres": [spheres[n] for n in spec["spheres"] if n in spheres]}
        # The numbers are made up: leave out one that an organisation already stored holds.
        for identifier in services.IDENTIFIER_FIELDS:
            if data.get(identifier) and Organisation.objects.filter(**{identifier: data[identifier]}).exists():
                data[identifier] = None
        services.organisation_create(actor=None, data=data)
    already = AuditEntry.objects.filter(action=generator.GENERATE_ACTION, details__seed=DEMO_SEED).exists()
    if not already:
        generator.bulk_insert(DEMO_GENERATED, seed=DEMO_SEED)
    seed_requests(spheres)
    return []


APPLICANT = "wnioskodawca@demo.ngo-platform.pl"
# A sports club registered on the platform in Brzeg, waiting for its verification (a register of the starosta).
NEW_CLUB = {
    "name": "Klub Sportowy „Odra” Brzeg",
    "legal_form": LegalForm.SPORTS_CLUB,
    "register": Register.STAROSTA,
    "registry_number": "SP/12/2025",
    "registry_authority": "Starosta Brzeski",
    "seat": "1601011",
    "street": "ul. Sportowa 3",
    "postal_code": "49-300",
    "city": "Brzeg",
    "description_short": "Piłka nożna i kajakarstwo dla dzieci i młodzieży z Brzegu.",
    "spheres": ["19"],
}


def seed_requests(spheres: dict) -> None:
    """A person (who cannot log in) registers the club in Brzeg and asks to represent TSKN in Opole, through the
    services; once, by the applicant."""
    applicant, created = User.objects.get_or_create(email=APPLICANT, defaults={"display_name": "Marek Wójcik"})
    if created:
        applicant.set_unusable_password()
        applicant.save(update_fields=["password"])
    if VerificationRequest.objects.filter(applicant=applicant).exists():
        return
    data = {
        **NEW_CLUB,
        "seat": TerritorialUnit.objects.get(teryt=NEW_CLUB["seat"]),
        "spheres": [spheres[n] for n in NEW_CLUB["spheres"] if n in spheres],
    }
    services.organisation_register(actor=applicant, data=data, note="Klub założony w 2025 r.; wyciąg z ewidencji.")
    tskn = Organisation.objects.filter(short_name="TSKN").first()
    if tskn is not None:
        services.organisation_claim(
            actor=applicant, organisation=tskn, note="Jestem nowym członkiem zarządu (uchwała z tego miesiąca)."
        )
