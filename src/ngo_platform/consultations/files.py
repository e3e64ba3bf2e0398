"""Uploaded documents checked by their content (`core.uploads`), not their name: PDF, DOCX, ODT."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.uploads import upload_kind

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
DRAFT_MAX_BYTES = 10 * 1024 * 1024


def check_document(upload, *, allowed=("pdf", "docx", "odt"), max_bytes: int = ATTACHMENT_MAX_BYTES) -> str:
    """The type of an uploaded document, or ValidationError (Polish) if it is too large or not one of `allowed`."""
    if upload.size > max_bytes:
        raise ValidationError(_("The file is too large: at most %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)})
    kind = upload_kind(upload)
    if kind not in allowed:
        names = ", ".join(k.upper() for k in allowed)
        raise ValidationError(_("This file is not a document we accept. Attach a %(types)s file.") % {"types": names})
    return kind
