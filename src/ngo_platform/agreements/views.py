"""Views of the agreements app: thin; the services decide and write, the selectors read. Every page works
without JavaScript: each form posts an `action` and the page answers with the errors next to the fields."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.agreements import selectors, services
from ngo_platform.agreements.document import agreement_docx
from ngo_platform.agreements.forms import (
    AgreementForm,
    CostLineFormSet,
    DecisionForm,
    InstalmentFormSet,
    ReasonForm,
    ReopenForm,
    ReportForm,
    SignForm,
    SourcesForm,
    instalments_from,
)
from ngo_platform.agreements.models import Agreement, AgreementState, ReviewState
from ngo_platform.agreements.workflows import EDITABLE
from ngo_platform.competitions.canonical import cost_totals
from ngo_platform.competitions.models import CostCategory, Offer
from ngo_platform.core.documents import DOCX_TYPE, file_response
from ngo_platform.core.permissions import refusal
from ngo_platform.organisations.models import Organisation

AS = AgreementState


def _agreement(request, pk) -> Agreement:
    try:
        return selectors.agreement_page(pk)
    except Agreement.DoesNotExist:
        raise Http404 from None


def _stages(agreement, cost_update, report) -> list[dict]:
    """The course of the agreement as the organisation sees it. Each stage is a fact that either holds or not; the
    current one is the last that holds (what is true now), the earlier ones are done, the later ones still to
    come. A terminated agreement has no current stage: it shows only what was reached before the termination."""
    needs_update = selectors.needs_cost_update(agreement)
    state = agreement.state
    sent = state in (AS.SENT, AS.SIGNED, AS.SETTLED) or (state == AS.TERMINATED and agreement.sent_at is not None)
    signed = state in (AS.SIGNED, AS.SETTLED) or (state == AS.TERMINATED and agreement.signed_on is not None)
    stages = [
        ("draft", _("Agreement prepared by the authority"), True),
        ("sent", _("Agreement sent to the organisation"), sent),
    ]
    if needs_update:
        accepted = cost_update is not None and cost_update.state == ReviewState.ACCEPTED
        stages.append(("cost_update", _("Updated cost calculation accepted"), accepted or signed))
    submitted = report is not None and report.state not in EDITABLE
    stages += [
        ("signed", _("Agreement signed"), signed),
        ("report", _("Final report submitted"), signed and submitted),
        ("settled", _("Report accepted: settled"), state == AS.SETTLED),
    ]
    reached = max(n for n, (_key, _label, holds) in enumerate(stages) if holds)
    current = None if state == AS.TERMINATED else reached
    return [
        {"key": key, "label": label, "done": holds and n != current, "current": n == current}
        for n, (key, label, holds) in enumerate(stages)
    ]


def agreement_list(request):
    """The officer's list: funded offers waiting for an agreement and the agreements with their states."""
    if (response := refusal(request)) is not None:
        return response
    user = request.user
    if not (user.is_staff or user.authority_memberships.exists()):
        raise PermissionDenied
    state = request.GET.get("stan", "")
    if state not in AS.values:
        state = ""
    return render(
        request,
        "agreements/list.html",
        {
            "agreements": list(selectors.agreements_managed_by(user, state=state)[:500]),
            "offers": list(selectors.funded_offers_without_agreement(user)[:200]),
            "states": AS.choices,
            "state": state,
            "today": timezone.localdate(),
        },
    )


@require_POST
def agreement_create(request, offer_pk):
    offer = get_object_or_404(Offer.objects.select_related("competition"), pk=offer_pk)
    if (response := refusal(request, "agreements.manage_agreement", offer)) is not None:
        return response
    try:
        agreement = services.agreement_create(actor=request.user, offer=offer)
    except services.AgreementError as error:
        messages.error(request, str(error))
        return redirect("agreements:list")
    messages.success(
        request, _("The agreement has been prepared from the offer. Complete it and send it to the organisation.")
    )
    return redirect("agreements:edit", pk=agreement.pk)


