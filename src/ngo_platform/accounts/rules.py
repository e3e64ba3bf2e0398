"""Who may do what with accounts and memberships, and the predicates every app builds on.

Predicates take (user, object). Apps combine them in their own rules.py; views, templates
({% has_perm %}) and the API all ask `user.has_perm(name, obj)`.

A deactivated account (`is_active` false) holds nothing: neither the platform admin's rights nor any membership's.
The memberships themselves have no end or active flag: a membership that ends is deleted
(`services.organisation_membership_remove`), so every existing membership counts.
"""

import rules

from ngo_platform.accounts.memberships import roles
from ngo_platform.accounts.models import AuthorityRole, OrganisationRole


def is_active_person(user) -> bool:
    """Signed in with an account that has not been deactivated: nobody else holds any right."""
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def is_signed_in(user) -> bool:
    return is_active_person(user)


@rules.predicate
def is_platform_admin(user) -> bool:
    return is_active_person(user) and bool(user.is_staff)


@rules.predicate
def is_authority_member(user, authority) -> bool:
    """An officer or admin of the given authority (an Authority or its id)."""
    if authority is None or not is_active_person(user):
        return False
    if (known := roles(user)) is not None:
        return getattr(authority, "pk", authority) in known.authorities
    return user.authority_memberships.filter(authority=authority).exists()


@rules.predicate
def is_authority_admin(user, authority) -> bool:
    if authority is None or not is_active_person(user):
        return False
    if (known := roles(user)) is not None:
        return known.authorities.get(getattr(authority, "pk", authority)) == AuthorityRole.ADMIN
    return user.authority_memberships.filter(authority=authority, role=AuthorityRole.ADMIN).exists()


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    """An admin or editor of the given organisation."""
    return organisation is not None and organisation_role(user, getattr(organisation, "pk", organisation)) is not None


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    return (
        organisation is not None
        and organisation_role(user, getattr(organisation, "pk", organisation)) == OrganisationRole.ADMIN
    )


@rules.predicate
def is_any_officer(user) -> bool:
    if not is_active_person(user):
        return False
    if (known := roles(user)) is not None:
        return bool(known.authorities)
    return user.authority_memberships.exists()


@rules.predicate
def is_any_organisation_member(user) -> bool:
    """An admin or editor of some organisation."""
    if not is_active_person(user):
        return False
    if (known := roles(user)) is not None:
        return bool(known.organisations)
    return user.organisation_memberships.exists()


def acting_for_authority(actor, authority):
    """The authority when `actor` is one of its officers, else None: whom an audit entry says they acted for."""
    if actor is None or authority is None or not actor.is_authenticated:
        return None
    return authority if is_authority_member(actor, authority) else None


def organisation_role(user, organisation_id) -> str | None:
    """The person's role in the organisation (admin, editor) or None (also for a deactivated account); for the
    apps' predicates."""
    if organisation_id is None or not is_active_person(user):
        return None
    if (known := roles(user)) is not None:
        return known.organisations.get(organisation_id)
    return user.organisation_memberships.filter(organisation_id=organisation_id).values_list("role", flat=True).first()


@rules.predicate
def is_superuser(user) -> bool:
    return is_active_person(user) and bool(user.is_superuser)


@rules.predicate
def is_self(user, other) -> bool:
    return is_active_person(user) and other is not None and user.pk == other.pk


# Two-factor authentication is required of whoever decides on public money or verifies others. Superusers
# are named here because the two-factor middleware asks the rules alone (`rules.has_perm`, without the
# superuser's blanket yes of `user.has_perm`).
must_use_mfa = is_superuser | is_platform_admin | is_any_officer

rules.add_perm("accounts.must_use_mfa", must_use_mfa)
rules.add_perm("accounts.view_profile", is_self | is_platform_admin)
rules.add_perm("accounts.manage_authority_members", is_authority_admin | is_platform_admin)
rules.add_perm("accounts.manage_organisation_members", is_organisation_admin | is_platform_admin)
