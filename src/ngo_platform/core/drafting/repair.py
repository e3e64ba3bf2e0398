"""Repairing text pasted from a PDF before it is parsed: page footers and headers, the e-signature stamp, running
headers repeated at page breaks, words hyphenated at line ends."""

import re

from ngo_platform.core.drafting.patterns import LITERA_RE, TIRET_RE, is_unit_header

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
    re.compile(r"^[-–—_=]{3,}$"),  # a rule line drawn above the footer ("––––––––")
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


def is_page_artefact(line: str) -> bool:
    return any(pattern.match(line) for pattern in PAGE_ARTEFACT_RES)


def repair_text(text: str) -> str:
    """Undo the usual damage of text copied from a PDF; return clean lines.

    Drops page footers and headers (``Strona 1 z 3``, bare page numbers, the
    ``Id: … Podpisany`` e-signature stamp, running headers repeated at page
    breaks), joins words hyphenated at line ends.  Blank lines are kept (they
    separate paragraphs of free text); wrapped lines are joined by the parser.
    """
    lines = _normalised_lines(text)
    boundaries = _page_boundaries(lines)
    kept = _without_furniture(lines, boundaries | _running_headers(lines, boundaries))
    return "\n".join(_join_hyphenated(kept)).strip("\n")


def _normalised_lines(text: str) -> list[str]:
    """The lines with invisible characters, odd spaces and the signature stamp gone; form feeds kept as lines."""
    text = INVISIBLE_CHARS_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = SPACE_CHARS_RE.sub(" ", text)
    # A form feed is a page break: keep it as a marker line for the header detection.
    text = text.replace("\f", "\n\f\n")
    text = SIGNATURE_STAMP_RE.sub("", text)
    return [" ".join(line.split()) if line != "\f" else line for line in text.split("\n")]


def _page_boundaries(lines: list[str]) -> set[int]:
    """Page boundaries: form feeds and footer lines to drop."""
    boundaries: set[int] = set()
    for i, line in enumerate(lines):
        if line == "\f" or (line and is_page_artefact(line)):
            boundaries.add(i)
    return boundaries


def _running_headers(lines: list[str], boundaries: set[int]) -> set[int]:
    """Running headers: the same line printed at two or more page breaks, e.g. the act's title on top of every page.

    To keep real text safe, only a line that reads like a title (capital first letter, 20+ characters, no clause
    mark or hyphen at the end, not a unit header) and sits right next to two different page boundaries is dropped.
    """
    positions_by_line: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if RUNNING_HEADER_CANDIDATE_RE.match(line) and not is_unit_header(line) and not is_page_artefact(line):
            positions_by_line.setdefault(line, []).append(i)
    running: set[int] = set()
    for positions in positions_by_line.values():
        near = {
            i: {_adjacent_boundary(lines, boundaries, i, -1), _adjacent_boundary(lines, boundaries, i, 1)} - {None}
            for i in positions
        }
        if len(set().union(*near.values())) >= 2:
            # confirmed: drop it at every page break, and on top of the first page
            running.update(i for i, found in near.items() if found or _at_document_edge(lines, i))
    return running


def _adjacent_boundary(lines: list[str], boundaries: set[int], i: int, step: int) -> int | None:
    """The page boundary next to line `i` in the direction `step`, across blank lines; None if there is none."""
    j = i + step
    while 0 <= j < len(lines) and not lines[j]:
        j += step
    return j if j in boundaries else None


def _at_document_edge(lines: list[str], i: int) -> bool:
    return not any(lines[:i]) or not any(lines[i + 1 :])


def _without_furniture(lines: list[str], furniture: set[int]) -> list[str]:
    """Drop the furniture with the blank lines around it, so that a page break does not split a paragraph of
    free text."""
    dropped = set(furniture)
    for i in sorted(dropped):
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j] and j not in dropped:
                dropped.add(j)
                j += step
    return [line for i, line in enumerate(lines) if i not in dropped]


def _join_hyphenated(kept: list[str]) -> list[str]:
    """Join words hyphenated at the line end with the next non-blank line."""
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
    return repaired
