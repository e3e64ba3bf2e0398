"""Reads of the consultations app, each with the prefetching its page needs.

The consultation page runs a fixed number of queries whatever the number of units and comments.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ngo_platform.consultations.models import (
    PUBLIC_STATES,
    Comment,
    CommentState,
    Consultation,
    ConsultationState,
    DraftUnit,
)
from ngo_platform.core.drafting import units as unitlib
from ngo_platform.core.page_cache import DataVersion
from ngo_platform.territory.models import Authority


@dataclass
class ListFilters:
    authority: str = ""  # slug
    powiat: str = ""  # TERYT of a powiat (4 digits)
    kind: str = ""
    state: str = ""
    sphere: str = ""  # number of art. 4 ust. 1

    def active(self) -> bool:
        return any((self.authority, self.powiat, self.kind, self.state, self.sphere))


def public_consultations(filters: ListFilters | None = None) -> QuerySet[Consultation]:
    """Public consultations, soonest closing first: open ones by their end, then scheduled by their start,
    then the finished ones, most recent first."""
    filters = filters or ListFilters()
    queryset = Consultation.objects.filter(state__in=PUBLIC_STATES).select_related("authority", "authority__unit")
    if filters.authority:
        queryset = queryset.filter(authority__slug=filters.authority)
    if filters.powiat:
        queryset = queryset.filter(authority__unit__teryt__startswith=filters.powiat)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.sphere:
        queryset = queryset.filter(spheres__number=filters.sphere).distinct()
    order = Case(
        When(state=ConsultationState.OPEN, then=Value(0)),
        When(state=ConsultationState.SCHEDULED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    # Open and scheduled: soonest end first; finished: the most recent end first.
    return queryset.annotate(
        order_group=order,
        coming_end=Case(When(order_group__lt=2, then=F("ends_at"))),
        past_end=Case(When(order_group=2, then=F("ends_at"))),
    ).order_by("order_group", F("coming_end").asc(nulls_last=True), F("past_end").desc(nulls_last=True), "id")


def authorities_with_consultations() -> QuerySet[Authority]:
    return Authority.objects.filter(consultations__state__in=PUBLIC_STATES).distinct().order_by("name")


def consultation_for(pk: int) -> Consultation:
    return Consultation.objects.select_related("authority", "authority__unit", "authority__consultation_settings").get(
        pk=pk
    )


def consultation_page(*, consultation: Consultation, user, comments_visible: bool) -> dict:
    """What the consultation page shows: seven queries at most, whatever the size of the draft."""
    units = list(
        consultation.units.order_by("position").only(
            "id", "consultation_id", "position", "depth", "kind", "label", "title", "text", "citation", "parent_id"
        )
    )
    counts: dict[int | None, int] = {}
    total = 0
    if comments_visible:
        for row in (
            consultation.comments.filter(state=CommentState.SUBMITTED)
            .values("unit_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[row["unit_id"]] = row["n"]
            total += row["n"]
    for unit in units:
        unit.comment_count = counts.get(unit.pk, 0)
        unit.heading = unitlib.heading(unit)
        # Labels made here, not by {% blocktranslate %} in the template: thousands of units each
        # rendering a plural translation tag cost a third of a second.
        name = unit.citation or unit.heading or unit.kind
        unit.comment_action = _("Comment on %(unit)s") % {"unit": name}
        if unit.comment_count:
            unit.comments_label = ngettext(
                "%(counter)s comment on %(citation)s", "%(counter)s comments on %(citation)s", unit.comment_count
            ) % {"counter": unit.comment_count, "citation": unit.citation}
    mine = []
    if user.is_authenticated:
        mine = list(
            Comment.objects.filter(consultation=consultation)
            .filter(Q(author=user) | Q(organisation__memberships__user=user))
            .select_related("organisation", "author")
            .distinct()
            .order_by("created_at", "id")
        )
    return {
        "consultation": consultation,
        "units": units,
        "attachments": list(consultation.attachments.all()),
        "meetings": list(consultation.meetings.all()),
        "spheres": list(consultation.spheres.all()),
        "comment_total": total,
        "whole_document_count": counts.get(None, 0),
        "my_comments": mine,
    }


def comments_list(
    *, consultation: Consultation, unit: DraftUnit | None = None, whole: bool = False
) -> QuerySet[Comment]:
    queryset = (
        Comment.objects.filter(consultation=consultation, state=CommentState.SUBMITTED)
        .select_related("organisation", "author", "unit")
        .order_by("unit__position", "created_at", "id")
    )
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    elif whole:
        queryset = queryset.filter(unit__isnull=True)
    return queryset


def answer_groups(*, consultation: Consultation, only_unanswered: bool) -> list[list[Comment]]:
    """The submitted comments grouped as identical (same unit, proposal and justification), in document order."""
    comments = comments_list(consultation=consultation)
    if only_unanswered:
        comments = comments.filter(answer_position="")
    return list(unitlib.group_identical(comments).values())


def answer_progress(consultation: Consultation) -> tuple[int, int]:
    """(answered, submitted) comments."""
    counts = consultation.comments.filter(state=CommentState.SUBMITTED).aggregate(
        total=Count("id"), answered=Count("id", filter=~Q(answer_position=""))
    )
    return counts["answered"], counts["total"]


def officer_consultations(user) -> list[tuple[Authority, list[Consultation]]]:
    authorities = list(Authority.objects.filter(memberships__user=user).order_by("name"))
    consultations = Consultation.objects.filter(authority__in=authorities).order_by("-created_at")
    by_authority: dict[int, list[Consultation]] = {authority.pk: [] for authority in authorities}
    for consultation in consultations:
        by_authority[consultation.authority_id].append(consultation)
    return [(authority, by_authority[authority.pk]) for authority in authorities]


def changes(consultation: Consultation) -> list[dict]:
    """Per unit of the draft, what the adopted text changed (`units.compare`)."""
    draft = list(consultation.units.order_by("position"))
    return unitlib.compare(draft, [_Unit(item) for item in consultation.final_units or []])


class _Unit:
    def __init__(self, item: dict):
        self.kind, self.label, self.title, self.text = item["kind"], item["label"], item["title"], item["text"]
        self.citation, self.depth = item["citation"] or "", item.get("depth", 0)


# The version of what public pages cached for anonymous visitors show of the consultations (the home page): bumped
# after a committed change of their state, dates or title (`public_changed_on_commit` in the services).
PUBLIC = DataVersion("consultations:public-version")
public_changed_on_commit = PUBLIC.bump_on_commit
