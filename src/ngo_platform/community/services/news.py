"""Every write of the community's news: writing and changing an item, its attachments; the steps of its course are
taken by `core.workflow.perform(NEWS, …)` (community.workflows)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ngo_platform.community.models import News, NewsAttachment
from ngo_platform.community.selectors import NEWS_VERSION, Party
from ngo_platform.community.workflows import NewsError
from ngo_platform.core.services import audit_log

FIELDS = ("title", "lead", "body", "image_alt")


def news_create(*, actor, party: Party, data: dict) -> News:
    """A draft written on behalf of `party`; `data` holds the form's fields (an `image` already re-encoded)."""
    news = News(organisation=party.organisation, authority=party.authority, created_by=actor)
    if not actor.has_perm("community.change_news", news):
        raise PermissionDenied
    with transaction.atomic():
        _apply(news, data)
        news.save()
        news.spheres.set(data.get("spheres") or [])
        audit_log(actor=actor, action="community.news_create", target=news, acting_for=news.party)
    return news


def news_update(*, actor, news: News, data: dict) -> News:
    if not actor.has_perm("community.change_news", news):
        raise PermissionDenied
    with transaction.atomic():
        news = News.objects.select_for_update().get(pk=news.pk)
        if news.state == "archived":
            raise NewsError(_("An archived news item cannot be changed: publish it again first."))
        changed = _apply(news, data)
        news.save()
        news.spheres.set(data.get("spheres") or [])
        audit_log(
            actor=actor, action="community.news_update", target=news, acting_for=news.party, details={"fields": changed}
        )
        if news.is_public:
            NEWS_VERSION.bump_on_commit()
    return news


def _apply(news: News, data: dict) -> list[str]:
    """Set the form's fields; the names of those that changed. The form has checked that an image has its
    alternative text and that a description has its image (the database refuses an image without one)."""
    changed = [name for name in FIELDS if getattr(news, name) != data[name]]
    for name in FIELDS:
        setattr(news, name, data[name])
    if data.get("image"):
        news.image = data["image"]
        changed.append("image")
    elif data.get("image_remove") and news.image:
        news.image = ""
        changed.append("image")
    return changed


def news_attach(*, actor, news: News, title: str, upload, file_type: str) -> NewsAttachment:
    """An attachment whose type `core.uploads` told by its content (the form's `check_document`)."""
    if not actor.has_perm("community.change_news", news):
        raise PermissionDenied
    with transaction.atomic():
        attachment = NewsAttachment.objects.create(
            news=news, title=title, file=upload, file_type=file_type, size=upload.size
        )
        audit_log(
            actor=actor,
            action="community.news_attach",
            target=news,
            acting_for=news.party,
            details={"attachment": attachment.pk, "title": title},
        )
        if news.is_public:
            NEWS_VERSION.bump_on_commit()
    return attachment


def news_attachment_remove(*, actor, attachment: NewsAttachment) -> None:
    news = attachment.news
    if not actor.has_perm("community.change_news", news):
        raise PermissionDenied
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="community.news_detach",
            target=news,
            acting_for=news.party,
            details={"attachment": attachment.pk, "title": attachment.title},
        )
        attachment.delete()
        if news.is_public:
            NEWS_VERSION.bump_on_commit()
