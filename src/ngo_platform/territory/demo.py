"""Demo contact details of the authorities that the demo's consultations, competitions and elections belong to
(`ngo-platform seed_demo`, idempotent: a second run changes nothing and audits nothing).

The offices' addresses, websites and BIP addresses are the public ones; e-mail addresses are under the demo's
domain and the telephone numbers are not real, so that nobody writes to or rings an office from the demo.
"""

from ngo_platform.accounts.demo import DEMO_DOMAIN
from ngo_platform.territory.models import Authority
from ngo_platform.territory.services import authority_contact_set

CONTACTS = {
    "16": {
        "address": "ul. Piastowska 14, 45-082 Opole",
        "email": f"urzad.marszalkowski@{DEMO_DOMAIN}",
        "phone": "+48 77 000 00 00",
        "website": "https://www.opolskie.pl/",
        "bip_url": "https://bip.opolskie.pl/",
    },
    "1601011": {
        "address": "ul. Robotnicza 12, 49-300 Brzeg",
        "email": f"urzad.miasta.brzeg@{DEMO_DOMAIN}",
        "phone": "+48 77 000 00 01",
        "website": "https://www.brzeg.pl/",
        "bip_url": "https://bip.brzeg.pl/",
    },
}


def seed() -> list:
    for authority in Authority.objects.filter(unit__teryt__in=list(CONTACTS)).select_related("unit"):
        authority_contact_set(actor=None, authority=authority, data=CONTACTS[authority.unit.teryt])
    return []
