"""Attachments of an offer, checked by their content and size (not their name or the browser's type).

What a file is comes from `core.uploads`: documents (PDF, DOCX, ODT), scans and photos (JPEG, PNG).
"""

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ngo_platform.core.uploads import upload_kind

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ACCEPTED = ("pdf", "docx", "odt", "jpeg", "png")


def _refused() -> ValidationError:
    return ValidationError(
        _("This file is not one we accept. Attach a PDF, DOCX or ODT document, or a JPEG or PNG scan (at most 10 MB).")
    )


def check_attachment(upload) -> str:
    """ "pdf", "docx", "odt", "jpeg" or "png", or ValidationError with a Polish message."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    kind = upload_kind(upload)
    if kind not in ACCEPTED:
        raise _refused()
    return kind


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
