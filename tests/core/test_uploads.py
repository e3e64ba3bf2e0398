"""One recogniser of uploaded files by their bytes, whatever their names say."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ngo_platform.core.uploads import upload_kind


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "jpeg"),
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}), "docx"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "odt"),
        (_zip({"anything.txt": b"x"}), None),  # a ZIP that is no document
        (b"PK\x03\x04 broken", None),
        (b"MZ\x90\x00 an executable", None),
    ],
)
def test_kind_comes_from_the_bytes_not_the_name(content, kind):
    upload = SimpleUploadedFile("looks-like.pdf", content)
    assert upload_kind(upload) == kind
    assert upload.tell() == 0  # left at its start for whoever saves it
