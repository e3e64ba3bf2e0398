"""Attachments of an offer, checked by their content and size (not their name or the browser's type).

Documents (PDF, DOCX, ODT) are recognised by the consultations app's checker (`consultations.files`);
scans and photos (JPEG, PNG) by their signature here.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ngo_platform.consultations.files import check_document

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
IMAGE_SIGNATURES = {"jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}


def _refused() -> ValidationError:
    return ValidationError(_(
        "This file is not one we accept. Attach a PDF, DOCX or ODT document, or a JPEG or PNG scan (at most 10 MB)."
    ))


def check_attachment(upload) -> str:
    """"pdf", "docx", "odt", "jpeg" or "png", or ValidationError with a Polish message."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is too large: at most %(mb)s MB.") % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)})
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for kind, signatures in IMAGE_SIGNATURES.items():
        if head.startswith(signatures):
            return kind
    try:
        return check_document(upload, max_bytes=ATTACHMENT_MAX_BYTES)
    except ValidationError:
        raise _refused() from None


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
