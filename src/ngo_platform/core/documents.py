"""Documents the platform issues: PDF from HTML templates (WeasyPrint), DOCX (python-docx).

Both are rendered from data the caller has already selected; neither touches the database.
WeasyPrint may load only the platform's own static files: no network, no file outside STATIC.
"""

from __future__ import annotations

import io
import logging
import mimetypes
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import get_valid_filename

PDF_STYLESHEET = "core/documents/document.css"
# WeasyPrint logs every laid-out page at INFO: hundreds of lines per report.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _static_only_fetcher(url: str, timeout: int = 10, ssl_context=None) -> dict:
    """WeasyPrint's URL fetcher limited to `static:<path>` references of the platform's own files."""
    if not url.startswith("static:"):
        raise ValueError(f"Documents may load only the platform's static files, not {url!r}")
    found = finders.find(url.removeprefix("static:"))
    if not found:
        raise ValueError(f"No static file {url!r}")
    path = Path(found)
    return {"string": path.read_bytes(), "mime_type": mimetypes.guess_type(path.name)[0], "filename": path.name}


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render an HTML template (extending `core/documents/base.html`) to PDF bytes."""
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, context)
    stylesheet = CSS(string=Path(finders.find(PDF_STYLESHEET)).read_text(encoding="utf-8"))
    return HTML(string=html, url_fetcher=_static_only_fetcher, base_url="static:").write_pdf(stylesheets=[stylesheet])


def new_docx(title: str):
    """A DOCX document with Polish language, A4 pages and the title as its first heading."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.core_properties.title = title
    document.core_properties.language = "pl-PL"
    document.add_heading(title, level=1)
    return document


def docx_table(document, header: Sequence[str], rows: Iterable[Sequence[object]]):
    """Append a table with a repeated header row (readable when it spans pages)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(marker)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = "" if value is None else str(value)
    return table


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_response(content: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{get_valid_filename(filename)}"'
    return response
