"""The line patterns of the headers of editorial units. All work on a stripped line; keywords are case-sensitive on
purpose: "rozdział 2" or "art. 5" at the start of a line is a sentence wrapped from the previous line, never a
heading."""

import re

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


def is_unit_header(line: str) -> bool:
    return any(
        pattern.match(line)
        for pattern in (HEADING_RE, PARAGRAF_RE, ARTYKUL_RE, USTEP_RE, PUNKT_RE, LITERA_RE, ZALACZNIK_RE)
    )
