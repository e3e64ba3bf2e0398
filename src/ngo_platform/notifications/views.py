"""The follows page (subjects, items and e-mail preferences) and the follow button of a single item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.core.permissions import posted_id
from ngo_platform.notifications import followable, selectors, services
from ngo_platform.notifications.forms import FollowForm, PreferenceForm
from ngo_platform.notifications.models import Follow


@login_required
def follows(request):
    kind = request.POST.get("form") if request.method == "POST" else None
    form = FollowForm(request.POST if kind == "follow" else None)
    current = selectors.settings_of(request.user)
    preference_form = PreferenceForm(
        request.POST if kind == "preference" else None,
        initial={"email_enabled": current["email_enabled"], "daily_digest": current["daily_digest"]},
    )
    if kind == "follow" and form.is_valid():
        services.follow_add(actor=request.user, **{k: v for k, v in form.cleaned_data.items() if v})
        messages.success(request, _("You now follow it: we will e-mail you about what happens there."))
        return redirect("notifications:follows")
    if kind == "preference" and preference_form.is_valid():
        services.preference_set(actor=request.user, **preference_form.cleaned_data)
        messages.success(request, _("Your e-mail preferences have been saved."))
        return redirect("notifications:follows")
    if kind == "remove":
        follow = get_object_or_404(Follow, pk=posted_id(request), user=request.user)
        services.follow_remove(actor=request.user, follow=follow)
        messages.success(request, _("You no longer follow it."))
        return redirect("notifications:follows")
    context = {"form": form, "preference_form": preference_form, "follows": selectors.follows_of(request.user)}
    return render(request, "notifications/follows.html", context)


@require_POST
def follow_item(request, label, pk):
    """Follow (`action=follow`) or stop following one item, then back to its page."""
    target = followable.item(label, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(target.get_absolute_url())
    if not request.user.has_perm(followable.perm_of(label), target):
        raise Http404
    if request.POST.get("action") == "follow":
        services.follow_add(actor=request.user, target=target)
        messages.success(request, _("You now follow it: we will e-mail you about what happens there."))
    elif (follow := selectors.follow_of(request.user, target)) is not None:
        services.follow_remove(actor=request.user, follow=follow)
        messages.success(request, _("You no longer follow it."))
    return redirect(target)
