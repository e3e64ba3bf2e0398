"""Who may, in consultations: each permission against each kind of person, in each phase of the consultation.

The consultations are brought to their state through the services (create, import the draft, publish, the clock
opening and closing, the report, the archive), as the application does. Where a rule does not read the phase, the
tests say so: the services refuse what is too early or too late (tests/consultations/test_services.py).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ngo_platform.accounts.models import AuthorityRole, OrganisationRole
from ngo_platform.accounts.services import organisation_membership_remove
from ngo_platform.consultations import services
from ngo_platform.consultations.models import Comment, Consultation, ConsultationState
from ngo_platform.consultations.services import ConsultationError
from tests.accounts.factories import OrganisationMembershipFactory, UserFactory
from tests.consultations.factories import make_consultation, officer_of
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

STATES = [state.value for state in ConsultationState]
PUBLIC_STATES = [state for state in STATES if state != "draft"]
EVERYONE = {
    "platform_admin",
    "officer",
    "authority_admin",
    "other_officer",
    "org_admin",
    "org_editor",
    "other_member",
    "resident",
    "anonymous",
}
SIGNED_IN = EVERYONE - {"anonymous"}
OFFICERS = {"officer", "authority_admin"}  # of the authority that runs the consultation (opolskie)
REPRESENTATIVES = {"org_admin", "org_editor", "other_member"}  # of some organisation


@pytest.fixture
def organisation(reference_data):
    return OrganisationFactory()


@pytest.fixture
def other_organisation(reference_data):
    return OrganisationFactory()


def member(organisation, role=OrganisationRole.EDITOR):
    return OrganisationMembershipFactory(organisation=organisation, role=role).user


@pytest.fixture
def people(opolskie, gmina_brzeg, organisation, other_organisation):
    return {
        "platform_admin": UserFactory(is_staff=True),
        "officer": officer_of(opolskie),
        "authority_admin": officer_of(opolskie, role=AuthorityRole.ADMIN),
        "other_officer": officer_of(gmina_brzeg),
        "org_admin": member(organisation, OrganisationRole.ADMIN),
        "org_editor": member(organisation, OrganisationRole.EDITOR),
        "other_member": member(other_organisation, OrganisationRole.ADMIN),
        "resident": UserFactory(),
        "anonymous": AnonymousUser(),
    }


def allowed(people, perm, obj=None):
    return {name for name, person in people.items() if person.has_perm(perm, obj)}


def end(consultation):
    """Move the end into the past; the clock closes the consultation, as the cron job would."""
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=now - timedelta(days=15), ends_at=now - timedelta(seconds=1)
    )
    consultation.refresh_from_db()
    return services.consultation_advance_due(consultation)


def publish_report(consultation, officer):
    """Answer every submitted comment and publish the report: closed → answered."""
    pending = list(consultation.comments.filter(state="submitted").values_list("pk", flat=True))
    if pending:
        services.comments_answer(
            actor=officer, consultation=consultation, comment_ids=pending, position="rejected", justification="Nie."
        )
    return services.report_publish(actor=officer, consultation=consultation)


def advance(consultation, officer, state):
    """Take an open consultation on to `state` (closed, answered or archived) through the services."""
    consultation = end(consultation)
    if state in ("answered", "archived"):
        consultation = publish_report(consultation, officer)
    if state == "archived":
        consultation = services.consultation_archive(actor=officer, consultation=consultation)
    consultation = Consultation.objects.get(pk=consultation.pk)
    assert consultation.state == state
    return consultation


def consultation_in(state, people, authority, **overrides):
    officer = people["officer"]
    if state in ("draft", "scheduled", "open"):
        consultation = make_consultation(authority, officer=officer, state=state, **overrides)
        assert consultation.state == state
        return consultation
    return advance(make_consultation(authority, officer=officer, **overrides), officer, state)


def test_add_consultation(people, opolskie, gmina_brzeg):
    # The object is the authority: its officers and admins, nobody else (not the platform admin).
    assert allowed(people, "consultations.add_consultation", opolskie) == OFFICERS
    assert allowed(people, "consultations.add_consultation", gmina_brzeg) == {"other_officer"}
    assert allowed(people, "consultations.add_consultation") == set()


@pytest.mark.parametrize("state", STATES)
def test_manage_consultation_in_every_phase(people, opolskie, state):
    consultation = consultation_in(state, people, opolskie)
    assert allowed(people, "consultations.manage_consultation", consultation) == OFFICERS


def test_manage_consultation_of_another_authority(people, gmina_brzeg):
    consultation = make_consultation(gmina_brzeg, officer=people["other_officer"])
    assert allowed(people, "consultations.manage_consultation", consultation) == {"other_officer"}


@pytest.mark.parametrize(("state", "expected"), [("draft", OFFICERS)] + [(s, EVERYONE) for s in PUBLIC_STATES])
def test_view_consultation(people, opolskie, state, expected):
    consultation = consultation_in(state, people, opolskie)
    assert allowed(people, "consultations.view_consultation", consultation) == expected


def test_view_consultation_withdrawn_to_a_draft(people, opolskie, gmina_brzeg):
    consultation = consultation_in("scheduled", people, opolskie)
    assert allowed(people, "consultations.view_consultation", consultation) == EVERYONE
    consultation = services.consultation_unschedule(actor=people["officer"], consultation=consultation)
    assert consultation.state == ConsultationState.DRAFT
    assert allowed(people, "consultations.view_consultation", consultation) == OFFICERS
    # A draft of another authority: only its own officers.
    draft = make_consultation(gmina_brzeg, officer=people["other_officer"], state="draft")
    assert allowed(people, "consultations.view_consultation", draft) == {"other_officer"}


@pytest.mark.parametrize(
    ("visibility", "state", "expected"),
    [("immediate", "draft", OFFICERS)]
    + [("immediate", s, EVERYONE) for s in PUBLIC_STATES]
    + [("with_report", s, OFFICERS) for s in ("draft", "scheduled", "open", "closed")]
    + [("with_report", s, EVERYONE) for s in ("answered", "archived")],
)
def test_view_comments(people, opolskie, visibility, state, expected):
    consultation = consultation_in(state, people, opolskie, comment_visibility=visibility)
    assert allowed(people, "consultations.view_comments", consultation) == expected


def test_view_comments_published_with_the_report_before_during_and_after(people, opolskie, organisation):
    consultation = consultation_in("open", people, opolskie, comment_visibility="with_report")
    services.comment_submit(
        actor=people["org_admin"], consultation=consultation, unit=None, organisation=organisation, justification="a"
    )
    # Not even the organisation that commented reads the comments before the report.
    assert allowed(people, "consultations.view_comments", consultation) == OFFICERS
    consultation = end(consultation)
    assert allowed(people, "consultations.view_comments", consultation) == OFFICERS
    consultation = publish_report(consultation, people["officer"])
    assert allowed(people, "consultations.view_comments", consultation) == EVERYONE


def test_comment_for_organisation(people, organisation, other_organisation):
    # The object is the organisation: its admins and editors.
    assert allowed(people, "consultations.comment_for_organisation", organisation) == {"org_admin", "org_editor"}
    assert allowed(people, "consultations.comment_for_organisation", other_organisation) == {"other_member"}
    assert allowed(people, "consultations.comment_for_organisation", OrganisationFactory()) == set()
    assert allowed(people, "consultations.comment_for_organisation") == set()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("residents", "expected"), [(False, set()), (True, SIGNED_IN)])
def test_comment_as_resident(people, opolskie, state, residents, expected):
    """Anyone signed in, where residents are invited; the rule does not read the phase."""
    consultation = consultation_in(state, people, opolskie, open_to_residents=residents)
    assert allowed(people, "consultations.comment_as_resident", consultation) == expected


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("residents", "expected"), [(False, REPRESENTATIVES), (True, SIGNED_IN)])
def test_comment(people, opolskie, state, residents, expected):
    """Representatives of any organisation, and anyone signed in where residents are invited.

    The rule does not read the phase: it allows a draft, a scheduled, a closed and an answered consultation too.
    """
    consultation = consultation_in(state, people, opolskie, open_to_residents=residents)
    assert allowed(people, "consultations.comment", consultation) == expected


@pytest.mark.parametrize("when", ["before the start", "after the end"])
def test_comment_allowed_by_the_rule_is_refused_by_the_service_outside_the_phase(people, opolskie, organisation, when):
    consultation = consultation_in("scheduled" if when == "before the start" else "closed", people, opolskie)
    person = people["org_admin"]
    assert person.has_perm("consultations.comment", consultation)
    with pytest.raises(ConsultationError):
        services.comment_submit(
            actor=person, consultation=consultation, unit=None, organisation=organisation, justification="a"
        )
    assert not Comment.objects.exists()


def submitted_comments(people, opolskie, organisation):
    """An open consultation open to residents, with a comment on behalf of the organisation (by its editor)
    and one by a resident."""
    consultation = consultation_in("open", people, opolskie, open_to_residents=True)
    on_behalf = services.comment_submit(
        actor=people["org_editor"], consultation=consultation, unit=None, organisation=organisation, justification="a"
    )
    own = services.comment_submit(actor=people["resident"], consultation=consultation, unit=None, justification="b")
    return consultation, on_behalf, own


@pytest.mark.parametrize("moment", ["submitted", "withdrawn", "closed", "answered", "archived"])
def test_change_comment(people, opolskie, organisation, moment):
    """The author, and the other representatives of the organisation it was made for; the rule reads neither the
    comment's state nor the phase (the services refuse after the end and for a withdrawn comment)."""
    consultation, on_behalf, own = submitted_comments(people, opolskie, organisation)
    if moment == "withdrawn":
        on_behalf = services.comment_withdraw(actor=people["org_admin"], comment=on_behalf)
        own = services.comment_withdraw(actor=people["resident"], comment=own)
        assert on_behalf.state == own.state == "withdrawn"
    elif moment != "submitted":
        advance(consultation, people["officer"], moment)
    on_behalf, own = Comment.objects.get(pk=on_behalf.pk), Comment.objects.get(pk=own.pk)
    assert allowed(people, "consultations.change_comment", on_behalf) == {"org_admin", "org_editor"}
    assert allowed(people, "consultations.change_comment", own) == {"resident"}
    assert allowed(people, "consultations.change_comment") == set()


