"""Reads of the announcements: the public list (cached by version), a competition's page, the parameters in
force."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from ngo_platform.competitions.models import Competition, CompetitionState, LegalParameters
from ngo_platform.core.page_cache import DataVersion
from ngo_platform.core.selectors import parameters_in_force

# The version of the public list (and of the home page's competitions), bumped after every committed change.
LIST = DataVersion("competitions:list-version")
list_changed_on_commit = LIST.bump_on_commit


def legal_parameters(*, authority, on: datetime.date | None = None) -> LegalParameters:
    """The parameters in force on `on` (today); see `core.selectors.parameters_in_force`."""
    return parameters_in_force(LegalParameters, authority=authority, on=on)


def competition_queryset() -> QuerySet[Competition]:
    return Competition.objects.select_related("authority", "sphere")


def public_competitions(filters: dict | None = None) -> QuerySet[Competition]:
    """Announced competitions (not drafts), soonest open deadline first, with the list's filters:
    authority (slug), sphere (number), form, status ("open" / "closed"), q (words of the title)."""
    filters = filters or {}
    now = timezone.now()
    queryset = competition_queryset().exclude(state=CompetitionState.DRAFT)
    if filters.get("authority"):
        queryset = queryset.filter(authority__slug=filters["authority"])
    if filters.get("sphere"):
        queryset = queryset.filter(sphere__number=filters["sphere"])
    if filters.get("form"):
        queryset = queryset.filter(task_form=filters["form"])
    if filters.get("status") == "open":
        queryset = queryset.filter(state=CompetitionState.PUBLISHED, offers_deadline__gt=now)
    elif filters.get("status") == "closed":
        queryset = queryset.exclude(state=CompetitionState.PUBLISHED, offers_deadline__gt=now)
    for word in (filters.get("q") or "").split()[:5]:
        queryset = queryset.filter(Q(title__icontains=word) | Q(task_kind__icontains=word))
    return queryset.order_by("-published_at", "-id")


def competitions_managed_by(user) -> QuerySet[Competition]:
    if not user.is_authenticated:
        return Competition.objects.none()
    queryset = competition_queryset()
    if user.is_staff:
        return queryset
    return queryset.filter(authority__memberships__user=user).distinct()


def competition_page(slug: str) -> Competition:
    return competition_queryset().prefetch_related("criteria", "versions").get(slug=slug)
