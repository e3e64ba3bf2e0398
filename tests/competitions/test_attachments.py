"""Attachments of an offer: checked by content and size, private, frozen at submission, in the checksum."""

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from ngo_platform.competitions import canonical, services
from ngo_platform.competitions.models import OfferAttachment
from ngo_platform.core.models import AuditEntry
from tests.accounts.factories import UserFactory
from tests.competitions.factories import CompetitionFactory, complete_offer

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
STATUTE = "Statut (jeśli nie ma go w KRS)"


@pytest.fixture
def offer(opolskie, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    competition = CompetitionFactory(required_attachments=f"{STATUTE}\nPełnomocnictwo")
    return complete_offer(competition)


def _url(offer, suffix=""):
    return f"/konkursy/oferty/{offer.pk}/zalaczniki/{suffix}"


def test_upload_lists_and_downloads(client, offer):
    client.force_login(offer.creator)
    response = client.post(_url(offer), {"name": STATUTE, "file": SimpleUploadedFile("statut.pdf", PDF)})
    assert response.status_code == 302
    attachment = OfferAttachment.objects.get(offer=offer)
    assert attachment.required and attachment.file_type == "pdf" and attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest() and attachment.original_name == "statut.pdf"
    assert AuditEntry.objects.filter(
        action="competitions.offer_attachment_add", details__sha256=attachment.sha256
    ).exists()
    html = client.get(f"/konkursy/oferty/{offer.pk}/").content.decode()
    assert "statut.pdf" in html and "Pełnomocnictwo" in html  # the missing required one is named
    download = client.get(_url(offer, f"{attachment.pk}/"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    response = client.post(
        _url(offer), {"name": "__other__", "other_name": "Zdjęcie sali", "file": SimpleUploadedFile("sala.png", PNG)}
    )
    assert response.status_code == 302 and offer.attachments.count() == 2
    assert not offer.attachments.get(name="Zdjęcie sali").required


def test_wrong_type_refused_with_message_and_nothing_stored(client, offer, tmp_path):
    client.force_login(offer.creator)
    response = client.post(
        _url(offer), {"name": STATUTE, "file": SimpleUploadedFile("statut.pdf", b"MZ\x90\x00 not a pdf")}
    )
    assert response.status_code == 400
    assert "Dołącz dokument PDF, DOCX lub ODT" in response.content.decode()
    assert not OfferAttachment.objects.exists() and not any(p.is_file() for p in tmp_path.rglob("*"))


def test_too_large_refused(offer, tmp_path):
    big = SimpleUploadedFile("duzy.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(services.CompetitionError, match="at most 10 MB|najwyżej 10 MB"):
        services.offer_attachment_add(actor=offer.creator, offer=offer, upload=big, name=STATUTE)
    assert not OfferAttachment.objects.exists() and not any(p.is_file() for p in tmp_path.rglob("*"))


def test_stranger_cannot_upload_or_download(client, offer):
    attachment = services.offer_attachment_add(
        actor=offer.creator, offer=offer, upload=SimpleUploadedFile("s.pdf", PDF), name=STATUTE
    )
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.offer_attachment_add(
            actor=stranger, offer=offer, upload=SimpleUploadedFile("s.pdf", PDF), name=STATUTE
        )
    client.force_login(stranger)
    assert client.get(_url(offer, f"{attachment.pk}/")).status_code == 403
    assert client.post(_url(offer), {"name": STATUTE, "file": SimpleUploadedFile("s.pdf", PDF)}).status_code == 403
    assert client.post(_url(offer, f"{attachment.pk}/usun/")).status_code == 403
    client.logout()
    assert client.get(_url(offer, f"{attachment.pk}/")).status_code == 302  # to the login page
    assert OfferAttachment.objects.count() == 1


def test_remove_while_draft_and_frozen_after_submission_with_checksum(client, offer):
    first = services.offer_attachment_add(
        actor=offer.creator, offer=offer, upload=SimpleUploadedFile("a.pdf", PDF), name=STATUTE
    )
    services.offer_attachment_remove(actor=offer.creator, attachment=first)
    assert not OfferAttachment.objects.exists()
    kept = services.offer_attachment_add(
        actor=offer.creator, offer=offer, upload=SimpleUploadedFile("b.png", PNG), name=STATUTE
    )
    submission = services.offer_submit(actor=offer.creator, offer=offer)  # a missing required one warns, not blocks
    document = json.loads(submission.content)
    assert document["attachments"] == [
        {"name": STATUTE, "required": True, "type": "png", "size": len(PNG), "sha256": kept.sha256}
    ]
    assert submission.sha256 == canonical.sha256_hex(submission.content)
    with pytest.raises(services.CompetitionError):
        services.offer_attachment_add(
            actor=offer.creator, offer=offer, upload=SimpleUploadedFile("c.pdf", PDF), name=STATUTE
        )
    with pytest.raises(services.CompetitionError):
        services.offer_attachment_remove(actor=offer.creator, attachment=kept)
    assert OfferAttachment.objects.count() == 1
    client.force_login(offer.creator)
    response = client.post(_url(offer), {"name": STATUTE, "file": SimpleUploadedFile("s.pdf", PDF)}, follow=True)
    assert (
        "zamrożona" in response.content.decode() and OfferAttachment.objects.count() == 1
    )  # explained, nothing stored
    assert client.get(_url(offer, f"{kept.pk}/")).status_code == 200
