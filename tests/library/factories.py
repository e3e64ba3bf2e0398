"""Library documents for tests: added through the service with a real DOCX (python-docx) of the given text."""

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ngo_platform.library import services
from tests.accounts.factories import AuthorityMembershipFactory


def docx_file(text: str, name: str = "dokument.docx") -> SimpleUploadedFile:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def add_document(authority, *, officer=None, text="Treść dokumentu.", **data):
    officer = officer or AuthorityMembershipFactory(authority=authority).user
    data = {"title": "Standard konsultacji", "kind": "standard", "year": timezone.localdate().year, **data}
    return services.document_add(
        actor=officer, authority=authority, data=data, upload=docx_file(text), file_type="docx"
    )