def agreement_detail(request, pk):
    agreement = _agreement(request, pk)
    if (response := refusal(request, "agreements.view_agreement", agreement)) is not None:
        return response
    user = request.user
    may_manage = user.has_perm("agreements.manage_agreement", agreement)
    cost_update = selectors.cost_update_of(agreement)
    report = selectors.final_report(agreement)
    context = {
        "agreement": agreement,
        "offer": agreement.offer,
        "competition": agreement.offer.competition,
        "parties": list(agreement.parties.all()),
        "instalments": list(agreement.instalments.all()),
        "history": list(agreement.history.all()),
        "cost_update": cost_update,
        "report": report,
        "needs_cost_update": selectors.needs_cost_update(agreement),
        "may_manage": may_manage,
        "may_fill": user.has_perm("agreements.fill_agreement", agreement),
        "stages": _stages(agreement, cost_update, report),
        "today": timezone.localdate(),
    }
    if may_manage:
        context["problems"] = services.agreement_problems(agreement) if agreement.state == AS.DRAFT else []
        context["sign_form"] = SignForm(initial={"signed_on": timezone.localdate()}, prefix="podpis")
        context["reason_form"] = ReasonForm(prefix="rozwiazanie")
        context["reopen_form"] = ReopenForm(prefix="poprawa")
    return render(request, "agreements/detail.html", context)


def agreement_edit(request, pk):
    agreement = _agreement(request, pk)
    if (response := refusal(request, "agreements.manage_agreement", agreement)) is not None:
        return response
    if agreement.state != AS.DRAFT:
        messages.info(request, _("Only a draft agreement can be changed: take it back to a draft first."))
        return redirect(agreement.get_absolute_url())
    parties = list(agreement.parties.all())
    post = request.POST if request.method == "POST" else None
    form = AgreementForm(post, instance=agreement, parties=parties)
    initial = [{"due_on": row.due_on, "amount": row.amount} for row in agreement.instalments.all()]
    instalments = InstalmentFormSet(post, prefix="raty", initial=None if post else initial)
    if post is not None and form.is_valid() and instalments.is_valid():
        try:
            services.agreement_update(
                actor=request.user,
                agreement=agreement,
                data=form.data_for_service(),
                signatories=form.signatories(),
                instalments=instalments_from(instalments),
            )
        except services.AgreementError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The agreement has been saved."))
            return redirect(agreement.get_absolute_url())
    return render(
        request,
        "agreements/edit.html",
        {
            "agreement": agreement,
            "offer": agreement.offer,
            "form": form,
            "instalments": instalments,
        },
    )


@require_POST
def agreement_action(request, pk, action):
    """The officer's steps from the agreement page: send, take back to a draft, sign, terminate."""
    agreement = _agreement(request, pk)
    if (response := refusal(request, "agreements.manage_agreement", agreement)) is not None:
        return response
    forms = {"podpis": SignForm, "rozwiazanie": ReasonForm, "poprawa": ReopenForm}
    form = forms[action](request.POST, prefix=action) if action in forms else None
    try:
        if action == "wyslij":
            services.agreement_send(actor=request.user, agreement=agreement)
            messages.success(request, _("The agreement has been sent to the organisation."))
        elif form is None:
            raise Http404
        elif not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        elif action == "podpis":
            services.agreement_sign(actor=request.user, agreement=agreement, signed_on=form.cleaned_data["signed_on"])
            messages.success(request, _("The signing of the agreement has been recorded."))
        elif action == "rozwiazanie":
            services.agreement_terminate(actor=request.user, agreement=agreement, reason=form.cleaned_data["reason"])
            messages.success(request, _("The agreement has been terminated."))
        else:
            services.agreement_reopen(actor=request.user, agreement=agreement, note=form.cleaned_data["note"])
            messages.success(request, _("The agreement is a draft again."))
            return redirect("agreements:edit", pk=agreement.pk)
    except services.Incomplete as error:
        messages.error(request, str(error))
        for problem in error.problems:
            messages.error(request, problem.message)
    except services.AgreementError as error:
        messages.error(request, str(error))
    return redirect(agreement.get_absolute_url())


def agreement_document(request, pk):
    agreement = _agreement(request, pk)
    if (response := refusal(request, "agreements.view_agreement", agreement)) is not None:
        return response
    lines, sources = services.planned_costs(agreement)
    submission = agreement.offer.submissions.filter(withdrawn_at__isnull=True).first()
    content = agreement_docx(agreement, cost_lines=lines, sources=sources, submission=submission)
    return file_response(content, f"umowa-{agreement.pk}.docx", DOCX_TYPE)


