from django import template

from ngo_platform.competitions import money

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
