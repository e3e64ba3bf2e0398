"""The commission: appointing it, a member's declaration and worklist, the score card of an offer, and the
score cards shown to the applicant."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ngo_platform.competitions import canonical, selectors, services
from ngo_platform.competitions.forms import AppointForm, DeclarationForm, ReasonForm, ScoreForm
from ngo_platform.competitions.models import CompetitionState, Offer
from ngo_platform.competitions.views.common import _competition, _manage, _offer
from ngo_platform.core.permissions import refusal


def commission_manage(request, slug):
    """The officer appoints the commission and starts the evaluation."""
    competition, response = _manage(request, slug)
    if response is not None:
        return response
    form = AppointForm(request.POST if request.method == "POST" and request.POST.get("action") == "appoint" else None)
    if request.method == "POST" and request.POST.get("action") == "remove":
        member = get_object_or_404(competition.commission.all(), pk=request.POST.get("member"))
        try:
            services.commission_remove(actor=request.user, member=member)
        except services.CompetitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The member has been removed."))
        return redirect("competitions:commission", slug=competition.slug)
    if request.method == "POST" and request.POST.get("action") == "start":
        try:
            services.evaluation_start(actor=request.user, competition=competition)
        except services.CompetitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The commission evaluates the formally correct offers now."))
        return redirect("competitions:commission", slug=competition.slug)
    if form.is_bound and form.is_valid():
        try:
            services.commission_appoint(
                actor=request.user,
                competition=competition,
                user=form.user,
                role=form.cleaned_data["role"],
                nominated_by=form.organisation,
                chair=form.cleaned_data["chair"],
            )
        except services.CompetitionError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The member has been appointed and informed by e-mail."))
            return redirect("competitions:commission", slug=competition.slug)
    return render(
        request,
        "competitions/commission.html",
        {
            "competition": competition,
            "form": form,
            "members": selectors.commission(competition),
            "may_appoint": request.user.has_perm("competitions.appoint_commission", competition),
        },
    )


def commission_work(request, slug):
    """A member's page: the declaration first; then the offers to score, each with its state."""
    competition = _competition(request, slug)
    if (response := refusal(request, "competitions.sit_on_commission", competition)) is not None:
        return response
    member = selectors.seat(request.user, competition)
    context = {"competition": competition, "member": member}
    if not member.has_declared:
        text = services.declaration_text(member, competition)
        form = DeclarationForm(request.POST or None, initial={"digest": canonical.sha256_hex(text)})
        signable = request.user.has_perm("competitions.sign_declaration", competition)
        if request.method == "POST" and signable and form.is_valid():
            try:
                services.declaration_sign(
                    actor=request.user, competition=competition, digest=form.cleaned_data["digest"]
                )
            except services.CompetitionError as error:
                # The page shows the declaration as it reads now, with its checksum to sign next time.
                data = request.POST.copy()
                data["digest"] = canonical.sha256_hex(text)
                form = DeclarationForm(data)
                form.is_valid()
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The declaration has been signed."))
                return redirect("competitions:commission_work", slug=competition.slug)
        context.update(form=form, text=text, signable=signable)
    else:
        context["worklist"] = (
            selectors.member_worklist(member)
            if competition.state in (CompetitionState.EVALUATION, CompetitionState.DECIDED, CompetitionState.RESULTS)
            else []
        )
    return render(request, "competitions/commission_work.html", context)


def score_card(request, pk):
    """A member scores an offer on every criterion (or steps aside from it)."""
    try:
        offer = selectors.offer_page(pk)
    except Offer.DoesNotExist:
        raise Http404 from None
    competition = offer.competition
    if (response := refusal(request, "competitions.sit_on_commission", competition)) is not None:
        return response
    if not request.user.has_perm("competitions.evaluate_offer", offer):
        raise PermissionDenied
    member = selectors.seat(request.user, competition)
    criteria = list(competition.criteria.all())
    scores = {s.criterion_id: s for s in member.scores.filter(offer=offer)}
    action = request.POST.get("action") if request.method == "POST" else None
    form = ScoreForm(request.POST if action == "score" else None, criteria=criteria, scores=scores, prefix="s")
    recuse_form = ReasonForm(request.POST if action == "recuse" else None, prefix="r")
    recuse_form.fields["reason"].label = _("Why you step aside from this offer")
    open_ = competition.state == CompetitionState.EVALUATION
    if action == "score" and form.is_valid():
        try:
            services.score_offer(actor=request.user, offer=offer, scores=form.scores())
        except services.CompetitionError as error:
            for criterion_id, message in getattr(error, "errors", {}).items():
                form.add_error(f"points_{criterion_id}", message)
            if not getattr(error, "errors", None):
                form.add_error(None, str(error))
        else:
            messages.success(request, _("Your score card has been saved."))
            return redirect("competitions:commission_work", slug=competition.slug)
    if action == "recuse" and recuse_form.is_valid():
        try:
            services.recuse(actor=request.user, offer=offer, reason=recuse_form.cleaned_data["reason"])
        except services.CompetitionError as error:
            recuse_form.add_error("reason", str(error))
        else:
            messages.success(request, _("You have stepped aside from this offer."))
            return redirect("competitions:commission_work", slug=competition.slug)
    return render(
        request,
        "competitions/score_card.html",
        {
            "offer": offer,
            "competition": competition,
            "form": form,
            "recuse_form": recuse_form,
            "open": open_,
            "totals": canonical.cost_totals(list(offer.cost_lines.all())),
            "max_points": sum(c.max_points for c in criteria),
            "scored": bool(scores),
        },
    )


def offer_scores(request, pk):
    """The applicant's own score cards (after the results), or the officer's view of them."""
    offer = _offer(request, pk, "competitions.view_score_cards")
    if (response := refusal(request, "competitions.view_score_cards", offer)) is not None:
        return response
    cards = selectors.score_cards(offer)
    return render(
        request,
        "competitions/offer_scores.html",
        {
            "offer": offer,
            "competition": offer.competition,
            "cards": cards,
            "averages": selectors.criterion_averages(offer, cards),
            "criteria": list(offer.competition.criteria.all()),
        },
    )
