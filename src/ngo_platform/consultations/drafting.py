"""Parser of Polish draft acts into a tree of editorial units (issue #4).

A draft (a resolution adopting a programme of cooperation, a regulation, …) is
read line by line.  Each line is either the header of an editorial unit
(``Rozdział II``, ``§ 3.``, ``Art. 5.``, ``1.``, ``1)``, ``a)``, ``–``,
``Załącznik nr 1``) or plain text that continues the unit above it.  Units nest
by rank (Załącznik > Dział > Rozdział > Oddział > § / Art. > ust. > pkt > lit. >
tiret), so a ``1)`` after letters closes them and a ``§`` closes everything down
to the chapter.  Text pasted from a PDF is repaired first (page footers,
line-end hyphenation); wrapped lines need no repair because plain lines always
continue the open unit.

Pure Python: no database, no request.  See docs/drafting.md for the grammar.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

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


# ---------------------------------------------------------------------------
# Line patterns.  All work on a stripped line; keywords are case-sensitive on
# purpose: "rozdział 2" or "art. 5" at the start of a line is a sentence wrapped
# from the previous line, never a heading.
# ---------------------------------------------------------------------------

# "Dział I", "ROZDZIAŁ 2.", "Rozdział II – Cele programu", "Oddział 1: Zasady"
HEADING_RE = re.compile(
    r"^(?P<kw>DZIAŁ|Dział|ROZDZIAŁ|Rozdział|ODDZIAŁ|Oddział)\s+"
    r"(?P<label>[IVXLCDM]+|\d+[a-z]?)"
    r"(?=$|[\s.:–—-])\s*(?:[.:–—-]\s*)?"  # one optional separator before a same-line title
    r"(?P<title>.*)$"
)
HEADING_KIND = {"dział": "dzial", "rozdział": "rozdzial", "oddział": "oddzial"}

# "§ 1.", "§1", "§ 2. Text", "§ 3a." — the text may follow on the same line.
PARAGRAF_RE = re.compile(r"^§\s*(?P<label>\d+[a-z]?)(?P<dot>\.)?(?:\s+(?P<text>.*))?$")

# "Art. 1.", "Art. 1a. Text", "ART. 2"
ARTYKUL_RE = re.compile(r"^(?:Art|ART)\.\s*(?P<label>\d+[a-z]?)(?P<dot>\.)?(?:\s+(?P<text>.*))?$")

# ust.: "1. Text" (a dot then a space or the end: "1.5 mln" and "2.1." are not units)
USTEP_RE = re.compile(r"^(?P<label>\d{1,3}[a-z]?)\.(?:\s+(?P<text>.*))?$")

# pkt: "1) Text", "12a) Text"
PUNKT_RE = re.compile(r"^(?P<label>\d{1,3}[a-z]?)\)(?:\s*(?P<text>.*))?$")

# lit.: "a) Text", "ab) Text" (lower-case Latin letters only)
LITERA_RE = re.compile(r"^(?P<label>[a-z]{1,2})\)(?:\s+(?P<text>.*))?$")

# tiret: "– Text", "- Text", "— Text", "• Text" (a space after the dash is required)
TIRET_RE = re.compile(r"^[–—•-]\s+(?P<text>\S.*)$")

# A tiret only follows the end of a clause (":", ";", ",", ".", ")"), a bare unit
# header ("Rozdział 2") or starts the text; a dash after a bare word
# ("społeczno\n– gospodarczy") is a wrapped sentence.
TIRET_PREVIOUS_END_RE = re.compile(r"[:;,.)]$")

# "Załącznik nr 1 do uchwały …", "ZAŁĄCZNIK Nr 2", "Załącznik do uchwały nr …" (single annex)
ZALACZNIK_RE = re.compile(
    r"^(?:Załącznik|ZAŁĄCZNIK)"
    r"(?:\s+(?:nr|Nr|NR)\.?\s*(?P<label>\d+[a-z]?|[IVXLC]+))?"
    r"(?=$|[\s.:,–—-])\s*(?:[.:–—-]\s*)?"
    r"(?P<title>.*)$"
)

# Lines continuing an annex header: "do uchwały nr …", "Rady Gminy …", "z dnia …".
ANNEX_HEADER_CONTINUATION_RE = re.compile(
    r"^(?:do\s|z\s+dnia\b|nr\b|Nr\b|NR\b|"
    r"Rady\b|RADY\b|Sejmiku\b|SEJMIKU\b|Zarządu\b|ZARZĄDU\b|"
    r"Wójta\b|WÓJTA\b|Burmistrza\b|BURMISTRZA\b|Prezydenta\b|PREZYDENTA\b|Starosty\b|STAROSTY\b)"
)

# ---------------------------------------------------------------------------
# PDF repair patterns.
# ---------------------------------------------------------------------------

# The e-signature stamp of documents published through the legislative editor
# of Dzienniki Urzędowe: "Id: 4A207E30-AE24-45A0-93F6-151EE77E33E0. Podpisany",
# often glued to the page number: "… Podpisany Strona 1".  May stand inline.
SIGNATURE_STAMP_RE = re.compile(
    r"\s*\bId:\s*[0-9A-F][0-9A-F \t-]*\.?\s*Podpisany\b(?:\s+Strona\s+\d+(?:\s*z\s*\d+)?)?",
    re.IGNORECASE,
)

# Whole lines that are page furniture.
PAGE_ARTEFACT_RES = (
    re.compile(r"^(?:Strona|Str\.|Page)\s*\d+(?:\s*(?:z|/|of)\s*\d+)?$", re.IGNORECASE),  # Strona 1 z 3
    re.compile(r"^[-–—]?\s*\d{1,3}\s*[-–—]?$"),  # bare page number: "2", "- 2 -"
    re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$"),  # "1/3"
    re.compile(r"^\(\d{1,3}\)$"),  # "(2)": the page marker of web transcripts of PDFs (9lib)
    re.compile(r"^Dziennik\s+Urzędowy\s+Województwa\b.*\bPoz\.\s*\d+$", re.IGNORECASE),  # journal running header
)

# A line that may be a running header: starts with a capital, 20+ characters,
# does not end with a clause mark or a hyphen.
RUNNING_HEADER_CANDIDATE_RE = re.compile(r"^[A-ZĄĆĘŁŃÓŚŹŻ].{19,}(?<![.;:,-])$")

# A word broken at the line end: a letter followed by a hyphen.
HYPHENATED_END_RE = re.compile(r"[^\W\d_]-$")

# Invisible or odd whitespace characters in pasted text.
SPACE_CHARS_RE = re.compile(r"[\t\u00a0\u2007\u202f\u2002\u2003\u2009]")
INVISIBLE_CHARS_RE = re.compile(r"[\u00ad\u200b\u200c\u200d\ufeff]")


def _normalise_space(text: str) -> str:
    return " ".join(text.split())


def _is_unit_header(line: str) -> bool:
    return any(
        pattern.match(line)
        for pattern in (HEADING_RE, PARAGRAF_RE, ARTYKUL_RE, USTEP_RE, PUNKT_RE, LITERA_RE, ZALACZNIK_RE)
    )


def _is_page_artefact(line: str) -> bool:
    return any(pattern.match(line) for pattern in PAGE_ARTEFACT_RES)


def repair_text(text: str) -> str:
    """Undo the usual damage of text copied from a PDF; return clean lines.

    Drops page footers and headers (``Strona 1 z 3``, bare page numbers, the
    ``Id: … Podpisany`` e-signature stamp, running headers repeated at page
    breaks), joins words hyphenated at line ends.  Blank lines are kept (they
    separate paragraphs of free text); wrapped lines are joined by the parser.
    """
    text = INVISIBLE_CHARS_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = SPACE_CHARS_RE.sub(" ", text)
    # A form feed is a page break: keep it as a marker line for the header detection.
    text = text.replace("\f", "\n\f\n")
    text = SIGNATURE_STAMP_RE.sub("", text)

    lines = [" ".join(line.split()) if line != "\f" else line for line in text.split("\n")]

    # Page boundaries: form feeds and dropped footer lines.
    boundaries: set[int] = set()
    for i, line in enumerate(lines):
        if line == "\f" or (line and _is_page_artefact(line)):
            boundaries.add(i)

    # Running headers: the same line printed at two or more page breaks, e.g. the
    # act's title on top of every page.  To keep real text safe, only a line that
    # reads like a title (capital first letter, 20+ characters, no clause mark or
    # hyphen at the end, not a unit header) and sits right next to two different
    # page boundaries is dropped.
    def adjacent_boundary(i: int, step: int) -> int | None:
        j = i + step
        while 0 <= j < len(lines) and not lines[j]:
            j += step
        return j if j in boundaries else None

    def at_document_edge(i: int) -> bool:
        return not any(lines[:i]) or not any(lines[i + 1 :])

    positions_by_line: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if RUNNING_HEADER_CANDIDATE_RE.match(line) and not _is_unit_header(line) and not _is_page_artefact(line):
            positions_by_line.setdefault(line, []).append(i)
    running: set[int] = set()
    for positions in positions_by_line.values():
        near = {i: {adjacent_boundary(i, -1), adjacent_boundary(i, 1)} - {None} for i in positions}
        if len(set().union(*near.values())) >= 2:
            # confirmed: drop it at every page break, and on top of the first page
            running.update(i for i, found in near.items() if found or at_document_edge(i))

    # Drop the furniture with the blank lines around it, so that a page break
    # does not split a paragraph of free text.
    dropped = boundaries | running
    for i in sorted(dropped):
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j] and j not in dropped:
                dropped.add(j)
                j += step
    kept = [line for i, line in enumerate(lines) if i not in dropped]

    # Join words hyphenated at the line end with the next non-blank line.
    repaired: list[str] = []
    i = 0
    while i < len(kept):
        line = kept[i]
        while HYPHENATED_END_RE.search(line):  # the joined line may end with a hyphen again
            j = i + 1
            while j < len(kept) and not kept[j]:
                j += 1
            if j == len(kept) or LITERA_RE.match(kept[j]) or TIRET_RE.match(kept[j]):
                break
            following = kept[j]
            if following[0].islower():
                line = line[:-1] + following  # "organi-" + "zacji"
            elif following[0].isupper():
                line = line + following  # "Czerwionka-" + "Leszczyny": a real hyphen
            else:
                break
            i = j
        repaired.append(line)
        i += 1
    return "\n".join(repaired).strip("\n")


# ---------------------------------------------------------------------------
# Parsing.
# ---------------------------------------------------------------------------


def _classify(line: str, tiret_allowed: bool) -> Unit | None:
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
        unit = _classify(line, tiret_allowed)
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


# ---------------------------------------------------------------------------
# Citations.
# ---------------------------------------------------------------------------


def _own_part(unit: Unit, ordinal: int) -> str:
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
    raise ValueError(f"unknown unit kind {unit.kind!r}")


def _join(*parts: str) -> str:
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
            own = _own_part(child, ordinals[child.kind])
            child_annex = annex_citation
            child_chapters = chapters_in_citation
            if child.kind == "preamble":
                citation = own
            elif child.kind == "zalacznik":
                citation = own
                child_annex = own
                child_chapters = _basic_units_repeat(child)
            elif child.kind in ("paragraf", "artykul"):
                base = unit.citation if chapters_in_citation and unit.kind in HEADING_KINDS else annex_citation
                citation = _join(base, own)
            else:
                citation = _join(unit.citation, own)
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


# ---------------------------------------------------------------------------
# Rendering and traversal.
# ---------------------------------------------------------------------------


def render_text(root: Unit) -> str:
    """The canonical plain text of a tree; ``parse_text`` reads it back unchanged.

    One line per unit; a chapter title goes on the line after "Rozdział II"; an
    annex title on the annex line; free text paragraphs are preceded by a blank line.
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
                    lines.append(_same_line_title(_own_part(unit, 0), unit.title))
            case "dzial" | "rozdzial" | "oddzial":
                if unit.title and (
                    unit.title[0] in SEPARATORS
                    or _classify(unit.title, True) is not None
                    or _is_page_artefact(unit.title)
                ):
                    # On a line of its own the title would read as a unit or page furniture.
                    lines.append(_same_line_title(_own_part(unit, 0), unit.title))
                else:
                    lines.append(_own_part(unit, 0))
                    if unit.title:
                        lines.append(unit.title)
            case "paragraf":
                lines.append(_join(f"§ {unit.label}.", unit.text))
            case "artykul":
                lines.append(_join(f"Art. {unit.label}.", unit.text))
            case "ustep":
                lines.append(_join(f"{unit.label}.", unit.text))
            case "punkt":
                lines.append(_join(f"{unit.label})", unit.text))
            case "litera":
                lines.append(_join(f"{unit.label})", unit.text))
            case "tiret":
                lines.append(f"– {unit.text}")
            case "text":
                lines.extend(["", unit.text])
            case _:
                raise ValueError(f"unknown unit kind {unit.kind!r}")
    return "\n".join(lines) + "\n"


