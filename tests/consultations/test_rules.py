"""Who may, in consultations: each permission against each kind of person, in each phase of the consultation.

The consultations are brought to their state through the services (create, import the draft, publish, the clock
opening and closing, the report, the archive), as the application does. Commenting, changing and withdrawing a
comment combine who with when (the consultation open for comments by the server's clock); the rule and the service
agree on every phase and moment, and the service refuses outside the phase with its own message.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.accounts.models import AuthorityRole, OrganisationRole
from ngo_platform.accounts.services import organisation_membership_remove
from ngo_platform.consultations import services
from ngo_platform.consultations.models import Comment, Consultation, ConsultationState
from ngo_platform.consultations.services import ConsultationError
from tests.accounts.factories import OrganisationMembershipFactory, UserFactory
from tests.consultations.factories import make_consultation, officer_of
from tests.helpers import get_page
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


# --- Commenting: who, and when --------------------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("residents", "expected"), [(False, REPRESENTATIVES), (True, SIGNED_IN)])
def test_take_part(people, opolskie, state, residents, expected):
    """Who may comment at all, whatever the phase: representatives of any organisation, and anyone signed in where
    residents are invited (a form posted too late reaches the service, which says why nothing was saved)."""
    consultation = consultation_in(state, people, opolskie, open_to_residents=residents)
    assert allowed(people, "consultations.take_part", consultation) == expected
    assert allowed(people, "consultations.take_part") == set()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("residents", [False, True])
def test_comment_as_resident(people, opolskie, state, residents):
    """Anyone signed in, where residents are invited, and only while the consultation is open: not before (a draft,
    scheduled) nor after (closed, answered, archived)."""
    consultation = consultation_in(state, people, opolskie, open_to_residents=residents)
    expected = SIGNED_IN if residents and state == "open" else set()
    assert allowed(people, "consultations.comment_as_resident", consultation) == expected


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("residents", "during"), [(False, REPRESENTATIVES), (True, SIGNED_IN)])
def test_comment(people, opolskie, state, residents, during):
    """Representatives of any organisation, and anyone signed in where residents are invited; only while the
    consultation is open. Nobody comments on a draft, a scheduled, a closed or an answered consultation."""
    consultation = consultation_in(state, people, opolskie, open_to_residents=residents)
    assert allowed(people, "consultations.comment", consultation) == (during if state == "open" else set())
    assert allowed(people, "consultations.comment") == set()


def moved(consultation, **dates):
    """The dates changed behind the services' back (as time passing would), the state left as it was."""
    Consultation.objects.filter(pk=consultation.pk).update(**dates)
    return Consultation.objects.get(pk=consultation.pk)


CLOCK_CASES = {
    # name: (state to build, dates relative to now or None, clock relative to the end or None, accepted, refusal)
    "a draft whose start has come": ("draft", True, None, False, "jeszcze się nie rozpoczęły"),
    "scheduled, before its start": ("scheduled", False, None, False, "jeszcze się nie rozpoczęły"),
    "scheduled, its start come (no cron yet)": ("scheduled", True, None, True, None),
    "open": ("open", False, None, True, None),
    "open, at its end to the second": ("open", False, timedelta(0), True, None),
    "open, one second after its end": ("open", False, timedelta(seconds=1), False, "Konsultacje zamknięto"),
    "closed": ("closed", False, None, False, "Konsultacje zamknięto"),
    "answered": ("answered", False, None, False, "Konsultacje zamknięto"),
}


@pytest.mark.parametrize("case", CLOCK_CASES)
@pytest.mark.parametrize("who", ["org_admin", "resident"])
def test_the_rule_and_the_service_agree_on_the_clock(people, opolskie, organisation, monkeypatch, case, who):
    """For each phase and moment, `consultations.comment` allows exactly what `comment_submit` accepts; the service
    refuses with its own message (not a refusal of the person) and stores nothing."""
    state, started, after_end, accepted, refusal = CLOCK_CASES[case]
    consultation = consultation_in(state, people, opolskie, open_to_residents=True)
    if started:
        now = timezone.now()
        consultation = moved(consultation, starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=14))
    if after_end is not None:
        end = consultation.ends_at
        monkeypatch.setattr(services, "now", lambda: end + after_end)
    person = people[who]
    on_behalf = organisation if who == "org_admin" else None
    assert person.has_perm("consultations.comment", consultation) is accepted
    assert person.has_perm("consultations.comment_as_resident", consultation) is accepted
    assert person.has_perm("consultations.take_part", consultation)
    assert (services.comments_refusal(consultation) is None) is accepted
    submit = lambda: services.comment_submit(  # noqa: E731
        actor=person, consultation=consultation, unit=None, organisation=on_behalf, justification="a"
    )
    if accepted:
        submit()
        assert Consultation.objects.get(pk=consultation.pk).state == "open"  # a start that came opens it
        assert Comment.objects.count() == 1
    else:
        with pytest.raises(ConsultationError, match=refusal):
            submit()
        assert not Comment.objects.exists()


