"""What the consultations' services share: the officer's permission, the locked consultation and a step of its
course (`workflows.CONSULTATION`) taken by the server's clock."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ngo_platform.consultations.models import Consultation, ConsultationState
from ngo_platform.consultations.services import clock
from ngo_platform.consultations.workflows import CONSULTATION
from ngo_platform.core.workflow import perform

S = ConsultationState


def check_officer(actor, consultation_or_authority, perm="consultations.manage_consultation") -> None:
    if actor is not None and not actor.has_perm(perm, consultation_or_authority):
        raise PermissionDenied


def lock_consultation(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("authority").get(pk=consultation.pk)


def transition(consultation: Consultation, name: str, *, actor, details: dict | None = None) -> Consultation:
    """Take the step `name` of the consultation's course (`workflows.CONSULTATION`) by the server's clock."""
    return perform(CONSULTATION, consultation, name, actor=actor, now=clock.now(), details=details)
