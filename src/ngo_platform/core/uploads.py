"""What an uploaded file is, told by its bytes (never by its name or the browser's claim).

One recogniser for every upload of the platform: evidence of representation, consultation attachments
and drafts, offer attachments. Each caller decides which kinds it accepts and how large, with its own
message.
"""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
SIGNATURES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


def sniff(head: bytes, content_reader) -> str | None:
    """ "pdf", "png", "jpeg", "docx", "odt" or None, from the first bytes (and, for the ZIP-based office
    formats, the whole content read by `content_reader()`)."""
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
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


def upload_kind(upload) -> str | None:
    """`sniff` of an uploaded file, leaving it positioned at its start."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)

    def read_all():
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        return data

    return sniff(head, read_all)


def check_document(upload, *, allowed=("pdf", "docx", "odt"), max_bytes: int = DOCUMENT_MAX_BYTES) -> str:
    """The type of an uploaded document (an attachment of a consultation or a news item), or ValidationError
    (Polish) if it is too large or not one of `allowed`."""
    if upload.size > max_bytes:
        raise ValidationError(_("The file is too large: at most %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)})
    kind = upload_kind(upload)
    if kind not in allowed:
        names = ", ".join(k.upper() for k in allowed)
        raise ValidationError(_("This file is not a document we accept. Attach a %(types)s file.") % {"types": names})
    return kind
