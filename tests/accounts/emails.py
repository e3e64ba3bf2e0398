"""Every e-mail the platform sends, triggered through the code that really sends it (the pages, the services,
the notification commands, allauth's adapter), so the templates get the context they get in production.

Each scenario returns nothing: it sends, and `SCENARIOS` names the templates it must have rendered.
"""

import io
import re
from datetime import datetime, time, timedelta

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.signup import send_unknown_account_mail
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from ngo_platform.accounts.models import AuthorityRole, OrganisationRole
from ngo_platform.consultations import services as consultation_services
from ngo_platform.consultations.models import Consultation
from ngo_platform.elections import services as election_services
from ngo_platform.elections.models import CandidateState, ElectionState
from ngo_platform.notifications import services as follow_services
from ngo_platform.organisations import services as organisation_services
from ngo_platform.organisations.models import Invitation, VerificationRequest
from ngo_platform.territory.models import Authority, TerritorialUnit
from tests.accounts.factories import PASSWORD, AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory

NEW_PASSWORD = "Modra-Olcha-2027"


def _account(prefix: str, *, templates=("subject", "message")) -> set[str]:
    return {f"{prefix}_{part}.txt" for part in templates}


def _sent(prefix: str) -> set[str]:
    return {f"{prefix}_subject.txt", f"{prefix}_body.txt"}


# --- Accounts (allauth, through the pages) --------------------------------------------------------


