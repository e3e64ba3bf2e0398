"""The desk at /moje/: what waits for the signed-in person across the modules (`core.desk`), soonest deadline
first, each with a direct link; with nothing waiting, what the person could do next."""

from django.shortcuts import render
from django.utils import timezone

from ngo_platform.core import desk as registry
from ngo_platform.core.permissions import refusal


def desk(request):
    if (response := refusal(request)) is not None:
        return response
    person = registry.person_of(request.user, now=timezone.now())
    return render(
        request,
        "core/desk.html",
        {
            "items": registry.items_for(person),
            "represents": bool(person.organisations),
            "is_officer": bool(person.authorities),
            "is_staff": person.is_staff,
        },
    )
