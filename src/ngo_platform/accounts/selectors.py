"""Reads about people and their roles."""

from ngo_platform.accounts.models import AuthorityMembership, OrganisationMembership
from ngo_platform.organisations.models import VerificationRequest


def represented_organisations(user) -> list:
    """The organisations the person represents (admin or editor), by name: whom they may write or act on behalf
    of. Answered from the request's memberships (`accounts.memberships`), one query for the organisations."""
    from ngo_platform.accounts import memberships
    from ngo_platform.organisations.models import Organisation

    if not user.is_authenticated:
        return []
    known = memberships.roles(user) or memberships.read(user)
    if not known.organisations:
        return []
    return list(Organisation.objects.filter(pk__in=list(known.organisations)).order_by("name"))


def memberships_of(*, user) -> dict:
    return {
        "organisations": list(
            OrganisationMembership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        ),
        "authorities": list(
            AuthorityMembership.objects.filter(user=user).select_related("authority").order_by("authority__name")
        ),
        "requests": list(
            VerificationRequest.objects.filter(applicant=user)
            .select_related("organisation")
            .order_by("-created_at")[:20]
        ),
        "can_verify": user.is_staff or AuthorityMembership.objects.filter(user=user).exists(),
    }


def officer_authorities(user) -> list:
    """The authorities the person is an officer or admin of, by name (for whom they may set things up)."""
    from ngo_platform.territory.models import Authority

    if not user.is_authenticated:
        return []
    return list(Authority.objects.filter(memberships__user=user).order_by("name"))