SEPARATORS = ".:–—-"
ANNEX_NUMBER_START_RE = re.compile(r"^(?:nr|Nr|NR)\b")


def _same_line_title(header: str, title: str) -> str:
    if not title:
        return header
    if title[0] in SEPARATORS:
        return f"{header}. {title}"  # the parser eats one separator after the number
    return f"{header} {title}"


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


# ---------------------------------------------------------------------------
# Files.
# ---------------------------------------------------------------------------

UNSUPPORTED_MESSAGE = _("Unsupported file type. Upload a .txt, .docx or .odt file.")
UNREADABLE_TEXT_MESSAGE = _("The file could not be read as text.")
BROKEN_DOCX_MESSAGE = _("The .docx file is damaged or is not a Word document.")
BROKEN_ODT_MESSAGE = _("The .odt file is damaged or is not an OpenDocument text.")
EMPTY_MESSAGE = _("The file contains no text.")


def extract_text(filename: str, content: bytes) -> str:
    """The plain text of an uploaded draft (.txt, .docx, .odt); DraftFileError otherwise."""
    suffix = filename.lower().rpartition(".")[2] if "." in filename else ""
    if suffix == "txt":
        text = _decode_text(content)
    elif suffix == "docx":
        text = _docx_text(content)
    elif suffix == "odt":
        text = _odt_text(content)
    else:
        raise DraftFileError(UNSUPPORTED_MESSAGE)
    if not text.strip():
        raise DraftFileError(EMPTY_MESSAGE)
    return text


