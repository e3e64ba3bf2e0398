"""The formal check: the officer's overview and checklist, the marks and decision on one offer, the call to
complete it; and the applicant's page answering the call."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.competitions import canonical, selectors, services
from ngo_platform.competitions.forms import (
    ChecklistForm,
    CompletionCallForm,
    FormalDecisionForm,
    FormalMarksForm,
    ReasonForm,
)
from ngo_platform.competitions.models import CALL_PARTS, CompetitionState, OfferState
from ngo_platform.competitions.views.common import _manage, _offer, _steps
from ngo_platform.core.permissions import refusal


def formal_overview(request, slug):
    """The officer's formal check: the checklist of the announcement and every offer's state."""
    competition, response = _manage(request, slug)
    if response is not None:
        return response
    items = list(competition.formal_items.all())
    form = ChecklistForm(request.POST or None, initial={"items": "\n".join(i.text for i in items)})
    if request.method == "POST" and request.POST.get("action") == "start":
        try:
            services.formal_check_start(actor=request.user, competition=competition)
        except services.CompetitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The formal check has started."))
        return redirect("competitions:formal_overview", slug=competition.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.formal_checklist_set(actor=request.user, competition=competition, items=form.lines())
        except services.CompetitionError as error:
            form.add_error("items", str(error))
        else:
            messages.success(request, _("The checklist has been saved."))
            return redirect("competitions:formal_overview", slug=competition.slug)
    offers = selectors.formal_check_offers(competition) if competition.state != CompetitionState.PUBLISHED else []
    for offer in offers:
        offer.marked = len(offer.formal_marks.all())
        offer.unmet = sum(1 for mark in offer.formal_marks.all() if not mark.met)
        offer.call, offer.n_calls = selectors.latest_call(offer), len(offer.completion_calls.all())
    return render(
        request,
        "competitions/formal_overview.html",
        {
            "competition": competition,
            "form": form,
            "items": items,
            "offers": offers,
            "now": timezone.now(),
            "may_edit_checklist": request.user.has_perm("competitions.set_checklist", competition)
            and not any(o.marked for o in offers),
        },
    )


def _formal_forms(request, offer, items, marks, action) -> dict:
    """The three forms of the officer's page on an offer; only the one whose action was sent is bound."""
    default_deadline = timezone.localtime() + timedelta(days=7)
    return {
        "marks": FormalMarksForm(request.POST if action == "marks" else None, items=items, marks=marks, prefix="m"),
        "call": CompletionCallForm(
            request.POST if action == "call" else None,
            prefix="c",
            offer=offer,
            initial={"deadline": default_deadline.replace(hour=23, minute=59, second=59, microsecond=0)},
        ),
        "decide": FormalDecisionForm(request.POST if action == "decide" else None, prefix="d"),
    }


def _formal_actions(request, offer) -> dict:
    """For each form of the page: what the service does with it once valid, and the message that says so."""
    return {
        "marks": (
            lambda f: services.formal_mark(actor=request.user, offer=offer, marks=f.marks()),
            _("The marks have been saved."),
        ),
        "call": (
            lambda f: services.completion_call(
                actor=request.user,
                offer=offer,
                message=f.cleaned_data["message"],
                sections=f.cleaned_data["sections"],
                deadline=f.cleaned_data["deadline"],
                attachments=f.cleaned_data["attachment_names"],
            ),
            _("The applicant has been called to complete the offer."),
        ),
        "decide": (
            lambda f: services.formal_decide(
                actor=request.user,
                offer=offer,
                correct=f.cleaned_data["result"] == "correct",
                reason=f.cleaned_data["reason"],
            ),
            _("The result of the formal check has been recorded."),
        ),
    }


