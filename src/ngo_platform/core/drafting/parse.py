"""Parsing the repaired lines of a draft into the tree of units: each line is the header of a unit or plain text
continuing the unit above it; units nest by rank.  A signature closes the act (or annex); an Uzasadnienie after it
is kept as trailing text."""

from __future__ import annotations

from collections.abc import Collection

from ngo_platform.core.drafting.citations import cite
from ngo_platform.core.drafting.patterns import (
    ANNEX_HEADER_CONTINUATION_RE,
    ARTYKUL_RE,
    HEADING_KIND,
    HEADING_RE,
    LITERA_DOT_RE,
    LITERA_RE,
    NAME_RE,
    OFFICE_RE,
    PARAGRAF_RE,
    PLACE_DATE_RE,
    PUNKT_RE,
    TIRET_PREVIOUS_END_RE,
    TIRET_RE,
    USTEP_RE,
    UZASADNIENIE_RE,
    ZALACZNIK_RE,
    is_unit_header,
)
from ngo_platform.core.drafting.repair import repair_text
from ngo_platform.core.drafting.tree import HEADING_KINDS, RANK, Unit, walk


def _normalise_space(text: str) -> str:
    return " ".join(text.split())


def classify(line: str, tiret_allowed: bool, dotted_letters: Collection[str] | None = None) -> Unit | None:
    """The unit whose header starts this line, or None for a plain line.

    `dotted_letters`: the labels a letter written "a." may have here (None: any single letter).  "§ 1. 1. Text"
    gives the paragraph with its first ust. as its child.
    """
    if match := ZALACZNIK_RE.match(line):
        return Unit("zalacznik", label=match["label"] or "", title=match["title"])
    if match := HEADING_RE.match(line):
        return Unit(HEADING_KIND[match["kw"].lower()], label=match["label"], title=match["title"])
    for kind, pattern in (("paragraf", PARAGRAF_RE), ("artykul", ARTYKUL_RE)):
        if match := pattern.match(line):
            text = match["text"]
            first_ust = USTEP_RE.match(text)
            # "§ 3 ust. 2 stosuje się …" is a reference at the start of a wrapped line, "§ 2010 – Dotacja" a
            # budget paragraph: without the dot the text must start like a sentence.
            if not match["dot"] and text and not (text[0].isupper() or first_ust):
                return None
            if first_ust:
                return Unit(
                    kind, label=match["label"], children=[Unit("ustep", first_ust["label"], text=first_ust["text"])]
                )
            return Unit(kind, label=match["label"], text=text)
    if match := USTEP_RE.match(line):
        return Unit("ustep", label=match["label"], text=match["text"])
    if match := PUNKT_RE.match(line):
        return Unit("punkt", label=match["label"], text=match["text"])
    if match := LITERA_RE.match(line):
        return Unit("litera", label=match["label"], text=match["text"] or "")
    if (match := LITERA_DOT_RE.match(line)) and (dotted_letters is None or match["label"] in dotted_letters):
        return Unit("litera", label=match["label"], text=match["text"] or "")
    if tiret_allowed and (match := TIRET_RE.match(line)):
        return Unit("tiret", text=match["text"])
    return None


def _append(base: str, addition: str) -> str:
    return f"{base} {addition}" if base else addition


def _dotted_letters(stack: list[Unit], after_colon: bool) -> set[str]:
    """Where a letter written "a." may stand: "a" opening a list after a colon, or the letter after the open one
    ("b" after "a"; "r" after "p", as q, v and x are often skipped)."""
    allowed = {"a"} if after_colon else set()
    open_letter = next((unit for unit in reversed(stack) if unit.kind == "litera"), None)
    if open_letter is not None and len(open_letter.label) == 1:
        following = chr(ord(open_letter.label) + 1)
        allowed.add(following)
        if following in "qvx":
            allowed.add(chr(ord(following) + 1))
    return allowed


def _next_nonblank(lines: list[str], i: int) -> int | None:
    j = i + 1
    while j < len(lines) and not lines[j]:
        j += 1
    return j if j < len(lines) else None


def signature_at(lines: list[str], i: int) -> tuple[str, str, int] | None:
    """The signature block starting at line `i`: (place, date and office; name; index of the name line), or None.

    A block is an optional "Brzeg, dnia 30.09.2024 r." line, the office ("Burmistrz Brzegu") and the name
    ("(-) Jan Kowalski", "Podpisany"), followed by a blank line, the end of the text or a header.
    """
    office = i
    if PLACE_DATE_RE.match(lines[i]):
        office = _next_nonblank(lines, i)
        if office is None:
            return None
    if not OFFICE_RE.match(lines[office]):
        return None
    name = _next_nonblank(lines, office)
    if name is None or not NAME_RE.match(lines[name]) or OFFICE_RE.match(lines[name]) or is_unit_header(lines[name]):
        return None
    after = name + 1
    if after < len(lines) and lines[after] and not _starts_section(lines[after]):
        return None
    title = " ".join(lines[j] for j in range(i, office + 1) if lines[j])
    return title, lines[name], name


