"""What waits on the desk (`core.desk`) in consultations.

Whoever follows an authority, a territory or a sphere (`Follow`): the consultations they follow that take comments
now and close within `CLOSING_SOON`, where they may comment (`consultations.comment`) and have not yet.
The authority's officers (`consultations.manage_consultation`): consultations past their end with comments to
answer, or with every comment answered and the report still to publish.

A fixed number of queries: the person's follows (one), the followed consultations (one), the authority's closed
consultations with their counts (one).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ngo_platform.consultations.models import Comment, CommentState, Consultation, ConsultationState
from ngo_platform.core.desk import DeskItem, Person
from ngo_platform.notifications.selectors import subject_follows_of

S = ConsultationState
# A followed consultation comes to the desk this long before it closes (statutory consultations last 7–30 days).
CLOSING_SOON = timedelta(days=21)


def items(person: Person) -> list[DeskItem]:
    found = _followed(person)
    if person.authorities:
        found += _to_answer(person)
    return found


def _followed_query(follows) -> Q | None:
    """The consultations matching the follows, as `notifications.engine.Followers` matches people to a consultation: its
    authority, a territory containing the authority's unit, or one of its spheres."""
    query = Q()
    for follow in follows:
        if follow.authority_id:
            query |= Q(authority_id=follow.authority_id)
        elif follow.unit_id:
            query |= Q(authority__unit__teryt__startswith=follow.unit.teryt)
        elif follow.sphere_id:
            query |= Q(spheres=follow.sphere_id)
    return query or None


def _followed(person: Person) -> list[DeskItem]:
    user, now = person.user, person.now
    query = _followed_query(subject_follows_of(user))
    if query is None:
        return []
    mine = Comment.objects.filter(consultation=OuterRef("pk"), author=user, state=CommentState.SUBMITTED)
    consultations = (
        Consultation.objects.filter(query)
        .filter(state__in=[S.SCHEDULED, S.OPEN], starts_at__lte=now, ends_at__gte=now, ends_at__lte=now + CLOSING_SOON)
        .exclude(Exists(mine))
        .select_related("authority")
        .distinct()
        .order_by("ends_at", "pk")
    )
    kind = _("Consultation you follow")
    return [
        DeskItem(
            "consultations.follow",
            kind,
            consultation.title,
            consultation.get_absolute_url(),
            consultation.ends_at,
            consultation.authority.name,
        )
        for consultation in consultations
        if user.has_perm("consultations.comment", consultation)
    ]


def _to_answer(person: Person) -> list[DeskItem]:
    """Consultations of the person's authorities past their end (closed, or open with the end passed and not yet
    closed by the clock), with the submitted comments not yet answered."""
    submitted = Q(comments__state=CommentState.SUBMITTED)
    consultations = (
        Consultation.objects.filter(authority_id__in=list(person.authorities))
        .filter(Q(state=S.CLOSED) | Q(state=S.OPEN, ends_at__lt=person.now))
        .select_related("authority")
        .annotate(unanswered=Count("comments", filter=submitted & Q(comments__answer_position="")))
        .order_by("ends_at", "pk")
    )
    found = []
    for consultation in consultations:
        if not person.user.has_perm("consultations.manage_consultation", consultation):
            continue
        url = reverse("consultations:answers", kwargs={"pk": consultation.pk})  # the report is published there too
        if consultation.unanswered:
            detail = ngettext("%(n)s comment to answer.", "%(n)s comments to answer.", consultation.unanswered) % {
                "n": consultation.unanswered
            }
            found.append(
                DeskItem("consultations.answer", _("Comments to answer"), consultation.title, url, None, detail)
            )
        else:
            detail = _("Every comment has been answered: publish the report.")
            found.append(
                DeskItem("consultations.report", _("Report to publish"), consultation.title, url, None, detail)
            )
    return found
