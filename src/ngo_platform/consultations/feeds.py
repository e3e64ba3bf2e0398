"""RSS 2.0 and Atom feeds of public consultations (Django's syndication framework), with the list's filters."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from ngo_platform.consultations import selectors
from ngo_platform.consultations.forms import ListFilterForm


class ConsultationsFeed(Feed):
    title = _("Public consultations")
    description = _("Consultations of draft acts with non-governmental organisations and residents.")

    def get_object(self, request):
        return ListFilterForm(request.GET).filters()

    def link(self):
        return reverse("consultations:list")

    def items(self, filters):
        return list(selectors.public_consultations(filters)[:50])

    def item_title(self, item):
        return f"{item.title} ({item.authority.name})"

    def item_description(self, item):
        end = timezone.localtime(item.ends_at)
        return f"{item.get_state_display()}. {item.subject} – uwagi do {end:%Y-%m-%d %H:%M}."

    def item_pubdate(self, item):
        return item.opened_at or item.starts_at

    def item_updateddate(self, item):
        return item.report_published_at or item.closed_at or item.opened_at or item.starts_at

    def item_guid(self, item):
        return f"konsultacja-{item.pk}"

    item_guid_is_permalink = False


class ConsultationsAtomFeed(ConsultationsFeed):
    feed_type = Atom1Feed
    subtitle = ConsultationsFeed.description
