"""Registering and claiming organisations, verification by officers of the seat, invitations."""

import threading

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ngo_platform.accounts.models import AuthorityRole, OrganisationMembership, OrganisationRole
from ngo_platform.core.models import AuditEntry
from ngo_platform.organisations import services
from ngo_platform.organisations.models import Invitation, Organisation, VerificationRequest, VerificationState
from ngo_platform.territory.models import Authority, Sphere, TerritorialUnit
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.helpers import get_page

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="odpis.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def officer_of(teryt, client=None):
    authority = Authority.objects.get(unit__teryt=teryt)
    user = AuthorityMembershipFactory(authority=authority, role=AuthorityRole.OFFICER).user
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    if client is not None:
        client.force_login(user)
    return user


def registration_data(**overrides):
    data = {
        "name": "Stowarzyszenie Miłośników Ziemi Grodkowskiej",
        "legal_form": "stowarzyszenie",
        "register": "krs",
        "krs": "98765",
        "nip": "526-025-09-95",
        "seat": TerritorialUnit.objects.get(teryt="1601033").pk,
        "city": "Grodków",
        "spheres": [Sphere.objects.get(number="16").pk],
        "description_short": "Dbamy o kulturę i historię Grodkowa.",
        "note": "Jestem prezesem zarządu.",
    }
    data.update(overrides)
    return data


def register(client, **overrides):
    return client.post("/organizacje/zarejestruj/", {**registration_data(**overrides), "evidence": pdf()})


