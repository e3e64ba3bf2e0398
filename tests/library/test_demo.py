from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.library.models import LibraryDocument, Revision

pytestmark = pytest.mark.django_db


def test_the_demo_library_has_the_groups_standard_and_documents_of_other_kinds_idempotently(reference_data, client):
    call_command("seed_demo", stdout=StringIO())
    documents = {document.kind: document for document in LibraryDocument.objects.select_related("current")}
    assert set(documents) == {"standard", "model", "programme", "report", "template", "minutes"}
    standard = documents["standard"]
    assert standard.current.group_version == standard.group_document.current
    assert standard.consultation == standard.current.group_version.consultation
    assert "nie krócej niż 21 dni" in standard.current.text
    assert {documents[kind].current.original_type for kind in ("report", "minutes")} == {"pdf"}
    assert "212 ofert" in documents["report"].current.text  # the drawn PDF's text layer is searchable
    for document in documents.values():
        assert document.current.pdf.read().startswith(b"%PDF")
    found = client.get("/biblioteka/", {"q": "standardu konsultacji"}).content.decode()
    assert standard.get_absolute_url() in found and documents["model"].get_absolute_url() not in found
    call_command("seed_demo", stdout=StringIO())
    assert (LibraryDocument.objects.count(), Revision.objects.count()) == (6, 6)