def _starts_section(line: str) -> bool:
    return bool(is_unit_header(line) or UZASADNIENIE_RE.match(line) or OFFICE_RE.match(line))


def _enumerations_as_points(root: Unit) -> None:
    """A § or Art. whose own text ends with a colon introduces an enumeration: its "1." items are points, not
    ustępy (a § divided into ustępy has no text of its own), unless they hold "1)" points themselves."""
    for unit in walk(root):
        if (
            unit.kind in ("paragraf", "artykul")
            and unit.text.endswith(":")
            and unit.children
            and all(child.kind == "ustep" for child in unit.children)
            and not any(grandchild.kind == "punkt" for child in unit.children for grandchild in child.children)
        ):
            for child in unit.children:
                child.kind = "punkt"


def _open(unit: Unit, stack: list[Unit]) -> Unit:
    """Open a unit under the nearest open unit of a higher rank; the unit that receives the next plain lines."""
    while len(stack) > 1 and RANK[stack[-1].kind] >= RANK[unit.kind]:
        stack.pop()
    stack[-1].children.append(unit)
    stack.append(unit)
    while unit.children:  # "§ 1. 1. Text": the first ust. is open too
        unit = unit.children[-1]
        stack.append(unit)
    return unit


def _plain_line(line: str, current: Unit | None, stack: list[Unit], root: Unit, *, blank_before: bool) -> Unit:
    """A line that opens no unit: text of the current one, a heading's title, or a new paragraph; the unit that
    receives the next plain lines."""
    if current is None:
        # Text before the first unit: the preamble ("Na podstawie … uchwala się").
        current = Unit("preamble", text=line)
        root.children.append(current)
    elif current.kind == "podpis":
        # Text after a signature (a note, the page's footer) is free text of the act or annex.
        current = Unit("text", text=line)
        stack[-1].children.append(current)
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
    return current


def parse_text(text: str) -> Unit:
    """Parse a draft act (plain text, possibly pasted from a PDF) into a tree."""
    root = Unit("document")
    stack: list[Unit] = [root]  # open units; text, preamble, signature and justification units are never open
    current: Unit | None = None  # the unit that receives plain lines
    tiret_allowed = True  # may the next line be a tiret? (see TIRET_PREVIOUS_END_RE)
    after_colon = False  # does the previous line end with a colon? (a list of "a." letters may open)
    blank_before = False
    signed = False  # after a signature only an annex or the Uzasadnienie opens new units
    justification: Unit | None = None  # once the Uzasadnienie starts, every line is its text

    lines = repair_text(text).split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            blank_before = True
            continue
        if justification is not None:
            justification.text = _append(justification.text, line)
            continue
        # free text: a heading's title and the paragraphs under it, the text after a signature
        in_free_text = current is not None and (
            current.kind == "text" or (current.kind in HEADING_KINDS and not current.children)
        )
        awaiting_title = in_free_text and current.kind in HEADING_KINDS and not current.title
        if not awaiting_title and (match := UZASADNIENIE_RE.match(line)):
            justification = Unit("uzasadnienie", title=match["title"] or "")
            root.children.append(justification)
            continue
        unit = classify(line, tiret_allowed and len(stack) > 1, _dotted_letters(stack, after_colon))
        if signed and unit is not None and unit.kind != "zalacznik":
            unit = None
        # A signature closes the units of the act or annex; it is not looked for in free text (where a new
        # paragraph could not be told from the name) nor after another signature.
        if unit is None and not in_free_text and not signed and (signature := signature_at(lines, i - 1)):
            title, name, i = signature[0], signature[1], signature[2] + 1
            while len(stack) > 1 and stack[-1].kind != "zalacznik":
                stack.pop()
            current = Unit("podpis", title=title, text=name)
            stack[-1].children.append(current)
            signed, tiret_allowed, after_colon, blank_before = True, False, False, False
            continue
        if unit is not None:
            unit = current = _open(unit, stack)  # the innermost unit opened ("§ 1. 1.": its ust. 1)
            signed = signed and unit.kind != "zalacznik"
        else:
            current = _plain_line(line, current, stack, root, blank_before=blank_before)
        tiret_allowed = bool(TIRET_PREVIOUS_END_RE.search(line)) or (
            unit is not None and not unit.text and not unit.title
        )
        after_colon = line.endswith(":")
        blank_before = False

    _enumerations_as_points(root)
    for unit in walk(root):
        unit.text = _normalise_space(unit.text)
        unit.title = _normalise_space(unit.title)
    cite(root)
    return root
