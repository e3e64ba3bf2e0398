"""Representatives keep their organisation's data; the logo is checked by content and resized."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.core.models import AuditEntry
from ngo_platform.organisations import services
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import TerritorialUnit
from tests.accounts.factories import OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(reference_data):
    return services.organisation_create(
        actor=None,
        data={
            "name": "Fundacja Nadodrze",
            "legal_form": "fundacja",
            "register": "krs",
            "krs": "0000111222",
            "seat": TerritorialUnit.objects.get(teryt="1601011"),
        },
    )


def form_data(organisation, **overrides):
    data = {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "register": organisation.register,
        "krs": organisation.krs,
        "seat": organisation.seat_id,
        "status": "active",
        "description": "Prowadzimy świetlicę dla dzieci.",
    }
    data.update(overrides)
    return data


def png(width=1200, height=600):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_an_editor_edits_and_it_is_audited_on_behalf_of_the_organisation(client, organisation):
    editor = OrganisationMembershipFactory(organisation=organisation, role=OrganisationRole.EDITOR).user
    client.force_login(editor)
    assert client.get(f"/organizacje/{organisation.slug}/edytuj/").status_code == 200
    response = client.post(f"/organizacje/{organisation.slug}/edytuj/", {**form_data(organisation), "logo": png()})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "Prowadzimy świetlicę dla dzieci."
    with Image.open(organisation.logo.open("rb")) as logo:
        assert logo.format == "PNG" and max(logo.size) == 400
    entry = AuditEntry.objects.get(action="organisations.organisation_update")
    assert entry.actor == editor and entry.acting_for_organisation == organisation
    assert "description" in entry.details["changes"]


def test_a_file_that_is_not_an_image_is_refused_and_nothing_changes(client, organisation):
    editor = OrganisationMembershipFactory(organisation=organisation).user
    client.force_login(editor)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(f"/organizacje/{organisation.slug}/edytuj/", {**form_data(organisation), "logo": fake})
    assert response.status_code == 200
    assert 'id="id_logo_error"' in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.description == "" and not organisation.logo


def test_strangers_cannot_edit(client, organisation):
    client.force_login(UserFactory())
    assert client.post(f"/organizacje/{organisation.slug}/edytuj/", form_data(organisation)).status_code == 403
    client.logout()
    assert client.get(f"/organizacje/{organisation.slug}/edytuj/").status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).description == ""


def test_a_platform_admin_edits_without_acting_for_the_organisation(organisation):
    admin = UserFactory(is_staff=True)
    services.organisation_update(actor=admin, organisation=organisation, data={"phone": "+48 77 123 45 67"})
    entry = AuditEntry.objects.get(action="organisations.organisation_update")
    assert entry.actor == admin and entry.acting_for is None


def test_the_system_edits_without_acting_for_anyone(organisation):
    services.organisation_update(actor=None, organisation=organisation, data={"phone": "+48 77 000 11 22"})
    entry = AuditEntry.objects.get(action="organisations.organisation_update")
    assert entry.actor is None and entry.acting_for is None
