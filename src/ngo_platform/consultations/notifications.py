"""E-mail to people who follow an authority, a territory or a sphere: a consultation opened, two days
before it closes, its report published. Each (person, consultation, event) is sent once (`NotificationSent`).

People who chose the daily digest get one e-mail per `--digest` run (once a day) with everything new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from ngo_platform.consultations import services
from ngo_platform.consultations.models import (
    Consultation,
    ConsultationState,
    Follow,
    NotificationEvent,
    NotificationPreference,
    NotificationSent,
)
from ngo_platform.core.services import email_notify

CLOSING_SOON = timedelta(days=2)


# A report is announced to followers for this long after its publication, no longer.
REPORT_NEWS_FOR = timedelta(days=30)


@dataclass
class Item:
    consultation: Consultation
    event: str
    happened_at: datetime

    @property
    def label(self) -> str:
        return NotificationEvent(self.event).label


def due_events() -> list[Item]:
    """Every event that is true now: open consultations, open ones ending within two days, reports
    published in the last REPORT_NEWS_FOR; each with the moment it happened."""
    moment = services.now()
    items = []
    base = Consultation.objects.select_related("authority", "authority__unit").prefetch_related("spheres")
    for consultation in base.filter(state=ConsultationState.OPEN):
        items.append(Item(consultation, NotificationEvent.OPENED, consultation.opened_at or consultation.starts_at))
        if consultation.ends_at - moment <= CLOSING_SOON:
            items.append(Item(consultation, NotificationEvent.CLOSING_SOON, consultation.ends_at - CLOSING_SOON))
    for consultation in base.filter(
        state=ConsultationState.ANSWERED, report_published_at__gte=moment - REPORT_NEWS_FOR
    ):
        items.append(Item(consultation, NotificationEvent.REPORT_PUBLISHED, consultation.report_published_at))
    return items


def followers(consultation: Consultation) -> dict[int, datetime]:
    """The people following the consultation's authority, a territory containing it, or one of its
    spheres: user id → when they began following it (their earliest matching follow)."""
    teryt = consultation.authority.unit.teryt
    prefixes = {teryt[:n] for n in (2, 4, 7) if len(teryt) >= n}
    spheres = [sphere.pk for sphere in consultation.spheres.all()]
    query = Q(authority=consultation.authority_id) | Q(unit__teryt__in=prefixes)
    if spheres:
        query |= Q(sphere__in=spheres)
    since: dict[int, datetime] = {}
    for user_id, created_at in Follow.objects.filter(query).values_list("user_id", "created_at"):
        since[user_id] = min(created_at, since.get(user_id, created_at))
    return since


def send(*, digest: bool = False) -> int:
    """Send what is due and not yet sent; return the number of e-mails queued. Idempotent."""
    from ngo_platform.accounts.models import User

    items = due_events()
    if not items:
        return 0
    sent = set(
        NotificationSent.objects.filter(consultation__in={i.consultation.pk for i in items}).values_list(
            "user_id", "consultation_id", "event"
        )
    )
    preferences = {p.user_id: p for p in NotificationPreference.objects.all()}
    pending: dict[int, list[Item]] = {}
    for item in items:
        for user_id, following_since in followers(item.consultation).items():
            if (user_id, item.consultation.pk, item.event) in sent:
                continue
            if item.event != NotificationEvent.CLOSING_SOON and item.happened_at < following_since:
                continue  # no news of what happened before the person followed; a deadline still matters
            preference = preferences.get(user_id)
            if preference is not None and not preference.email_enabled:
                continue
            if (preference is not None and preference.daily_digest) != digest:
                continue
            pending.setdefault(user_id, []).append(item)
    users = {u.pk: u for u in User.objects.filter(pk__in=pending, is_active=True)}
    count = 0
    for user_id, user_items in pending.items():
        user = users.get(user_id)
        if user is None:
            continue
        try:
            with transaction.atomic():
                for item in user_items:
                    NotificationSent.objects.create(user=user, consultation=item.consultation, event=item.event)
                if digest:
                    email_notify(
                        to=[user.email],
                        template="consultations/email/digest",
                        context={"items": user_items, "user": user},
                    )
                    count += 1
                else:
                    for item in user_items:
                        email_notify(
                            to=[user.email],
                            template=f"consultations/email/{item.event}",
                            context={"consultation": item.consultation, "user": user},
                        )
                        count += 1
        except IntegrityError:  # another run sent it meanwhile
            continue
    return count
