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

# "§ 1.", "§1", "§ 2. Text", "§ 3a.", "§2.Text", "§ 1. 1. Text", "§ 1.1.Text" — the text may follow on the same line
# (with "§ 1. 1." it is the first ust.).  At most three digits: "§ 2010", "§ 4300" are paragraphs of the budget
# classification, not units of the act.
PARAGRAF_RE = re.compile(
    r"^§\s*(?P<label>\d{1,3}[a-z]?)(?![\da-z])"
    r"(?:(?P<dot>\.)(?:\s+|$|(?=[A-ZĄĆĘŁŃÓŚŹŻ\d]))|\s+|$)"
    r"(?P<text>.*)$"
)

# "Art. 1.", "Art. 1a. Text", "ART. 2", "Art. 3. 1. Text"
ARTYKUL_RE = re.compile(
    r"^(?:Art|ART)\.\s*(?P<label>\d+[a-z]?)(?![\da-z])"
    r"(?:(?P<dot>\.)(?:\s+|$|(?=[A-ZĄĆĘŁŃÓŚŹŻ\d]))|\s+|$)"
    r"(?P<text>.*)$"
)

# ust.: "1. Text", "2.Text" (a dot then a space, the end or a capital: "1.5 mln" and "2.1." are not units)
USTEP_RE = re.compile(r"^(?P<label>\d{1,3}[a-z]?)\.(?:\s+|$|(?=[A-ZĄĆĘŁŃÓŚŹŻ]))(?P<text>.*)$")

# pkt: "1) Text", "12a) Text", "1/ Text"
PUNKT_RE = re.compile(r"^(?P<label>\d{1,3}[a-z]?)(?:\)\s*|/(?:\s+|$))(?P<text>.*)$")

# lit.: "a) Text", "ab) Text", "a/ Text" (lower-case Latin letters only)
LITERA_RE = re.compile(r"^(?P<label>[a-z]{1,2})[)/](?:\s+(?P<text>.*))?$")

# lit. written "a. Text": a single letter.  Such a line is a letter only where a list of letters can stand (see
# parse.py): "a." after a line ending with a colon, "b." after "a" …, never "r. poz. 5" or "ul. Orla".
LITERA_DOT_RE = re.compile(r"^(?P<label>[a-z])\.(?:\s+(?P<text>.*))?$")

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

# Lines continuing an annex header: "do uchwały nr …", "Do Zarządzenia …", "Rady Gminy …", "z dnia …", "Z dnia …".
ANNEX_HEADER_CONTINUATION_RE = re.compile(
    r"^(?:do\s|Do\s|DO\s|z\s+dnia\b|Z\s+dnia\b|nr\b|Nr\b|NR\b|"
    r"Rady\b|RADY\b|Sejmiku\b|SEJMIKU\b|Zarządu\b|ZARZĄDU\b|"
    r"Wójta\b|WÓJTA\b|Burmistrza\b|BURMISTRZA\b|Prezydenta\b|PREZYDENTA\b|Starosty\b|STAROSTY\b)"
)


# The Uzasadnienie (justification) printed after the act: "Uzasadnienie", "UZASADNIENIE", "Uzasadnienie do uchwały …".
# Everything after it is its text.
UZASADNIENIE_RE = re.compile(r"^(?:Uzasadnienie|UZASADNIENIE)[.:]?(?:\s+(?P<title>(?:do|DO)\s.*))?$")

# A signature block: [place and date,] the signing office, the name.  "Brzeg, dnia 30.09.2024 r." /
# "Burmistrz Brzegu" / "(-) Jan Kowalski".
PLACE_DATE = (
    r"[A-ZĄĆĘŁŃÓŚŹŻ][\w.-]*(?:\s+[\w.-]+){0,3},\s*(?:dnia\s+)?"
    r"\d{1,2}(?:\.\d{1,2}\.|\s+[a-ząćęłńóśźż]+\s+)\d{4}\s*(?:r\.|roku|r)?"
)
PLACE_DATE_RE = re.compile(rf"^{PLACE_DATE}$")
# "Burmistrz", "BURMISTRZ BRZEGU", "Wójt Gminy Ostróda", "Przewodniczący Rady Miejskiej w Brzegu"; the rendered
# form carries the place and date in front: "Brzeg, dnia 30.09.2024 r. Burmistrz".
OFFICE_RE = re.compile(
    rf"^(?:{PLACE_DATE}\s+)?"
    r"(?:Zastępca\s+|ZASTĘPCA\s+|Z-ca\s+|Z-CA\s+)?"
    r"(?:Burmistrz|BURMISTRZ|Wójt|WÓJT|Prezydent|PREZYDENT|Starosta|STAROSTA|Wicestarosta|WICESTAROSTA|"
    r"Marszałek|MARSZAŁEK|Wicemarszałek|WICEMARSZAŁEK|Przewodnicząc[ya]|PRZEWODNICZĄC[YA]|"
    r"Wiceprzewodnicząc[ya]|WICEPRZEWODNICZĄC[YA])"
    r"(?:\s+[^\s,;:()]+){0,6}$"
)
NAME_WORD = r"[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+"
# "(-) Jan Kowalski", "/-/ Jan Kowalski", "Jan Kowalski", "Violetta Jaskólska - Palus", "mgr inż. Jan Kowalski",
# "Podpisany …", "/podpis nieczytelny/"; no clause mark at the end (a sentence wrapped after an office word).
NAME_RE = re.compile(
    r"^(?:(?:\(-\)|/-/|\(–\)|/–/)\s*\S.*"
    rf"|(?:(?:mgr|dr|inż\.|prof\.)\s+)*{NAME_WORD}(?:\s*[-–]\s*{NAME_WORD}|\s+{NAME_WORD}){{1,3}}"
    r"|Podpisan[yoa]\b.*|[/(]\s*podpis[^)/]*[)/])$"
)


def is_unit_header(line: str) -> bool:
    return any(
        pattern.match(line)
        for pattern in (HEADING_RE, PARAGRAF_RE, ARTYKUL_RE, USTEP_RE, PUNKT_RE, LITERA_RE, LITERA_DOT_RE, ZALACZNIK_RE)
    )
