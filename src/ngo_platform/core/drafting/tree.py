"""The tree of editorial units the parser builds: the kinds of units, their nesting rank, the `Unit` itself, the
error of an unreadable file, and the traversals (`walk`, `to_json`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ngo_platform.core.exceptions import ServiceError

KINDS = (
    "document",
    "preamble",
    "dzial",
    "rozdzial",
    "oddzial",
    "artykul",
    "paragraf",
    "ustep",
    "punkt",
    "litera",
    "tiret",
    "zalacznik",
    "text",
    "podpis",  # a signature block ("Burmistrz" / "(-) Jan Kowalski"): closes the act or annex, belongs to no unit
    "uzasadnienie",  # the justification printed after the act: trailing text, not part of the act's body
)

# Units that carry a title and group other units.
HEADING_KINDS = ("zalacznik", "dzial", "rozdzial", "oddzial")

# Nesting rank: a new unit closes every open unit of the same or a lower rank.
RANK = {
    "zalacznik": 1,
    "dzial": 2,
    "rozdzial": 3,
    "oddzial": 4,
    "artykul": 5,
    "paragraf": 5,
    "ustep": 6,
    "punkt": 7,
    "litera": 8,
    "tiret": 9,
}

# Canonical keywords of the headings, as rendered and cited.
HEADING_WORD = {"dzial": "Dział", "rozdzial": "Rozdział", "oddzial": "Oddział"}


@dataclass
class Unit:
    kind: str  # one of KINDS
    label: str = ""  # number/letter as written without decoration: "3", "3a", "II", "a"
    title: str = ""  # heading title (Rozdział, Dział, Oddział, Załącznik)
    text: str = ""  # the unit's own text (not its children's), whitespace-normalised
    children: list[Unit] = field(default_factory=list)
    citation: str = ""  # canonical citation, "" for the document root


class DraftFileError(ServiceError, ValueError):
    """A draft file that cannot be read; the message is user-facing and translatable."""


def walk(root: Unit) -> Iterator[Unit]:
    """Every unit below root in document order (pre-order), root excluded."""
    for child in root.children:
        yield child
        yield from walk(child)


def to_json(root: Unit) -> list[dict]:
    """A flat pre-order list of units, for support tools and tests."""
    out: list[dict] = []

    def visit(unit: Unit, depth: int) -> None:
        for child in unit.children:
            out.append(
                {
                    "citation": child.citation,
                    "kind": child.kind,
                    "label": child.label,
                    "title": child.title,
                    "text": child.text,
                    "depth": depth,
                }
            )
            visit(child, depth + 1)

    visit(root, 0)
    return out
