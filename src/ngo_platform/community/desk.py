"""What waits on the desk (`core.desk`) in the community: drafts of news written on behalf of the person's
organisations and authorities (and, for a platform administrator, the platform's), not yet published. One query,
whatever the number of drafts."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ngo_platform.community.selectors import news_drafts
from ngo_platform.core.desk import DeskItem, Person


def items(person: Person) -> list[DeskItem]:
    if not (person.organisations or person.authorities or person.is_staff):
        return []
    drafts = news_drafts(
        organisations=list(person.organisations), authorities=list(person.authorities), platform=person.is_staff
    )
    return [
        DeskItem(
            code="community.news_draft",
            kind=_("News item to publish"),
            title=news.title,
            url=reverse("community:news_edit", kwargs={"pk": news.pk}),
            detail=news.party.name if news.party else _("The platform"),
        )
        for news in drafts[:20]
    ]