def test_registration_needs_an_account(client, reference_data):
    response = client.get("/organizacje/zarejestruj/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_registration_waits_for_verification_unlisted_and_notifies_the_seat(client, reference_data):
    grodkow_officer = officer_of("1601033")
    other_officer = officer_of("1601011")
    applicant = UserFactory()
    client.force_login(applicant)
    response = register(client)
    assert response.status_code == 302
    organisation = Organisation.objects.get(krs="0000098765")
    assert organisation.nip == "5260250995" and not organisation.is_listed and organisation.verified_at is None
    request = VerificationRequest.objects.get(organisation=organisation)
    assert request.state == VerificationState.PENDING and request.evidence.read() == PDF
    recipients = {address for message in mail.outbox for address in message.to}
    assert grodkow_officer.email in recipients and other_officer.email not in recipients
    assert AuditEntry.objects.filter(action="organisations.verification_request", actor=applicant).exists()
    # Not public yet.
    assert client.get(f"/organizacje/{organisation.slug}/").status_code == 404
    assert "Grodkowskiej" not in client.get("/organizacje/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nip": "1234567890"}, "nip", "To nie jest poprawny NIP"),
        ({"krs": "12345678901"}, "krs", "Numer KRS ma do 10 cyfr"),
        ({"krs": ""}, "krs", "Organizacja wpisana do KRS musi podać numer KRS."),
        ({"name": ""}, "name", "To pole jest wymagane."),
    ],
)
def test_bad_registration_input_is_explained_and_nothing_is_saved(client, reference_data, overrides, field, message):
    client.force_login(UserFactory())
    response = register(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Organisation.objects.exists() and not VerificationRequest.objects.exists()


def test_evidence_is_checked_by_content_not_by_name(client, reference_data):
    client.force_login(UserFactory())
    data = {**registration_data(note=""), "evidence": pdf("odpis.pdf", b"<html>nie PDF</html>")}
    response = client.post("/organizacje/zarejestruj/", data)
    assert "Załącz plik PDF, PNG lub JPEG" in response.content.decode()
    assert not Organisation.objects.exists()


def test_an_identifier_already_in_the_directory_points_to_claiming(client, reference_data):
    client.force_login(UserFactory())
    register(client)
    response = register(client, name="Inna nazwa")
    assert "jest już w katalogu" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_officer_of_the_seat_verifies_and_the_applicant_becomes_admin(client, reference_data):
    applicant = UserFactory()
    client.force_login(applicant)
    register(client)
    request = VerificationRequest.objects.get()
    officer = officer_of("1601033", client)
    queue = get_page(client, "/organizacje/weryfikacja/", max_queries=12)
    assert list(queue.context["page"].object_list) == [request]
    get_page(client, f"/organizacje/weryfikacja/{request.pk}/", max_queries=12)
    assert client.get(f"/organizacje/weryfikacja/{request.pk}/dowod/").status_code == 200
    mail.outbox.clear()
    response = client.post(f"/organizacje/weryfikacja/{request.pk}/", {"decision": "verify"})
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.is_listed and organisation.verified_at is not None
    assert OrganisationMembership.objects.get(user=applicant, organisation=organisation).role == OrganisationRole.ADMIN
    entry = AuditEntry.objects.get(action="organisations.verification_verified")
    assert entry.actor == officer and entry.acting_for_authority.unit.teryt == "1601033"
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    # Decided once: a second decision is refused.
    response = client.post(f"/organizacje/weryfikacja/{request.pk}/", {"decision": "reject", "reason": "x"})
    assert VerificationRequest.objects.get().state == VerificationState.VERIFIED


def test_officers_elsewhere_residents_and_anonymous_cannot_verify(client, reference_data):
    applicant = UserFactory()
    client.force_login(applicant)
    register(client)
    request = VerificationRequest.objects.get()
    officer_of("1601011", client)  # Brzeg, not Grodków
    assert list(get_page(client, "/organizacje/weryfikacja/", max_queries=12).context["page"].object_list) == []
    assert client.get(f"/organizacje/weryfikacja/{request.pk}/").status_code == 403
    assert client.post(f"/organizacje/weryfikacja/{request.pk}/", {"decision": "verify"}).status_code == 403
    assert client.get(f"/organizacje/weryfikacja/{request.pk}/dowod/").status_code == 403
    client.force_login(UserFactory())
    assert client.get("/organizacje/weryfikacja/").status_code == 403
    client.logout()
    assert client.get("/organizacje/weryfikacja/").status_code == 302
    assert VerificationRequest.objects.get().state == VerificationState.PENDING


def test_the_city_with_powiat_rights_verifies_organisations_of_its_gmina(client, reference_data):
    client.force_login(UserFactory())
    register(client, seat=TerritorialUnit.objects.get(teryt="1661011").pk)
    officer_of("1661", client)
    assert get_page(client, "/organizacje/weryfikacja/", max_queries=12).context["page"].paginator.count == 1


def test_rejection_needs_a_reason_and_tells_the_applicant(client, reference_data):
    applicant = UserFactory()
    client.force_login(applicant)
    register(client)
    request = VerificationRequest.objects.get()
    officer_of("1601033", client)
    response = client.post(f"/organizacje/weryfikacja/{request.pk}/", {"decision": "reject", "reason": "  "})
    assert "Podaj powód odrzucenia" in response.content.decode()
    assert VerificationRequest.objects.get().state == VerificationState.PENDING
    mail.outbox.clear()
    client.post(f"/organizacje/weryfikacja/{request.pk}/", {"decision": "reject", "reason": "Brak wpisu w KRS."})
    request.refresh_from_db()
    assert request.state == VerificationState.REJECTED and not request.organisation.is_listed
    assert "Brak wpisu w KRS." in mail.outbox[0].body


def listed_organisation(name="Fundacja Nadodrze", teryt="1601011"):
    return services.organisation_create(
        actor=None, data={"name": name, "seat": TerritorialUnit.objects.get(teryt=teryt), "legal_form": "fundacja"}
    )


def test_claiming_an_existing_organisation(client, reference_data):
    organisation = listed_organisation()
    existing_admin = OrganisationMembershipFactory(organisation=organisation, role=OrganisationRole.ADMIN).user
    claimant = UserFactory()
    client.force_login(claimant)
    response = client.post(f"/organizacje/{organisation.slug}/reprezentuj/", {"note": "Jestem członkiem zarządu."})
    assert response.status_code == 302
    response = client.post(f"/organizacje/{organisation.slug}/reprezentuj/", {"note": "Jeszcze raz"})
    assert "nadal czeka na weryfikację" in response.content.decode()
    assert VerificationRequest.objects.count() == 1
    officer = officer_of("1601011")
    services.verification_decide(actor=officer, request=VerificationRequest.objects.get(), approve=True)
    # The organisation already had an admin: the claimant becomes an editor, whom the admin may promote.
    assert OrganisationMembership.objects.get(user=claimant).role == OrganisationRole.EDITOR
    assert OrganisationMembership.objects.get(user=existing_admin).role == OrganisationRole.ADMIN


def test_claim_needs_evidence_or_a_note(client, reference_data):
    organisation = listed_organisation()
    client.force_login(UserFactory())
    response = client.post(f"/organizacje/{organisation.slug}/reprezentuj/", {"note": ""})
    assert "Załącz dowód lub napisz notatkę" in response.content.decode()
    assert not VerificationRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_deciding_at_once_record_exactly_one_decision(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are exercised on PostgreSQL; SQLite serialises writers")
    organisation = listed_organisation()
    request = services.organisation_claim(actor=UserFactory(), organisation=organisation, note="proszę")
    officers = [officer_of("1601011"), officer_of("1601011")]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(officer, approve):
        from django.db import connections

        barrier.wait()
        try:
            services.verification_decide(
                actor=officer, request=request, approve=approve, reason="" if approve else "nie"
            )
            outcomes.append("ok")
        except services.VerificationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(officers[0], True)),
        threading.Thread(target=decide, args=(officers[1], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    decisions = AuditEntry.objects.filter(
        action__startswith="organisations.verification_", target_id=str(request.pk)
    ).exclude(action="organisations.verification_request")
    assert decisions.count() == 1


def test_admin_invites_a_member_who_accepts_with_the_invited_address(client, reference_data):
    organisation = listed_organisation()
    admin = OrganisationMembershipFactory(organisation=organisation, role=OrganisationRole.ADMIN).user
    client.force_login(admin)
    get_page(client, f"/organizacje/{organisation.slug}/czlonkowie/", max_queries=12)
    response = client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/", {"email": "Nowy@Example.pl", "role": "editor"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nowy@example.pl"
    assert f"/organizacje/zaproszenie/{invitation.token}/" in mail.outbox[-1].body

    stranger = UserFactory(email="ktos@example.pl")
    client.force_login(stranger)
    response = client.post(f"/organizacje/zaproszenie/{invitation.token}/")
    assert "wysłane na inny adres e-mail" in response.content.decode()
    assert not OrganisationMembership.objects.filter(user=stranger).exists()

    invited = UserFactory(email="nowy@example.pl")
    client.force_login(invited)
    assert client.post(f"/organizacje/zaproszenie/{invitation.token}/").status_code == 302
    assert OrganisationMembership.objects.get(user=invited).role == OrganisationRole.EDITOR
    assert mail.outbox[-1].to == [admin.email]  # the inviter learns it was accepted
    response = client.post(f"/organizacje/zaproszenie/{invitation.token}/")
    assert "zostało już wykorzystane" in response.content.decode()
    assert AuditEntry.objects.filter(action="organisations.invitation_accept", actor=invited).count() == 1


def test_expired_invitations_are_refused(client, reference_data):
    from datetime import timedelta

    from django.utils import timezone

    organisation = listed_organisation()
    admin = OrganisationMembershipFactory(organisation=organisation, role=OrganisationRole.ADMIN).user
    invitation = services.invitation_send(
        actor=admin, organisation=organisation, email="late@example.pl", role="editor"
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(UserFactory(email="late@example.pl"))
    assert "wygasło" in client.post(f"/organizacje/zaproszenie/{invitation.token}/").content.decode()
    assert not OrganisationMembership.objects.filter(user__email="late@example.pl").exists()


def test_editors_and_strangers_cannot_invite(client, reference_data):
    organisation = listed_organisation()
    editor = OrganisationMembershipFactory(organisation=organisation, role=OrganisationRole.EDITOR).user
    client.force_login(editor)
    assert client.get(f"/organizacje/{organisation.slug}/czlonkowie/").status_code == 403
    assert (
        client.post(
            f"/organizacje/{organisation.slug}/czlonkowie/", {"email": "a@example.pl", "role": "admin"}
        ).status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_a_representative_chooses_to_show_their_name(client, reference_data):
    organisation = listed_organisation()
    membership = OrganisationMembershipFactory(
        organisation=organisation, role=OrganisationRole.ADMIN, user__full_name="Ewa Jawna"
    )
    assert "Ewa Jawna" not in client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(membership.user)
    client.post(f"/konto/profil/widocznosc/{membership.pk}/", {"is_public": "1"})
    assert "Ewa Jawna" in client.get(organisation.get_absolute_url()).content.decode()
    other = OrganisationMembershipFactory(organisation=organisation)
    assert client.post(f"/konto/profil/widocznosc/{other.pk}/", {"is_public": "1"}).status_code == 404


def test_a_claim_on_an_organisation_without_seat_says_the_seat_is_to_complete(client, reference_data):
    """An imported organisation whose register named no gmina: the platform admin verifying a claim reads that the
    seat is to complete, not an empty name with empty brackets."""
    from tests.organisations.test_import import platform_admin

    organisation = listed_organisation()
    Organisation.objects.filter(pk=organisation.pk).update(seat=None, to_complete={"seat": "Brak gminy siedziby."})
    request = VerificationRequest.objects.create(
        organisation=organisation, applicant=UserFactory(), kind="claim", note="Jestem prezesem."
    )
    client.force_login(platform_admin())
    html = get_page(client, f"/organizacje/weryfikacja/{request.pk}/", max_queries=12).content.decode()
    assert "<dt>Siedziba</dt><dd>gmina siedziby do uzupełnienia</dd>" in html
    assert "()" not in html.replace(" ", "")
