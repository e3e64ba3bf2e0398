"""Sign-up, verification, log-in, throttling and the MFA requirement, through the real views."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import override_settings

from ngo_platform.accounts.models import AuthorityRole, User
from ngo_platform.core.models import AuditEntry
from tests.accounts.factories import PASSWORD, AuthorityMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = "Zielona-Lipa-2026"


def signup(client, email, password1=GOOD, password2=None, display_name="Nowa Osoba", public_title=""):
    return client.post(
        "/konto/signup/",
        {
            "display_name": display_name,
            "public_title": public_title,
            "email": email,
            "password1": password1,
            "password2": password2 or password1,
        },
    )


def field_errors(response, field):
    html = response.content.decode()
    match = re.search(rf'<ul class="error-message" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() if match else ""


def test_signup_sends_a_polish_verification_email_and_audits(client):
    response = signup(client, "Nowa.Osoba@Example.pl")
    assert response.status_code == 302
    user = User.objects.get(email="nowa.osoba@example.pl")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nowa.osoba@example.pl"]
    assert "Potwierdź" in message.subject or "potwierd" in message.body.lower()
    assert AuditEntry.objects.filter(action="accounts.signup", actor=user).exists()


def test_verification_link_confirms_the_address_then_login_works(client):
    signup(client, "osoba@example.pl")
    link = re.search(r"http://testserver(/konto/confirm-email/[^\s]+)", mail.outbox[0].body).group(1)
    # Until verified, logging in leads to the "verify your e-mail" page, not to the account.
    response = client.post("/konto/login/", {"login": "osoba@example.pl", "password": GOOD})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="osoba@example.pl").verified
    response = client.post("/konto/login/", {"login": "osoba@example.pl", "password": GOOD})
    assert response.status_code == 302 and response["Location"] == "/konto/profil/"


@pytest.mark.parametrize(
    ("email", "password", "field", "message"),
    [
        ("to-nie-jest-email", GOOD, "email", "Wprowadź poprawny adres email."),
        ("slabe@example.pl", "haslo", "password1", "To hasło jest za krótkie."),
        ("cyfry@example.pl", "1234567890123", "password1", "Hasło składa się wyłącznie z cyfr."),
    ],
)
def test_bad_signup_input_gets_a_polish_message_next_to_the_field_and_creates_nothing(
    client, email, password, field, message
):
    response = signup(client, email, password)
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert 'aria-invalid="true"' in response.content.decode()
    assert "Wystąpił problem" in response.content.decode()
    assert not User.objects.exists() and not mail.outbox


def test_mismatched_passwords_are_refused(client):
    response = signup(client, "x@example.pl", GOOD, GOOD + "x")
    assert response.status_code == 200
    assert "Musisz wpisać za każdym razem to samo hasło." in field_errors(response, "password2")
    assert not User.objects.exists()


def test_an_email_already_used_is_refused_in_polish(client):
    UserFactory(email="zajety@example.pl")
    response = signup(client, "Zajety@example.pl")
    assert response.status_code == 200
    assert "W systemie jest już zarejestrowany użytkownik o tym adresie e-mail." in field_errors(response, "email")
    assert User.objects.count() == 1 and not mail.outbox


def test_password_reset_sends_a_link(client):
    UserFactory(email="zapominalska@example.pl")
    response = client.post("/konto/password/reset/", {"email": "zapominalska@example.pl"})
    assert response.status_code == 302
    assert re.search(r"/konto/password/reset/key/", mail.outbox[0].body)


def test_login_is_throttled_after_repeated_failures(client):
    UserFactory(email="cel@example.pl")
    for _ in range(5):
        response = client.post("/konto/login/", {"login": "cel@example.pl", "password": "zle-haslo"})
        assert "Zbyt wiele" not in response.content.decode()
    # The sixth attempt is refused even with the right password, and nobody is logged in.
    response = client.post("/konto/login/", {"login": "cel@example.pl", "password": PASSWORD})
    assert response.status_code == 200
    assert "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie później." in response.content.decode()
    assert "_auth_user_id" not in client.session


def _current_code(secret):
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_officer_without_totp_is_sent_to_set_it_up(client, opolskie):
    officer = AuthorityMembershipFactory(authority=opolskie, role=AuthorityRole.OFFICER).user
    client.force_login(officer)
    for url in ("/konto/profil/", "/samorzady/", "/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/konto/2fa/totp/activate/"
    # Setting up TOTP first asks for the password again; neither page is blocked.
    response = client.get("/konto/2fa/totp/activate/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/totp/activate/"
    assert client.get("/konto/2fa/totp/activate/").status_code == 200


def test_resident_is_not_forced_to_use_totp(client):
    client.force_login(UserFactory())
    assert client.get("/konto/profil/").status_code == 200


def test_officer_with_totp_must_give_the_code_at_login(client, opolskie):
    officer = AuthorityMembershipFactory(authority=opolskie).user
    secret = "JBSWY3DPEHPK3PXP"
    TOTP.activate(officer, secret)
    response = client.post("/konto/login/", {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/authenticate/"
    assert client.get("/konto/profil/").status_code == 302  # not logged in yet
    response = client.post(
        "/konto/2fa/authenticate/", {"code": "000000" if _current_code(secret) != "000000" else "111111"}
    )
    assert response.status_code == 200  # wrong code: the form again
    response = client.post("/konto/2fa/authenticate/", {"code": _current_code(secret)})
    assert response.status_code == 302
    assert client.get("/konto/profil/").status_code == 200
    assert Authenticator.objects.filter(user=officer).count() == 1


def test_production_hashes_passwords_with_argon2():
    from ngo_platform import settings as production

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = UserFactory()
        assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.django_db(transaction=True)  # the worker checks connections, which needs autocommit
def test_account_email_goes_through_the_task_queue(client):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    database_queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=database_queue):
        signup(client, "kolejka@example.pl")
        assert mail.outbox == []  # queued, not sent during the request
        task = DBTaskResult.objects.get()
        assert task.task_path == "ngo_platform.core.tasks.email_send"
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default")
    assert [m.to for m in mail.outbox] == [["kolejka@example.pl"]]
    assert "confirm-email" in mail.outbox[0].body
