"""Parsing the repaired lines of a draft into the tree of units: each line is the header of a unit or plain text
continuing the unit above it; units nest by rank."""

from __future__ import annotations

from ngo_platform.consultations.drafting.citations import cite
from ngo_platform.consultations.drafting.patterns import (
    ANNEX_HEADER_CONTINUATION_RE,
    ARTYKUL_RE,
    HEADING_KIND,
    HEADING_RE,
    LITERA_RE,
    PARAGRAF_RE,
    PUNKT_RE,
    TIRET_PREVIOUS_END_RE,
    TIRET_RE,
    USTEP_RE,
    ZALACZNIK_RE,
)
from ngo_platform.consultations.drafting.repair import repair_text
from ngo_platform.consultations.drafting.tree import HEADING_KINDS, RANK, Unit, walk


def _normalise_space(text: str) -> str:
    return " ".join(text.split())


def classify(line: str, tiret_allowed: bool) -> Unit | None:
    """The unit whose header starts this line, or None for a plain line."""
    if match := ZALACZNIK_RE.match(line):
        return Unit("zalacznik", label=match["label"] or "", title=match["title"])
    if match := HEADING_RE.match(line):
        return Unit(HEADING_KIND[match["kw"].lower()], label=match["label"], title=match["title"])
    for kind, pattern in (("paragraf", PARAGRAF_RE), ("artykul", ARTYKUL_RE)):
        if match := pattern.match(line):
            text = match["text"] or ""
            # "§ 3 ust. 2 stosuje się …" is a reference at the start of a wrapped line.
            if not match["dot"] and text[:1].islower():
                return None
            return Unit(kind, label=match["label"], text=text)
    if match := USTEP_RE.match(line):
        return Unit("ustep", label=match["label"], text=match["text"] or "")
    if match := PUNKT_RE.match(line):
        return Unit("punkt", label=match["label"], text=match["text"] or "")
    if match := LITERA_RE.match(line):
        return Unit("litera", label=match["label"], text=match["text"] or "")
    if tiret_allowed and (match := TIRET_RE.match(line)):
        return Unit("tiret", text=match["text"])
    return None


def _append(base: str, addition: str) -> str:
    return f"{base} {addition}" if base else addition


def parse_text(text: str) -> Unit:
    """Parse a draft act (plain text, possibly pasted from a PDF) into a tree."""
    root = Unit("document")
    stack: list[Unit] = [root]  # open units; text and preamble units are never open
    current: Unit | None = None  # the unit that receives plain lines
    tiret_allowed = True  # may the next line be a tiret? (see TIRET_PREVIOUS_END_RE)
    blank_before = False

    for line in repair_text(text).split("\n"):
        if not line:
            blank_before = True
            continue
        unit = classify(line, tiret_allowed)
        if unit is not None:
            while len(stack) > 1 and RANK[stack[-1].kind] >= RANK[unit.kind]:
                stack.pop()
            stack[-1].children.append(unit)
            stack.append(unit)
            current = unit
        elif current is None:
            # Text before the first unit: the preamble ("Na podstawie … uchwala się").
            current = Unit("preamble", text=line)
            root.children.append(current)
        elif current.kind in HEADING_KINDS and not current.children:
            if not current.title:
                current.title = line
            elif not blank_before and (
                line[0].islower() or (current.kind == "zalacznik" and ANNEX_HEADER_CONTINUATION_RE.match(line))
            ):
                current.title = _append(current.title, line)
            else:
                heading = current
                current = Unit("text", text=line)
                heading.children.append(current)
        elif current.kind == "text" and blank_before:
            # A new paragraph of free text under the same heading.
            current = Unit("text", text=line)
            stack[-1].children.append(current)
        else:
            current.text = _append(current.text, line)
        tiret_allowed = bool(TIRET_PREVIOUS_END_RE.search(line)) or (
            unit is not None and not unit.text and not unit.title
        )
        blank_before = False

    for unit in walk(root):
        unit.text = _normalise_space(unit.text)
        unit.title = _normalise_space(unit.title)
    cite(root)
    return root
