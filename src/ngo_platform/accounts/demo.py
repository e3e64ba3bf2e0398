"""Demo people and their roles for `ngo-platform seed_demo` (idempotent).

The organisations come from `organisations.demo`, which runs before this module.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from ngo_platform.accounts import services
from ngo_platform.accounts.models import AuthorityRole, OrganisationRole, User
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority

DEMO_DOMAIN = "demo.ngo-platform.pl"
# Base32 secret of the demo TOTP devices: add it to any authenticator app, or run
# `ngo-platform demo_totp EMAIL` to print the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    display_name: str
    description: str
    staff: bool = False
    totp: bool = False
    public_title: str = ""


ACCOUNTS = [
    DemoAccount(
        f"admin@{DEMO_DOMAIN}",
        "Demo-Admin-2026!",
        "Anna Wróblewska",
        "administrator platformy",
        staff=True,
        totp=True,
        public_title="administratorka platformy",
    ),
    DemoAccount(
        f"urzednik@{DEMO_DOMAIN}",
        "Demo-Urzednik-2026!",
        "Jan Kowalski",
        "urzędnik: Województwo Opolskie (administrator), Gmina Brzeg",
        totp=True,
        public_title="Biuro Współpracy z Organizacjami Pozarządowymi, Urząd Marszałkowski",
    ),
    DemoAccount(
        f"urzedniczka@{DEMO_DOMAIN}",
        "Demo-Urzedniczka-2026!",
        "Maria Nowak",
        "urzędniczka: Miasto Opole",
        totp=True,
        public_title="Urząd Miasta Opola",
    ),
    DemoAccount(
        f"ngo@{DEMO_DOMAIN}",
        "Demo-NGO-2026!",
        "Katarzyna Wiśniewska",
        "przedstawicielka: Stowarzyszenie Przyjaciół Ziemi Brzeskiej (administratorka)",
        public_title="prezeska Stowarzyszenia Przyjaciół Ziemi Brzeskiej",
    ),
    DemoAccount(f"mieszkaniec@{DEMO_DOMAIN}", "Demo-Mieszkaniec-2026!", "Piotr Zieliński", "mieszkaniec"),
]

# Realistic names for the demo's further (inactive) representatives, picked by a stable number (other apps' demos).
DEMO_NAMES = [
    "Agnieszka Kamińska",
    "Paweł Lewandowski",
    "Magdalena Dąbrowska",
    "Krzysztof Mazur",
    "Joanna Krawczyk",
    "Michał Piotrowski",
    "Aleksandra Grabowska",
    "Marcin Pawłowski",
    "Ewa Michalska",
    "Łukasz Król",
    "Barbara Wieczorek",
    "Grzegorz Jabłoński",
    "Monika Majewska",
    "Rafał Olszewski",
    "Beata Stępień",
    "Andrzej Zając",
    "Dorota Jaworska",
]


def demo_name(number: int) -> str:
    return DEMO_NAMES[number % len(DEMO_NAMES)]


# (email, authority TERYT, role)
AUTHORITY_ROLES = [
    (f"urzednik@{DEMO_DOMAIN}", "16", AuthorityRole.ADMIN),
    (f"urzednik@{DEMO_DOMAIN}", "1601011", AuthorityRole.OFFICER),
    (f"urzedniczka@{DEMO_DOMAIN}", "1661", AuthorityRole.OFFICER),
]
# Named on their office's page as contacts for organisations (their own choice on the profile).
PUBLIC_OFFICERS = {(f"urzednik@{DEMO_DOMAIN}", "16"), (f"urzedniczka@{DEMO_DOMAIN}", "1661")}
# (email, organisation slug, role); the organisations are created by `organisations.demo`.
ORGANISATION_ROLES = [
    (f"ngo@{DEMO_DOMAIN}", "stowarzyszenie-przyjaciol-ziemi-brzeskiej", OrganisationRole.ADMIN),
    (f"ngo@{DEMO_DOMAIN}", "fundacja-opolskie-centrum-wolontariatu", OrganisationRole.EDITOR),
]


@transaction.atomic
def seed() -> list[DemoAccount]:
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "display_name": account.display_name,
                "public_title": account.public_title,
                "is_staff": account.staff,
            },
        )
        if created:
            user.set_password(account.password)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=account.email, defaults={"verified": True, "primary": True})
        if account.totp and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    users = {user.email: user for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    for email, teryt, role in AUTHORITY_ROLES:
        authority = Authority.objects.get(unit__teryt=teryt)
        membership = services.authority_membership_set(actor=None, authority=authority, user=users[email], role=role)
        if (email, teryt) in PUBLIC_OFFICERS:
            services.membership_publicity_set(actor=users[email], membership=membership, is_public=True)
    for email, slug, role in ORGANISATION_ROLES:
        organisation = Organisation.objects.get(slug=slug)
        services.organisation_membership_set(actor=None, organisation=organisation, user=users[email], role=role)
    return ACCOUNTS
