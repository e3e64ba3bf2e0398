"""An offer: starting it, its page, the attachments, the partners and their confirmation, submitting and
withdrawing it, the receipt, the PDF, a person's offers. The steps of the form are in `offer_steps`."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.competitions import canonical, selectors, services
from ngo_platform.competitions.forms import AttachmentForm, ConfirmForm, OfferStartForm, PartnerForm
from ngo_platform.competitions.models import CompetitionState, OfferAttachment, OfferPartner
from ngo_platform.competitions.views.common import STEP_SLUGS, _competition, _offer, _steps
from ngo_platform.core.confirmation import ask_first
from ngo_platform.core.documents import PDF_TYPE, file_response, render_pdf
from ngo_platform.core.permissions import refusal
from ngo_platform.core.text import local_second


def offer_start(request, slug):
    competition = _competition(request, slug)
    if (response := refusal(request, "competitions.start_offer", competition)) is not None:
        return response
    organisations = selectors.applicant_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = OfferStartForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_start(
                actor=request.user, competition=competition, organisation=form.cleaned_data["organisation"]
            )
        except services.CompetitionError as error:
            form.add_error("organisation" if error.field else None, str(error))
        else:
            messages.success(request, _("A draft offer has been started. It is saved at every step."))
            return redirect("competitions:offer_step", pk=offer.pk, step=STEP_SLUGS[0])
    return render(request, "competitions/offer_start.html", {"competition": competition, "form": form})


def _may_edit(user, offer, part) -> bool:
    """The person may change this part of the offer now (the services' rule, `selectors.edit_refusal`)."""
    return (
        user.has_perm("competitions.edit_offer", offer) and selectors.edit_refusal(offer, part, timezone.now()) is None
    )


def offer_detail(request, pk):
    offer = _offer(request, pk)
    if (response := refusal(request, "competitions.view_offer", offer)) is not None:
        return response
    user = request.user
    problems = canonical.offer_problems(offer) if offer.is_draft else []
    totals = canonical.cost_totals(list(offer.cost_lines.all()))
    return render(
        request,
        "competitions/offer_detail.html",
        {
            "offer": offer,
            "competition": offer.competition,
            "problems": problems,
            "totals": totals,
            "steps": _steps(offer, current="podsumowanie", problems=problems),
            "submission": selectors.active_submission(offer),
            "call": selectors.latest_call(offer),
            "completing": selectors.completing_call(offer, timezone.now()),
            "may_edit": offer.is_draft and user.has_perm("competitions.edit_offer", offer),
            "may_submit": user.has_perm("competitions.submit_offer", offer),
            "accepting": offer.is_small_grant or offer.competition.accepting_offers(timezone.now()),
            "partners": list(offer.partners.all()),
            "digest": canonical.body_digest(offer) if offer.partners.all() else "",
            "attachments": list(offer.attachments.all()),
            "missing_attachments": canonical.missing_attachments(offer),
        },
    )


def offer_attachments(request, pk):
    """Attach files to a draft offer and remove them (the offer's edit rule); the list for everyone who sees it."""
    offer = _offer(request, pk)
    if (response := refusal(request, "competitions.view_offer", offer)) is not None:
        return response
    call = selectors.completing_call(offer, timezone.now())
    may_edit = _may_edit(request.user, offer, "zalaczniki")
    attachments = list(offer.attachments.all())
    for attachment in attachments:
        # While answering a call, only the files added since the call can be taken back.
        attachment.removable = may_edit and (call is None or attachment.pk not in call.attachments_before)
    form = AttachmentForm(offer=offer, requested=call.attachments if call else ())
    if request.method == "POST":
        if not request.user.has_perm("competitions.edit_offer", offer):
            raise PermissionDenied
        if not may_edit:
            messages.error(request, selectors.edit_refusal(offer, "zalaczniki", timezone.now()))
            return redirect("competitions:offer_attachments", pk=offer.pk)
        form = AttachmentForm(request.POST, request.FILES, offer=offer, requested=call.attachments if call else ())
        if form.is_valid():
            try:
                services.offer_attachment_add(
                    actor=request.user,
                    offer=offer,
                    upload=form.cleaned_data["file"],
                    name=form.cleaned_data["attachment_name"],
                )
            except services.CompetitionError as error:
                error.attach_to(form)
            else:
                messages.success(request, _("The file has been attached to the offer."))
                return redirect("competitions:offer_attachments", pk=offer.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "competitions/offer_attachments.html",
        {
            "offer": offer,
            "competition": offer.competition,
            "form": form,
            "may_edit": may_edit,
            "steps": _steps(offer, current="zalaczniki", call=call),
            "attachments": attachments,
            "missing_attachments": canonical.missing_attachments(offer),
            "completing": call,
        },
        status=status,
    )


@require_POST
def offer_attachment_remove(request, pk, attachment):
    offer = _offer(request, pk, "competitions.edit_offer")
    if (response := refusal(request, "competitions.edit_offer", offer)) is not None:
        return response
    found = get_object_or_404(OfferAttachment, pk=attachment, offer=offer)
    try:
        services.offer_attachment_remove(actor=request.user, attachment=found)
    except services.CompetitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The attachment has been removed."))
    return redirect("competitions:offer_attachments", pk=offer.pk)


def offer_attachment(request, pk, attachment):
    """The file, to those who may see the offer (never from a public address)."""
    offer = _offer(request, pk)
    if (response := refusal(request, "competitions.view_offer", offer)) is not None:
        return response
    found = get_object_or_404(OfferAttachment, pk=attachment, offer=offer)
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def offer_partners(request, pk):
    offer = _offer(request, pk, "competitions.edit_offer")
    if (response := refusal(request, "competitions.edit_offer", offer)) is not None:
        return response
    if not offer.is_draft:
        return redirect(offer.get_absolute_url())
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and request.POST.get("remove"):
        partner = get_object_or_404(OfferPartner, pk=request.POST["remove"], offer=offer)
        services.offer_partner_remove(actor=request.user, partner=partner)
        messages.success(request, _("The partner has been removed."))
        return redirect("competitions:offer_partners", pk=offer.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_partner_add(
                actor=request.user,
                offer=offer,
                organisation=form.organisation,
                scope=form.cleaned_data["scope"],
                cost_share=form.cleaned_data["cost_share"] or 0,
            )
        except services.CompetitionError as error:
            form.add_error("krs" if error.field else None, str(error))
        else:
            messages.success(request, _("The partner has been added; its administrators have been asked to confirm."))
            return redirect("competitions:offer_partners", pk=offer.pk)
    return render(
        request,
        "competitions/offer_partners.html",
        {
            "offer": offer,
            "competition": offer.competition,
            "form": form,
            "partners": list(offer.partners.all()),
            "digest": canonical.body_digest(offer),
            "steps": _steps(offer, current="partnerzy"),
        },
    )


def partner_confirm(request, pk):
    partner = get_object_or_404(OfferPartner.objects.select_related("organisation"), pk=pk)
    if (response := refusal(request, "competitions.confirm_partnership", partner)) is not None:
        return response
    offer = selectors.offer_page(partner.offer_id)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_partner_confirm(
                actor=request.user, partner=partner, agree=form.cleaned_data["decision"] == "confirm"
            )
        except services.CompetitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your answer has been recorded."))
            return redirect("competitions:partner_confirm", pk=partner.pk)
    body = canonical.offer_body(offer)
    return render(
        request,
        "competitions/partner_confirm.html",
        {
            "partner": partner,
            "offer": offer,
            "competition": offer.competition,
            "form": form,
            "totals": canonical.cost_totals(list(offer.cost_lines.all())),
            "digest": canonical.sha256_hex(canonical.canonical_json(body)),
            "partners": list(offer.partners.all()),
        },
    )


@require_POST
def offer_submit(request, pk):
    offer = _offer(request, pk, "competitions.submit_offer", whole=False)  # the service reads it whole, locked
    if (response := refusal(request, "competitions.submit_offer", offer)) is not None:
        return response
    if (page := _ask_before_submitting(request, offer)) is not None:
        return page
    try:
        services.offer_submit(actor=request.user, offer=offer)
    except services.OfferIncomplete as error:
        messages.error(request, str(error))
        return redirect(offer.get_absolute_url())
    except services.CompetitionError as error:
        messages.error(request, str(error))
        return redirect(offer.get_absolute_url())
    messages.success(request, _("The offer has been submitted. Keep the receipt."))
    return redirect("competitions:receipt", pk=offer.pk)


def _ask_before_submitting(request, offer):
    competition = offer.competition
    facts = {
        "title": offer.title,
        "competition": competition.title,
        "authority": competition.authority.name,
        "deadline": local_second(competition.offers_deadline),  # judged to the second (core.arrival)
    }
    return ask_first(
        request,
        title=_("Submit the offer “%(title)s”?") % facts,
        consequences=[
            _("The offer will be submitted in the competition “%(competition)s” of %(authority)s, with a receipt.")
            % facts,
            _(
                "The submitted version is frozen: it cannot be changed, unless the formal check asks you to complete it."
            ),
        ],
        irreversible=_(
            "A submission cannot be undone: until the deadline (%(deadline)s) you can only withdraw the offer."
        )
        % facts,
        button=_("Yes, submit the offer"),
        cancel_url=offer.get_absolute_url(),
    )


@require_POST
def offer_withdraw(request, pk):
    offer = _offer(request, pk, "competitions.submit_offer")
    if (response := refusal(request, "competitions.submit_offer", offer)) is not None:
        return response
    try:
        services.offer_withdraw(actor=request.user, offer=offer)
    except services.CompetitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The offer has been withdrawn."))
    return redirect(offer.get_absolute_url())


def _submission(offer, number=None):
    submissions = list(offer.submissions.all())
    if number:
        found = [s for s in submissions if s.pk == number]
    else:
        found = [s for s in submissions if s.withdrawn_at is None] or submissions[:1]
    if not found:
        raise Http404
    return found[0]


def receipt(request, pk):
    offer = _offer(request, pk)
    if (response := refusal(request, "competitions.view_offer", offer)) is not None:
        return response
    submission = _submission(offer)
    return render(
        request,
        "competitions/receipt.html",
        {"offer": offer, "competition": offer.competition, "submission": submission},
    )


def offer_pdf(request, pk):
    """The offer in the official layout. A submitted offer is printed from its frozen content, with the
    checksum (once completed in answer to a call, from the content when the call closed, with both
    checksums); a draft is printed from its current data, marked as a draft."""
    offer = _offer(request, pk)
    if (response := refusal(request, "competitions.view_offer", offer)) is not None:
        return response
    submissions = list(offer.submissions.all())
    completed = [call for call in offer.completion_calls.all() if call.closed_at and call.content]
    completion = completed[-1] if completed else None
    if completion is not None:
        # Completed in answer to a call: the content as it was when the call closed, with its checksum.
        submission, document, draft = _submission(offer), json.loads(completion.content), False
    elif submissions:
        submission = _submission(offer)
        document, draft = json.loads(submission.content), False
    else:
        submission, document, draft = None, canonical.offer_body(offer), True
    context = {"document": document, "submission": submission, "draft": draft, "offer": offer, "completion": completion}
    return file_response(render_pdf("competitions/offer_pdf.html", context), f"oferta-{offer.pk}.pdf", PDF_TYPE)


def my_offers(request):
    if (response := refusal(request)) is not None:
        return response
    return render(
        request,
        "competitions/my_offers.html",
        {
            "offers": selectors.offers_of_user(request.user),
            "invitations": selectors.partner_invitations(request.user),
            "managed": selectors.competitions_managed_by(request.user).filter(state=CompetitionState.DRAFT),
        },
    )


def offers_redirect(request):
    return redirect("competitions:my_offers")
