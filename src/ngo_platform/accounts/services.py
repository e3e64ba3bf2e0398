"""Writes about people and their roles. Each checks the rule, changes, and audits, in one transaction.

`actor=None` is the system (seed data, imports); a person acting needs the rule.
"""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from ngo_platform.accounts import memberships
from ngo_platform.accounts.models import (
    AuthorityMembership,
    AuthorityRole,
    OrganisationMembership,
    OrganisationRole,
    User,
)
from ngo_platform.core.services import audit_log

# One declaration per kind of membership: its model, the field naming the party, its roles and rule.
_KINDS = {
    AuthorityMembership: ("authority", AuthorityRole, "accounts.manage_authority_members"),
    OrganisationMembership: ("organisation", OrganisationRole, "accounts.manage_organisation_members"),
}


def _membership_set(
    *, model: type[models.Model], actor: User | None, party, user: User, role: str, check_permission: bool = True
):
    party_field, roles, perm = _KINDS[model]
    if role not in roles.values:
        raise ValueError(f"Unknown role: {role}")
    if check_permission and actor is not None and not actor.has_perm(perm, party):
        raise PermissionDenied
    with transaction.atomic():
        membership, created = model.objects.select_for_update().get_or_create(
            user=user, **{party_field: party}, defaults={"role": role}
        )
        previous = None if created else membership.role
        if previous != role:
            if not created:
                membership.role = role
                membership.save(update_fields=["role"])
            audit_log(
                actor=actor,
                action=f"accounts.{model._meta.model_name}_set",
                target=membership,
                acting_for=party,
                details={"user": user.email, "role": role, "previous_role": previous},
            )
        memberships.forget()
    return membership


def _membership_remove(*, actor: User | None, membership) -> None:
    party_field, _roles, perm = _KINDS[type(membership)]
    party = getattr(membership, party_field)
    if actor is not None and not actor.has_perm(perm, party):
        raise PermissionDenied
    with transaction.atomic():
        audit_log(
            actor=actor,
            action=f"accounts.{membership._meta.model_name}_remove",
            target=membership,
            acting_for=party,
            details={"user": membership.user.email, "role": membership.role},
        )
        membership.delete()
        memberships.forget()


def authority_membership_set(*, actor: User | None, authority, user: User, role: str) -> AuthorityMembership:
    """Make `user` an officer or admin of `authority`, or change their role there."""
    return _membership_set(model=AuthorityMembership, actor=actor, party=authority, user=user, role=role)


def authority_membership_remove(*, actor: User | None, membership: AuthorityMembership) -> None:
    _membership_remove(actor=actor, membership=membership)


def organisation_membership_set(
    *, actor: User | None, organisation, user: User, role: str, check_permission: bool = True
) -> OrganisationMembership:
    """Make `user` an admin or editor of `organisation`, or change their role there.

    `check_permission=False` is for services that checked their own rule (a verification by an
    officer, an accepted invitation); the entry still names `actor`.
    """
    return _membership_set(
        model=OrganisationMembership,
        actor=actor,
        party=organisation,
        user=user,
        role=role,
        check_permission=check_permission,
    )


def membership_publicity_set(
    *, actor: User, membership: OrganisationMembership | AuthorityMembership, is_public: bool
) -> None:
    """A person chooses whether their name is shown on the organisation's public profile (a representative) or on
    the authority's page (an officer); only they may."""
    if actor.pk != membership.user_id:
        raise PermissionDenied
    model = type(membership)
    with transaction.atomic():
        membership = model.objects.select_for_update().get(pk=membership.pk)
        if membership.is_public != is_public:
            membership.is_public = is_public
            membership.save(update_fields=["is_public"])
            audit_log(
                actor=actor,
                action=f"accounts.{model._meta.model_name}_publicity_set",
                target=membership,
                acting_for=getattr(membership, "organisation", None) or membership.authority,
                details={"is_public": is_public},
            )


def organisation_membership_remove(*, actor: User | None, membership: OrganisationMembership) -> None:
    _membership_remove(actor=actor, membership=membership)


def user_name_set(*, actor: User, user: User, display_name: str, public_title: str = "") -> User:
    """A person changes the name others see instead of their e-mail address, and their optional title."""
    if actor.pk != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        previous = {"display_name": user.display_name, "public_title": user.public_title}
        changed = {"display_name": display_name, "public_title": public_title}
        if previous != changed:
            user.display_name, user.public_title = display_name, public_title
            user.save(update_fields=["display_name", "public_title"])
            audit_log(
                actor=actor,
                action="accounts.user_name_set",
                target=user,
                details={**changed, "previous_display_name": previous["display_name"]},
            )
    return user