# --- The updated cost calculation -----------------------------------------------------------


def _kinds(basis) -> list[tuple[str, str]]:
    return [(f"action:{a['no']}", f"I.{a['no']} {a['name']}") for a in basis["III"]["actions"]] + [
        ("administrative", _("II. Administrative costs"))
    ]


def _decide(request, may_manage: bool, form, agreement, decide):
    """The officer accepts or returns what was submitted (`decide(accept=, note=)`): the redirect once it is
    recorded, or None with the refusal next to the form."""
    if not may_manage:
        raise PermissionDenied
    if form.is_valid():
        try:
            decide(accept=form.cleaned_data["decision"] == "accept", note=form.cleaned_data["note"])
        except services.AgreementError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(agreement.get_absolute_url())
    return None


def _line_kind(line) -> str:
    """The form's choice for a saved line: its action, the administrative costs, or none yet."""
    if line.category == CostCategory.ACTION and line.action_no:
        return f"action:{line.action_no}"
    return "administrative" if line.category == CostCategory.ADMINISTRATIVE else ""


def _cost_update_forms(agreement, update, post):
    """The formset of cost lines and the form of sources: bound to `post`, else filled from the saved calculation."""
    basis = selectors.offer_basis(agreement.offer)
    initial = [
        {
            "kind": _line_kind(line),
            "name": line.name,
            "unit": line.unit,
            "unit_cost": line.unit_cost,
            "units": line.units,
            "year": line.year,
        }
        for line in update.lines.all()
    ]
    lines = CostLineFormSet(
        post, prefix="koszty", initial=None if post else initial, form_kwargs={"kinds": _kinds(basis)}
    )
    sources = SourcesForm(
        post, prefix="zrodla", initial=None if post else {f: getattr(update, f) for f in update.SOURCE_FIELDS}
    )
    return lines, sources


def _cost_update_save(request, agreement, update, action, lines, sources, context):
    """Save the valid forms (and submit on `submit`): the redirect once done, or None with the refusal next to the
    forms and the problems in `context`, the draft being saved with them."""
    user = request.user
    try:
        services.cost_update_save(
            actor=user,
            cost_update=update,
            lines=[r for f in lines.forms if (r := f.row())],
            sources=sources.cleaned_data,
        )
        if action == "submit":
            services.cost_update_submit(actor=user, cost_update=update)
    except services.Incomplete as error:
        context["problems"] = error.problems
        for problem in error.problems:
            if problem.field in sources.fields:
                sources.add_error(problem.field, problem.message)
    except services.AgreementError as error:
        lines._non_form_errors = lines.error_class([str(error)])
    else:
        if action == "submit":
            messages.success(request, _("The updated cost calculation has been submitted to the authority."))
            return redirect(agreement.get_absolute_url())
        messages.success(request, _("Saved."))
        return redirect("agreements:cost_update", pk=agreement.pk)
    context["saved_with_problems"] = True
    return None


def _cost_update_summary(agreement, update, reread: bool) -> dict:
    """The saved calculation with its totals and problems; `reread` after a save that left problems."""
    update = selectors.agreement_page(agreement.pk).cost_update if reread else update
    saved_lines = list(update.lines.all())
    return {
        "update": update,
        "saved_lines": saved_lines,
        "totals": cost_totals(saved_lines),
        "check": services.cost_update_problems(update, agreement, saved_lines),
    }


def cost_update(request, pk):
    agreement = _agreement(request, pk)
    if (response := refusal(request, "agreements.view_agreement", agreement)) is not None:
        return response
    user = request.user
    update = selectors.cost_update_of(agreement)
    may_manage = user.has_perm("agreements.manage_agreement", agreement)
    may_fill = (
        user.has_perm("agreements.fill_agreement", agreement)
        and agreement.state == AS.SENT
        and selectors.needs_cost_update(agreement)
        and (update is None or update.state in EDITABLE)
    )
    action = request.POST.get("action") if request.method == "POST" else None
    context = {
        "agreement": agreement,
        "offer": agreement.offer,
        "update": update,
        "may_fill": may_fill,
        "may_manage": may_manage,
    }
    decision = DecisionForm(request.POST if action == "decide" else None, prefix="decyzja")
    if action == "start" and may_fill:
        services.cost_update_start(actor=user, agreement=agreement)
        return redirect("agreements:cost_update", pk=agreement.pk)
    if action == "decide" and (
        response := _decide(
            request,
            may_manage,
            decision,
            agreement,
            partial(services.cost_update_decide, actor=user, cost_update=update),
        )
    ):
        return response
    if update is not None and may_fill:
        post = request.POST if action in ("save", "submit") else None
        lines, sources = _cost_update_forms(agreement, update, post)
        if (
            post is not None
            and lines.is_valid()
            and sources.is_valid()
            and (response := _cost_update_save(request, agreement, update, action, lines, sources, context))
        ):
            return response
        context.update(lines=lines, sources=sources)
    if update is not None:
        context.update(_cost_update_summary(agreement, update, bool(context.get("saved_with_problems"))))
    context["decision"] = decision
    return render(request, "agreements/cost_update.html", context)


