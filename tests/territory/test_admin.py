"""The Django admin of territory: lists, filters and search open; reference data is view-only."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from ngo_platform.territory.models import Authority, SphereCatalogue, TerritorialUnit


@pytest.fixture
def admin_user(django_user_model, reference_data):
    user = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    # Administrators must have two-factor authentication before they may open anything.
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ({}, "1601011", None),
        ({"q": "Łubniany"}, "1609052", "1601011"),
        ({"q": "1661"}, "1661011", "1601011"),
        ({"level__exact": "powiat"}, "1661", "1601011"),
        ({"gmina_type__exact": "1"}, "1603011", "1601022"),
        ({"german_auxiliary_language__exact": "1"}, "Zülz", "1601011"),
    ],
)
def test_unit_list_filters_and_search(admin_client, query, expected, absent):
    response = admin_client.get(reverse("admin:territory_territorialunit_changelist"), query)

    assert response.status_code == 200
    content = response.content.decode()
    assert expected in content
    if absent:
        assert absent not in content


def test_units_are_view_only(admin_client):
    unit = TerritorialUnit.objects.get(teryt="1601011")

    assert admin_client.get(reverse("admin:territory_territorialunit_change", args=[unit.pk])).status_code == 200
    assert admin_client.get(reverse("admin:territory_territorialunit_add")).status_code == 403
    response = admin_client.post(reverse("admin:territory_territorialunit_change", args=[unit.pk]), {"name": "x"})
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.name == "Brzeg"


def test_authority_list_and_contact_edit(admin_client, django_assert_max_num_queries):
    url = reverse("admin:territory_authority_changelist")
    with django_assert_max_num_queries(15):
        response = admin_client.get(url, {"q": "brzeg"})
    assert response.status_code == 200
    assert "Gmina Brzeg" in response.content.decode()

    authority = Authority.objects.get(unit__teryt="1601011")
    response = admin_client.post(
        reverse("admin:territory_authority_change", args=[authority.pk]),
        {"name": "Gmina Brzeg", "email": "urzad@brzeg.pl", "website": "", "bip_url": "", "slug": "zmieniony"},
    )
    assert response.status_code == 302
    authority.refresh_from_db()
    assert (authority.email, authority.slug) == ("urzad@brzeg.pl", "gmina-brzeg-1601011")
    assert admin_client.get(reverse("admin:territory_authority_add")).status_code == 403


def test_sphere_catalogue_shows_its_spheres(admin_client):
    catalogue = SphereCatalogue.objects.get(version="UDPP-art4-2024")

    assert "UDPP-art4-2024" in admin_client.get(reverse("admin:territory_spherecatalogue_changelist")).content.decode()
    response = admin_client.get(reverse("admin:territory_spherecatalogue_change", args=[catalogue.pk]))

    assert response.status_code == 200
    assert "rewitalizacji" in response.content.decode()
