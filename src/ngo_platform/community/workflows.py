"""The course of a news item, declared once (`core.workflow`): draft → published → archived; a published item may
go back to a draft (taken off the site to be corrected), an archived one may be published again. Whoever may
change the item (`community.change_news`) takes every step."""

from django.utils.translation import gettext_lazy

from ngo_platform.community.models import News, NewsState
from ngo_platform.community.selectors import NEWS_VERSION
from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.workflow import Transition, Workflow

S = NewsState
CHANGE = "community.change_news"


class NewsError(ServiceError):
    """A news step that is not allowed now (`core.exceptions.ServiceError`)."""


def _first_publication(news, now):
    """The publication date is the first one: a correction taken back to a draft keeps its place in the list."""
    if news.published_at is None:
        news.published_at = now
    return ["published_at"]


NEWS = Workflow(
    model=News,
    audit="community.news_{name}",
    changed_at="state_changed_at",
    error=NewsError,
    on_change=NEWS_VERSION.bump_on_commit,
    refusal=gettext_lazy("This cannot be done now: the news item is “%(state)s”."),
    acting_for=lambda actor, news: news.party if actor is not None else None,
    transitions=[
        Transition("publish", S.DRAFT, S.PUBLISHED, gettext_lazy("Publish"), CHANGE, effect=_first_publication),
        Transition("unpublish", S.PUBLISHED, S.DRAFT, gettext_lazy("Take back to a draft"), CHANGE),
        Transition("archive", S.PUBLISHED, S.ARCHIVED, gettext_lazy("Archive"), CHANGE, timestamp="archived_at"),
        Transition("republish", S.ARCHIVED, S.PUBLISHED, gettext_lazy("Publish again"), CHANGE),
    ],
)
