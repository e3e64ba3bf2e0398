"""Uploaded files on S3-compatible object storage (NGO_S3_BUCKET): every object private, handed out only
through the views that check who may have it; the pages load nothing from the bucket's origin.

A local S3 (moto's server mode) stands in for the bucket. PostgreSQL leg only (the production database).
"""

import io
import runpy
import socket
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

import ngo_platform.settings
from ngo_platform.competitions.models import OfferAttachment
from ngo_platform.organisations.models import VerificationRequest
from tests.accounts.factories import UserFactory
from tests.competitions.factories import CompetitionFactory, complete_offer
from tests.core.test_deploy import PRODUCTION_ENV, run
from tests.helpers import third_party_urls
from tests.organisations.factories import OrganisationFactory
from tests.organisations.test_verification import officer_of, registration_data

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="object storage is tested in the PostgreSQL leg"),
    pytest.mark.django_db,
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STATUTE = "Statut"
KEYS = {"NGO_S3_ACCESS_KEY_ID": "testing", "NGO_S3_SECRET_ACCESS_KEY": "testing", "NGO_S3_REGION": "us-east-1"}


def project_settings(monkeypatch, **env) -> dict:
    """The project's settings module evaluated afresh with these environment variables."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(ngo_platform.settings.__file__, run_name="ngo_platform_settings_probe")


@pytest.fixture(scope="module")
def endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(endpoint, settings, monkeypatch):
    """A fresh bucket, and the platform's storages switched to it exactly as settings.py configures them."""
    name = f"ngo-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=name)
    configured = project_settings(monkeypatch, NGO_S3_BUCKET=name, NGO_S3_ENDPOINT_URL=endpoint, **KEYS)
    settings.STORAGES = {**settings.STORAGES, "default": configured["STORAGES"]["default"]}
    settings.STORAGES = {**settings.STORAGES, "private": configured["STORAGES"]["private"]}
    client.name = name
    client.keys = lambda: sorted(o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", []))
    client.anonymous_get = lambda key: requests.get(f"{endpoint}/{name}/{key}", timeout=10)
    return client


def assert_private(bucket, key):
    """The object exists, carries no grant beyond its owner's, and its plain address is refused."""
    grants = bucket.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser"
    refused = bucket.anonymous_get(key)
    assert refused.status_code == 403 and PDF not in refused.content


def test_settings_keep_the_filesystem_unless_a_bucket_is_named(monkeypatch):
    monkeypatch.delenv("NGO_S3_BUCKET", raising=False)
    embedded = project_settings(monkeypatch)["STORAGES"]
    assert (
        embedded["default"]["BACKEND"]
        == embedded["private"]["BACKEND"]
        == ("django.core.files.storage.FileSystemStorage")
    )
    configured = project_settings(
        monkeypatch, NGO_S3_BUCKET="ngo-files", NGO_S3_ENDPOINT_URL="https://s3.example.pl", **KEYS
    )
    storages_ = configured["STORAGES"]
    assert storages_["default"]["BACKEND"] == "ngo_platform.core.storage.MediaStorage"
    assert storages_["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    for alias, location in (("default", "media"), ("private", "private")):
        options = storages_[alias]["OPTIONS"]
        assert options["bucket_name"] == "ngo-files" and options["location"] == location
        assert options["endpoint_url"] == "https://s3.example.pl" and options["region_name"] == "us-east-1"
        assert options["default_acl"] is None and options["querystring_auth"] is True
        assert options["querystring_expire"] == 300 and options["file_overwrite"] is False
    assert storages_["staticfiles"] == embedded["staticfiles"]  # static files stay with whitenoise


def test_check_deploy_is_clean_with_object_storage(endpoint):
    env = {**PRODUCTION_ENV, **KEYS, "NGO_S3_BUCKET": "ngo-files", "NGO_S3_ENDPOINT_URL": endpoint}
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_offer_attachment_is_a_private_object_handed_out_only_by_the_view(
    client, bucket, opolskie, settings, django_capture_on_commit_callbacks
):
    offer = complete_offer(CompetitionFactory(required_attachments=STATUTE))
    client.force_login(offer.creator)
    url = f"/konkursy/oferty/{offer.pk}/zalaczniki/"
    response = client.post(url, {"name": STATUTE, "file": SimpleUploadedFile("statut.pdf", PDF)})
    assert response.status_code == 302
    attachment = OfferAttachment.objects.get(offer=offer)
    key = f"private/{attachment.file.name}"
    assert bucket.keys() == [key]
    stored = bucket.get_object(Bucket=bucket.name, Key=key)
    assert stored["Body"].read() == PDF and stored["CacheControl"] == "private, no-store"
    assert not (Path(settings.VAR_DIR) / "private" / attachment.file.name).exists()  # not on the local disk
    assert_private(bucket, key)

    download = client.get(f"{url}{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    html = client.get(f"/konkursy/oferty/{offer.pk}/").content.decode()
    assert f"{url}{attachment.pk}/" in html and bucket.name not in html and third_party_urls(html) == []

    client.force_login(UserFactory())
    assert client.get(f"{url}{attachment.pk}/").status_code == 403
    client.logout()
    assert client.get(f"{url}{attachment.pk}/").status_code == 302  # to the login page

    # A second upload of the same bytes gets its own object; removing one leaves the other.
    client.force_login(offer.creator)
    client.post(url, {"name": STATUTE, "file": SimpleUploadedFile("statut.pdf", PDF)})
    first, second = OfferAttachment.objects.filter(offer=offer).order_by("pk")
    assert first.file.name != second.file.name and len(bucket.keys()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{url}{first.pk}/usun/").status_code == 302
    assert bucket.keys() == [f"private/{second.file.name}"]


def test_verification_evidence_is_a_private_object_for_the_applicant_and_the_seat(client, bucket, reference_data):
    applicant = UserFactory()
    client.force_login(applicant)
    evidence = SimpleUploadedFile("odpis.pdf", PDF, content_type="application/pdf")
    response = client.post("/organizacje/zarejestruj/", {**registration_data(), "evidence": evidence})
    assert response.status_code == 302
    verification = VerificationRequest.objects.get()
    key = f"private/{verification.evidence.name}"
    assert bucket.keys() == [key] and key.startswith("private/evidence/")
    assert bucket.get_object(Bucket=bucket.name, Key=key)["Body"].read() == PDF
    assert_private(bucket, key)

    url = f"/organizacje/weryfikacja/{verification.pk}/dowod/"
    for user in (applicant, officer_of("1601033")):
        client.force_login(user)
        download = client.get(url)
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert download["Cache-Control"] == "private, no-store"
    for user in (officer_of("1601011"), UserFactory()):  # the officer of another gmina, a stranger
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_logo_is_a_private_object_at_an_address_of_our_own(client, bucket, reference_data):
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(image, format="PNG")
    organisation = OrganisationFactory()
    organisation.logo.save("logo.png", ContentFile(image.getvalue()))
    key = f"media/{organisation.logo.name}"
    assert bucket.keys() == [key]
    assert bucket.anonymous_get(key).status_code == 403
    assert organisation.logo.url == f"/media/{organisation.logo.name}"  # no bucket host, no signature

    html = client.get(f"/organizacje/{organisation.slug}/").content.decode()
    assert f'src="{organisation.logo.url}"' in html and third_party_urls(html) == []
    served = client.get(organisation.logo.url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == image.getvalue()
    assert served["Content-Type"] == "image/png"

    organisation.is_listed = False
    organisation.save(update_fields=["is_listed"])
    assert client.get(organisation.logo.url).status_code == 404
    assert client.get("/media/logos/nothing-here.png").status_code == 404
    # Nothing else of the media storage is answered under MEDIA_URL.
    # A name of its own: a file left under the same name on the filesystem by another run must not answer.
    name = default_storage.save(f"consultations/attachments/{uuid.uuid4().hex}/projekt.pdf", ContentFile(PDF))
    assert client.get(default_storage.url(name)).status_code == 404
    assert_private(bucket, f"media/{name}")


def test_signed_addresses_of_the_private_storage_are_short_lived(bucket):
    name = storages["private"].save("evidence/2026/odpis.pdf", ContentFile(PDF))
    signed = storages["private"].url(name)
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(signed_at.timestamp() - time.time()) < 60  # valid from now, for five minutes
    fetched = requests.get(signed, timeout=10)
    assert fetched.status_code == 200 and fetched.content == PDF
    # (moto does not enforce the expiry; S3 and its compatibles do, from X-Amz-Date + X-Amz-Expires.)