def parse_file(filename: str, content: bytes) -> Unit:
    return parse_text(extract_text(filename, content))


def _decode_text(content: bytes) -> str:
    if b"\x00" in content:
        raise DraftFileError(UNREADABLE_TEXT_MESSAGE)  # binary data or UTF-16
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1250")  # Windows-1250, the legacy Polish encoding
    except UnicodeDecodeError:
        raise DraftFileError(UNREADABLE_TEXT_MESSAGE) from None


# --- list numbering shared by .docx and .odt ------------------------------------


def _roman(number: int) -> str:
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
              (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
    out = ""
    for value, numeral in values:
        while number >= value:
            out += numeral
            number -= value
    return out


def _letters(number: int) -> str:
    # a … z, then aa, bb, … (the convention of Polish legislative technique)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _format_counter(number: int, fmt: str) -> str:
    match fmt:
        case "lowerLetter" | "a":
            return _letters(number)
        case "upperLetter" | "A":
            return _letters(number).upper()
        case "lowerRoman" | "i":
            return _roman(number).lower()
        case "upperRoman" | "I":
            return _roman(number)
        case _:
            return str(number)


class _ListCounters:
    """Counters of one numbered list: incrementing a level resets the deeper ones."""

    def __init__(self) -> None:
        self.values: dict[int, int] = {}

    def next(self, level: int, start: int) -> None:
        self.values[level] = self.values.get(level, start - 1) + 1
        for deeper in [key for key in self.values if key > level]:
            del self.values[deeper]

    def get(self, level: int, start: int) -> int:
        return self.values.get(level, start)


# --- .docx ---------------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError:  # pragma: no cover - a declared dependency
        raise DraftFileError(UNSUPPORTED_MESSAGE) from None
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception:  # python-docx raises many types for broken packages
        raise DraftFileError(BROKEN_DOCX_MESSAGE) from None

    numbering = _docx_numbering(document, qn)
    counters: dict[str, _ListCounters] = {}
    lines: list[str] = []

    def paragraph_line(paragraph) -> str:
        text = paragraph.text
        num = _docx_num_pr(paragraph, qn)
        if num is None:
            return text
        num_id, level = num
        levels = numbering.get(num_id)
        if not levels or level not in levels:
            return text
        list_counters = counters.setdefault(num_id, _ListCounters())
        fmt, lvl_text, start = levels[level]
        list_counters.next(level, start)
        if fmt == "bullet":
            marker = "–"
        elif fmt == "none":
            marker = ""
        else:

            def substitute(match: re.Match) -> str:
                ref = int(match[1]) - 1
                ref_fmt, _text, ref_start = levels.get(ref, ("decimal", "", 1))
                return _format_counter(list_counters.get(ref, ref_start), ref_fmt)

            marker = re.sub(r"%(\d)", substitute, lvl_text).strip()
        return _join(marker, text.lstrip())

    body = document.element.body
    for element in body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(paragraph_line(docx.text.paragraph.Paragraph(element, document)))
        elif element.tag == qn("w:tbl"):
            table = docx.table.Table(element, document)
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(paragraph_line(paragraph) for paragraph in cell.paragraphs)
    return "\n".join(lines)


def _docx_num_pr(paragraph, qn) -> tuple[str, int] | None:
    """(numId, level) of a numbered paragraph, from the paragraph or its style chain."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    num_id = level = None
    for ppr in candidates:
        if ppr is None:
            continue
        num_pr = ppr.find(qn("w:numPr"))
        if num_pr is None:
            continue
        id_el = num_pr.find(qn("w:numId"))
        lvl_el = num_pr.find(qn("w:ilvl"))
        if num_id is None and id_el is not None:
            num_id = id_el.get(qn("w:val"))
        if level is None and lvl_el is not None:
            level = int(lvl_el.get(qn("w:val")))
        if num_id is not None and level is not None:
            break
    if num_id is None or num_id == "0":
        return None
    return num_id, level or 0


def _docx_numbering(document, qn) -> dict[str, dict[int, tuple[str, str, int]]]:
    """numId → level → (numFmt, lvlText, start) from the numbering part."""
    try:
        numbering_root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}

    def val(parent, tag: str, default: str = "") -> str:
        element = parent.find(qn(tag)) if parent is not None else None
        return element.get(qn("w:val"), default) if element is not None else default

    abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
    for abstract_num in numbering_root.findall(qn("w:abstractNum")):
        levels = {}
        for lvl in abstract_num.findall(qn("w:lvl")):
            levels[int(lvl.get(qn("w:ilvl")))] = (
                val(lvl, "w:numFmt", "decimal"),
                val(lvl, "w:lvlText"),
                int(val(lvl, "w:start", "1") or 1),
            )
        abstract[abstract_num.get(qn("w:abstractNumId"))] = levels

    result: dict[str, dict[int, tuple[str, str, int]]] = {}
    for num in numbering_root.findall(qn("w:num")):
        levels = dict(abstract.get(val(num, "w:abstractNumId"), {}))
        for override in num.findall(qn("w:lvlOverride")):
            level = int(override.get(qn("w:ilvl")))
            start = override.find(qn("w:startOverride"))
            if start is not None and level in levels:
                fmt, text, _start = levels[level]
                levels[level] = (fmt, text, int(start.get(qn("w:val"))))
        result[num.get(qn("w:numId"))] = levels
    return result


# --- .odt ----------------------------------------------------------------------------


def _odt_text(content: bytes) -> str:
    try:
        from odf import teletype
        from odf.namespaces import STYLENS, TEXTNS
        from odf.opendocument import load
        from odf.text import ListStyle
    except ImportError:  # pragma: no cover - a declared dependency
        raise DraftFileError(UNSUPPORTED_MESSAGE) from None
    try:
        document = load(io.BytesIO(content))
    except Exception:  # odfpy raises many types (BadZipFile, KeyError, XML errors)
        raise DraftFileError(BROKEN_ODT_MESSAGE) from None

    # list style name → level → (num-format, prefix, suffix, start, is_bullet)
    list_styles: dict[str, dict[int, tuple[str, str, str, int, bool]]] = {}
    for container in (document.automaticstyles, document.styles):
        for style in container.getElementsByType(ListStyle):
            levels = {}
            for child in style.childNodes:
                if child.qname[1] not in ("list-level-style-number", "list-level-style-bullet"):
                    continue
                level = int(child.getAttrNS(TEXTNS, "level") or 1)
                is_bullet = child.qname[1] == "list-level-style-bullet"
                levels[level] = (
                    child.getAttrNS(STYLENS, "num-format") or "1",
                    child.getAttrNS(STYLENS, "num-prefix") or "",
                    child.getAttrNS(STYLENS, "num-suffix") or "",
                    int(child.getAttrNS(TEXTNS, "start-value") or 1),
                    is_bullet,
                )
            list_styles[style.getAttrNS(STYLENS, "name")] = levels

    lines: list[str] = []

    def walk_odf(node, list_style: str | None, level: int, counters: _ListCounters | None) -> None:
        for child in node.childNodes:
            if child.nodeType != child.ELEMENT_NODE:
                continue
            name = child.qname[1] if child.qname[0] == TEXTNS else None
            if name in ("p", "h"):
                lines.append(teletype.extractText(child))
            elif name == "list":
                style = child.getAttrNS(TEXTNS, "style-name") or list_style
                walk_odf(child, style, level + 1, counters if level else _ListCounters())
            elif name == "list-item" and counters is not None:
                fmt, prefix, suffix, start, is_bullet = list_styles.get(list_style or "", {}).get(
                    level, ("", "", "", 1, False)
                )
                counters.next(level, start)
                marker = "–" if is_bullet else ""
                if fmt and not is_bullet:
                    marker = f"{prefix}{_format_counter(counters.get(level, start), fmt)}{suffix}"
                first = len(lines)
                walk_odf(child, list_style, level, counters)
                if marker and len(lines) > first:
                    lines[first] = _join(marker.strip(), lines[first].lstrip())
            else:
                walk_odf(child, list_style, level, counters)

    walk_odf(document.text, None, 0, None)
    return "\n".join(lines)
