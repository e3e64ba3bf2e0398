from django import template

from ngo_platform.core import money

register = template.Library()


@register.filter
def zl(grosze):
    """123450 → "1 234,50 zł"."""
    return money.format_money(grosze) if grosze not in (None, "") else ""


@register.filter
def quantity(value):
    return money.format_quantity(value)


@register.inclusion_tag("agreements/_organisation_grants.html")
def organisation_grants(organisation):
    """The organisation's grants (agreements signed or settled) for its public profile (two queries)."""
    from ngo_platform.agreements.selectors import organisation_agreements

    return {"agreements": list(organisation_agreements(organisation, public=True)[:50])}
