"""Reading an uploaded draft (.txt, .docx, .odt) as plain text, with the numbering of Word and OpenDocument lists
written out as the parser expects it ("1)", "a)", "–")."""

from __future__ import annotations

import io
import re

import docx
from django.utils.translation import gettext_lazy as _
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from odf import teletype
from odf.namespaces import STYLENS, TEXTNS
from odf.opendocument import load
from odf.text import ListStyle

from ngo_platform.core.drafting.citations import join_nonempty
from ngo_platform.core.drafting.parse import parse_text
from ngo_platform.core.drafting.tree import DraftFileError, Unit

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
        document = docx.Document(io.BytesIO(content))
    except Exception:  # python-docx raises many types for broken packages
        raise DraftFileError(BROKEN_DOCX_MESSAGE) from None

    numbering = _docx_numbering(document)
    counters: dict[str, _ListCounters] = {}
    lines: list[str] = []

    def paragraph_line(paragraph) -> str:
        text = paragraph.text
        num = _docx_num_pr(paragraph)
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
        return join_nonempty(marker, text.lstrip())

    body = document.element.body
    for element in body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(paragraph_line(Paragraph(element, document)))
        elif element.tag == qn("w:tbl"):
            table = Table(element, document)
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(paragraph_line(paragraph) for paragraph in cell.paragraphs)
    return "\n".join(lines)


def _docx_num_pr(paragraph) -> tuple[str, int] | None:
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


def _docx_numbering(document) -> dict[str, dict[int, tuple[str, str, int]]]:
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
                    lines[first] = join_nonempty(marker.strip(), lines[first].lstrip())
            else:
                walk_odf(child, list_style, level, counters)

    walk_odf(document.text, None, 0, None)
    return "\n".join(lines)
