"""The steps of the offer form (sections II–VII of the template): the rows of actions and results, the cost
calculation, and the plain forms of the other steps. Every step is saved on its own; the draft is kept."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.competitions import canonical, selectors, services
from ngo_platform.competitions.forms import STEP_FORMS, ActionFormSet, CostLineFormSet, ResultFormSet
from ngo_platform.competitions.views.common import STEP_SLUGS, STEPS, _offer, _steps, steps_of
from ngo_platform.core.permissions import refusal

ACTION_FIELDS = ("name", "description", "target_group", "start", "end", "carried_out_by")
RESULT_FIELDS = ("name", "target_value", "monitoring")


def _kinds(offer):
    return [(f"action:{a.position}", f"I.{a.position} {a.name}") for a in offer.actions.all()] + [
        ("administrative", _("II. Administrative costs"))
    ]


def _next_url(offer, slugs, index, call):
    """Where saving a step leads: the next step open, then the offer (or, answering a call, its page)."""
    if index + 1 < len(slugs):
        return reverse("competitions:offer_step", kwargs={"pk": offer.pk, "step": slugs[index + 1]})
    return reverse("competitions:offer_complete", kwargs={"pk": offer.pk}) if call else offer.get_absolute_url()


def _actions_step(request, offer, step, post):
    """Section III: the actions and the results, two formsets saved together."""
    actions = ActionFormSet(
        post,
        prefix="dzialania",
        initial=None if post else [{f: getattr(a, f) for f in ACTION_FIELDS} for a in offer.actions.all()],
    )
    results = ResultFormSet(
        post,
        prefix="rezultaty",
        initial=None if post else [{f: getattr(r, f) for f in RESULT_FIELDS} for r in offer.results.all()],
    )
    saved = False
    if post is not None and actions.is_valid() and results.is_valid():
        try:
            services.offer_set_rows(
                actor=request.user,
                offer=offer,
                actions=[f.cleaned_data for f in actions.forms if f.cleaned_data.get("name")],
                results=[f.cleaned_data for f in results.forms if f.cleaned_data.get("name")],
            )
        except services.CompetitionError as error:
            actions._non_form_errors = actions.error_class([str(error)])
        else:
            saved = True
    return saved, {"actions": actions, "results": results}


def _cost_line_initial(line) -> dict:
    return {
        "kind": f"action:{line.action.position}" if line.action_id else "administrative",
        "name": line.name,
        "unit": line.unit,
        "unit_cost": line.unit_cost,
        "units": line.units,
        "year": line.year,
    }


def _costs_step(request, offer, step, post):
    """Section V.A: the cost lines, by action or administrative, by year of a task of several years."""
    years = offer.competition.task_years[:3]
    kwargs = {"kinds": _kinds(offer), "years": years}
    saved_lines = sorted(offer.cost_lines.all(), key=lambda line: (line.category, line.position))
    initial = [_cost_line_initial(line) for line in saved_lines]
    lines = CostLineFormSet(post, prefix="koszty", initial=None if post else initial, form_kwargs=kwargs)
    for row, line in zip(lines.forms, saved_lines if post is None else []):
        row.line_total = line.total
    saved = False
    if post is not None and lines.is_valid():
        try:
            services.offer_set_cost_lines(
                actor=request.user, offer=offer, lines=[r for f in lines.forms if (r := f.row())]
            )
        except services.CompetitionError as error:
            lines._non_form_errors = lines.error_class([str(error)])
        else:
            saved = True
    return saved, {"lines": lines, "years": years, "multi_year": len(years) > 1}


def _form_step(request, offer, step, post):
    """Any other step: one form of the offer's fields."""
    form_class = STEP_FORMS[step]
    extra = {"joint": bool(offer.partners.all())} if step == "zrodla" else {}
    form = form_class(post, instance=offer, **extra)
    saved = False
    if post is not None and form.is_valid():
        try:
            services.offer_save_step(actor=request.user, offer=offer, step=step, data=form.data_for_service())
        except services.CompetitionError as error:
            error.attach_to(form)
        else:
            saved = True
    return saved, {"form": form}


STEP_HANDLERS = {"dzialania": _actions_step, "koszty": _costs_step}


def _show_problems(context, problems):
    """The server's sums disagree after saving: the problems go next to the fields (the draft is kept)."""
    if "form" in context:
        for problem in problems:
            context["form"].add_error(
                problem.field if problem.field in context["form"].fields else None, problem.message
            )
    else:
        context["step_problems"] = problems
    context["saved_with_problems"] = True


def offer_step(request, pk, step):
    if step not in STEP_SLUGS:
        raise Http404
    offer = _offer(request, pk, "competitions.edit_offer")
    if (response := refusal(request, "competitions.edit_offer", offer)) is not None:
        return response
    now = timezone.now()
    if (reason := selectors.edit_refusal(offer, step, now)) is not None:
        messages.info(request, reason)
        return redirect(offer.get_absolute_url())
    call = selectors.completing_call(offer, now)
    slugs = [slug for slug, _label in steps_of(offer) if call is None or slug in call.sections]
    if step not in slugs:
        raise Http404
    context = {
        "offer": offer,
        "competition": offer.competition,
        "step": step,
        "step_label": dict(STEPS)[step],
        "completing": call,
    }
    index = slugs.index(step)
    next_url = _next_url(offer, slugs, index, call)
    post = request.POST if request.method == "POST" else None
    saved, parts = STEP_HANDLERS.get(step, _form_step)(request, offer, step, post)
    context.update(parts)
    if saved:
        offer = selectors.offer_page(offer.pk)
        context["offer"] = offer
        # The sums are the server's: shown next to the fields right after saving (the draft is kept).
        problems = [p for p in canonical.offer_problems(offer) if p.step == step and step in ("koszty", "zrodla")]
        if not problems:
            messages.success(request, _("Saved."))
            return redirect(request.POST.get("next") == "stay" and request.path or next_url)
        _show_problems(context, problems)
    steps = _steps(offer, current=step, call=call)
    context.update(
        steps=steps,
        next_url=next_url,
        totals=canonical.cost_totals(list(offer.cost_lines.all())),
        index=next(n for n, s in enumerate(steps, start=1) if s["current"]),
        count=len(steps),
        partners=list(offer.partners.all()),
    )
    return render(request, f"competitions/steps/{step}.html", context)
