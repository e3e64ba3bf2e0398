"""The library: documents and their revisions (original, PDF, text), Polish full-text search by an inflected word
without diacritics, the filters, the feed, the pages with their query ceilings, and a working group's accepted
version published in one step (then as the next revision)."""

import io

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from ngo_platform.library import selectors, services
from ngo_platform.library.models import LibraryDocument, Revision
from ngo_platform.library.selectors import LibraryFilters
from ngo_platform.library.services import LibraryError
from ngo_platform.workgroups import services as group_services
from tests.accounts.factories import AuthorityMembershipFactory, UserFactory
from tests.core.query_fixtures import sign_in
from tests.helpers import get_page
from tests.library.factories import add_document, docx_file
from tests.workgroups.factories import make_group, proposed_version, text_tree
from tests.workgroups.test_services import STANDARD

pytestmark = pytest.mark.django_db


def found(q="", **filters):
    return [document.title for document in selectors.public_documents(LibraryFilters(q=q, **filters))]


def test_search_finds_a_document_by_an_inflected_word_without_diacritics_and_ranks_titles_first(opolskie, gmina_brzeg):
    add_document(opolskie, title="Standard konsultacji społecznych", text="Zasady konsultowania aktów.")
    add_document(gmina_brzeg, title="Model partnerstwa", kind="model", text="Konsultacje w ramach partnerstwa.")
    add_document(opolskie, title="Regulamin nagrody Społecznik Roku", kind="other", text="Kapituła nagrody.")
    assert found("konsultacjach") == ["Standard konsultacji społecznych", "Model partnerstwa"]
    assert found("spoleczny") == ["Standard konsultacji społecznych"]
    assert found("kapitule") == ["Regulamin nagrody Społecznik Roku"]
    assert found("partnerstw") == ["Model partnerstwa"]  # the last word as a prefix: search as you type
    assert found("konsultacje", kind="model") == ["Model partnerstwa"]
    assert found("konsultacje", authority=opolskie.slug) == ["Standard konsultacji społecznych"]
    assert found("nic takiego") == []


def test_a_document_s_filters_by_year_sphere_and_tag(opolskie):
    from ngo_platform.territory.models import Sphere

    sphere = Sphere.objects.filter(number="1").first()
    this_year = timezone.localdate().year
    add_document(opolskie, title="Stary program", kind="programme", year=this_year - 3, tags=["program"])
    add_document(
        opolskie, title="Nowy program", kind="programme", year=this_year, sphere=sphere, tags=["Program", "roczny"]
    )
    assert found(year=this_year - 3) == ["Stary program"]
    assert found(sphere=sphere.number) == ["Nowy program"]
    assert sorted(found(tag="program")) == ["Nowy program", "Stary program"]
    assert found(tag="roczny") == ["Nowy program"]
    assert selectors.years() == [this_year, this_year - 3]


def test_revisions_keep_the_history_and_the_text_of_a_pdf_becomes_searchable(opolskie):
    officer = AuthorityMembershipFactory(authority=opolskie).user
    document = add_document(opolskie, officer=officer, text="Pierwsza wersja standardu.")
    first = document.current
    pdf = PdfReader(first.pdf.open("rb"))
    assert "Pierwsza wersja standardu." in "".join(page.extract_text() for page in pdf.pages)
    from ngo_platform.core.documents import render_pdf

    content = render_pdf(
        "library/documents/text.html", {"document": document, "lines": ["Druga wersja z wolontariuszami."]}
    )
    revision = services.revision_add(
        actor=officer, document=document, upload=SimpleUploadedFile("v2.pdf", content), file_type="pdf", note="Poprawki"
    )
    document.refresh_from_db()
    assert (document.current, revision.number, revision.original_type) == (revision, 2, "pdf")
    assert revision.pdf.read() == content  # a PDF is its own PDF
    assert found("wolontariusz") == ["Standard konsultacji"]
    assert [r.number for r in selectors.revisions_of(document)] == [2, 1]
    with pytest.raises(PermissionDenied):
        services.revision_add(actor=UserFactory(), document=document, upload=docx_file("x"), file_type="docx")


def test_a_group_s_accepted_version_is_published_once_then_as_the_next_revision(opolskie):
    group = make_group(opolskie)
    document = group_services.document_create(actor=group.coordinator, group=group, title="Standard konsultacji")
    proposed = proposed_version(document, group.coordinator, text_tree(STANDARD))
    with pytest.raises(LibraryError, match="przyjętą"):
        services.publish_version(
            actor=group.coordinator, version=proposed, data={"kind": "standard", "year": timezone.localdate().year}
        )
    group_services.version_step(actor=group.coordinator, version=proposed, name="accept")
    proposed.refresh_from_db()
    published = services.publish_version(
        actor=group.coordinator,
        version=proposed,
        data={"kind": "standard", "year": timezone.localdate().year, "tags": ["konsultacje"]},
    )
    assert published.group_document == document and published.current.group_version == proposed
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(published.current.original.read())).paragraphs)
    assert "§ 3." in text and "Konsultacje trwają nie krócej niż 14 dni." in text
    with pytest.raises(LibraryError, match="już w bibliotece"):
        services.publish_version(actor=group.coordinator, version=proposed, data={})
    second = proposed_version(document, group.coordinator, text_tree(STANDARD.replace("14 dni", "21 dni")))
    group_services.version_step(actor=group.coordinator, version=second, name="accept")
    second.refresh_from_db()
    again = services.publish_version(actor=group.coordinator, version=second, data={})
    assert again == published and Revision.objects.filter(document=published).count() == 2
    assert found("konsultacje", tag="konsultacje") == ["Standard konsultacji"]
    with pytest.raises(PermissionDenied):
        services.publish_version(actor=UserFactory(), version=second, data={})


