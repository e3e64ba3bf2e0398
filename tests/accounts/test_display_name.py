"""People choose the name others see (required at sign-up, changed on the profile) and an optional title; every
page that names a person shows that name, never their e-mail address."""

import importlib

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.accounts import services
from ngo_platform.accounts.demo import ACCOUNTS, DEMO_NAMES
from ngo_platform.accounts.models import OrganisationRole, User
from ngo_platform.core.models import AuditEntry
from ngo_platform.core.services import audit_log
from tests.accounts.factories import PASSWORD, OrganisationMembershipFactory, UserFactory
from tests.accounts.test_signup_login import field_errors, signup
from tests.helpers import get_page

pytestmark = pytest.mark.django_db


# --- Sign-up --------------------------------------------------------------------------------------


def test_signup_stores_the_name_and_title_and_audits_under_the_name(client):
    response = signup(
        client, "Anna.Sikora@example.pl", display_name="  Anna   Sikora ", public_title="prezeska Fundacji Odra"
    )
    assert response.status_code == 302
    user = User.objects.get(email="anna.sikora@example.pl")
    assert (user.display_name, user.public_title) == ("Anna Sikora", "prezeska Fundacji Odra")
    assert str(user) == user.get_full_name() == "Anna Sikora" and user.get_short_name() == "Anna"
    assert user.display_name_with_title == "Anna Sikora, prezeska Fundacji Odra"
    assert AuditEntry.objects.get(action="accounts.signup").target_repr == "Anna Sikora"


def test_the_signup_form_asks_for_the_name_first_with_its_limit(client):
    html = client.get("/konto/signup/").content.decode()
    assert html.index('name="display_name"') < html.index('name="email"') < html.index('name="password1"')
    assert 'maxlength="150"' in html and 'autocomplete="name"' in html
    assert "Imię i nazwisko" in html and "Funkcja lub organizacja (nieobowiązkowo)" in html


@pytest.mark.parametrize(
    ("display_name", "public_title", "field", "message"),
    [
        ("", "", "display_name", "Podaj imię i nazwisko: inni zobaczą je zamiast Twojego adresu e-mail."),
        ("   ", "", "display_name", "Podaj imię i nazwisko"),
        ("A" * 151, "", "display_name", "Imię i nazwisko może mieć najwyżej 150 znaków (wpisano 151)."),
        ("anna@example.pl", "", "display_name", "Wpisz imię i nazwisko, nie adres e-mail: zobaczą je inni."),
        (
            "Anna Sikora",
            "T" * 151,
            "public_title",
            "Funkcja lub organizacja może mieć najwyżej 150 znaków (wpisano 151).",
        ),
    ],
)
def test_signup_refuses_a_missing_or_bad_name_in_polish_and_creates_nothing(
    client, display_name, public_title, field, message
):
    response = signup(client, "ktos@example.pl", display_name=display_name, public_title=public_title)
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.exists()


def test_a_name_of_exactly_the_limit_is_accepted(client):
    assert signup(client, "dlugie@example.pl", display_name="A" * 150).status_code == 302
    assert User.objects.get().display_name == "A" * 150


# --- Profile --------------------------------------------------------------------------------------


def test_profile_shows_and_changes_the_name_with_an_audit_entry(client):
    user = UserFactory(display_name="Jan Nowak", email="jan@example.pl")
    client.force_login(user)
    html = get_page(client, "/konto/profil/", max_queries=10).content.decode()
    assert 'value="Jan Nowak"' in html and "jan@example.pl" in html  # the person's own page shows the address
    response = client.post("/konto/profil/", {"display_name": "Jan Maria Nowak", "public_title": "skarbnik OSP Lubsza"})
    assert response.status_code == 302 and response["Location"] == "/konto/profil/"
    user.refresh_from_db()
    assert (user.display_name, user.public_title, user.full_name) == (
        "Jan Maria Nowak",
        "skarbnik OSP Lubsza",
        "Jan Maria Nowak",
    )
    entry = AuditEntry.objects.get(action="accounts.user_name_set")
    assert entry.actor == user and entry.details["previous_display_name"] == "Jan Nowak"
    assert "Zapisano imię i nazwisko" in client.get("/konto/profil/").content.decode()
    # Saving the same again changes nothing and writes no entry.
    client.post("/konto/profil/", {"display_name": "Jan Maria Nowak", "public_title": "skarbnik OSP Lubsza"})
    assert AuditEntry.objects.filter(action="accounts.user_name_set").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"display_name": "", "public_title": ""}, "display_name", "Podaj imię i nazwisko"),
        ({"display_name": "B" * 151, "public_title": ""}, "display_name", "najwyżej 150 znaków (wpisano 151)"),
        ({"display_name": "jan@example.pl", "public_title": ""}, "display_name", "nie adres e-mail"),
        ({"display_name": "Jan", "public_title": "C" * 151}, "public_title", "najwyżej 150 znaków (wpisano 151)"),
    ],
)
def test_profile_refuses_a_bad_name_next_to_the_field_and_keeps_the_old_one(client, data, field, message):
    user = UserFactory(display_name="Jan Nowak")
    client.force_login(user)
    response = client.post("/konto/profil/", data)
    assert response.status_code == 200
    assert message in field_errors(response, field)
    user.refresh_from_db()
    assert user.display_name == "Jan Nowak" and not AuditEntry.objects.filter(action="accounts.user_name_set").exists()


