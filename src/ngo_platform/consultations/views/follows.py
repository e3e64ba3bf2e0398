"""Following a consultation's authority from its page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.consultations.views.common import viewed_consultation
from ngo_platform.core.permissions import refusal
from ngo_platform.notifications import services


@require_POST
def follow_authority(request, pk):
    consultation = viewed_consultation(pk, request)
    if (response := refusal(request, "consultations.follow")) is not None:
        return response
    services.follow_add(actor=request.user, authority=consultation.authority)
    messages.success(
        request,
        _("You now follow %(name)s: we will e-mail you about its consultations.")
        % {"name": consultation.authority.name},
    )
    return redirect(consultation)
