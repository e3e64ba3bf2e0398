"""The kinds of single items a person may follow (a forum thread, an idea), each with the rule that lets them.

An app registers its kinds in `AppConfig.ready()`: `followable.register("forum.thread", perm="forum.view_thread")`;
the follow button posts to `notifications:follow_item` with the label and the item's id."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404

_kinds: dict[str, str] = {}


def register(label: str, *, perm: str) -> None:
    _kinds[label] = perm


def perm_of(label: str) -> str | None:
    return _kinds.get(label)


def item(label: str, pk: int):
    """The followable item named by the label and id, or 404."""
    if label not in _kinds:
        raise Http404
    model = apps.get_model(label)
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist as missing:
        raise Http404 from missing


def label_of(obj) -> str:
    return obj._meta.label_lower