def test_the_profile_needs_a_login_and_nobody_renames_someone_else(client):
    response = client.post("/konto/profil/", {"display_name": "Ktoś"})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    user, other = UserFactory(display_name="Jan Nowak"), UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_name_set(actor=other, user=user, display_name="Podszywacz")
    user.refresh_from_db()
    assert user.display_name == "Jan Nowak"


# --- People without a name (rows from before, bulk inserts) -------------------------------------


def test_existing_people_are_named_after_the_part_of_their_email_before_the_at():
    User.objects.bulk_create(
        [
            User(email="stary.uzytkownik@example.pl", password="x"),
            User(email="z.nazwiskiem@example.pl", password="x", full_name="Ewa Dawna"),
        ]
    )
    old = User.objects.get(email="stary.uzytkownik@example.pl")
    assert old.display_name == "" and str(old) == "stary.uzytkownik"  # shown without the domain even before
    migration = importlib.import_module("ngo_platform.accounts.migrations.0003_user_display_name")
    migration.fill_display_names(apps, None)
    names = dict(User.objects.values_list("email", "display_name"))
    assert names == {"stary.uzytkownik@example.pl": "stary.uzytkownik", "z.nazwiskiem@example.pl": "Ewa Dawna"}
    created = User.objects.create_user("nowa@example.pl", PASSWORD)
    assert created.display_name == created.full_name == "nowa"


def test_demo_people_have_realistic_polish_names():
    for name in [account.display_name for account in ACCOUNTS] + DEMO_NAMES:
        first, *rest = name.split(" ")
        assert rest and "@" not in name and first[0].isupper(), name
    assert len(set(DEMO_NAMES)) == len(DEMO_NAMES)


# --- Pages name people by their name, not their e-mail address -----------------------------------


def test_the_audit_log_names_the_actor_not_the_email(client):
    admin = UserFactory(is_staff=True, display_name="Anna Wróblewska")
    TOTP.activate(admin, "JBSWY3DPEHPK3PXP")
    actor = UserFactory(display_name="Piotr Zieliński", email="piotr.z@example.pl")
    audit_log(actor=actor, action="test.named")
    client.force_login(admin)
    html = get_page(client, "/audyt/?action=test.named", max_queries=12).content.decode()
    assert "Piotr Zieliński" in html and "piotr.z@example.pl" not in html


def test_a_residents_comment_shows_their_name_not_their_email(client, opolskie):
    from ngo_platform.consultations import services as consultation_services
    from tests.consultations.factories import make_consultation

    consultation = make_consultation(opolskie, open_to_residents=True)
    resident = UserFactory(display_name="Helena Mieszkańska", email="helena.m@example.pl")
    consultation_services.comment_submit(
        actor=resident, consultation=consultation, unit=None, justification="Więcej pieniędzy na kulturę."
    )
    html = client.get(f"/konsultacje/{consultation.pk}/uwagi/").content.decode()
    assert "Helena Mieszkańska" in html and "helena.m@example.pl" not in html


def test_an_offer_receipt_names_who_submitted_it_not_their_email(client, opolskie):
    from ngo_platform.competitions import services as competition_services
    from tests.competitions.factories import complete_offer, member, verified_organisation

    organisation = verified_organisation()
    person = member(organisation, display_name="Teresa Składająca", email="teresa.s@example.pl")
    offer = complete_offer(organisation=organisation, created_by=person)
    competition_services.offer_submit(actor=person, offer=offer)
    client.force_login(person)
    html = client.get(f"/konkursy/oferty/{offer.pk}/pokwitowanie/").content.decode()
    assert "Teresa Składająca" in html and "teresa.s@example.pl" not in html


def test_the_public_profile_lists_representatives_by_name_and_title_never_email(client, reference_data):
    from tests.organisations.factories import OrganisationFactory

    organisation = OrganisationFactory(verified_at=timezone.now())
    OrganisationMembershipFactory(
        organisation=organisation,
        role=OrganisationRole.ADMIN,
        is_public=True,
        user=UserFactory(display_name="Anna Jawna", public_title="prezeska zarządu", email="anna.jawna@example.pl"),
    )
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Anna Jawna, prezeska zarządu" in html and "anna.jawna@example.pl" not in html


def test_the_officers_email_about_a_request_names_the_applicant_not_their_address(mailoutbox, reference_data):
    from ngo_platform.organisations import services as organisation_services
    from ngo_platform.territory.models import Authority, TerritorialUnit
    from tests.accounts.factories import AuthorityMembershipFactory

    AuthorityMembershipFactory(authority=Authority.objects.get(unit__teryt="1601011"))
    organisation = organisation_services.organisation_create(
        actor=None,
        data={
            "name": "Fundacja Nadodrze",
            "seat": TerritorialUnit.objects.get(teryt="1601011"),
            "legal_form": "fundacja",
        },
    )
    applicant = UserFactory(display_name="Grażyna Witkowska", email="grazyna.w@example.pl")
    organisation_services.organisation_claim(actor=applicant, organisation=organisation, note="Członkini zarządu.")
    (message,) = mailoutbox
    assert "Grażyna Witkowska prosi o możliwość reprezentowania" in message.body
    assert "grazyna.w@example.pl" not in message.body
