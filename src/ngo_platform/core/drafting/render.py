"""The canonical plain text of a tree, which the parser reads back unchanged."""

from __future__ import annotations

import re

from ngo_platform.core.drafting.citations import join_nonempty, own_part
from ngo_platform.core.drafting.parse import classify
from ngo_platform.core.drafting.repair import is_page_artefact
from ngo_platform.core.drafting.tree import Unit, walk

SEPARATORS = ".:–—-"
ANNEX_NUMBER_START_RE = re.compile(r"^(?:nr|Nr|NR)\b")


def render_text(root: Unit) -> str:
    """The canonical plain text of a tree; ``parse_text`` reads it back unchanged.

    One line per unit; a chapter title goes on the line after "Rozdział II"; an
    annex title on the annex line; free text paragraphs are preceded by a blank line;
    a signature is its office line then its name line; the Uzasadnienie its header then its text.
    """
    lines: list[str] = []
    for unit in walk(root):
        match unit.kind:
            case "preamble":
                lines.append(unit.text)
            case "zalacznik":
                if not unit.label and ANNEX_NUMBER_START_RE.match(unit.title):
                    lines.extend(["Załącznik", unit.title])  # "nr …" on the header line would be the number
                else:
                    lines.append(_same_line_title(own_part(unit, 0), unit.title))
            case "dzial" | "rozdzial" | "oddzial":
                if unit.title and (
                    unit.title[0] in SEPARATORS
                    or classify(unit.title, True) is not None
                    or is_page_artefact(unit.title)
                ):
                    # On a line of its own the title would read as a unit or page furniture.
                    lines.append(_same_line_title(own_part(unit, 0), unit.title))
                else:
                    lines.append(own_part(unit, 0))
                    if unit.title:
                        lines.append(unit.title)
            case "paragraf":
                lines.append(join_nonempty(f"§ {unit.label}.", unit.text))
            case "artykul":
                lines.append(join_nonempty(f"Art. {unit.label}.", unit.text))
            case "ustep":
                lines.append(join_nonempty(f"{unit.label}.", unit.text))
            case "punkt":
                lines.append(join_nonempty(f"{unit.label})", unit.text))
            case "litera":
                lines.append(join_nonempty(f"{unit.label})", unit.text))
            case "tiret":
                lines.append(f"– {unit.text}")
            case "text":
                lines.extend(["", unit.text])
            case "podpis":
                lines.extend([unit.title, unit.text])
            case "uzasadnienie":
                lines.append(join_nonempty("Uzasadnienie", unit.title))
                if unit.text:
                    lines.append(unit.text)
            case _:
                raise ValueError(f"unknown unit kind {unit.kind!r}")
    return "\n".join(lines) + "\n"


def _same_line_title(header: str, title: str) -> str:
    if not title:
        return header
    if title[0] in SEPARATORS:
        return f"{header}. {title}"  # the parser eats one separator after the number
    return f"{header} {title}"
