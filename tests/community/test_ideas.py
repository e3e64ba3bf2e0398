"""Ideas and needs: posted by a resident or on behalf of an organisation, supported once per person and once per
organisation (exactly once under concurrency), answered officially by the addressed authority (public, audited,
e-mailed to the author and each supporter), listed by support, newest or state, filtered, and exported as CSV."""

import threading

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection

from ngo_platform.community import services
from ngo_platform.community.models import Idea, IdeaAnswer, IdeaSupport
from ngo_platform.community.workflows import IdeaError
from ngo_platform.core.models import AuditEntry
from ngo_platform.organisations.selectors import current_spheres
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.community.factories import make_idea
from tests.core.query_fixtures import sign_in
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_support_is_once_per_person_and_once_per_organisation(opolskie):
    idea = make_idea(authority=opolskie)
    organisation = OrganisationFactory()
    first = OrganisationMembershipFactory(organisation=organisation, role="editor").user
    colleague = OrganisationMembershipFactory(organisation=organisation, role="admin").user
    assert services.idea_support(actor=first, idea=idea) is True
    assert services.idea_support(actor=first, idea=idea) is False  # a double click
    assert services.idea_support(actor=first, idea=idea, organisation=organisation) is True
    assert services.idea_support(actor=colleague, idea=idea, organisation=organisation) is False  # already given
    assert services.idea_support(actor=colleague, idea=idea) is True
    idea.refresh_from_db()
    assert idea.supporters == 3 == IdeaSupport.objects.filter(idea=idea).count()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied: not a representative of that organisation
        services.idea_support(actor=UserFactory(), idea=idea, organisation=organisation)


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_supports_count_once(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    idea = make_idea()
    person = UserFactory()
    barrier = threading.Barrier(4)
    results = []

    def support():
        barrier.wait()
        try:
            results.append(services.idea_support(actor=person, idea=Idea.objects.get(pk=idea.pk)))
        finally:
            connection.close()

    threads = [threading.Thread(target=support) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    idea.refresh_from_db()
    assert sorted(results) == [False, False, False, True] and idea.supporters == 1


def test_an_official_answer_is_public_audited_and_emailed_to_the_author_and_each_supporter(client, opolskie):
    author = UserFactory()
    idea = make_idea(author=author, authority=opolskie, title="Mały grant na świetlice")
    supporters = [UserFactory() for _ in range(3)]
    for person in supporters:
        services.idea_support(actor=person, idea=idea)
    services.idea_support(actor=author, idea=idea)  # the author's own support: still one message
    officer = AuthorityMembershipFactory(authority=opolskie).user
    mail.outbox.clear()
    services.idea_answer(actor=officer, idea=idea, step="accept", text="Wpiszemy to do programu współpracy.")
    idea.refresh_from_db()
    assert idea.state == "accepted"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in [author, *supporters])
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "Wpiszemy to do programu współpracy." in mail.outbox[0].body and "przyjęty" in mail.outbox[0].subject
    entry = AuditEntry.objects.get(action="community.idea_accept")
    assert entry.acting_for_authority_id == opolskie.pk and entry.details["answer"].startswith("Wpiszemy")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Wpiszemy to do programu współpracy." in page


def test_an_answer_needs_its_text_and_a_step_from_the_current_state(opolskie):
    idea = make_idea(authority=opolskie)
    officer = AuthorityMembershipFactory(authority=opolskie).user
    with pytest.raises(IdeaError):
        services.idea_answer(actor=officer, idea=idea, step="reject", text="  ")
    with pytest.raises(IdeaError):
        services.idea_answer(actor=officer, idea=idea, step="complete", text="Zrobione.")  # not accepted yet
    services.idea_answer(actor=officer, idea=idea, step="reject", text="Brak środków w tym roku.")
    with pytest.raises(IdeaError):
        services.idea_support(actor=UserFactory(), idea=idea)  # a rejected idea takes no more support
    assert IdeaAnswer.objects.count() == 1


def test_the_list_sorts_by_support_newest_and_filters_and_the_csv_follows_it(client, opolskie, gmina_brzeg):
    sphere = current_spheres().first()
    few = make_idea(authority=opolskie, title="Mało poparty", sphere=sphere)
    many = make_idea(authority=gmina_brzeg, title="Bardzo poparty", kind="need")
    for _ in range(3):
        services.idea_support(actor=UserFactory(), idea=many)
    services.idea_support(actor=UserFactory(), idea=few)
    newest = make_idea(title="Najnowszy")

    def titles(query=""):
        cache.clear()
        return [idea.title for idea in client.get(f"/pomysly/{query}").context["page"].object_list]

    assert titles() == ["Bardzo poparty", "Mało poparty", "Najnowszy"]
    assert titles("?kolejnosc=nowe") == ["Najnowszy", "Bardzo poparty", "Mało poparty"]
    assert titles(f"?organ={opolskie.slug}") == ["Mało poparty"]
    assert titles(f"?sfera={sphere.number}") == ["Mało poparty"]
    assert titles("?rodzaj=need") == ["Bardzo poparty"]
    assert titles("?stan=submitted&kolejnosc=xyz") == ["Bardzo poparty", "Mało poparty", "Najnowszy"]
    csv = client.get(f"/pomysly/pomysly.csv?organ={gmina_brzeg.slug}")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["id", "rodzaj", "tytul"]
    assert len(lines) == 2 and "Bardzo poparty" in lines[1] and f"/pomysly/{many.pk}/" in lines[1]
    assert newest.pk not in [int(line.split(",")[0]) for line in lines[1:]]


def test_a_representative_posts_on_behalf_of_the_organisation_and_supports_through_the_page(client, opolskie):
    organisation = OrganisationFactory(name="Koło Gospodyń Wiejskich w Łubnianach")
    person = OrganisationMembershipFactory(organisation=organisation, role="editor").user
    client.force_login(person)
    response = client.post(
        "/pomysly/nowy/",
        {"kind": "need", "title": "Sala na próby", "description": "Potrzebujemy sali.", "authority": opolskie.pk,
         "on_behalf": str(organisation.pk)},
    )  # fmt: skip
    idea = Idea.objects.get()
    assert response.status_code == 302 and idea.organisation == organisation and idea.author == person
    client.force_login(UserFactory())
    client.post(f"/pomysly/{idea.pk}/poparcie/", {"on_behalf": "ja"})
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Dałaś/dałeś już każde poparcie, jakie możesz" in page
    idea.refresh_from_db()
    assert idea.supporters == 1


def test_only_the_addressed_office_sees_and_posts_the_answer_form(client, opolskie, gmina_brzeg):
    idea = make_idea(authority=opolskie)
    sign_in(client, AuthorityMembershipFactory(authority=gmina_brzeg).user, officer=True)
    assert "Odpowiedz oficjalnie" not in client.get(idea.get_absolute_url()).content.decode()
    assert client.post(f"/pomysly/{idea.pk}/odpowiedz/", {"step": "accept", "text": "Tak"}).status_code == 403
    sign_in(client, AuthorityMembershipFactory(authority=opolskie).user, officer=True)
    assert "Odpowiedz oficjalnie" in client.get(idea.get_absolute_url()).content.decode()
    response = client.post(f"/pomysly/{idea.pk}/odpowiedz/", {"step": "consider", "text": ""})
    assert response.status_code == 400 and 'id="id_text_error"' in response.content.decode()
    assert (
        client.post(f"/pomysly/{idea.pk}/odpowiedz/", {"step": "consider", "text": "Analizujemy."}).status_code == 302
    )
    idea.refresh_from_db()
    assert idea.state == "considering"