def test_change_comment_allowed_by_the_rule_is_refused_by_the_service_after_the_end(people, opolskie, organisation):
    consultation, on_behalf, _own = submitted_comments(people, opolskie, organisation)
    end(consultation)
    on_behalf = Comment.objects.get(pk=on_behalf.pk)
    assert people["org_editor"].has_perm("consultations.change_comment", on_behalf)
    with pytest.raises(ConsultationError):
        services.comment_withdraw(actor=people["org_editor"], comment=on_behalf)
    assert Comment.objects.get(pk=on_behalf.pk).state == "submitted"


def test_change_comment_by_an_author_who_no_longer_represents_the_organisation(people, opolskie, organisation):
    """Current behaviour: the author keeps the comment made on the organisation's behalf after leaving it."""
    consultation, on_behalf, _own = submitted_comments(people, opolskie, organisation)
    author = people["org_editor"]
    organisation_membership_remove(actor=None, membership=author.organisation_memberships.get())
    assert not author.has_perm("consultations.comment_for_organisation", organisation)
    assert author.has_perm("consultations.change_comment", on_behalf)
    services.comment_update(actor=author, comment=on_behalf, current_wording="", proposed_wording="", justification="c")
    assert Comment.objects.get(pk=on_behalf.pk).justification == "c"


