from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.accounts.models import AuthorityMembership, OrganisationMembership, User
from ngo_platform.core.models import AuditEntry
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority, TerritorialUnit

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (
            User,
            Organisation,
            AuthorityMembership,
            OrganisationMembership,
            TerritorialUnit,
            Authority,
            AuditEntry,
        )
    ]


def test_seed_demo_is_idempotent_and_prints_the_accounts(reference_data):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    second = counts()
    # Only the reference-data loader may log its (no-op) run again; nothing else is duplicated.
    assert first[:-1] == second[:-1]
    assert User.objects.filter(is_staff=True).exists()
    assert AuthorityMembership.objects.filter(authority__unit__teryt="16", role="admin").exists()
    assert OrganisationMembership.objects.filter(role="admin").exists()
    text = out.getvalue()
    for who in ("administrator platformy", "urzędnik", "przedstawicielka", "mieszkaniec"):
        assert who in text
    assert "Demo-Mieszkaniec-2026!" in text


def test_demo_accounts_can_log_in(client, reference_data):
    call_command("seed_demo", stdout=StringIO())
    response = client.post(
        "/konto/login/", {"login": "mieszkaniec@demo.ngo-platform.pl", "password": "Demo-Mieszkaniec-2026!"}
    )
    assert response.status_code == 302 and response["Location"] == "/konto/profil/"


def test_demo_totp_prints_a_code_for_demo_accounts_only():
    out = StringIO()
    call_command("demo_totp", "admin@demo.ngo-platform.pl", stdout=out)
    assert out.getvalue().strip().isdigit() and len(out.getvalue().strip()) == 6
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("demo_totp", "someone@example.pl")