def formal_offer(request, pk):
    """The officer marks one offer, calls to complete it, decides."""
    offer = _offer(request, pk)
    competition = offer.competition
    if (response := refusal(request, "competitions.manage_competition", competition)) is not None:
        return response
    if offer.is_draft:
        raise Http404
    items = list(competition.formal_items.all())
    marks = {mark.item_id: mark for mark in offer.formal_marks.all()}
    calls = selectors.calls_with_changes(offer)
    waiting = selectors.completing_call(offer, timezone.now())
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _formal_forms(request, offer, items, marks, action)
    if action in forms:
        form = forms[action]
        run, done = _formal_actions(request, offer)[action]
        if form.is_valid():
            try:
                run(form)
            except services.CompetitionError as error:
                error.attach_to(form)
            else:
                messages.success(request, done)
                return redirect("competitions:formal_offer", pk=offer.pk)
    return render(
        request,
        "competitions/formal_offer.html",
        {
            "offer": offer,
            "competition": competition,
            "items": items,
            "marks": marks,
            "calls": calls,
            "waiting": waiting,
            "marks_form": forms["marks"],
            "call_form": forms["call"],
            "decision_form": forms["decide"],
            "now": timezone.now(),
            # The offer's checks as it reads now (after a completion, what the applicant changed is checked again).
            "checks": [p for p in canonical.offer_problems(offer) if p.step != "partnerzy"] if calls else [],
            "open": competition.state == CompetitionState.FORMAL_CHECK
            and offer.state in (OfferState.SUBMITTED, OfferState.TO_COMPLETE),
            "parts": CALL_PARTS,
            "submission": selectors.active_submission(offer),
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def offer_complete(request, pk):
    """The applicant's page of the calls to complete: what is asked, the parts to correct (through the
    offer's own steps), the attachments to add, what has changed so far, and sending the completion.
    Earlier calls are listed with what changed and the checksums."""
    offer = _offer(request, pk, "competitions.edit_offer")
    if (response := refusal(request, "competitions.edit_offer", offer)) is not None:
        return response
    calls = selectors.calls_with_changes(offer)
    if not calls:
        raise Http404
    now = timezone.now()
    call = selectors.completing_call(offer, now)
    may_send = call is not None and request.user.has_perm("competitions.submit_offer", offer)
    form = ReasonForm(request.POST if request.method == "POST" and may_send else None, prefix="n")
    form.fields["reason"].label = _("Explanation for the authority (optional)")
    form.fields["reason"].required = False
    problems, status = [], 200
    if request.method == "POST":
        if not request.user.has_perm("competitions.submit_offer", offer):
            raise PermissionDenied
        if not may_send:  # sent already (a second click), or past the deadline: say so
            messages.error(
                request,
                _("The completion has been sent already.")
                if calls[-1].sent
                else selectors.edit_refusal(offer, "", now),
            )
            return redirect("competitions:offer_complete", pk=offer.pk)
        if form.is_valid():
            try:
                services.completion_answer(
                    actor=request.user,
                    offer=offer,
                    note=form.cleaned_data["reason"],
                    call_id=_int(request.POST.get("call")),
                )
            except services.OfferIncomplete as error:
                problems = error.problems
            except services.CompetitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The offer has been completed. The authority will decide on the formal check.")
                )
                return redirect("competitions:offer_complete", pk=offer.pk)
        status = 400
    pending = []
    if call is not None:  # what still stops the sending (what has changed: `selectors.calls_with_changes`)
        pending = problems or services.completion_problems(offer, call)
    return render(
        request,
        "competitions/offer_complete.html",
        {
            "offer": offer,
            "competition": offer.competition,
            "call": call,
            "calls": calls,
            "form": form,
            "may_send": may_send,
            "problems": pending,
            "sent_with_problems": bool(problems),
            "now": now,
            "parts": CALL_PARTS,
            "steps": _steps(offer, current="uzupelnienie", call=call) if call else [],
            "added": {a.name for a in offer.attachments.all() if call and a.pk not in call.attachments_before},
        },
        status=status,
    )
