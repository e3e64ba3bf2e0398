"""Uploaded documents checked by their content, not their name: PDF, DOCX, ODT."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
DRAFT_MAX_BYTES = 10 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff(head: bytes, content_reader) -> str | None:
    """"pdf", "docx", "odt" or None, from the file's bytes."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content_reader())) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE and "content.xml" in names:
                return "odt"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def check_document(upload, *, allowed=("pdf", "docx", "odt"), max_bytes: int = ATTACHMENT_MAX_BYTES) -> str:
    """The type of an uploaded document, or ValidationError (Polish) if it is too large or not one of `allowed`."""
    if upload.size > max_bytes:
        raise ValidationError(_("The file is too large: at most %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)

    def read_all():
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        return data

    kind = sniff(head, read_all)
    if kind not in allowed:
        names = ", ".join(k.upper() for k in allowed)
        raise ValidationError(_("This file is not a document we accept. Attach a %(types)s file.") % {"types": names})
    return kind
