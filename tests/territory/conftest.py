"""Fixtures of the territory tests.

The suite's session loads the shipped reference data once (tests/conftest.py); tests that
count what an import creates start from an empty register instead, inside their own
transaction, so the shared data is back after each test.
"""

import pytest

from ngo_platform.core.models import AuditEntry
from ngo_platform.territory.models import Authority, Sphere, SphereCatalogue, TerritorialUnit, UnitLevel


@pytest.fixture
def empty_territory(db):
    Authority.objects.all().delete()
    for level in (UnitLevel.GMINA, UnitLevel.POWIAT, UnitLevel.VOIVODESHIP):
        TerritorialUnit.objects.filter(level=level).delete()
    Sphere.objects.all().delete()
    SphereCatalogue.objects.all().delete()


@pytest.fixture
def new_audit_entries(db):
    """A callable returning the audit entries written since the test started, newest first."""
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return lambda: AuditEntry.objects.filter(id__gt=last)
