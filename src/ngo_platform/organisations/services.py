"""Writes of the organisations registry. Every write re-indexes search and is audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ngo_platform.accounts.rules import is_organisation_member
from ngo_platform.core.services import audit_log
from ngo_platform.core.text import slugify_pl
from ngo_platform.organisations import search
from ngo_platform.organisations.selectors import directory_changed
from ngo_platform.organisations.models import Organisation

# Fields a form or an import may set; many-to-many ones are set after saving.
SCALAR_FIELDS = (
    "name", "short_name", "legal_form", "register", "registry_number", "registry_authority", "krs", "nip", "regon",
    "street", "postal_code", "city", "seat", "is_opp", "opp_since", "description_short", "description", "website",
    "email", "phone", "logo", "founded_on", "status",
)
M2M_FIELDS = ("spheres", "areas")
IDENTIFIER_FIELDS = ("krs", "nip", "regon")


def organisation_slug(name: str, *, taken: Iterable[str] = ()) -> str:
    """A unique address for a new organisation, from its name."""
    base = slugify_pl(name, max_length=140) or "organizacja"
    taken = set(taken) | set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(organisation: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    """Set the scalar fields in `data`; return {field: [old, new]} of what changed."""
    changes = {}
    for field in SCALAR_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field in IDENTIFIER_FIELDS and not value:
            value = None  # unique and empty must be NULL, not ""
        if field == "seat":
            old, new = organisation.seat_id, value.pk
        else:
            old, new = _plain(getattr(organisation, field)), _plain(value)
        if old != new:
            changes[field] = [old, new]
            setattr(organisation, field, value)
    return changes


def _plain(value):
    """A JSON-friendly form of a field value for the audit log."""
    if hasattr(value, "url") and hasattr(value, "name"):  # a file
        return value.name or ""
    return value


def _set_m2m(organisation: Organisation, data: dict[str, Any], changes: dict[str, Any]) -> None:
    for field in M2M_FIELDS:
        if field not in data:
            continue
        new = {obj.pk for obj in data[field]}
        manager = getattr(organisation, field)
        old = set(manager.values_list("pk", flat=True)) if organisation.pk else set()
        if new != old:
            manager.set(new)
            changes[field] = [sorted(old), sorted(new)]


def organisation_create(*, actor, data: dict[str, Any]) -> Organisation:
    """Create an organisation from cleaned data (a form's or an import row's)."""
    with transaction.atomic():
        organisation = Organisation(slug=organisation_slug(data["name"]))
        _apply(organisation, data)
        organisation.full_clean(exclude=["logo"])
        organisation.save()
        changes: dict[str, Any] = {}
        _set_m2m(organisation, data, changes)
        search.index_organisations([organisation])
        transaction.on_commit(directory_changed)
        audit_log(
            actor=actor,
            action="organisations.organisation_create",
            target=organisation,
            details={"name": organisation.name, "krs": organisation.krs, "nip": organisation.nip},
        )
    return organisation


def organisation_update(*, actor, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    """Change an organisation's data; a person needs `organisations.change_organisation`."""
    if actor is not None and not actor.has_perm("organisations.change_organisation", organisation):
        raise PermissionDenied
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changes = _apply(organisation, data)
        organisation.full_clean(exclude=["logo"])
        organisation.save()
        _set_m2m(organisation, data, changes)
        if changes:
            search.index_organisations([organisation])
            transaction.on_commit(directory_changed)
            audit_log(
                actor=actor,
                action="organisations.organisation_update",
                target=organisation,
                acting_for=organisation if is_organisation_member(actor, organisation) else None,
                details={"changes": changes},
            )
    return organisation
