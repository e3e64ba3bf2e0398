"""A page that asks before an irreversible action. The action's form posts as it always did; without the
`confirmed` field the view answers with this page, which says what will happen and what cannot be undone and
posts the same fields again with `confirmed=1`. No JavaScript is needed and a double click cannot skip it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


def ask_first(
    request: HttpRequest, *, title, consequences, irreversible, button, cancel_url: str
) -> HttpResponse | None:
    """None when the request carries the confirmation (go on with the action); otherwise the confirmation page.
    `consequences`: sentences saying what will happen and who will be told; `irreversible`: what cannot be undone."""
    if request.method != "POST" or request.POST.get(CONFIRMED) == "1":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    context = {
        "title": title,
        "consequences": consequences,
        "irreversible": irreversible,
        "button": button,
        "cancel_url": cancel_url,
        "fields": fields,
    }
    return render(request, "core/confirm.html", context)


def ask_before(
    request: HttpRequest, workflow, name: str, obj, *, title, consequences, button, cancel_url: str, irreversible=None
) -> HttpResponse | None:
    """`ask_first` before the step `name` of `obj`'s workflow, with the step's own `confirm` as what cannot be
    undone; only when the step would be taken now (a refusal is then the action's own message, at once)."""
    step = workflow[name]
    if not workflow.can(step, obj, request.user):
        return None
    return ask_first(
        request,
        title=title,
        consequences=consequences,
        irreversible=irreversible or step.confirm,
        button=button,
        cancel_url=cancel_url,
    )
