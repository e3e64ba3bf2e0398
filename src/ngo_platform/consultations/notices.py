"""What the followers of an authority, a territory or a sphere are told about consultations (a source of
`notifications.engine`): a consultation opened, two days before it closes, its report published."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ngo_platform.consultations.models import Consultation, ConsultationState, NotificationEvent
from ngo_platform.notifications.engine import NEWS_FOR, Notice

CLOSING_SOON = timedelta(days=2)


def notice(consultation: Consultation, event: str, happened_at: datetime) -> Notice:
    detail = ""
    if event != NotificationEvent.REPORT_PUBLISHED:
        end = formats.date_format(timezone.localtime(consultation.ends_at), "j E Y, H:i")
        detail = _("%(authority)s, comments until %(end)s") % {"authority": consultation.authority.name, "end": end}
    return Notice(
        item=f"consultations.consultation:{consultation.pk}",
        event=event,
        kind=NotificationEvent(event).label,
        title=consultation.title,
        url=consultation.get_absolute_url(),
        happened_at=happened_at,
        detail=detail or consultation.authority.name,
        authority_id=consultation.authority_id,
        teryt=consultation.authority.unit.teryt,
        sphere_ids=tuple(sphere.pk for sphere in consultation.spheres.all()),
        deadline=event == NotificationEvent.CLOSING_SOON,
        template=f"consultations/email/{event}",
        context={"consultation": consultation},
    )


def due(now: datetime) -> Iterator[Notice]:
    """Open consultations, open ones ending within two days, reports published in the last NEWS_FOR."""
    base = Consultation.objects.select_related("authority", "authority__unit").prefetch_related("spheres")
    for consultation in base.filter(state=ConsultationState.OPEN):
        yield notice(consultation, NotificationEvent.OPENED, consultation.opened_at or consultation.starts_at)
        if consultation.ends_at - now <= CLOSING_SOON:
            yield notice(consultation, NotificationEvent.CLOSING_SOON, consultation.ends_at - CLOSING_SOON)
    for consultation in base.filter(state=ConsultationState.ANSWERED, report_published_at__gte=now - NEWS_FOR):
        yield notice(consultation, NotificationEvent.REPORT_PUBLISHED, consultation.report_published_at)
