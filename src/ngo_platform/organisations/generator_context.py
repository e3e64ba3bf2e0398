"""Where generated organisations are: the reference data read once (gminas with their names and weights,
spheres) and the place drawn for each organisation."""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from typing import Any

from ngo_platform.organisations.generator_data import KINDS, PLACES, VILLAGES, Kind
from ngo_platform.territory.models import SphereCatalogue, TerritorialUnit, UnitLevel, in_city_with_powiat_rights


@dataclass(frozen=True)
class Gmina:
    unit: Any  # TerritorialUnit
    powiat: Any  # TerritorialUnit or None
    voivodeship: Any  # TerritorialUnit or None
    loc: str  # "w Nysie"
    gen: str  # "Nysy" (or "gminy X")
    gen_title: str  # "Nysy" (or "Gminy X"), for names
    ziemi: str  # "Ziemi Nyskiej" or "Gminy Nysa"
    villages: tuple[tuple[str, str, str], ...]
    german: bool
    town_weight: float
    rural_weight: float


class Context:
    """Reference data read once: gminas with their names and weights, spheres by number."""

    def __init__(self):
        units = {unit.pk: unit for unit in TerritorialUnit.objects.order_by("teryt")}
        gminas = [_gmina(unit, units) for unit in units.values() if unit.level == UnitLevel.GMINA]
        if not gminas:
            raise RuntimeError("No gminas are loaded: run `ngo-platform load_reference_data` first.")
        self.gminas = gminas
        self.town_cum = list(itertools.accumulate(g.town_weight for g in gminas))
        self.rural_cum = list(itertools.accumulate(g.rural_weight for g in gminas))
        self.german_gminas = [g for g in gminas if g.german] or gminas
        catalogue = SphereCatalogue.objects.order_by("-effective_from", "-pk").first()
        self.spheres = {s.number: s for s in catalogue.spheres.all()} if catalogue else {}
        self.kind_cum = list(itertools.accumulate(k.weight for k in KINDS))


def _gmina(unit, units: dict[int, Any]) -> Gmina:
    """A gmina with the forms of its name (from PLACES, else "w gminie X") and its weights."""
    powiat = units.get(unit.parent_id)
    voivodeship = units.get(powiat.parent_id) if powiat is not None else None
    known = PLACES.get(unit.teryt)
    city_with_powiat_rights = in_city_with_powiat_rights(unit.teryt)
    if known:
        loc, gen, adjective, population = known
    else:
        loc, gen, adjective = f"w gminie {unit.name}", f"gminy {unit.name}", ""
        population = {1: 20.0, 2: 5.0, 3: 10.0}.get(unit.gmina_type or 2, 5.0)
        if city_with_powiat_rights:
            population = 100.0
    ziemi = f"Ziemi {adjective}" if adjective else f"Gminy {unit.name}"
    rural_share = {1: 0.05, 2: 1.0, 3: 0.6}.get(unit.gmina_type or 2, 1.0)
    return Gmina(
        unit=unit,
        powiat=powiat,
        voivodeship=voivodeship,
        loc=loc,
        gen=gen,
        gen_title=gen if known else f"Gminy {unit.name}",
        ziemi=ziemi,
        villages=tuple(VILLAGES.get(unit.teryt, ())),
        german=bool(unit.german_auxiliary_language or unit.name_de),
        town_weight=population**1.15,
        rural_weight=population * rural_share,
    )


def starosta(powiat) -> str:
    """The authority keeping the register of a powiat: its starosta, or the mayor of a city with powiat rights."""
    if powiat is None:
        return "Starosta"
    if in_city_with_powiat_rights(powiat.teryt):
        gen = next((p[1] for t, p in PLACES.items() if t.startswith(powiat.teryt)), powiat.name)
        return f"Prezydent Miasta {gen}"
    return f"Starosta {_capitalise_words(powiat.name)}"


def _capitalise_words(text: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in text.split("-"))


def pick(rng: random.Random, items, cum):
    """One of `items`, by their cumulative weights `cum`."""
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


@dataclass(frozen=True)
class Place:
    """Where an organisation is: its gmina, and a village of it for rural kinds (else the gmina's seat)."""

    gmina: Gmina
    village: tuple[str, str, str] | None
    vnom: str  # "Kadłub" (or the gmina's name)
    vloc: str  # "w Kadłubie"
    vgen: str  # "Kadłuba"
    vgen_title: str  # "Kadłuba" (or "Gminy X"), for names
    voivodeship: str  # TERYT
    powiat: str  # TERYT
    region_gen: str  # "Śląska Opolskiego"
    region_adj: str  # "Opolskie"


def place_of(rng: random.Random, ctx: Context, kind: Kind) -> Place:
    """The gmina of an organisation (weighted by its kind), and a village of it for rural kinds."""
    if kind.key == "stow_mniejszosc":
        gmina = rng.choice(ctx.german_gminas)
    elif kind.rural:
        gmina = pick(rng, ctx.gminas, ctx.rural_cum)
    else:
        gmina = pick(rng, ctx.gminas, ctx.town_cum)
    unit = gmina.unit
    # A village of the gmina for rural kinds (or its seat); the town itself for the others.
    village = None
    if gmina.villages and rng.random() < (0.85 if kind.rural else 0.1):
        village = rng.choice(gmina.villages)
    vnom, vloc, vgen = village or (unit.name, gmina.loc, gmina.gen)
    voivodeship = gmina.voivodeship.teryt if gmina.voivodeship is not None else unit.teryt[:2]
    return Place(
        gmina=gmina,
        village=village,
        vnom=vnom,
        vloc=vloc,
        vgen=vgen,
        vgen_title=village[2] if village else gmina.gen_title,
        voivodeship=voivodeship,
        powiat=gmina.powiat.teryt if gmina.powiat is not None else unit.teryt[:4],
        region_gen="Śląska Opolskiego" if voivodeship == "16" else "naszego regionu",
        region_adj="Opolskie" if voivodeship == "16" else "Regionalne",
    )
