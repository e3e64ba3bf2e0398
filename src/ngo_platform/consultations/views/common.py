"""What the consultations' views share: the consultation a page is about (visible to the user, advanced by the
clock) and the one its officers manage."""

from django.http import Http404

from ngo_platform.consultations import selectors, services
from ngo_platform.consultations.models import Consultation
from ngo_platform.core.permissions import refusal

PAGE_SIZE = 20
COMMENTS_PAGE_SIZE = 50


def viewed_consultation(pk: int, request, perm: str = "consultations.view_consultation") -> Consultation:
    try:
        consultation = selectors.consultation_for(pk)
    except Consultation.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("consultations.view_consultation", consultation):
        raise Http404
    return services.consultation_advance_due(consultation)


def managed_consultation(pk: int, request):
    """(consultation, None) for its officers; (None, response) otherwise."""
    consultation = viewed_consultation(pk, request)
    if (response := refusal(request, "consultations.manage_consultation", consultation)) is not None:
        return None, response
    return consultation, None
