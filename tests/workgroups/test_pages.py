"""The working groups' pages through their views: the list and a group's page for each kind of person, a
members-only group's work hidden from others (404 to the signed-in, the login page to visitors), setting a group
up, inviting and accepting, a version read from a real DOCX, a comment, the coordinator's decision, the
comparison and sending to consultation; with their query ceilings (exact counts: tests/core/test_query_counts.py)
and two proposals at once numbered apart (PostgreSQL)."""

import datetime
import io
import threading

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from ngo_platform.workgroups import services
from ngo_platform.workgroups.models import DocumentVersion, GroupMember, VersionComment, WorkingGroup
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory
from tests.core.query_fixtures import sign_in
from tests.helpers import get_page
from tests.organisations.factories import OrganisationFactory
from tests.workgroups.factories import add_member, make_group, proposed_version, text_tree
from tests.workgroups.test_services import STANDARD

pytestmark = pytest.mark.django_db


def _docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def members_only(opolskie):
    group = make_group(opolskie, public_work=False, name="Zespół ds. modelu partnerstwa")
    document = services.document_create(actor=group.coordinator, group=group, title="Model partnerstwa")
    version = proposed_version(document, group.coordinator, text_tree(STANDARD))
    meeting = services.meeting_add(
        actor=group.coordinator,
        group=group,
        data={"starts_at": version.created_at, "place": "Urząd Marszałkowski, sala 304", "agenda": "Wersja 1."},
    )
    services.minutes_attach(
        actor=group.coordinator,
        meeting=meeting,
        upload=SimpleUploadedFile("protokol.pdf", b"%PDF-1.4 tajne"),
        file_type="pdf",
    )
    return group, document, version, meeting


