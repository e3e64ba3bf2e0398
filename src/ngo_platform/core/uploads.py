"""What an uploaded file is, told by its bytes (never by its name or the browser's claim).

One recogniser for every upload of the platform: evidence of representation, consultation attachments
and drafts, offer attachments. Each caller decides which kinds it accepts and how large, with its own
message.
"""

import io
import zipfile

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
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
