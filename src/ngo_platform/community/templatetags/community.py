"""The latest news on the pages of other modules: an organisation's profile and an authority's page."""

from django import template

register = template.Library()


@register.inclusion_tag("community/_latest_news.html")
def latest_news_of(party, kind: str):
    """The party's latest published news (one query); `kind` is "organisation" or "authority", the list filter's
    and the heading's."""
    from ngo_platform.community.selectors import latest_news

    news = latest_news(**{kind: party})
    return {"items": news, "party": party, "kind": kind}
