from django import template

from ngo_platform.core import money

register = template.Library()


@register.filter
def zl(grosze):
    """123450 → "1 234,50 zł"."""
    return money.format_money(grosze) if grosze not in (None, "") else ""


@register.filter
def percent(basis_points):
    return money.format_percent(basis_points) if basis_points not in (None, "") else ""


@register.filter
def quantity(value):
    return money.format_quantity(value)


@register.inclusion_tag("competitions/_organisation_offers.html")
def organisation_competition_offers(organisation):
    """The organisation's offers and grants for its public profile (one query)."""
    from ngo_platform.competitions.selectors import organisation_offers

    return {"offers": list(organisation_offers(organisation)[:50])}


@register.filter
def public_state(offer):
    """The offer's state as the applicant and the public may read it: funded / not funded only once the
    results are published (until then "evaluated")."""
    from ngo_platform.competitions.models import CompetitionState, OfferState

    if offer.is_small_grant:  # decided by the officer alone after the comments (art. 19a): public at once
        return offer.get_state_display()
    if (
        offer.state in (OfferState.FUNDED, OfferState.NOT_FUNDED)
        and offer.competition.state != CompetitionState.RESULTS
    ):
        return OfferState.EVALUATED.label
    return offer.get_state_display()
