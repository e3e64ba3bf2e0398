"""What waits on the desk (`core.desk`) in the community: drafts of news written on behalf of the person's
organisations and authorities (and, for a platform administrator, the platform's), not yet published; for officers
(and platform administrators), the ideas and needs addressed to their authority (or the platform) still waiting for
an answer or under consideration, the most supported first. One query each, whatever the number of items."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ngo_platform.community.selectors import ideas_to_answer, news_drafts
from ngo_platform.core.desk import DeskItem, Person


def items(person: Person) -> list[DeskItem]:
    if not (person.organisations or person.authorities or person.is_staff):
        return []
    drafts = news_drafts(
        organisations=list(person.organisations), authorities=list(person.authorities), platform=person.is_staff
    )
    found = [
        DeskItem(
            code="community.news_draft",
            kind=_("News item to publish"),
            title=news.title,
            url=reverse("community:news_edit", kwargs={"pk": news.pk}),
            detail=news.party.name if news.party else _("The platform"),
        )
        for news in drafts[:20]
    ]
    if person.authorities or person.is_staff:
        found += [
            DeskItem(
                code="community.idea_answer",
                kind=_("Idea to answer"),
                title=idea.title,
                url=idea.get_absolute_url(),
                detail=idea.authority.name if idea.authority else _("The platform"),
            )
            for idea in ideas_to_answer(authorities=list(person.authorities), platform=person.is_staff)[:20]
        ]
    return found