def test_the_pages_the_downloads_and_the_feed(client, opolskie):
    document = add_document(opolskie, title="Standard konsultacji społecznych", text="Zasady konsultowania.")
    add_document(opolskie, title="Model partnerstwa", kind="model")
    html = get_page(client, "/biblioteka/?q=konsultacjami", max_queries=20).content.decode()
    assert "Standard konsultacji społecznych" in html and "Model partnerstwa" not in html
    page = get_page(client, document.get_absolute_url(), max_queries=6).content.decode()
    assert f"/biblioteka/{document.pk}/wersje/1/pdf/" in page
    original = client.get(f"/biblioteka/{document.pk}/wersje/1/original/")
    assert original["Content-Disposition"].startswith('attachment; filename="standard-konsultacji-spolecznych-1.docx')
    assert b"".join(client.get(f"/biblioteka/{document.pk}/wersje/1/pdf/").streaming_content).startswith(b"%PDF")
    assert client.get(f"/biblioteka/{document.pk}/wersje/1/inny/").status_code == 404
    assert client.get(f"/biblioteka/{document.pk}/wersje/9/pdf/").status_code == 404
    rss = get_page(client, "/biblioteka/rss/?rodzaj=model", max_queries=4).content.decode()
    assert "Model partnerstwa" in rss and "Standard konsultacji" not in rss


def test_an_officer_adds_a_document_through_the_page_and_a_wrong_file_is_refused(client, opolskie):
    officer = AuthorityMembershipFactory(authority=opolskie).user
    sign_in(client, officer, officer=True)
    data = {
        "title": "Wzór sprawozdania",
        "kind": "template",
        "year": timezone.localdate().year,
        "tags": "wzór, sprawozdanie",
    }
    response = client.post(
        f"/biblioteka/nowy/{opolskie.slug}/", {**data, "file": SimpleUploadedFile("a.docx", b"nie dokument")}
    )
    assert response.status_code == 200 and not LibraryDocument.objects.exists()
    response = client.post(
        f"/biblioteka/nowy/{opolskie.slug}/", {**data, "file": docx_file("Wzór sprawozdania z realizacji zadania.")}
    )
    document = LibraryDocument.objects.get()
    assert response["Location"] == document.get_absolute_url()
    assert sorted(document.tags.values_list("name", flat=True)) == ["sprawozdanie", "wzór"]
    client.logout()
    sign_in(client, UserFactory())
    assert client.get(f"/biblioteka/nowy/{opolskie.slug}/").status_code == 403
    assert client.get(f"/biblioteka/{document.pk}/nowa-wersja/").status_code == 403


def test_the_ranked_matches_page_as_the_matching_queryset_orders_them_and_respect_the_filters(opolskie, gmina_brzeg):
    from django.core.paginator import Paginator

    from ngo_platform.core.search import RankedMatches, matching

    for i in range(13):  # titles first (two ranks), then the folded title: ties everywhere
        add_document(opolskie, title=f"Standard {i:02d} współpracy", kind="standard", tags=["wzór"] if i % 2 else [])
        add_document(gmina_brzeg, title=f"Sprawozdanie {i:02d}", kind="report", text="Standard współpracy gminy.")
    documents = LibraryDocument.objects.select_related("authority")
    expected = [d.pk for d in matching(documents, "standardy", entry_table=selectors.ENTRY_TABLE)]
    ranked = RankedMatches(documents, "standardy", entry_table=selectors.ENTRY_TABLE)
    paginator = Paginator(ranked, 10)
    pages = [[d.pk for d in paginator.page(n).object_list] for n in paginator.page_range]
    assert paginator.count == 26 and [len(page) for page in pages] == [10, 10, 6]
    assert sum(pages, []) == expected and len(set(expected)) == 26
    assert [d.title for d in ranked[:2]] == ["Standard 00 współpracy", "Standard 01 współpracy"]  # titles first
    reports = RankedMatches(documents.filter(kind="report"), "standardy", entry_table=selectors.ENTRY_TABLE)
    assert len(reports) == 13 and {d.kind for d in reports} == {"report"}
    tagged = RankedMatches(documents.filter(tags__name="wzór"), "standardy", entry_table=selectors.ENTRY_TABLE)
    assert [d.title for d in tagged] == [f"Standard {i:02d} współpracy" for i in range(1, 13, 2)]
    assert list(RankedMatches(documents, "   ", entry_table=selectors.ENTRY_TABLE)[:3]) == list(documents[:3])


def test_postgresql_keeps_the_folded_titles_in_the_row_and_matches_on_the_index():
    """Out of line (TOAST, as `toast_tuple_target` moved them), ordering the matches by the folded title read
    the TOAST table once for each; the match function reads the GIN index whatever the planner thinks."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the storage of a column and the match function are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'library_searchentry'::regclass "
            "AND attname IN ('name_folded', 'name_vector')"
        )
        assert dict(cursor.fetchall()) == {"name_folded": "p", "name_vector": "p"}
        cursor.execute(
            "SELECT proname, prosrc, proconfig FROM pg_proc WHERE proname IN "
            "('library_searchentry_matching', 'library_searchentry_ranked') ORDER BY 1"
        )
        functions = cursor.fetchall()
    assert [name for name, _source, _config in functions] == [
        "library_searchentry_matching",
        "library_searchentry_ranked",
    ]
    assert all("vector @@ query" in source and config == ["enable_seqscan=off"] for _name, source, config in functions)
