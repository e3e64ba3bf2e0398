"""Uploaded images: checked by their content (Pillow decodes them), re-encoded and resized.

Re-encoding drops whatever a file carried besides pixels (metadata, scripts in SVG-like tricks,
polyglot payloads), and keeps pages light.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

IMAGE_MAX_BYTES = 5 * 1024 * 1024
ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
# Decompression bombs: refuse images with more pixels than this.
MAX_PIXELS = 40_000_000


def image_normalise(upload, *, max_side: int = 400, name: str = "image", photo: bool = False) -> ContentFile:
    """Return a PNG (a JPEG for a `photo`: a news item's picture) no larger than max_side × max_side, or raise
    ValidationError (Polish)."""
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(_("The image is too large: at most 5 MB."))
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(_("Upload a PNG, JPEG, WebP or GIF image."))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."))
            image = image.convert("RGB" if photo else "RGBA")
            image.thumbnail((max_side, max_side))
            output = io.BytesIO()
            if photo:
                image.save(output, format="JPEG", quality=85, optimize=True)
            else:
                image.save(output, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a PNG, JPEG, WebP or GIF image.")
        ) from None
    return ContentFile(output.getvalue(), name=f"{name}.{'jpg' if photo else 'png'}")
