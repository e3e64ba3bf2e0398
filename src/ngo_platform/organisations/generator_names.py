"""Names and descriptions of generated organisations: the name from a template of the kind, the themes it
points to, the spheres of public tasks and the sentences of the description."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from ngo_platform.organisations.generator_context import Context, Place
from ngo_platform.organisations.generator_data import (
    CENTRES,
    FIELDS_OF_FOUNDATION,
    KGW_NAMES,
    PATRONS,
    QUOTED,
    SAINTS,
    SPORT_NAMES,
    THEMES,
    Kind,
)


@dataclass(frozen=True)
class Naming:
    """The name of an organisation and the themes its template points to."""

    name: str
    short_name: str
    themes: list[str]
    fixed: bool  # the template decides the main theme
    field_themes: tuple[str, ...] | None  # the themes of the foundation's field, when the name has one


def name_of(rng: random.Random, kind: Kind, place: Place) -> Naming:
    """The name (from one of the kind's templates) and the short name."""
    themes = list(kind.themes)
    templates = kind.names
    if place.village is None and place.gmina.unit.gmina_type != 2:  # no "Odnowy Wsi Opola": towns are not villages
        templates = tuple(t for t in templates if "Wsi" not in t) or templates
    template = rng.choice(templates)
    template_theme, _, template = template.rpartition("|")
    field_name, field_themes = rng.choice(FIELDS_OF_FOUNDATION)
    centre = rng.choice(tuple(CENTRES))
    if "{field}" in template:
        themes = list(field_themes) + themes
    elif "{centre}" in template:
        themes = [CENTRES[centre]] + themes
    values = _name_values(rng, place, field_name, centre)
    name = " ".join(template.format(**values).split())
    short_name = kind.short.format(**values) if kind.short and rng.random() < 0.7 else ""
    if not short_name and kind.key == "fundacja" and "{q}" in template and rng.random() < 0.5:
        short_name = f"Fundacja {values['q']}"
    if template_theme:
        themes = [template_theme] + themes
    return Naming(
        name=name,
        short_name=short_name,
        themes=themes,
        fixed=bool(template_theme or "{field}" in template or "{centre}" in template),
        field_themes=field_themes if "{field}" in template else None,
    )


def _name_values(rng: random.Random, place: Place, field_name: str, centre: str) -> dict[str, Any]:
    """The placeholders of name templates."""
    unit = place.gmina.unit
    sport = rng.choice(SPORT_NAMES)
    return {
        "q": rng.choice(QUOTED),
        "sport": sport,
        "kgw": rng.choice(KGW_NAMES),
        "saint": rng.choice(SAINTS),
        "patron": rng.choice(PATRONS),
        "field": field_name,
        "centre": centre,
        "region_adj": place.region_adj,
        "loc": place.gmina.loc,
        "gen": place.gmina.gen_title,
        "ziemi": place.gmina.ziemi,
        "town": unit.name,
        "gmina_gen_cap": f"Gminy {unit.name}",
        "vnom": place.vnom,
        "vloc": place.vloc,
        "vgen": place.vgen_title,
        "n": rng.randint(1, 6),
    }


def themes_chosen(rng: random.Random, kind: Kind, naming: Naming) -> tuple[str, list[str]]:
    """The main theme and the themes chosen (the main one first)."""
    themes = naming.themes
    primary = themes[0] if naming.fixed else rng.choice(themes)
    others = [t for t in dict.fromkeys(themes) if t != primary and primary != "dyscyplina"]
    if kind.key == "fundacja":  # a foundation's field decides; the long list of themes is only for variety
        field_or_others = naming.field_themes if naming.field_themes is not None else others
        others = [t for t in dict.fromkeys(field_or_others) if t != primary]
        extra = rng.choice((0, 0, 0, 1))
    else:
        extra = rng.choice((0, 0, 1, 1, 2))
    return primary, [primary] + rng.sample(others, k=min(len(others), extra))


def spheres_of(rng: random.Random, ctx: Context, chosen: list[str]) -> list:
    """Up to 4 spheres of the chosen themes: the first of each always, the others sometimes."""
    sphere_numbers: list[str] = []
    for theme in chosen:
        numbers = THEMES[theme][0]
        sphere_numbers.append(numbers[0])
        sphere_numbers.extend(n for n in numbers[1:] if rng.random() < 0.35)
    sphere_numbers = list(dict.fromkeys(sphere_numbers))[:4]
    return [ctx.spheres[n] for n in sphere_numbers if n in ctx.spheres]


def description_of(rng: random.Random, place: Place, founded: date, primary: str, chosen: list[str]) -> tuple[str, str]:
    """1–3 sentences of the chosen themes (one of the main theme first), and the first as the short one."""
    unit = place.gmina.unit
    placeholders = {
        "loc": place.vloc,
        "gen": place.vgen,
        "gmina_gen": f"gminy {unit.name}",
        "gmina_loc": f"w gminie {unit.name}",
        "region_gen": place.region_gen,
        "year": founded.year,
    }
    sentences = [rng.choice(THEMES[primary][1])]
    pool = [s for theme in chosen for s in THEMES[theme][1] if s not in sentences]
    for _ in range(rng.choice((0, 1, 1, 2, 2))):
        if not pool:
            break
        sentence = rng.choice(pool)
        pool.remove(sentence)
        sentences.append(sentence)
    sentences = [s.format(**placeholders) for s in sentences]
    description = " ".join(sentences)
    description_short = sentences[0] if len(sentences[0]) <= 300 else sentences[0][:297] + "…"
    return description, description_short
