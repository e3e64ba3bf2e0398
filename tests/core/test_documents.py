"""PDF and DOCX rendering: Polish text survives, nothing is fetched from outside the static files."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from ngo_platform.core import documents


def test_pdf_keeps_polish_letters(tmp_path, settings):
    template = tmp_path / "doc.html"
    template.write_text(
        '{% extends "core/documents/base.html" %}{% block body %}<h1>Zażółć gęślą jaźń</h1>'
        "<table><thead><tr><th>Lp.</th></tr></thead><tbody><tr><td>Łódź</td></tr></tbody></table>"
        "{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]  # assigned, so the engines reload
    pdf = documents.render_pdf("doc.html", {})
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Zażółć gęślą jaźń" in text and "Łódź" in text


def test_pdf_refuses_to_fetch_anything_outside_static():
    with pytest.raises(ValueError):
        documents._static_only_fetcher("http://example.com/tracker.png")
    with pytest.raises(ValueError):
        documents._static_only_fetcher("file:///etc/passwd")


def test_docx_table_has_header_and_rows():
    document = documents.new_docx("Sprawozdanie z konsultacji")
    documents.docx_table(document, ["Lp.", "Uwaga"], [[1, "Zmienić § 2"], [2, None]])
    parsed = Document(io.BytesIO(documents.docx_bytes(document)))
    assert parsed.paragraphs[0].text == "Sprawozdanie z konsultacji"
    table = parsed.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Lp.", "Uwaga"]
    assert [c.text for c in table.rows[1].cells] == ["1", "Zmienić § 2"]
    assert table.rows[2].cells[1].text == ""
    assert parsed.core_properties.language == "pl-PL"