# --- The report ----------------------------------------------------------------------------


def report(request, pk):
    agreement = _agreement(request, pk)
    if (response := refusal(request, "agreements.view_agreement", agreement)) is not None:
        return response
    user = request.user
    report = selectors.final_report(agreement)
    may_manage = user.has_perm("agreements.manage_agreement", agreement)
    may_fill = (
        user.has_perm("agreements.fill_agreement", agreement)
        and agreement.state == AS.SIGNED
        and (report is None or report.state in EDITABLE)
    )
    action = request.POST.get("action") if request.method == "POST" else None
    decision = DecisionForm(request.POST if action == "decide" else None, prefix="decyzja")
    context = {
        "agreement": agreement,
        "offer": agreement.offer,
        "report": report,
        "may_fill": may_fill,
        "may_manage": may_manage,
        "today": timezone.localdate(),
    }
    if action == "start" and may_fill:
        services.report_start(actor=user, agreement=agreement)
        return redirect("agreements:report", pk=agreement.pk)
    if action == "decide" and (
        response := _decide(
            request, may_manage, decision, agreement, partial(services.report_decide, actor=user, report=report)
        )
    ):
        return response
    if report is not None:
        results, lines = list(report.results.all()), list(report.cost_lines.all())
        context.update(
            results=results,
            lines=lines,
            spent=sum(line.spent for line in lines),
            planned=sum(line.planned for line in lines),
            to_return=max(agreement.granted_amount - report.grant, 0),
        )
        if may_fill:
            post = request.POST if action in ("save", "submit") else None
            form = ReportForm(post, instance=report, results=results, lines=lines)
            if post is not None and form.is_valid():
                try:
                    services.report_save(
                        actor=user,
                        report=report,
                        data=form.data_for_service(),
                        achieved=form.achieved(),
                        spent=form.spent(),
                    )
                    if action == "submit":
                        services.report_submit(actor=user, report=report)
                except services.Incomplete as error:
                    context["problems"] = error.problems
                    for problem in error.problems:
                        if problem.field in form.fields:
                            form.add_error(problem.field, problem.message)
                except services.AgreementError as error:
                    form.add_error(None, str(error))
                else:
                    if action == "submit":
                        messages.success(request, _("The report has been submitted to the authority."))
                        return redirect(agreement.get_absolute_url())
                    messages.success(request, _("Saved."))
                    return redirect("agreements:report", pk=agreement.pk)
            context["form"] = form
    context["decision"] = decision
    return render(request, "agreements/report.html", context)


# --- The organisation's view -------------------------------------------------------------------


def organisation_agreements(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if (response := refusal(request, "agreements.view_organisation", organisation)) is not None:
        return response
    agreements = list(selectors.organisation_agreements(organisation))
    rows = [
        {
            "agreement": a,
            "cost_update": selectors.cost_update_of(a),
            "report": selectors.final_report(a),
            "needs_cost_update": selectors.needs_cost_update(a),
        }
        for a in agreements
    ]
    return render(
        request,
        "agreements/organisation.html",
        {"organisation": organisation, "rows": rows, "today": timezone.localdate()},
    )


def my_agreements(request):
    if (response := refusal(request)) is not None:
        return response
    organisations = list(selectors.organisations_of(request.user))
    if len(organisations) == 1:
        return redirect("agreements:organisation", slug=organisations[0].slug)
    return render(request, "agreements/mine.html", {"organisations": organisations})
