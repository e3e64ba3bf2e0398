"""Believable Polish organisations, generated deterministically, for the demo and the benchmarks.

`generate(count, seed=...)` yields cleaned data dicts in the shape `services.organisation_create`
accepts (the scalar fields of `services.SCALAR_FIELDS`, the seat and `areas` as TerritorialUnit
objects, `spheres` as Sphere objects of the newest SphereCatalogue). `bulk_insert(count, seed=...)`
writes many of them fast: `bulk_create` of organisations and of the many-to-many rows, then
`search.index_organisations`, one transaction per batch, one audit entry per batch.

The organisations are spread over the gminas that are loaded (weighted by population, so cities get
more), with names built from the patterns real ones use, Polish place-name forms for the Opole
voivodeship (other voivodeships fall back to "w gminie X"), legal forms with realistic shares, the
register each form belongs to (domain.md §E), unique identifiers with valid check digits, 1–4
spheres of public tasks and 1–3 sentences of description.

Everything depends only on the seed and the reference data in the database (gminas ordered by
TERYT, spheres of the newest catalogue): the same seed gives the same organisations. Identifiers
come from their own random streams and skip values already taken in the database, so an existing
organisation changes only the identifiers, never the other fields.

The data is fiction: names may coincide with real organisations, but websites and e-mail
addresses use the reserved top-level domain `.example` (RFC 2606), so nothing generated can
reach anyone.

The word lists, places, themes and kinds are data (`generator_data`, read from `data/generator.json`);
the gminas read from the database and the place of each organisation are in `generator_context`, its
name and description in `generator_names`, the identifiers in `generator_identifiers`.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from ngo_platform.core.services import audit_log
from ngo_platform.core.text import slugify_pl
from ngo_platform.organisations import search
from ngo_platform.organisations.generator_context import Context, Gmina, Place, pick, place_of, starosta
from ngo_platform.organisations.generator_data import (
    BRANCH_MARKERS,
    KINDS,
    POSTAL_PREFIXES,
    STAROSTA_PREFIX,
    STREETS,
    Kind,
)
from ngo_platform.organisations.generator_identifiers import IdentifierStreams, TakenIdentifiers, nip_check_digit
from ngo_platform.organisations.generator_names import description_of, name_of, spheres_of, themes_chosen
from ngo_platform.organisations.models import Organisation, OrganisationStatus, Register
from ngo_platform.organisations.services import SCALAR_FIELDS, unique_slug

__all__ = ["DEFAULT_SEED", "GENERATE_ACTION", "TODAY", "TakenIdentifiers", "bulk_insert", "generate", "nip_check_digit"]

DEFAULT_SEED = 20240101
GENERATE_ACTION = "organisations.organisation_generate"
TODAY = date(2025, 6, 30)  # generated dates never pass it, whatever the clock says


def _triangular_date(rng: random.Random, first: int, last: int, mode: int) -> date:
    year = int(rng.triangular(first, last + 0.999, mode))
    start = date(year, 1, 1)
    day = start + timedelta(days=rng.randrange(365))
    return min(day, TODAY - timedelta(days=30))


def _random_date_between(rng: random.Random, first: date, last: date) -> date:
    span = (last - first).days
    return first + timedelta(days=rng.randrange(span + 1)) if span > 0 else first


def generate(
    count: int, *, seed: int = DEFAULT_SEED, taken: TakenIdentifiers | None = None
) -> Iterator[dict[str, Any]]:
    """Yield `count` organisations as cleaned data for `services.organisation_create`.

    `taken` holds identifiers that must not be handed out (e.g. `TakenIdentifiers.from_database()`);
    it is updated with the generated ones.
    """
    context = Context()
    rng = random.Random(seed)
    identifiers = IdentifierStreams(seed, taken if taken is not None else TakenIdentifiers())
    starosta_numbers: dict[tuple[str, str], int] = {}
    for _ in range(count):
        yield _organisation(rng, context, identifiers, starosta_numbers)


# ---------------------------------------------------------------------------------------------
# One organisation, step by step. Each step draws from the same random stream, in a fixed order:
# the order of the steps (and of the draws within them) is what makes a seed give the same data.
# ---------------------------------------------------------------------------------------------
def _organisation(
    rng: random.Random, ctx: Context, ids: IdentifierStreams, starosta_numbers: dict[tuple[str, str], int]
) -> dict[str, Any]:
    kind = pick(rng, KINDS, ctx.kind_cum)
    place = place_of(rng, ctx, kind)
    unit = place.gmina.unit
    founded = _triangular_date(rng, *kind.founded)
    naming = name_of(rng, kind, place)
    primary, chosen = themes_chosen(rng, kind, naming)
    spheres = spheres_of(rng, ctx, chosen)
    description, description_short = description_of(rng, place, founded, primary, chosen)
    is_opp, register, registry_number, registry_authority = _register(rng, kind, place, founded, starosta_numbers)
    krs, regon, nip = _identifiers(rng, ids, register, founded, naming.name, place)
    is_opp, opp_since = _opp_since(rng, is_opp, founded)
    postal_code, street = _address(rng, kind, place)
    website, email, phone = _contact(rng, naming.short_name or naming.name, place)
    status = _status(rng)
    areas = _areas(rng, place.gmina)
    return {
        "name": naming.name,
        "short_name": naming.short_name,
        "legal_form": kind.legal_form,
        "register": register,
        "registry_number": registry_number,
        "registry_authority": registry_authority,
        "krs": krs,
        "nip": nip,
        "regon": regon,
        "street": street,
        "postal_code": postal_code,
        "city": place.vnom,
        "seat": unit,
        "is_opp": is_opp,
        "opp_since": opp_since,
        "description_short": description_short,
        "description": description,
        "website": website,
        "email": email,
        "phone": phone,
        "founded_on": founded,
        "status": status,
        "spheres": spheres,
        "areas": areas,
    }


def _register(
    rng: random.Random, kind: Kind, place: Place, founded: date, starosta_numbers: dict[tuple[str, str], int]
) -> tuple[bool, str, str, str]:
    """(is OPP, register, number in it, authority keeping it), by the kind (domain.md §E)."""
    is_opp = rng.random() < kind.opp
    register, registry_number, registry_authority = Register.KRS, "", ""
    if kind.key in ("zwykle", "uks") or (kind.key in ("klub", "lzs") and rng.random() < 0.35):
        if not is_opp:  # ordinary associations and student clubs appear in KRS only as OPP
            register = Register.STAROSTA
    elif kind.key == "kgw":
        register = Register.OTHER
        registry_number = f"{rng.randrange(1, 12_000)}"
        registry_authority = "Prezes Agencji Restrukturyzacji i Modernizacji Rolnictwa"
    elif kind.key == "koscielna" and not is_opp:
        register = Register.OTHER
    if register == Register.STAROSTA:
        powiat = place.gmina.powiat
        registry_authority = starosta(powiat)
        key = (powiat.teryt if powiat else place.gmina.unit.teryt, STAROSTA_PREFIX.get(kind.key, "S"))
        starosta_numbers[key] = starosta_numbers.get(key, 0) + 1
        registry_number = f"{key[1]}/{starosta_numbers[key]}/{max(founded.year, 1990)}"
    return is_opp, register, registry_number, registry_authority


def _identifiers(
    rng: random.Random, ids: IdentifierStreams, register: str, founded: date, name: str, place: Place
) -> tuple[str | None, str | None, str | None]:
    """(KRS, REGON, NIP): KRS for organisations in it, REGON and NIP for most."""
    krs = None
    if register == Register.KRS:
        # Older organisations moved into KRS when it opened (2001–2004).
        registered = founded
        if founded < date(2001, 1, 1):
            registered = _random_date_between(rng, date(2001, 6, 1), date(2004, 12, 31))
        krs = ids.krs(registered)
    branch = any(marker in name for marker in BRANCH_MARKERS)
    has_regon = rng.random() < (0.97 if register == Register.KRS else 0.85)
    regon = ids.regon(founded, place.voivodeship, branch=branch) if has_regon else None
    nip = ids.nip(place.powiat) if rng.random() < (0.92 if register == Register.KRS else 0.7) else None
    return krs, regon, nip


def _opp_since(rng: random.Random, is_opp: bool, founded: date) -> tuple[bool, date | None]:
    """The date an OPP got the status (not before 2004, a year after founding); none: not an OPP."""
    opp_since = None
    if is_opp:
        first = max(date(2004, 1, 1), founded + timedelta(days=365))
        opp_since = _random_date_between(rng, first, TODAY - timedelta(days=60)) if first < TODAY else None
        is_opp = opp_since is not None
    return is_opp, opp_since


def _address(rng: random.Random, kind: Kind, place: Place) -> tuple[str, str]:
    """(postal code, street and number)."""
    prefixes = POSTAL_PREFIXES.get(place.powiat) or [f"{rng.randrange(0, 99):02d}-{rng.randrange(0, 9)}"]
    postal_code = f"{rng.choice(prefixes)}{rng.randrange(0, 100):02d}"
    street = f"{rng.choice(STREETS)} {rng.randint(1, 60)}" + (rng.choice(("", "", "", "a", "/2", "/4")))
    if kind.key == "osp" and rng.random() < 0.5:
        street = f"ul. Strażacka {rng.randint(1, 20)}"
    return postal_code, street


def _contact(rng: random.Random, name: str, place: Place) -> tuple[str, str, str]:
    """(website, e-mail, phone), each for some organisations; addresses in the `.example` domain."""
    handle = _handle(name)
    website = f"https://www.{handle}.example/" if rng.random() < 0.35 else ""
    email = ""
    if rng.random() < 0.6:
        email = f"{rng.choice(('kontakt', 'biuro', 'zarzad', 'sekretariat'))}@{handle}.example"
    phone = ""
    roll = rng.random()
    if roll < 0.15:  # a landline: area code and 7 digits
        area = "77" if place.voivodeship == "16" else f"{rng.randrange(12, 95)}"
        phone = f"+48 {area} {rng.randrange(400, 500)} {rng.randrange(10, 100)} {rng.randrange(10, 100)}"
    elif roll < 0.35:  # a mobile
        mobile = rng.choice(("50", "51", "53", "60", "66", "69", "72", "78", "79", "88"))
        phone = f"+48 {mobile}{rng.randrange(10)} {rng.randrange(100, 1000)} {rng.randrange(100, 1000)}"
    return website, email, phone


def _handle(name: str) -> str:
    """A domain label from a name: its slug, cut at a word boundary within 40 characters."""
    slug = slugify_pl(name)
    if len(slug) > 40:
        slug = slug[:41].rsplit("-", 1)[0]
    return slug or "organizacja"


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.015:
        return OrganisationStatus.IN_LIQUIDATION
    if roll < 0.02:
        return OrganisationStatus.SUSPENDED
    if roll < 0.03:
        return OrganisationStatus.STRUCK_OFF
    return OrganisationStatus.ACTIVE


def _areas(rng: random.Random, gmina: Gmina) -> list:
    """The area of activity beyond the seat, for some: the gmina, its powiat or its voivodeship."""
    roll = rng.random()
    if roll < 0.15:
        return [gmina.unit]
    if roll < 0.25 and gmina.powiat is not None:
        return [gmina.powiat]
    if roll < 0.28 and gmina.voivodeship is not None:
        return [gmina.voivodeship]
    return []


# ---------------------------------------------------------------------------------------------
# Fast insert.
# ---------------------------------------------------------------------------------------------
def bulk_insert(
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    batch_size: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Insert `count` generated organisations with their spheres, areas and search entries.

    One transaction (and one audit entry) per batch; returns how many were inserted.
    """
    taken = TakenIdentifiers.from_database()
    slugs = set(Organisation.objects.values_list("slug", flat=True).iterator(chunk_size=10_000))
    next_suffix: dict[str, int] = {}
    rows = generate(count, seed=seed, taken=taken)
    sphere_through = Organisation.spheres.through
    area_through = Organisation.areas.through
    done = 0
    while batch := list(itertools.islice(rows, batch_size)):
        organisations = []
        for data in batch:
            organisation = Organisation(**{f: data[f] for f in SCALAR_FIELDS if f in data})
            organisation.slug = unique_slug(data["name"], slugs, next_suffix)
            organisations.append(organisation)
        with transaction.atomic():
            Organisation.objects.bulk_create(organisations, batch_size=1000)
            sphere_through.objects.bulk_create(
                [
                    sphere_through(organisation_id=organisation.pk, sphere_id=sphere.pk)
                    for organisation, data in zip(organisations, batch)
                    for sphere in data["spheres"]
                ],
                batch_size=5000,
            )
            area_through.objects.bulk_create(
                [
                    area_through(organisation_id=organisation.pk, territorialunit_id=unit.pk)
                    for organisation, data in zip(organisations, batch)
                    for unit in data["areas"]
                ],
                batch_size=5000,
            )
            search.index_organisations(organisations)
            audit_log(
                actor=None,
                action=GENERATE_ACTION,
                details={
                    "seed": seed,
                    "count": len(organisations),
                    "first_id": organisations[0].pk,
                    "last_id": organisations[-1].pk,
                },
            )
        done += len(organisations)
        if progress is not None:
            progress(done, count)
    return done
