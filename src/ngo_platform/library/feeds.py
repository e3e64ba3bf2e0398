"""The library's RSS feed (Django's syndication framework), with the list's search and filters."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ngo_platform.library import selectors
from ngo_platform.library.forms import FilterForm

FEED_SIZE = 50


class LibraryFeed(Feed):
    title = _("Library of jointly developed documents")
    description = _("Standards, models, programmes, reports, templates and minutes published by local governments.")

    def get_object(self, request):
        return FilterForm(request.GET).filters()

    def link(self):
        return reverse("library:list")

    def items(self, filters):
        return list(selectors.public_documents(filters)[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.get_kind_display()}, {item.authority.name}, {item.year}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return f"biblioteka-{item.pk}"

    item_guid_is_permalink = False
