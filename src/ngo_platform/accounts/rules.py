"""Who may do what with accounts and memberships, and the predicates every app builds on.

Predicates take (user, object). Apps combine them in their own rules.py; views, templates
({% has_perm %}) and the API all ask `user.has_perm(name, obj)`.
"""

import rules

from ngo_platform.accounts.models import AuthorityRole, OrganisationRole


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_authority_member(user, authority) -> bool:
    """An officer or admin of the given authority."""
    if authority is None or not user.is_authenticated:
        return False
    return user.authority_memberships.filter(authority=authority).exists()


@rules.predicate
def is_authority_admin(user, authority) -> bool:
    if authority is None or not user.is_authenticated:
        return False
    return user.authority_memberships.filter(authority=authority, role=AuthorityRole.ADMIN).exists()


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    """An admin or editor of the given organisation."""
    if organisation is None or not user.is_authenticated:
        return False
    return user.organisation_memberships.filter(organisation=organisation).exists()


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return user.organisation_memberships.filter(organisation=organisation, role=OrganisationRole.ADMIN).exists()


@rules.predicate
def is_any_officer(user) -> bool:
    return bool(user.is_authenticated and user.authority_memberships.exists())


@rules.predicate
def is_self(user, other) -> bool:
    return bool(user.is_authenticated and other is not None and user.pk == other.pk)


# Two-factor authentication is required of whoever decides on public money or verifies others.
must_use_mfa = is_platform_admin | is_any_officer

rules.add_perm("accounts.must_use_mfa", must_use_mfa)
rules.add_perm("accounts.view_profile", is_self | is_platform_admin)
rules.add_perm("accounts.manage_authority_members", is_authority_admin | is_platform_admin)
rules.add_perm("accounts.manage_organisation_members", is_organisation_admin | is_platform_admin)