def test_follow(people):
    assert allowed(people, "consultations.follow") == SIGNED_IN


def test_a_deactivated_account(people, opolskie, organisation):
    """Current behaviour: signing in is refused and so are the rules built on `is_signed_in`; the rules built on
    memberships still hold."""
    consultation = consultation_in("open", people, opolskie, open_to_residents=True)
    comment = services.comment_submit(
        actor=people["org_editor"], consultation=consultation, unit=None, organisation=organisation, justification="a"
    )
    for name in ("officer", "org_editor"):
        people[name].is_active = False
        people[name].save(update_fields=["is_active"])
    officer, editor = people["officer"], people["org_editor"]
    assert not editor.has_perm("consultations.comment", consultation)
    assert not editor.has_perm("consultations.comment_as_resident", consultation)
    assert not editor.has_perm("consultations.follow")
    assert editor.has_perm("consultations.comment_for_organisation", organisation)
    assert editor.has_perm("consultations.change_comment", comment)
    assert officer.has_perm("consultations.manage_consultation", consultation)
    assert officer.has_perm("consultations.add_consultation", opolskie)


def test_predicates_refuse_missing_objects(people):
    from ngo_platform.consultations import rules as r

    person = people["org_admin"]
    assert not r.is_officer_of_consultation(person, None)
    assert not r.is_public(person, None)
    assert not r.residents_may_comment(person, None)
    assert not r.comments_public_now(person, None)
    assert not r.is_comment_author_or_colleague(person, None)
    assert not r.represents_some_organisation(AnonymousUser())