def test_outside_the_phase_the_service_says_why_before_asking_who(people, opolskie):
    """A resident posting late to a consultation open to residents learns that it closed, not that only
    organisations may comment (the rule for residents needs the phase too)."""
    consultation = end(consultation_in("open", people, opolskie, open_to_residents=True))
    with pytest.raises(ConsultationError, match="Konsultacje zamknięto"):
        services.comment_submit(actor=people["resident"], consultation=consultation, unit=None, justification="a")
    # In the phase, a consultation for organisations only: the person is refused with the service's message.
    consultation = consultation_in("open", people, opolskie, open_to_residents=False)
    with pytest.raises(ConsultationError, match="tylko organizacje"):
        services.comment_submit(actor=people["resident"], consultation=consultation, unit=None, justification="a")
    assert not Comment.objects.exists()


# --- Changing and withdrawing a comment -----------------------------------------------------------------------


def submitted_comments(people, opolskie, organisation):
    """An open consultation open to residents, with a comment on behalf of the organisation (by its editor)
    and one by a resident."""
    consultation = consultation_in("open", people, opolskie, open_to_residents=True)
    on_behalf = services.comment_submit(
        actor=people["org_editor"], consultation=consultation, unit=None, organisation=organisation, justification="a"
    )
    own = services.comment_submit(actor=people["resident"], consultation=consultation, unit=None, justification="b")
    return consultation, on_behalf, own


MOMENTS = ["submitted", "withdrawn", "end passed, not advanced yet", "closed", "answered", "archived"]


def comments_at(moment, people, opolskie, organisation):
    consultation, on_behalf, own = submitted_comments(people, opolskie, organisation)
    if moment == "withdrawn":
        on_behalf = services.comment_withdraw(actor=people["org_admin"], comment=on_behalf)
        own = services.comment_withdraw(actor=people["resident"], comment=own)
        assert on_behalf.state == own.state == "withdrawn"
    elif moment == "end passed, not advanced yet":
        now = timezone.now()
        moved(consultation, starts_at=now - timedelta(days=15), ends_at=now - timedelta(seconds=1))
    elif moment != "submitted":
        advance(consultation, people["officer"], moment)
    return Comment.objects.get(pk=on_behalf.pk), Comment.objects.get(pk=own.pk)


@pytest.mark.parametrize("moment", MOMENTS)
def test_change_comment(people, opolskie, organisation, moment):
    """The representatives of the organisation the comment was made for (the author among them), or the resident
    who wrote it; only while the comment is submitted and the consultation accepts comments."""
    on_behalf, own = comments_at(moment, people, opolskie, organisation)
    during = moment == "submitted"
    assert allowed(people, "consultations.change_comment", on_behalf) == (
        {"org_admin", "org_editor"} if during else set()
    )
    assert allowed(people, "consultations.change_comment", own) == ({"resident"} if during else set())
    assert allowed(people, "consultations.change_comment") == set()


@pytest.mark.parametrize("moment", MOMENTS)
def test_own_comment(people, opolskie, organisation, moment):
    """Whose the comment is, whatever the phase: not the officers, not another organisation, not the platform
    admin."""
    on_behalf, own = comments_at(moment, people, opolskie, organisation)
    assert allowed(people, "consultations.own_comment", on_behalf) == {"org_admin", "org_editor"}
    assert allowed(people, "consultations.own_comment", own) == {"resident"}
    assert allowed(people, "consultations.own_comment") == set()


@pytest.mark.parametrize(
    ("moment", "refusal"),
    [("withdrawn", "Tę uwagę wycofano"), ("end passed, not advanced yet", "Konsultacje zamknięto")],
)
def test_change_comment_refused_by_the_rule_is_refused_by_the_service_with_its_message(
    people, opolskie, organisation, moment, refusal
):
    on_behalf, _own = comments_at(moment, people, opolskie, organisation)
    editor = people["org_editor"]
    assert not editor.has_perm("consultations.change_comment", on_behalf)
    with pytest.raises(ConsultationError, match=refusal):
        services.comment_update(
            actor=editor, comment=on_behalf, current_wording="", proposed_wording="", justification="c"
        )
    with pytest.raises(ConsultationError, match=refusal):
        services.comment_withdraw(actor=editor, comment=on_behalf)
    assert Comment.objects.get(pk=on_behalf.pk).justification == "a"


