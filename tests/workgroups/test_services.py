"""The working groups' services: invitations and their acceptance, members, meetings and minutes, and a
document's versions — drafted, edited unit by unit, proposed (numbered once each), decided on, commented on in
the standard form, compared, and sent to a public consultation with exactly their units."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ngo_platform.consultations.models import DraftUnit
from ngo_platform.consultations.reports import report_data
from ngo_platform.core import calendar
from ngo_platform.core.models import AuditEntry
from ngo_platform.workgroups import selectors, services
from ngo_platform.workgroups.models import GroupDocument, GroupInvitation, GroupMember, VersionUnit
from ngo_platform.workgroups.services import GroupError
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory
from tests.workgroups.factories import add_member, make_group, proposed_version, text_tree

pytestmark = pytest.mark.django_db

STANDARD = """Standard konsultacji społecznych
Rozdział I
Postanowienia ogólne
§ 1.
Standard określa zasady konsultowania projektów aktów prawa miejscowego z organizacjami pozarządowymi.
§ 2.
1. Konsultacje trwają nie krócej niż 14 dni.
2. Ogłoszenie o konsultacjach publikuje się na portalu i w Biuletynie Informacji Publicznej.
Rozdział II
Sprawozdanie
§ 3.
Sprawozdanie z konsultacji zawiera wszystkie uwagi wraz ze stanowiskiem organu.
"""


@pytest.fixture
def group(opolskie):
    return make_group(opolskie)


@pytest.fixture
def document(group):
    return services.document_create(actor=group.coordinator, group=group, title="Standard konsultacji")


# --- Invitations and members ---


def test_an_invitation_is_emailed_and_accepted_by_the_invited_address_on_behalf_of_the_organisation(group, mailoutbox):
    organisation = OrganisationFactory()
    person = OrganisationMembershipFactory(organisation=organisation, role="editor").user
    invitation = services.invitation_send(
        actor=group.coordinator, group=group, email=f"  {person.email.upper()} ", organisation=organisation
    )
    assert invitation.email == person.email
    assert len(mailoutbox) == 1 and f"/zespoly/zaproszenie/{invitation.token}/" in mailoutbox[0].body
    assert organisation.name in mailoutbox[0].body
    member = services.invitation_accept(actor=person, invitation=invitation)
    assert (member.group, member.user, member.organisation) == (group, person, organisation)
    assert mailoutbox[-1].to == [group.coordinator.email]
    with pytest.raises(GroupError, match="już wykorzystane"):
        services.invitation_accept(actor=person, invitation=invitation)
    with pytest.raises(GroupError, match="jest już członkiem"):
        services.invitation_send(actor=group.coordinator, group=group, email=person.email)
    assert AuditEntry.objects.filter(
        action="workgroups.invitation_accept", acting_for_organisation=organisation
    ).exists()


def test_an_invitation_is_refused_to_another_address_when_expired_and_for_an_organisation_not_represented(group):
    stranger, invited = UserFactory(), UserFactory()
    invitation = services.invitation_send(actor=group.coordinator, group=group, email=invited.email)
    with pytest.raises(GroupError, match="inny adres e-mail"):
        services.invitation_accept(actor=stranger, invitation=invitation)
    newcomer = UserFactory()
    on_behalf = services.invitation_send(
        actor=group.coordinator, group=group, email=newcomer.email, organisation=OrganisationFactory()
    )
    with pytest.raises(GroupError, match="nie reprezentujesz"):
        services.invitation_accept(actor=newcomer, invitation=on_behalf)
    GroupInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(GroupError, match="wygasło"):
        services.invitation_accept(actor=invited, invitation=invitation)
    assert not GroupMember.objects.filter(user__in=[stranger, invited, newcomer]).exists()


def test_only_the_coordinator_or_an_officer_invites_and_a_member_may_leave_but_the_coordinator_stays(group):
    member = add_member(group)
    with pytest.raises(PermissionDenied):
        services.invitation_send(actor=member.user, group=group, email="ktos@example.pl")
    officer = AuthorityMembershipFactory(authority=group.authority).user
    services.invitation_send(actor=officer, group=group, email="ktos@example.pl")
    coordinator = group.members.get(user=group.coordinator)
    with pytest.raises(GroupError, match="Koordynator nie może"):
        services.member_remove(actor=officer, member=coordinator)
    with pytest.raises(PermissionDenied):
        services.member_remove(actor=add_member(group).user, member=member)
    services.member_remove(actor=member.user, member=member)
    assert not group.members.filter(pk=member.pk).exists()


# --- Meetings ---


def test_a_meeting_needs_a_place_or_a_link_and_appears_on_the_calendar_only_for_public_work(opolskie, group):
    when = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(GroupError, match="miejsce spotkania") as refused:
        services.meeting_add(actor=group.coordinator, group=group, data={"starts_at": when, "agenda": "Wersja 2."})
    assert refused.value.field == "place"
    meeting = services.meeting_add(
        actor=group.coordinator, group=group, data={"starts_at": when, "online_url": "https://spotkanie.example.pl/1", "agenda": "Wersja 2."}
    )  # fmt: skip
    hidden = make_group(opolskie, public_work=False, name="Zespół zamknięty")
    services.meeting_add(
        actor=hidden.coordinator, group=hidden, data={"starts_at": when, "place": "Urząd, sala 1", "agenda": "Plan."}
    )
    entries = calendar.entries_between(when - datetime.timedelta(days=1), when + datetime.timedelta(days=1))
    ours = [entry for entry in entries if entry.uid.startswith("zespol-")]
    assert [(entry.title, entry.uid, entry.place) for entry in ours] == [
        (group.name, f"zespol-spotkanie-{meeting.pk}", "https://spotkanie.example.pl/1")
    ]


def test_minutes_are_attached_only_after_the_meeting(group):
    soon = services.meeting_add(
        actor=group.coordinator,
        group=group,
        data={"starts_at": timezone.now() + datetime.timedelta(hours=1), "place": "Sala 1", "agenda": "Plan."},
    )
    upload = SimpleUploadedFile("protokol.pdf", b"%PDF-1.4 protokol")
    with pytest.raises(GroupError, match="dopiero po spotkaniu"):
        services.minutes_attach(actor=group.coordinator, meeting=soon, upload=upload, file_type="pdf")
    soon.starts_at = timezone.now() - datetime.timedelta(hours=2)
    soon.save()
    meeting = services.minutes_attach(actor=group.coordinator, meeting=soon, upload=upload, file_type="pdf")
    assert meeting.minutes_added_at is not None and meeting.minutes.read() == b"%PDF-1.4 protokol"


# --- Versions ---


def test_versions_are_numbered_when_proposed_and_an_accepted_one_becomes_current(group, document):
    author = add_member(group).user
    draft = services.version_from_text(actor=author, document=document, root=text_tree(STANDARD), note="Pierwszy")
    assert draft.number is None and draft.state == "draft"
    assert [unit.citation for unit in draft.units.order_by("position")][:4] == ["Preambuła", "Rozdział I", "§ 1", "§ 2"]
    second = services.version_from_text(actor=author, document=document, root=text_tree(STANDARD))
    services.version_step(actor=author, version=second, name="propose")
    services.version_step(actor=author, version=draft, name="propose")
    second.refresh_from_db()
    draft.refresh_from_db()
    assert (second.number, draft.number) == (1, 2)
    with pytest.raises(PermissionDenied):
        services.version_step(actor=author, version=draft, name="accept")
    services.version_step(actor=group.coordinator, version=draft, name="accept", note="Przyjęta na spotkaniu.")
    services.version_step(actor=group.coordinator, version=second, name="reject", note="Zastąpiona wersją 2.")
    document.refresh_from_db()
    draft.refresh_from_db()
    assert document.current == draft and draft.decision_note == "Przyjęta na spotkaniu."
    assert draft.decided_at is not None and draft.proposed_at is not None
    with pytest.raises(GroupError, match="przyjęta"):
        services.version_step(actor=group.coordinator, version=draft, name="reject")
    actions = list(AuditEntry.objects.filter(action__startswith="workgroups.version_").values_list("action", flat=True))
    assert actions.count("workgroups.version_propose") == 2 and "workgroups.version_accept" in actions


def test_a_draft_is_edited_unit_by_unit_by_its_author_only_and_no_longer_once_proposed(group, document):
    author = add_member(group).user
    base = proposed_version(document, author, text_tree(STANDARD), accept_by=group.coordinator)
    draft = services.version_from(actor=author, base=base, note="Krótsze konsultacje")
    old_units = list(base.units.order_by("position"))
    new_units = list(draft.units.order_by("position"))
    assert [(u.position, u.depth, u.kind, u.label, u.citation, u.text) for u in new_units] == [
        (u.position, u.depth, u.kind, u.label, u.citation, u.text) for u in old_units
    ]
    assert [u.parent.position if u.parent else None for u in new_units] == [
        u.parent.position if u.parent else None for u in old_units
    ]
    paragraph = next(unit for unit in new_units if unit.citation == "§ 2 ust. 1")
    with pytest.raises(PermissionDenied):
        services.unit_edit(actor=group.coordinator, unit=paragraph, title="", text="Inaczej.")
    services.unit_edit(actor=author, unit=paragraph, title="", text="Konsultacje trwają nie krócej niż 21 dni.")
    entry = AuditEntry.objects.filter(action="workgroups.unit_edit").get()
    assert entry.details["old"].endswith("14 dni.") and entry.details["new"].endswith("21 dni.")
    services.version_step(actor=author, version=draft, name="propose")
    with pytest.raises(PermissionDenied):
        services.unit_edit(actor=author, unit=paragraph, title="", text="Jeszcze inaczej.")
    rows = selectors.comparison(base, draft)
    changed = [row for row in rows if row["status"] != "same"]
    assert [(row["citation"], row["status"]) for row in changed] == [("§ 2 ust. 1", "changed")]
    assert ("removed", "14") in changed[0]["diff"] and ("added", "21") in changed[0]["diff"]


def test_comments_are_on_proposed_or_accepted_versions_on_behalf_of_the_member_s_organisation(group, document):
    organisation = OrganisationFactory()
    member = add_member(group, organisation=organisation).user
    version = proposed_version(document, group.coordinator, text_tree(STANDARD))
    unit = version.units.get(citation="§ 3")
    comment = services.comment_submit(
        actor=member,
        version=version,
        unit=unit,
        data={
            "current_wording": unit.text,
            "proposed_wording": "Sprawozdanie zawiera uwagi.",
            "justification": "Krócej.",
        },
    )
    assert (comment.unit_citation, comment.organisation, comment.author_name) == (
        "§ 3",
        organisation,
        organisation.name,
    )
    with pytest.raises(GroupError, match="uzasadnienie"):
        services.comment_submit(actor=member, version=version, unit=None, data={"justification": "  "})
    with pytest.raises(GroupError, match="Najwyżej"):
        services.comment_submit(actor=member, version=version, unit=None, data={"justification": "x" * 5001})
    other = proposed_version(document, group.coordinator, text_tree(STANDARD))
    with pytest.raises(GroupError, match="nie należy do tej wersji"):
        services.comment_submit(actor=member, version=other, unit=unit, data={"justification": "Tak."})
    with pytest.raises(PermissionDenied):
        services.comment_submit(actor=UserFactory(), version=version, unit=unit, data={"justification": "Tak."})
    draft = services.version_from(actor=member, base=version)
    with pytest.raises(PermissionDenied):
        services.comment_submit(actor=member, version=draft, unit=None, data={"justification": "Tak."})
    units, whole = selectors.units_with_comments(version)
    assert [c.pk for u in units for c in u.thread] == [comment.pk] and whole == []


def test_an_accepted_version_opens_a_consultation_with_exactly_its_units_and_citations(group, document, mailoutbox):
    officer = AuthorityMembershipFactory(authority=group.authority).user
    version = proposed_version(document, group.coordinator, text_tree(STANDARD))
    with pytest.raises(PermissionDenied):
        services.send_to_consultation(actor=officer, version=version)  # proposed, not accepted
    services.version_step(actor=group.coordinator, version=version, name="accept")
    version.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.send_to_consultation(actor=add_member(group).user, version=version)  # not an officer
    consultation = services.send_to_consultation(actor=officer, version=version)
    assert consultation.state == "draft" and consultation.authority == group.authority
    assert consultation.prepared_by == group.name and consultation.prepared_by_url == group.get_absolute_url()
    fields = ("position", "depth", "kind", "label", "title", "text", "citation")
    ours = list(VersionUnit.objects.filter(version=version).order_by("position").values_list(*fields))
    theirs = list(DraftUnit.objects.filter(consultation=consultation).order_by("position").values_list(*fields))
    assert theirs == ours and len(ours) == 8
    parents = list(
        DraftUnit.objects.filter(consultation=consultation)
        .order_by("position")
        .values_list("parent__position", flat=True)
    )
    assert parents == list(version.units.order_by("position").values_list("parent__position", flat=True))
    version.refresh_from_db()
    assert version.consultation == consultation
    with pytest.raises(GroupError, match="już skierowana"):
        services.send_to_consultation(actor=officer, version=version)
    consultation.report_published_at = timezone.now()
    assert group.name in report_data(consultation)["prepared_by"]


def test_a_document_s_versions_list_shows_numbered_ones_and_only_the_person_s_own_drafts(group, document):
    first, second = add_member(group).user, add_member(group).user
    proposed_version(document, first, text_tree(STANDARD))
    services.version_from_text(actor=first, document=document, root=text_tree(STANDARD))
    services.version_from_text(actor=second, document=document, root=text_tree(STANDARD))
    mine = selectors.versions_of(document, first)
    assert sorted((v.number or 0, v.author_id) for v in mine) == [(0, first.pk), (1, first.pk)]
    assert [v.number for v in selectors.versions_of(document, UserFactory())] == [1]
    assert GroupDocument.objects.get(pk=document.pk).current is None
