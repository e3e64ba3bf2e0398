"""The canonical citations of the units ("§ 3 ust. 2 pkt 1", "Załącznik nr 1 Rozdział 2 ust. 1"); see
docs/drafting.md."""

from __future__ import annotations

from collections import Counter

from ngo_platform.core.drafting.tree import HEADING_KINDS, HEADING_WORD, Unit


def own_part(unit: Unit, ordinal: int) -> str:
    match unit.kind:
        case "preamble":
            return "Preambuła"
        case "zalacznik":
            return f"Załącznik nr {unit.label}" if unit.label else "Załącznik"
        case "dzial" | "rozdzial" | "oddzial":
            return f"{HEADING_WORD[unit.kind]} {unit.label}"
        case "paragraf":
            return f"§ {unit.label}"
        case "artykul":
            return f"Art. {unit.label}"
        case "ustep":
            return f"ust. {unit.label}"
        case "punkt":
            return f"pkt {unit.label}"
        case "litera":
            return f"lit. {unit.label}"
        case "tiret":
            return f"tiret {ordinal}"
        case "text":
            return f"akapit {ordinal}"
        case "podpis":
            return "Podpis"
        case "uzasadnienie":
            return "Uzasadnienie"
    raise ValueError(f"unknown unit kind {unit.kind!r}")


def join_nonempty(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _basic_units_repeat(scope: Unit) -> bool:
    """True when § / Art. numbers repeat within an annex (or the act), e.g. restart per chapter."""
    seen: set[tuple[str, str]] = set()

    def visit(unit: Unit) -> bool:
        for child in unit.children:
            if child.kind == "zalacznik":
                continue
            if child.kind in ("paragraf", "artykul"):
                key = (child.kind, child.label)
                if key in seen:
                    return True
                seen.add(key)
            elif visit(child):
                return True
        return False

    return visit(scope)


def cite(root: Unit) -> Unit:
    """Fill in the canonical citation of every unit (see docs/drafting.md); return root.

    ``§`` and ``Art.`` are cited without their chapter (they are numbered through
    the act), prefixed by their annex.  Units with no ``§``/``Art.`` above them are
    cited from the nearest heading ("Rozdział 2 ust. 1").  Tirets and free text
    paragraphs are counted ("tiret 2", "akapit 1").  A citation that would repeat
    (duplicate numbers as written) gets the occurrence number: "§ 3 [2]".
    """
    seen: set[str] = set()

    def visit(unit: Unit, annex_citation: str, chapters_in_citation: bool) -> None:
        ordinals: Counter[str] = Counter()
        for child in unit.children:
            ordinals[child.kind] += 1
            own = own_part(child, ordinals[child.kind])
            child_annex = annex_citation
            child_chapters = chapters_in_citation
            if child.kind in ("preamble", "uzasadnienie"):
                citation = own
            elif child.kind == "zalacznik":
                citation = own
                child_annex = own
                child_chapters = _basic_units_repeat(child)
            elif child.kind in ("paragraf", "artykul"):
                base = unit.citation if chapters_in_citation and unit.kind in HEADING_KINDS else annex_citation
                citation = join_nonempty(base, own)
            else:
                citation = join_nonempty(unit.citation, own)
            if citation in seen:
                occurrence = 2
                while f"{citation} [{occurrence}]" in seen:
                    occurrence += 1
                citation = f"{citation} [{occurrence}]"
            seen.add(citation)
            child.citation = citation
            visit(child, child_annex, child_chapters)

    root.citation = ""
    visit(root, "", _basic_units_repeat(root))
    return root