def test_a_stranger_is_refused_by_the_service_whatever_the_phase(people, opolskie, organisation):
    on_behalf, own = comments_at("end passed, not advanced yet", people, opolskie, organisation)
    for name in ("other_member", "officer", "platform_admin"):
        for comment in (on_behalf, own):
            with pytest.raises(PermissionDenied):
                services.comment_withdraw(actor=people[name], comment=comment)


def test_change_comment_by_an_author_who_no_longer_represents_the_organisation(people, opolskie, organisation):
    """The comment belongs to the organisation: once its author leaves it, the author can neither change nor
    withdraw it; the organisation's remaining representatives still can."""
    consultation, on_behalf, _own = submitted_comments(people, opolskie, organisation)
    author = people["org_editor"]
    assert author.has_perm("consultations.change_comment", on_behalf)
    organisation_membership_remove(actor=None, membership=author.organisation_memberships.get())
    assert not author.has_perm("consultations.comment_for_organisation", organisation)
    assert not author.has_perm("consultations.change_comment", on_behalf)
    assert not author.has_perm("consultations.own_comment", on_behalf)
    with pytest.raises(PermissionDenied):
        services.comment_update(
            actor=author, comment=on_behalf, current_wording="", proposed_wording="", justification="c"
        )
    with pytest.raises(PermissionDenied):
        services.comment_withdraw(actor=author, comment=on_behalf)
    assert Comment.objects.get(pk=on_behalf.pk).justification == "a"
    assert allowed(people, "consultations.change_comment", on_behalf) == {"org_admin"}
    services.comment_update(
        actor=people["org_admin"], comment=on_behalf, current_wording="", proposed_wording="", justification="c"
    )
    assert Comment.objects.get(pk=on_behalf.pk).justification == "c"


def test_follow(people):
    assert allowed(people, "consultations.follow") == SIGNED_IN


# --- A deactivated account ------------------------------------------------------------------------------------


def test_a_deactivated_account_holds_nothing(people, opolskie, organisation):
    """Neither the rules built on signing in nor those built on memberships: an officer, a representative and a
    resident whose accounts were deactivated may do nothing, in a consultation they could act in before."""
    consultation = consultation_in("open", people, opolskie, open_to_residents=True, comment_visibility="with_report")
    on_behalf = services.comment_submit(
        actor=people["org_editor"], consultation=consultation, unit=None, organisation=organisation, justification="a"
    )
    own = services.comment_submit(actor=people["resident"], consultation=consultation, unit=None, justification="b")
    for name in ("officer", "authority_admin", "org_editor", "resident", "platform_admin"):
        people[name].is_active = False
        people[name].save(update_fields=["is_active"])
    checks = [
        ("consultations.add_consultation", opolskie),
        ("consultations.manage_consultation", consultation),
        ("consultations.view_comments", consultation),
        ("consultations.comment_for_organisation", organisation),
        ("consultations.take_part", consultation),
        ("consultations.comment", consultation),
        ("consultations.comment_as_resident", consultation),
        ("consultations.change_comment", on_behalf),
        ("consultations.change_comment", own),
        ("consultations.own_comment", on_behalf),
        ("consultations.own_comment", own),
        ("consultations.follow", None),
    ]
    for perm, obj in checks:
        assert (
            allowed(people, perm, obj) & {"officer", "authority_admin", "org_editor", "resident", "platform_admin"}
            == set()
        ), perm
    # The others keep theirs.
    assert allowed(people, "consultations.change_comment", on_behalf) == {"org_admin"}
    assert allowed(people, "consultations.manage_consultation", consultation) == set()
    with pytest.raises(PermissionDenied):
        services.comment_withdraw(actor=people["org_editor"], comment=on_behalf)
    with pytest.raises(PermissionDenied):
        services.comment_withdraw(actor=people["resident"], comment=own)
    # Reactivated, they hold again what their memberships give.
    people["officer"].is_active = True
    assert people["officer"].has_perm("consultations.manage_consultation", consultation)


def test_predicates_refuse_missing_objects(people):
    from ngo_platform.consultations import rules as r

    person = people["org_admin"]
    assert not r.is_officer_of_consultation(person, None)
    assert not r.is_public(person, None)
    assert not r.residents_may_comment(person, None)
    assert not r.accepts_comments(person, None)
    assert not r.comments_public_now(person, None)
    assert not r.is_comment_author_or_colleague(person, None)
    assert not r.comment_may_change(person, None)
    assert not r.represents_some_organisation(person, None)
    assert not r.represents_some_organisation(AnonymousUser(), object())


# --- The pages ask the rules ----------------------------------------------------------------------------------


