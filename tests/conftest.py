"""Fixtures shared by the whole suite."""

from io import StringIO

import pytest
from django.core.management import call_command


def _load_reference_data() -> None:
    from ngo_platform.territory.models import TerritorialUnit

    if not TerritorialUnit.objects.exists():
        call_command("load_reference_data", stdout=StringIO())


@pytest.fixture(autouse=True)
def _memberships_outside_requests():
    """Each test starts outside a request: memberships cached by a request whose end a test never reached (a
    streamed response left open, an exception) do not leak into the next test."""
    from ngo_platform.accounts import memberships

    memberships._finish()
    yield
    memberships._finish()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped reference data (territory, spheres) once into the test database."""
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture
def reference_data(db):
    """The shipped territory and spheres; reloaded if a transactional test flushed them."""
    _load_reference_data()


@pytest.fixture
def opolskie(reference_data):
    from ngo_platform.territory.models import Authority

    return Authority.objects.get(unit__teryt="16")


@pytest.fixture
def gmina_brzeg(reference_data):
    from ngo_platform.territory.models import Authority

    return Authority.objects.get(unit__teryt="1601011")


@pytest.fixture
def english():
    """Run the test with the English interface (`pytest.mark.usefixtures("english")`): services' messages are
    matched by their English source; the pages are tested in Polish, the default."""
    from django.utils import translation

    with translation.override("en"):
        yield