def signup(client):
    response = client.post(
        "/konto/signup/",
        {
            "display_name": "Zofia Malinowska",
            "public_title": "skarbniczka Koła Gospodyń Wiejskich w Lubszy",
            "email": "zofia.malinowska@example.pl",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302


def email_added_changed_removed(client):
    user = UserFactory(display_name="Tadeusz Górski", email="tadeusz@example.pl")
    client.force_login(user)
    assert client.post("/konto/email/", {"action_add": "", "email": "biuro.gorski@example.pl"}).status_code == 302
    EmailAddress.objects.filter(email="biuro.gorski@example.pl").update(verified=True)
    assert client.post("/konto/email/", {"action_primary": "", "email": "biuro.gorski@example.pl"}).status_code == 302
    assert client.post("/konto/email/", {"action_remove": "", "email": "tadeusz@example.pl"}).status_code == 302


def password_forgotten_and_reset(client):
    UserFactory(display_name="Halina Sobczak", email="halina@example.pl")
    assert client.post("/konto/password/reset/", {"email": "halina@example.pl"}).status_code == 302
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302


def password_changed(client):
    user = UserFactory(display_name="Wiesław Kubiak")
    client.force_login(user)
    response = client.post(
        "/konto/password/change/", {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302


def _allauth_request(user=None):
    request = RequestFactory().get("/konto/2fa/", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    request.user = user
    request.session = {}
    return request


SECURITY_NOTICES = [
    "account/email/password_set",
    "account/email/email_confirm",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
    "mfa/email/recovery_codes_generated",
    "mfa/email/webauthn_added",
    "mfa/email/webauthn_removed",
]


def security_notices(client):
    """allauth's own notification sender (with its context: time, IP address, browser) for the notices the
    pages above do not reach without a second factor; the same call its MFA flows make."""
    user = UserFactory(display_name="Renata Błaszczyk")
    request = _allauth_request(user)
    with allauth_context.request_context(request):
        adapter = get_adapter(request)
        for prefix in SECURITY_NOTICES:
            adapter.send_notification_mail(prefix, user)


def codes_and_existing_account(client):
    """The e-mails of settings the platform does not use today (codes by e-mail, non-enumerating sign-up and
    password reset), through allauth's senders with their context, so that switching a setting sends good Polish."""
    request = _allauth_request()
    with allauth_context.request_context(request):
        adapter = get_adapter(request)
        send_unknown_account_mail(request, "nikt@example.pl")
        adapter.send_mail("account/email/login_code", "osoba@example.pl", {"request": request, "code": "K7Q2MX"})
        adapter.send_mail(
            "account/email/password_reset_code", "osoba@example.pl", {"request": request, "code": "P4W9ZT"}
        )
        adapter.send_account_already_exists_mail("osoba@example.pl")


# --- Organisations --------------------------------------------------------------------------------


def _organisation(name="Fundacja Nadodrze"):
    return organisation_services.organisation_create(
        actor=None,
        data={"name": name, "seat": TerritorialUnit.objects.get(teryt="1601011"), "legal_form": "fundacja"},
    )


def verification(client):
    officer = AuthorityMembershipFactory(
        authority=Authority.objects.get(unit__teryt="1601011"), role=AuthorityRole.OFFICER
    ).user
    organisation = _organisation()
    for applicant_name, approve in (("Grażyna Witkowska", True), ("Roman Szczepański", False)):
        applicant = UserFactory(display_name=applicant_name)
        request = organisation_services.organisation_claim(
            actor=applicant, organisation=organisation, note="Jestem członkiem zarządu."
        )
        organisation_services.verification_decide(
            actor=officer,
            request=VerificationRequest.objects.get(pk=request.pk),
            approve=approve,
            reason="" if approve else "Brak dokumentu potwierdzającego umocowanie.",
        )


def invitation(client):
    organisation = _organisation("Stowarzyszenie Bractwo Rycerskie Ziemi Brzeskiej")
    admin = OrganisationMembershipFactory(
        organisation=organisation, role=OrganisationRole.ADMIN, user=UserFactory(display_name="Bogdan Adamczyk")
    ).user
    sent = organisation_services.invitation_send(
        actor=admin, organisation=organisation, email="nowa.czlonkini@example.pl", role="editor"
    )
    guest = UserFactory(display_name="Irena Czarnecka", email="nowa.czlonkini@example.pl")
    organisation_services.invitation_accept(actor=guest, invitation=Invitation.objects.get(pk=sent.pk))


# --- Elections ------------------------------------------------------------------------------------


def elections(client):
    from tests.elections.factories import ElectionFactory, candidate, eligible_organisation, officer, representative

    election = ElectionFactory(stage=ElectionState.NOMINATIONS, title="Wybory do Rady Pożytku – V kadencja")
    clerk = officer(election.council.authority)
    organisation = eligible_organisation(name="Stowarzyszenie Aktywni Seniorzy")
    nominator = representative(organisation, display_name="Jadwiga Kowalczyk")
    election_services.candidate_nominate(
        actor=nominator,
        election=election,
        organisation=organisation,
        data={
            "full_name": "Ewa Lis",
            "email": "ewa.lis@example.pl",
            "qualifications": "20 lat w NGO",
            "statement": "Chcę pomóc",
        },
    )
    election_services.committee_add(actor=clerk, election=election, user=UserFactory(display_name="Maria Delegatka"))
    for approve in (True, False):
        waiting = candidate(election, state=CandidateState.CONSENTED, nominated_by=nominator)
        election_services.candidate_decide(
            actor=clerk, candidate=waiting, approve=approve, reason="" if approve else "Brak zgody organizacji."
        )


# --- Competitions ---------------------------------------------------------------------------------


def offer_submitted_and_partner_invited(client):
    from ngo_platform.competitions import services
    from tests.competitions.factories import CompetitionFactory, complete_offer, member, verified_organisation

    competition = CompetitionFactory(title="Kultura w regionie 2027")
    offer = complete_offer(competition, title="Festiwal pieśni ludowej w Brzegu")
    services.offer_submit(actor=offer.creator, offer=offer)
    joint = complete_offer(competition, title="Warsztaty rękodzieła")
    partner = verified_organisation(name="Fundacja Partnerska")
    member(partner, display_name="Lucyna Partnerska")
    services.offer_partner_add(actor=joint.creator, offer=joint, organisation=partner, scope="Warsztaty", cost_share=0)


def completion(client):
    from ngo_platform.competitions import services
    from ngo_platform.competitions.models import Offer, OfferPartner, PartnerState
    from tests.competitions.evaluation import in_formal_check
    from tests.competitions.factories import member, verified_organisation

    competition, clerk, offers = in_formal_check(1)
    offer = offers[0]
    partner = verified_organisation(name="Fundacja Partnerska")
    member(partner, display_name="Lucyna Partnerska")
    OfferPartner.objects.create(
        offer=offer,
        organisation=partner,
        scope="Warsztaty",
        cost_share=0,
        invited_by=offer.created_by,
        state=PartnerState.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    Offer.objects.filter(pk=offer.pk).update(lead_cost_share=10_000_00)
    services.completion_call(
        actor=clerk,
        offer=offer,
        message="Tytuł zadania nie odpowiada ogłoszeniu.",
        sections=["opis"],
        deadline=timezone.now() + timedelta(days=7),
    )
    admin = offer.organisation.memberships.get(role="admin").user
    services.offer_save_step(actor=admin, offer=offer, step="opis", data={"title": "Zadanie 0 – nowy tytuł"})
    services.completion_answer(actor=admin, offer=offer, note="Poprawiliśmy tytuł.")


def commission_and_annulment(client):
    from ngo_platform.competitions import services
    from tests.competitions.evaluation import in_formal_check

    competition, clerk, offers = in_formal_check(1)
    services.commission_appoint(
        actor=clerk, competition=competition, user=UserFactory(display_name="Ewa Zielińska"), role="official"
    )
    services.formal_decide(actor=clerk, offer=offers[0], correct=False, reason="Oferta złożona po terminie.")
    competition.refresh_from_db()
    services.competition_annul(
        actor=clerk, competition=competition, ground="none_compliant", reason="Żadna oferta nie spełnia wymogów."
    )


# --- Consultations --------------------------------------------------------------------------------


def consultations(client):
    from tests.consultations.factories import close, make_consultation, officer_of

    opolskie = Authority.objects.get(unit__teryt="16")
    follower, digest_reader = UserFactory(display_name="Stefan Wilk"), UserFactory(display_name="Alicja Sowa")
    for person in (follower, digest_reader):
        follow_services.follow_add(actor=person, authority=opolskie)
    follow_services.preference_set(actor=digest_reader, email_enabled=True, daily_digest=True)
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer, title="Program współpracy na przyszły rok")
    call_command("notify", stdout=io.StringIO())
    Consultation.objects.filter(pk=consultation.pk).update(ends_at=timezone.now() + timedelta(days=1))
    call_command("notify", stdout=io.StringIO())
    close(consultation, officer)
    consultation_services.report_publish(actor=officer, consultation=Consultation.objects.get(pk=consultation.pk))
    call_command("notify", stdout=io.StringIO())
    call_command("notify", "--digest", stdout=io.StringIO())


def following(client):
    """What the community and the forum tell their followers: at once, and in one digest of every kind."""
    from ngo_platform.forum import services as forum_services
    from tests.community.factories import make_event, make_idea, make_news
    from tests.forum.factories import established, make_thread

    opolskie = Authority.objects.get(unit__teryt="16")
    at_once, digest_reader = UserFactory(display_name="Stefan Wilk"), UserFactory(display_name="Alicja Sowa")
    for person in (at_once, digest_reader):
        follow_services.follow_add(actor=person, authority=opolskie)
    follow_services.preference_set(actor=digest_reader, email_enabled=True, daily_digest=True)
    make_news(authority=opolskie, title="Nabór do rady działalności pożytku publicznego")
    make_event(authority=opolskie, title="Spotkanie z organizacjami")
    make_idea(authority=opolskie, title="Jeden formularz sprawozdania")
    thread = make_thread(author=at_once, title="Jak rozliczyć wkład osobowy?")
    forum_services.reply(actor=established(display_name="Ewa Lis"), thread=thread, body="Według faktur.")
    call_command("notify", stdout=io.StringIO())
    call_command("notify", "--digest", stdout=io.StringIO())


def working_group(client):
    """An invitation to a working group on behalf of an organisation, and its acceptance told to the inviter."""
    from ngo_platform.workgroups import services as group_services
    from tests.workgroups.factories import make_group

    group = make_group(Authority.objects.get(unit__teryt="16"))
    membership = OrganisationMembershipFactory(role="editor")
    invitation = group_services.invitation_send(
        actor=group.coordinator, group=group, email=membership.user.email, organisation=membership.organisation
    )
    group_services.invitation_accept(actor=membership.user, invitation=invitation)


def partnerships(client):
    """A message to an announcement's author, a partnership proposed and confirmed, a message reported."""
    from ngo_platform.partnerships import conversations
    from tests.partnerships.factories import announcement, organisation

    author, interested = (
        organisation(name="Fundacja Autorska", spheres=["16"]),
        organisation(name="Chór", spheres=["16"]),
    )
    writer = OrganisationMembershipFactory(organisation=author).user
    UserFactory(is_staff=True)
    made = announcement(organisation=author, author=writer, spheres=["16"])
    choir = OrganisationMembershipFactory(organisation=interested).user
    conversation = conversations.conversation_start(
        actor=choir, announcement=made, organisation=interested, text="Chętnie dołączymy."
    )
    partnership = conversations.partnership_propose(
        actor=choir, conversation=conversation, leader="announcer", scope="Koncerty."
    )
    conversations.partnership_confirm(actor=writer, partnership=partnership)
    conversations.message_report(actor=writer, message=conversation.messages.get(), comment="Spam.")


# --- Agreements -----------------------------------------------------------------------------------


def agreements(client):
    from ngo_platform.agreements import services
    from tests.agreements.factories import ready_agreement

    agreement = ready_agreement(sign=True)
    due = agreement.report_due
    for day in (due - timedelta(days=7), due + timedelta(days=1)):
        services.reminders_send(now=timezone.make_aware(datetime.combine(day, time(6, 0))))


# --- Community -----------------------------------------------------------------------------------


def events(client):
    from ngo_platform.community import services
    from ngo_platform.community.workflows import EVENT
    from ngo_platform.core.workflow import perform
    from tests.community.factories import make_event, writer_for
    from tests.organisations.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Klub Seniora")
    event = make_event(organisation=organisation, title="Warsztaty ceramiki", registration="platform", capacity=1)
    first, second = UserFactory(), UserFactory()
    services.registration_create(actor=first, event=event)
    services.registration_create(actor=second, event=event)
    services.registration_cancel(actor=first, registration=event.registrations.get(user=first))
    perform(EVENT, event, "cancel", actor=writer_for(organisation))


def ideas(client):
    from ngo_platform.community import services
    from tests.community.factories import make_idea

    authority = Authority.objects.get(unit__teryt="16")
    to_office = make_idea(authority=authority, title="Sala na próby")
    to_platform = make_idea(title="Jeden formularz sprawozdania")
    for idea in (to_office, to_platform):
        services.idea_support(actor=UserFactory(), idea=idea)
    officer = AuthorityMembershipFactory(authority=authority).user
    services.idea_answer(actor=officer, idea=to_office, step="reject", text="Brak sali w tym roku.")
    services.idea_answer(actor=UserFactory(is_staff=True), idea=to_platform, step="consider", text="Rozważamy.")


def forum(client):
    from ngo_platform.forum import services
    from tests.forum.factories import established, make_thread, opening, pending_post

    moderator = established(is_staff=True)
    services.post_moderate(actor=moderator, post=pending_post(), step="approve")
    post = opening(make_thread())
    for reason in ("spam", "abuse"):
        services.post_report(actor=established(), post=post, reason=reason)
    services.post_moderate(actor=moderator, post=post, step="hide", reason="Reklama.")
    services.post_moderate(actor=moderator, post=post, step="restore", reason="Pomyłka.")
    kept = opening(make_thread(title="Drugi"))
    services.post_report(actor=established(), post=kept, reason="off_topic")
    services.reports_dismiss(actor=moderator, post=kept, reason="Na temat.")


SCENARIOS = {
    "signup": (signup, _account("account/email/email_confirmation_signup")),
    "email_added_changed_removed": (
        email_added_changed_removed,
        _account("account/email/email_confirmation")
        | _account("account/email/email_changed")
        | _account("account/email/email_deleted"),
    ),
    "password_forgotten_and_reset": (
        password_forgotten_and_reset,
        _account("account/email/password_reset_key") | _account("account/email/password_reset"),
    ),
    "password_changed": (password_changed, _account("account/email/password_changed")),
    "security_notices": (security_notices, set().union(*(_account(prefix) for prefix in SECURITY_NOTICES))),
    "codes_and_existing_account": (
        codes_and_existing_account,
        _account("account/email/login_code")
        | _account("account/email/password_reset_code")
        | _account("account/email/account_already_exists")
        | _account("account/email/unknown_account"),
    ),
    "verification": (
        verification,
        _sent("organisations/email/verification_requested") | _sent("organisations/email/verification_decided"),
    ),
    "invitation": (
        invitation,
        _sent("organisations/email/invitation") | _sent("organisations/email/invitation_accepted"),
    ),
    "elections": (
        elections,
        _sent("elections/email/consent_request")
        | _sent("elections/email/committee_named")
        | _sent("elections/email/candidate_decided"),
    ),
    "offer_submitted_and_partner_invited": (
        offer_submitted_and_partner_invited,
        _sent("competitions/email/receipt") | _sent("competitions/email/partner_invited"),
    ),
    "completion": (
        completion,
        _sent("competitions/email/completion_call")
        | _sent("competitions/email/completion_answer")
        | _sent("competitions/email/completion_answer_partner"),
    ),
    "events": (
        events,
        _sent("community/email/place_freed") | _sent("community/email/event_cancelled"),
    ),
    "ideas": (ideas, _sent("community/email/idea_answered")),
    "forum": (forum, _sent("forum/email/post_moderated") | _sent("forum/email/report_settled")),
    "commission_and_annulment": (
        commission_and_annulment,
        _sent("competitions/email/commission_appointed") | _sent("competitions/email/competition_annulled"),
    ),
    "consultations": (
        consultations,
        set().union(*(_sent(f"consultations/email/{name}") for name in ("opened", "closing_soon", "report_published"))),
    ),
    "working group": (
        working_group,
        _sent("workgroups/email/invitation") | _sent("workgroups/email/invitation_accepted"),
    ),
    "following": (following, _sent("notifications/email/notice") | _sent("notifications/email/digest")),
    "agreements": (agreements, _sent("agreements/email/status") | _sent("agreements/email/reminder")),
    "partnerships": (
        partnerships,
        _sent("partnerships/email/conversation") | _sent("partnerships/email/abuse_report"),
    ),
}