def test_a_members_only_group_shows_itself_but_hides_its_work_from_non_members(client, members_only):
    group, document, version, meeting = members_only
    urls = [
        document.get_absolute_url(),
        version.get_absolute_url(),
        f"/zespoly/dokumenty/{document.pk}/porownanie/?od=1&do=1",
        f"/zespoly/spotkania/{meeting.pk}/protokol/",
    ]
    page = get_page(client, group.get_absolute_url(), max_queries=6).content.decode()
    assert group.name in page and "Model partnerstwa" not in page and "tylko dla jego członków" in page
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/login/"), url
    outsider = OrganisationMembershipFactory(organisation=OrganisationFactory()).user
    sign_in(client, outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url
    member = add_member(group).user
    sign_in(client, member)
    assert "Model partnerstwa" in get_page(client, group.get_absolute_url(), max_queries=12).content.decode()
    html = get_page(client, version.get_absolute_url(), max_queries=14).content.decode()
    assert "Standard określa zasady konsultowania" in html and f"/zespoly/wersje/{version.pk}/uwaga/?jednostka=" in html
    assert b"".join(client.get(urls[3]).streaming_content) == b"%PDF-1.4 tajne"


def test_an_officer_sets_up_a_group_invites_and_the_person_accepts_by_the_link(client, opolskie, mailoutbox):
    officer = AuthorityMembershipFactory(authority=opolskie).user
    today = timezone.localdate()
    sign_in(client, officer, officer=True)
    assert f"/zespoly/nowy/{opolskie.slug}/" in client.get("/zespoly/").content.decode()
    response = client.post(
        f"/zespoly/nowy/{opolskie.slug}/",
        {"name": "Zespół ds. standardu", "purpose": "Standard konsultacji.", "term_starts": today.isoformat(), "term_ends": (today - datetime.timedelta(days=365)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 200 and "Kadencja nie może się skończyć" in response.content.decode()
    assert not WorkingGroup.objects.exists()
    response = client.post(
        f"/zespoly/nowy/{opolskie.slug}/",
        {"name": "Zespół ds. standardu", "purpose": "Standard konsultacji.", "term_starts": today.isoformat(), "public_work": "on"},
    )  # fmt: skip
    group = WorkingGroup.objects.get()
    assert response["Location"] == group.get_absolute_url() and group.coordinator == officer
    organisation = OrganisationFactory(krs="0000123456")
    person = OrganisationMembershipFactory(organisation=organisation, role="editor").user
    response = client.post(f"/zespoly/{group.pk}/zaproszenia/", {"email": person.email, "organisation": "999"})
    assert response.status_code == 200 and "Żadna organizacja" in response.content.decode()
    client.post(f"/zespoly/{group.pk}/zaproszenia/", {"email": person.email, "organisation": "123456"})
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/zespoly/zaproszenie/" in line)
    path = link[link.index("/zespoly/") :]
    client.logout()
    assert "Zaloguj się, aby przyjąć" in client.get(path).content.decode()
    sign_in(client, person)
    assert client.post(path)["Location"] == group.get_absolute_url()
    assert GroupMember.objects.get(group=group, user=person).organisation == organisation


def test_a_member_uploads_a_docx_version_comments_and_the_coordinator_accepts_and_sends_it(client, opolskie):
    group = make_group(opolskie)
    document = services.document_create(actor=group.coordinator, group=group, title="Standard konsultacji")
    proposed_version(document, group.coordinator, text_tree(STANDARD), accept_by=group.coordinator)
    member = add_member(group, organisation=OrganisationFactory()).user
    sign_in(client, member)
    changed = STANDARD.replace("nie krócej niż 14 dni", "nie krócej niż 21 dni")
    upload = SimpleUploadedFile("standard_v2.docx", _docx(changed))
    response = client.post(f"/zespoly/dokumenty/{document.pk}/nowa-wersja/", {"file": upload, "note": "Dłużej."})
    draft = DocumentVersion.objects.get(number=None)
    assert response["Location"] == draft.get_absolute_url() and draft.source_name == "standard_v2.docx"
    assert b"".join(client.get(f"/zespoly/wersje/{draft.pk}/plik/").streaming_content).startswith(b"PK")
    assert client.post(f"/zespoly/wersje/{draft.pk}/krok/", {"step": "propose"}).status_code == 302
    draft.refresh_from_db()
    assert draft.number == 2
    unit = draft.units.get(citation="§ 2 ust. 1")
    form = get_page(client, f"/zespoly/wersje/{draft.pk}/uwaga/?jednostka={unit.pk}", max_queries=12)
    assert "21 dni" in form.content.decode()  # the current wording filled in
    response = client.post(
        f"/zespoly/wersje/{draft.pk}/uwaga/?jednostka={unit.pk}",
        {"current_wording": unit.text, "proposed_wording": "", "justification": "Trzy tygodnie to praktyka."},
    )
    assert response.status_code == 302 and VersionComment.objects.get().unit == unit
    compare = get_page(client, f"/zespoly/dokumenty/{document.pk}/porownanie/?od=1&do=2", max_queries=10)
    html = compare.content.decode()
    assert "[−</span>14" in html and "[+</span>21" in html and "zmienione: 1" in html.lower()
    client.logout()
    sign_in(client, group.coordinator, officer=True)
    assert client.post(f"/zespoly/wersje/{draft.pk}/krok/", {"step": "accept", "note": "Przyjęta."}).status_code == 302
    draft.refresh_from_db()
    assert draft.state == "accepted" and draft.document.current == draft
    response = client.post(f"/zespoly/wersje/{draft.pk}/konsultacja/")
    draft.refresh_from_db()
    assert response["Location"] == f"/konsultacje/{draft.consultation.pk}/edytuj/"
    assert draft.consultation.units.get(citation="§ 2 ust. 1").text == unit.text
    consultation_page = client.get(f"/konsultacje/{draft.consultation.pk}/").content.decode()
    assert f'href="{group.get_absolute_url()}"' in consultation_page


def test_a_decision_needs_a_step_and_strangers_cannot_decide(client, opolskie):
    group = make_group(opolskie)
    document = services.document_create(actor=group.coordinator, group=group, title="Standard")
    version = proposed_version(document, group.coordinator, text_tree(STANDARD))
    sign_in(client, group.coordinator, officer=True)
    response = client.post(f"/zespoly/wersje/{version.pk}/krok/", {"step": "", "note": "x"})
    assert response.status_code == 400 and "To pole jest wymagane" in response.content.decode()
    client.logout()
    sign_in(client, add_member(group).user)
    client.post(f"/zespoly/wersje/{version.pk}/krok/", {"step": "accept"})
    version.refresh_from_db()
    assert version.state == "proposed"
    assert client.post(f"/zespoly/wersje/{version.pk}/konsultacja/").status_code == 403


def test_a_member_starts_a_new_version_from_an_accepted_one_and_a_stranger_cannot(client, opolskie):
    group = make_group(opolskie)
    document = services.document_create(actor=group.coordinator, group=group, title="Standard")
    accepted = proposed_version(document, group.coordinator, text_tree(STANDARD), accept_by=group.coordinator)
    sign_in(client, add_member(group).user)
    page = client.get(accepted.get_absolute_url()).content.decode()
    assert 'name="copy-note"' in page  # apart from the decision form's note (one id per page)
    response = client.post(f"/zespoly/wersje/{accepted.pk}/kopia/", {"copy-note": "Krótszy termin."})
    draft = DocumentVersion.objects.get(number=None)
    assert response["Location"] == draft.get_absolute_url()
    assert (draft.base, draft.note, draft.units.count()) == (accepted, "Krótszy termin.", accepted.units.count())
    client.logout()
    sign_in(client, AuthorityMembershipFactory(authority=opolskie).user, officer=True)  # an officer, not a member
    response = client.post(f"/zespoly/wersje/{accepted.pk}/kopia/", {"copy-note": "Obca."})
    assert response.status_code == 403 and DocumentVersion.objects.filter(number=None).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_proposals_at_once_get_two_numbers(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    from ngo_platform.territory.models import Authority

    group = make_group(Authority.objects.get(unit__teryt="16"))
    document = services.document_create(actor=group.coordinator, group=group, title="Standard")
    drafts = [
        services.version_from_text(actor=group.coordinator, document=document, root=text_tree(STANDARD))
        for _ in range(3)
    ]
    barrier = threading.Barrier(len(drafts))

    def propose(version):
        barrier.wait()
        try:
            services.version_step(actor=group.coordinator, version=version, name="propose")
        finally:
            connection.close()

    threads = [threading.Thread(target=propose, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(document.versions.values_list("number", flat=True)) == [1, 2, 3]
