"""Following authorities, units and spheres, and the e-mail preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.consultations import selectors, services
from ngo_platform.consultations.forms import FollowForm, PreferenceForm
from ngo_platform.consultations.models import Follow, NotificationPreference
from ngo_platform.consultations.views.common import posted_id, viewed_consultation
from ngo_platform.core.permissions import refusal


@login_required
def follows(request):
    form = FollowForm(request.POST if request.POST.get("form") == "follow" else None)
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
    preference_form = PreferenceForm(
        request.POST if request.POST.get("form") == "preference" else None,
        initial={"email_enabled": preference.email_enabled, "daily_digest": preference.daily_digest},
    )
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind == "follow" and form.is_valid():
            services.follow_add(actor=request.user, **{k: v for k, v in form.cleaned_data.items() if v})
            messages.success(request, _("You now follow it: we will e-mail you about its consultations."))
            return redirect("consultations:follows")
        if kind == "preference" and preference_form.is_valid():
            services.preference_set(actor=request.user, **preference_form.cleaned_data)
            messages.success(request, _("Your e-mail preferences have been saved."))
            return redirect("consultations:follows")
        if kind == "remove":
            follow = get_object_or_404(Follow, pk=posted_id(request), user=request.user)
            services.follow_remove(actor=request.user, follow=follow)
            messages.success(request, _("You no longer follow it."))
            return redirect("consultations:follows")
    return render(
        request,
        "consultations/follows.html",
        {
            "form": form,
            "preference_form": preference_form,
            "follows": selectors.follows_of(request.user),
        },
    )


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