def links_on_the_page(client, consultation, comment):
    """Which comment actions the consultation's page offers: (submit, change or withdraw the comment)."""
    html = get_page(client, f"/konsultacje/{consultation.pk}/", max_queries=30).content.decode()  # closing costs more
    return (
        f"/konsultacje/{consultation.pk}/nowa-uwaga/" in html,
        f"/konsultacje/uwaga/{comment.pk}/edytuj/" in html or f"/konsultacje/uwaga/{comment.pk}/wycofaj/" in html,
    )


@pytest.mark.parametrize("moment", ["submitted", "withdrawn", "end passed, not advanced yet", "closed", "answered"])
def test_the_page_offers_the_comment_actions_the_rules_allow(client, people, opolskie, organisation, moment):
    on_behalf, own = comments_at(moment, people, opolskie, organisation)
    consultation = on_behalf.consultation
    during = moment == "submitted"
    for name, comment in (("org_editor", on_behalf), ("org_admin", on_behalf), ("resident", own)):
        client.force_login(people[name])
        # The consultation stays open when the comments are withdrawn: new ones may be submitted.
        assert links_on_the_page(client, consultation, comment) == (during or moment == "withdrawn", during), name
    client.force_login(people["other_member"])  # another organisation's representative: may comment, not change
    assert links_on_the_page(client, consultation, on_behalf) == (during or moment == "withdrawn", False)
    client.logout()
    assert links_on_the_page(client, consultation, on_behalf) == (False, False)


def test_the_page_of_an_author_who_left_the_organisation_offers_no_change(client, people, opolskie, organisation):
    consultation, on_behalf, _own = submitted_comments(people, opolskie, organisation)
    author = people["org_editor"]
    organisation_membership_remove(actor=None, membership=author.organisation_memberships.get())
    client.force_login(author)
    # No organisation any more, and residents are invited: the author may still comment as a resident.
    assert links_on_the_page(client, consultation, on_behalf) == (True, False)
    assert client.get(f"/konsultacje/uwaga/{on_behalf.pk}/edytuj/").status_code == 403
    assert client.post(f"/konsultacje/uwaga/{on_behalf.pk}/wycofaj/").status_code == 403
    assert Comment.objects.get(pk=on_behalf.pk).state == "submitted"


def test_after_the_end_the_forms_are_not_offered(client, people, opolskie, organisation):
    on_behalf, own = comments_at("closed", people, opolskie, organisation)
    consultation = on_behalf.consultation
    client.force_login(people["org_editor"])
    assert client.get(f"/konsultacje/{consultation.pk}/nowa-uwaga/").status_code == 403
    assert client.get(f"/konsultacje/uwaga/{on_behalf.pk}/edytuj/").status_code == 403
    assert client.get(f"/konsultacje/uwaga/{on_behalf.pk}/wycofaj/").status_code == 403
    # A stranger posting to someone else's comment is refused whatever the phase, and is not told why.
    client.force_login(people["other_member"])
    assert client.post(f"/konsultacje/uwaga/{on_behalf.pk}/wycofaj/").status_code == 403
    assert client.post(f"/konsultacje/uwaga/{own.pk}/edytuj/", {"justification": "x"}).status_code == 403
    client.force_login(people["resident"])
    assert client.post(f"/konsultacje/uwaga/{on_behalf.pk}/wycofaj/").status_code == 403


def test_a_form_posted_too_late_gets_the_reason_and_keeps_the_text(client, people, opolskie):
    """A resident opened the form in time and posts it a second after the end: the page says the consultation
    closed (not 403, not "choose a valid option"), shows what they typed, offers no submit button, stores nothing."""
    consultation = consultation_in("open", people, opolskie, open_to_residents=True)
    client.force_login(people["resident"])
    assert client.get(f"/konsultacje/{consultation.pk}/nowa-uwaga/").status_code == 200
    now = timezone.now()
    moved(consultation, starts_at=now - timedelta(days=15), ends_at=now - timedelta(seconds=1))
    response = client.post(
        f"/konsultacje/{consultation.pk}/nowa-uwaga/",
        {
            "unit": "calosc",
            "on_behalf": "mieszkaniec",
            "current_wording": "",
            "proposed_wording": "",
            "justification": "Moja spóźniona uwaga",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Konsultacje zamknięto" in html and "Moja spóźniona uwaga" in html
    assert "Zgłoś uwagę</button>" not in html and 'type="submit" class="button">' not in html
    assert not Comment.objects.exists()
    # Who may not take part at all is refused as before.
    client.force_login(people["resident"])
    closed_to_residents = consultation_in("open", people, opolskie, open_to_residents=False)
    response = client.post(
        f"/konsultacje/{closed_to_residents.pk}/nowa-uwaga/",
        {"unit": "calosc", "on_behalf": "mieszkaniec", "justification": "x"},
    )
    assert response.status_code == 403 and not Comment.objects.exists()
