"""Reads about people and their roles."""

from ngo_platform.accounts.models import AuthorityMembership, OrganisationMembership


def memberships_of(*, user) -> dict:
    return {
        "organisations": list(
            OrganisationMembership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
        ),
        "authorities": list(
            AuthorityMembership.objects.filter(user=user).select_related("authority").order_by("authority__name")
        ),
    }
