"""RSS 2.0 and Atom feeds of the news (Django's syndication framework), with the list's filters."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from ngo_platform.community import selectors
from ngo_platform.community.forms import NewsFilterForm

FEED_SIZE = 50


class NewsFeed(Feed):
    title = _("News of organisations and local governments")
    description = _("News from non-governmental organisations, local governments and the platform.")

    def get_object(self, request):
        return NewsFilterForm(request.GET).filters()

    def link(self):
        return reverse("community:news_list")

    def items(self, filters):
        return list(selectors.public_news(filters)[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_author_name(self, item):
        return item.party.name if item.party else str(_("The platform"))

    def item_pubdate(self, item):
        return item.published_at

    def item_guid(self, item):
        return f"aktualnosc-{item.pk}"

    item_guid_is_permalink = False


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
