"""Parser of Polish draft acts into a tree of editorial units (issue #4).

A draft (a resolution adopting a programme of cooperation, a regulation, …) is
read line by line.  Each line is either the header of an editorial unit
(``Rozdział II``, ``§ 3.``, ``Art. 5.``, ``1.``, ``1)``, ``a)``, ``–``,
``Załącznik nr 1``) or plain text that continues the unit above it.  Units nest
by rank (Załącznik > Dział > Rozdział > Oddział > § / Art. > ust. > pkt > lit. >
tiret), so a ``1)`` after letters closes them and a ``§`` closes everything down
to the chapter.  Text pasted from a PDF is repaired first (page footers,
line-end hyphenation); wrapped lines need no repair because plain lines always
continue the open unit.  A signature (``Burmistrz`` / ``(-) Jan Kowalski``) closes the act or annex, and
an ``Uzasadnienie`` after it is kept as trailing text, not as units of the act.

Pure Python: no database, no request.  See docs/drafting.md for the grammar.

By subject: `tree` (the units), `patterns` (the headers' line patterns), `repair` (PDF damage), `parse`,
`citations`, `render` (the canonical text) and `reading` (uploaded files). The public names are re-exported here.
"""

from ngo_platform.core.drafting.citations import cite
from ngo_platform.core.drafting.parse import parse_text
from ngo_platform.core.drafting.reading import extract_text, parse_file
from ngo_platform.core.drafting.render import render_text
from ngo_platform.core.drafting.repair import repair_text
from ngo_platform.core.drafting.tree import (
    HEADING_KINDS,
    HEADING_WORD,
    KINDS,
    RANK,
    DraftFileError,
    Unit,
    to_json,
    walk,
)

__all__ = [
    "HEADING_KINDS",
    "HEADING_WORD",
    "KINDS",
    "RANK",
    "DraftFileError",
    "Unit",
    "cite",
    "extract_text",
    "parse_file",
    "parse_text",
    "render_text",
    "repair_text",
    "to_json",
    "walk",
]
