"""Small grants outside a competition (art. 19a UDPP): the public list, starting a simplified offer, the
offer's public page with comments, publishing it, the decision, the yearly pool."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.competitions import canonical, selectors, services
from ngo_platform.competitions.forms import CommentForm, PoolForm, SmallGrantDecisionForm, SmallGrantStartForm
from ngo_platform.competitions.models import Offer, SmallGrantPool
from ngo_platform.competitions.views.common import PAGE_SIZE, STEP_SLUGS, _authorities_of
from ngo_platform.competitions.workflows import OFFER
from ngo_platform.core.confirmation import ask_before
from ngo_platform.core.money import format_money
from ngo_platform.core.permissions import refusal
from ngo_platform.territory.models import Authority


def small_grants(request):
    """Public: small-grant offers published for comments and their outcome; officers also see the offers
    waiting for them and set the yearly pool."""
    user = request.user
    page = Paginator(selectors.public_small_grants(), PAGE_SIZE).get_page(request.GET.get("strona"))
    context = {"page": page, "now": timezone.now()}
    if user.is_authenticated:
        context["to_review"] = list(selectors.small_grants_to_review(user))
        context["may_apply"] = selectors.applicant_organisations(user).exists()
        context["may_set_pool"] = user.is_staff or user.authority_memberships.exists()
    return render(request, "competitions/small_grants.html", context)


def small_grant_start(request):
    if (response := refusal(request)) is not None:
        return response
    organisations = selectors.applicant_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = SmallGrantStartForm(
        request.POST or None, authorities=Authority.objects.order_by("name"), organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.small_grant_start(
                actor=request.user,
                authority=form.cleaned_data["authority"],
                organisation=form.cleaned_data["organisation"],
            )
        except services.CompetitionError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("A draft simplified offer has been started. It is saved at every step."))
            return redirect("competitions:offer_step", pk=offer.pk, step=STEP_SLUGS[0])
    params = selectors.legal_parameters(authority=None)
    return render(request, "competitions/small_grant_start.html", {"form": form, "params": params})


def _small_grant(request, pk) -> Offer:
    """The small-grant offer: public once published for comments; before that only to those who may see it."""
    try:
        offer = selectors.offer_page(pk)
    except Offer.DoesNotExist:
        raise Http404 from None
    if not offer.is_small_grant:
        raise Http404
    if offer.state not in selectors.PUBLIC_SMALL_GRANT_STATES and not (
        request.user.is_authenticated and request.user.has_perm("competitions.view_offer", offer)
    ):
        raise Http404
    return offer


def small_grant_detail(request, pk):
    offer = _small_grant(request, pk)
    user = request.user
    now = timezone.now()
    comment_form = CommentForm(request.POST or None)
    if request.method == "POST":
        if (response := refusal(request)) is not None:
            return response
        if comment_form.is_valid():
            try:
                services.small_grant_comment(actor=user, offer=offer, text=comment_form.cleaned_data["text"])
            except services.CompetitionError as error:
                comment_form.add_error("text", str(error))
            else:
                messages.success(request, _("Your comment has been published."))
                return redirect("competitions:small_grant", pk=offer.pk)
    may_manage = user.is_authenticated and user.has_perm("competitions.manage_competition", offer.competition)
    params = selectors.legal_parameters(authority=offer.competition.authority)
    context = {
        "offer": offer,
        "competition": offer.competition,
        "now": now,
        "comments_open": offer.comments_open(now),
        "comments": list(offer.comments.all()),
        "comment_form": comment_form,
        "may_manage": may_manage,
        "submission": selectors.active_submission(offer),
        "totals": canonical.cost_totals(list(offer.cost_lines.all())),
        "params": params,
        "days": canonical.task_days(offer),
        "may_view_offer": user.is_authenticated and user.has_perm("competitions.view_offer", offer),
    }
    if may_manage:
        year = selectors.small_grant_year(offer)
        context.update(
            year=year,
            pool=selectors.small_grant_pool(offer.competition.authority_id, year),
            year_total=selectors.authority_small_grants_total(offer.competition.authority_id, year),
            decision_form=SmallGrantDecisionForm(),
        )
    return render(request, "competitions/small_grant.html", context)


@require_POST
def small_grant_publish(request, pk):
    offer = _small_grant(request, pk)
    if (response := refusal(request, "competitions.manage_competition", offer.competition)) is not None:
        return response
    try:
        services.small_grant_publish(actor=request.user, offer=offer)
    except services.CompetitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The offer has been published for comments."))
    return redirect("competitions:small_grant", pk=offer.pk)


@require_POST
def small_grant_decide(request, pk):
    offer = _small_grant(request, pk)
    if (response := refusal(request, "competitions.manage_competition", offer.competition)) is not None:
        return response
    form = SmallGrantDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the decision."))
        return redirect("competitions:small_grant", pk=offer.pk)
    if (page := _ask_before_deciding(request, offer, form.cleaned_data)) is not None:
        return page
    try:
        services.small_grant_decide(
            actor=request.user,
            offer=offer,
            grant=form.cleaned_data["decision"] == "grant",
            reason=form.cleaned_data["reason"],
        )
    except services.CompetitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The decision has been recorded."))
    return redirect("competitions:small_grant", pk=offer.pk)


def _ask_before_deciding(request, offer, decision):
    """Ask before a decision that would be taken (a refusal without its reason is refused at once instead)."""
    grant = decision["decision"] == "grant"
    if not (grant or decision["reason"].strip()):
        return None
    facts = {
        "title": offer.title,
        "organisation": offer.organisation.name,
        "amount": format_money(offer.grant_requested),
    }
    if grant:
        title = _("Grant %(amount)s for “%(title)s”?") % facts
        consequence = (
            _("%(organisation)s is granted %(amount)s for “%(title)s”; the decision is shown on the offer's page.")
            % facts
        )
    else:
        title = _("Refuse the offer “%(title)s”?") % facts
        consequence = (
            _("The offer of %(organisation)s is refused; the organisation reads your reason on its offer.") % facts
        )
    return ask_before(
        request,
        OFFER,
        services.small_grant_decision(offer, grant=grant),
        offer,
        title=title,
        consequences=[consequence],
        button=_("Yes, record the decision"),
        cancel_url=reverse("competitions:small_grant", args=[offer.pk]),
    )


def small_grant_pool(request):
    if (response := refusal(request)) is not None:
        return response
    authorities = _authorities_of(request.user)
    if not authorities.exists():
        raise PermissionDenied
    year = timezone.localdate().year
    form = PoolForm(request.POST or None, authorities=authorities, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            services.small_grant_pool_set(
                actor=request.user,
                authority=form.cleaned_data["authority"],
                year=form.cleaned_data["year"],
                amount=form.cleaned_data["amount"],
            )
        except services.CompetitionError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The yearly grant pool has been saved."))
            return redirect("competitions:small_grant_pool")
    pools = (
        SmallGrantPool.objects.filter(authority__in=authorities)
        .select_related("authority")
        .order_by("authority__name", "-year")
    )
    return render(request, "competitions/small_grant_pool.html", {"form": form, "pools": pools})
