"""Writes of the organisations registry. Every write re-indexes search and is audited."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.accounts.invitations import check_acceptable
from ngo_platform.accounts.models import OrganisationRole, User
from ngo_platform.accounts.rules import is_organisation_member
from ngo_platform.accounts.services import organisation_membership_set
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.text import slugify_pl
from ngo_platform.core.workflow import perform
from ngo_platform.organisations import search
from ngo_platform.organisations.freshness import directory_changes_on_commit
from ngo_platform.organisations.models import (
    DirectoryExport,
    ExportState,
    Invitation,
    Organisation,
    VerificationKind,
    VerificationRequest,
    VerificationState,
)
from ngo_platform.organisations.workflows import VERIFICATION, VerificationError

# Fields a form or an import may set; many-to-many ones are set after saving.
SCALAR_FIELDS = (
    "name",
    "short_name",
    "legal_form",
    "institution_type",
    "register",
    "registry_number",
    "registry_authority",
    "krs",
    "nip",
    "regon",
    "street",
    "postal_code",
    "city",
    "seat",
    "is_opp",
    "opp_since",
    "description_short",
    "description",
    "website",
    "email",
    "phone",
    "logo",
    "founded_on",
    "status",
    "is_listed",
)
M2M_FIELDS = ("spheres", "areas")
IDENTIFIER_FIELDS = ("krs", "nip", "regon")


# Path segments under /organizacje/ that an organisation's address must not take.
RESERVED_SLUGS = frozenset({"import", "zarejestruj", "weryfikacja", "wniosek", "zaproszenie"})


def unique_slug(name: str, taken: set[str], next_suffix: dict[str, int] | None = None) -> str:
    """A free address from a name, given every address in use (`taken`, updated in place).

    Bulk writers (import, generator) load `taken` once and pass `next_suffix` to skip re-counting.
    """
    base = slugify_pl(name, max_length=140) or "organizacja"
    slug = base
    if slug in taken or slug in RESERVED_SLUGS:
        n = next_suffix.get(base, 2) if next_suffix is not None else 2
        while (slug := f"{base}-{n}") in taken:
            n += 1
        if next_suffix is not None:
            next_suffix[base] = n + 1
    taken.add(slug)
    return slug


def organisation_slug(name: str) -> str:
    """A unique address for a new organisation, from its name (one query)."""
    base = slugify_pl(name, max_length=140) or "organizacja"
    return unique_slug(name, set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True)))


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
    if isinstance(value, File):
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
        organisation.forget_completed()  # what an import could not determine, now given
        organisation.full_clean(exclude=["logo"])
        organisation.save()
        _set_m2m(organisation, data, changes)
        if changes:
            search.index_organisations([organisation])
            audit_log(
                actor=actor,
                action="organisations.organisation_update",
                target=organisation,
                acting_for=organisation if actor is not None and is_organisation_member(actor, organisation) else None,
                details={"changes": changes},
            )
    return organisation


# --- Registration, verification, invitations ---------------------------------------------

INVITATION_DAYS = 14


def _verifier_emails(organisation: Organisation) -> list[str]:
    from ngo_platform.territory.selectors import authority_governing

    authority = authority_governing(unit=organisation.seat)
    officers = User.objects.filter(authority_memberships__authority=authority) if authority else User.objects.none()
    admins = User.objects.filter(is_staff=True, is_active=True)
    return list(officers.union(admins).values_list("email", flat=True))


def organisation_register(*, actor, data: dict[str, Any], evidence=None, note: str = "") -> VerificationRequest:
    """A signed-in person registers a new organisation; it is listed once verified."""
    with transaction.atomic():
        organisation = organisation_create(actor=actor, data={**data, "is_listed": False})
        return _verification_request_open(
            actor=actor, organisation=organisation, kind=VerificationKind.REGISTRATION, evidence=evidence, note=note
        )


def _verification_request_open(
    *, actor, organisation: Organisation, kind: str, evidence, note: str
) -> VerificationRequest:
    """Store the request, audit it and tell the verifiers (inside the caller's transaction)."""
    request = VerificationRequest.objects.create(
        organisation=organisation, applicant=actor, kind=kind, evidence=evidence or "", note=note
    )
    audit_log(
        actor=actor,
        action="organisations.verification_request",
        target=request,
        details={"kind": request.kind, "organisation": organisation.name},
    )
    email_notify(
        to=_verifier_emails(organisation),
        template="organisations/email/verification_requested",
        context={"request": request, "organisation": organisation},
    )
    return request


def organisation_claim(*, actor, organisation: Organisation, evidence=None, note: str = "") -> VerificationRequest:
    """A signed-in person asks to represent an organisation already in the directory."""
    if is_organisation_member(actor, organisation):
        raise VerificationError(_("You already represent this organisation."))
    with transaction.atomic():
        if VerificationRequest.objects.filter(
            organisation=organisation, applicant=actor, state=VerificationState.PENDING
        ).exists():
            raise VerificationError(_("Your earlier request for this organisation is still waiting for verification."))
        return _verification_request_open(
            actor=actor, organisation=organisation, kind=VerificationKind.CLAIM, evidence=evidence, note=note
        )


def verification_decide(*, actor, request: VerificationRequest, approve: bool, reason: str = "") -> VerificationRequest:
    """A platform admin or an officer of the seat's authority verifies or rejects (with a reason)."""
    with transaction.atomic():
        request = (
            VerificationRequest.objects.select_for_update()
            .select_related("organisation", "applicant")
            .get(pk=request.pk)
        )
        organisation = request.organisation
        if not actor.has_perm("organisations.verify_organisation", organisation):
            raise PermissionDenied
        if request.applicant_id == actor.pk:
            raise VerificationError(
                _("You cannot decide on your own request: another officer or a platform admin does.")
            )
        if request.state == VerificationState.PENDING and not approve and not reason.strip():
            raise VerificationError(_("Give the reason for the rejection: the applicant will read it."))
        values = {"decided_by": actor, "reason": reason.strip()}
        perform(
            VERIFICATION,
            request,
            "verify" if approve else "reject",
            actor=actor,
            values=values,
            details={"reason": values["reason"]},
        )
        if approve:
            Organisation.objects.filter(pk=organisation.pk).update(
                is_listed=True, verified_at=organisation.verified_at or timezone.now()
            )
            has_admin = organisation.memberships.filter(role=OrganisationRole.ADMIN).exists()
            organisation_membership_set(
                actor=actor,
                organisation=organisation,
                user=request.applicant,
                role=OrganisationRole.EDITOR if has_admin else OrganisationRole.ADMIN,
                check_permission=False,
            )
            directory_changes_on_commit()  # listed now; the search entry itself did not change
        email_notify(
            to=[request.applicant.email],
            template="organisations/email/verification_decided",
            context={"request": request, "organisation": organisation},
        )
    return request


def invitation_send(*, actor, organisation: Organisation, email: str, role: str) -> Invitation:
    """An organisation admin invites a person by e-mail to become admin or editor."""
    if not actor.has_perm("organisations.invite_member", organisation):
        raise PermissionDenied
    if role not in OrganisationRole.values:
        raise ValueError(f"Unknown role: {role}")
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise VerificationError(_("This person already represents the organisation."))
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        audit_log(
            actor=actor,
            action="organisations.invitation_send",
            target=invitation,
            acting_for=organisation,
            details={"email": email, "role": role},
        )
        email_notify(
            to=[email],
            template="organisations/email/invitation",
            context={"invitation": invitation, "organisation": organisation, "days": INVITATION_DAYS},
        )
    return invitation


def invitation_accept(*, actor, invitation: Invitation):
    """The invited person, signed in with the invited (verified) address, accepts."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        check_acceptable(
            actor,
            invitation,
            error=VerificationError,
            expired=_("This invitation has expired. Ask the organisation for a new one."),
        )
        invitation.accepted_at, invitation.accepted_by = timezone.now(), actor
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        membership = organisation_membership_set(
            actor=actor, organisation=invitation.organisation, user=actor, role=invitation.role, check_permission=False
        )
        audit_log(
            actor=actor,
            action="organisations.invitation_accept",
            target=invitation,
            acting_for=invitation.organisation,
            details={"role": invitation.role},
        )
        email_notify(
            to=[invitation.invited_by.email],
            template="organisations/email/invitation_accepted",
            context={"invitation": invitation, "organisation": invitation.organisation, "person": actor},
        )
    return membership


# --- Large XLSX exports -------------------------------------------------------------------------

# An export file serves requests for this long; then (or after any write to the directory, which
# changes its key) the next request builds a fresh one. Old files are removed by the next build.
EXPORT_FRESH_FOR = timedelta(hours=1)
EXPORT_KEPT_FOR = timedelta(days=1)


def directory_export_request(*, query: str, version: int) -> DirectoryExport:
    """The XLSX export of the directory filtered by `query` (a URL query string) at data `version`:
    the existing one while it is fresh, else a new one queued for the worker. Concurrent requests for
    the same data share one row (unique key), so one file is built however many people ask."""
    from ngo_platform.organisations.tasks import directory_export_build

    key = hashlib.sha256(f"xlsx|{version}|{query}".encode()).hexdigest()
    with transaction.atomic():
        export, created = DirectoryExport.objects.select_for_update().get_or_create(key=key, defaults={"query": query})
        stale = export.created_at < timezone.now() - EXPORT_FRESH_FOR
        if not created and (export.state == ExportState.FAILED or stale):
            if export.file:
                export.file.delete(save=False)
            DirectoryExport.objects.filter(pk=export.pk).update(
                state=ExportState.QUEUED, file="", row_count=0, created_at=timezone.now(), finished_at=None
            )
            export.refresh_from_db()
            created = True
        if created:
            transaction.on_commit(lambda: directory_export_build.enqueue(export.pk))
    return export


def directory_export_build(*, export: DirectoryExport) -> DirectoryExport:
    """Build the file of a claimed (running) export; remove exports older than EXPORT_KEPT_FOR."""
    from django.http import QueryDict

    from ngo_platform.organisations import exports, selectors
    from ngo_platform.organisations.forms import DirectoryFilterForm

    try:
        filters = DirectoryFilterForm(QueryDict(export.query)).filters()
        organisations = selectors.directory_queryset(filters)
        content, count = exports.as_xlsx_counted(organisations)
        export.file.save(f"organizacje-{export.key[:12]}.xlsx", ContentFile(content), save=False)
        export.row_count, export.state = count, ExportState.DONE
    except Exception:
        export.state = ExportState.FAILED
        raise
    finally:
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "row_count", "state", "finished_at"])
    for old in DirectoryExport.objects.filter(created_at__lt=timezone.now() - EXPORT_KEPT_FOR):
        if old.file:
            old.file.delete(save=False)
        old.delete()
    return export
