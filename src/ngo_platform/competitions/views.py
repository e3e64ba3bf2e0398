"""Views of the competitions app: thin; the services decide and write, the selectors read."""

import json

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ngo_platform.competitions import canonical, ical, selectors, services
from ngo_platform.competitions.forms import (
    STEP_FORMS,
    ActionFormSet,
    AttachmentForm,
    CommentForm,
    CompetitionForm,
    ConfirmForm,
    CostLineFormSet,
    CriteriaFormSet,
    ListFilterForm,
    OfferStartForm,
    PartnerForm,
    PoolForm,
    ResultFormSet,
    SmallGrantDecisionForm,
    SmallGrantStartForm,
    criteria_from,
)
from ngo_platform.competitions.models import (
    CALL_PARTS,
    Competition,
    CompetitionState,
    Offer,
    OfferAttachment,
    OfferPartner,
    SmallGrantPool,
)
from ngo_platform.core.documents import PDF_TYPE, file_response, render_pdf
from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.territory.models import Authority, Sphere

PAGE_SIZE = 20

# The steps of the offer form: (slug, label). Sections of the template, in its order.
STEPS = [
    ("oferent", gettext_lazy("II. Applicant")),
    ("opis", gettext_lazy("III. The task")),
    ("dzialania", gettext_lazy("III. Actions and results")),
    ("zasoby", gettext_lazy("IV. Resources")),
    ("koszty", gettext_lazy("V.A Cost calculation")),
    ("zrodla", gettext_lazy("V.B–V.C Sources of financing")),
    ("inne", gettext_lazy("VI. Other information")),
    ("oswiadczenia", gettext_lazy("VII. Declarations")),
]
STEP_SLUGS = [slug for slug, _label in STEPS]


def _list_form(request):
    authorities = (
        Authority.objects.filter(competitions__state__in=[s for s in CompetitionState.values if s != "draft"])
        .distinct()
        .order_by("name")
    )
    spheres = Sphere.objects.filter(competitions__isnull=False).distinct().order_by("position")
    return ListFilterForm(request.GET or None, authorities=authorities, spheres=spheres)


@cache_anonymous_page(version=selectors.list_version, version_key=selectors.VERSION_KEY)
def competition_list(request):
    form = _list_form(request)
    page = Paginator(selectors.public_competitions(form.filters()), PAGE_SIZE).get_page(request.GET.get("strona"))
    params = request.GET.copy()
    params.pop("strona", None)
    query = params.urlencode()
    now = timezone.now()
    return render(
        request,
        "competitions/list.html",
        {
            "form": form,
            "page": page,
            "now": now,
            "query": query,
            "small_grants": list(selectors.small_grants_in_comments(now)[:10]),
            "may_create": request.user.is_authenticated
            and (request.user.is_staff or request.user.authority_memberships.exists()),
        },
    )


class CompetitionsFeed(Feed):
    title = gettext_lazy("Open competitions for offers")
    description = gettext_lazy("Announcements of open competitions for offers and their corrections.")

    def get_object(self, request):
        return _list_form(request).filters()

    def link(self):
        return reverse("competitions:list")

    def items(self, filters):
        return list(selectors.public_competitions(filters)[:50])

    def item_title(self, item):
        return f"{item.title} ({item.authority.name})"

    def item_description(self, item):
        deadline = timezone.localtime(item.offers_deadline)
        return _("%(kind)s. Offers until %(deadline)s. Version %(version)s of the announcement.") % {
            "kind": item.task_kind,
            "deadline": f"{deadline:%Y-%m-%d %H:%M:%S}",
            "version": item.version,
        }

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return f"konkurs-{item.pk}-v{item.version}"

    item_guid_is_permalink = False


def competitions_ical(request):
    filters = _list_form(request).filters()
    items = list(selectors.public_competitions(filters)[:200])
    body = ical.calendar(items, base_url=request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def _competition(request, slug) -> Competition:
    try:
        competition = selectors.competition_page(slug)
    except Competition.DoesNotExist:
        raise Http404 from None
    if not competition.is_public and not request.user.has_perm("competitions.manage_competition", competition):
        raise Http404
    return competition


def detail(request, slug):
    competition = _competition(request, slug)
    user = request.user
    may_manage = user.is_authenticated and user.has_perm("competitions.manage_competition", competition)
    now = timezone.now()
    context = {
        "competition": competition,
        "may_manage": may_manage,
        "accepting": competition.accepting_offers(now),
        "versions": list(competition.versions.all()),
        "criteria": list(competition.criteria.all()),
        "params": selectors.legal_parameters(authority=competition.authority),
        "my_offers": list(selectors.offers_of_user(user).filter(competition=competition))
        if user.is_authenticated
        else [],
    }
    if may_manage and competition.is_public:
        context["counts"] = selectors.offer_counts(competition)
    if competition.state == CompetitionState.RESULTS:
        context["results"] = selectors.public_results(competition)
        context["rejected"] = list(selectors.formally_rejected(competition))
    if user.is_authenticated and competition.state in (
        CompetitionState.FORMAL_CHECK,
        CompetitionState.EVALUATION,
        CompetitionState.DECIDED,
        CompetitionState.RESULTS,
    ):
        context["seat"] = selectors.seat(user, competition)
    return render(request, "competitions/detail.html", context)


def competition_ics(request, slug):
    competition = _competition(request, slug)
    body = ical.calendar([competition], base_url=request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def _authorities_of(user):
    return (
        Authority.objects.all().order_by("name")
        if user.is_staff
        else Authority.objects.filter(memberships__user=user).order_by("name")
    )


def competition_create(request):
    if (response := refusal(request)) is not None:
        return response
    authorities = _authorities_of(request.user)
    if not authorities.exists():
        raise PermissionDenied
    params = selectors.legal_parameters(authority=authorities.first())
    form = CompetitionForm(request.POST or None, authorities=authorities)
    criteria = CriteriaFormSet(
        request.POST or None, prefix="kryteria", initial=None if request.POST else params.default_criteria
    )
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        try:
            competition = services.competition_create(
                actor=request.user,
                authority=form.cleaned_data["authority"],
                data=form.data_for_service(),
                criteria=criteria_from(criteria),
            )
        except services.CompetitionError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The announcement has been prepared as a draft."))
            return redirect(competition.get_absolute_url())
    return render(request, "competitions/competition_form.html", {"form": form, "criteria": criteria})


def competition_edit(request, slug):
    competition = _competition(request, slug)
    if (response := refusal(request, "competitions.manage_competition", competition)) is not None:
        return response
    form = CompetitionForm(request.POST or None, instance=competition)
    initial = [{"name": c.name, "max_points": c.max_points} for c in competition.criteria.all()]
    criteria = CriteriaFormSet(request.POST or None, prefix="kryteria", initial=None if request.POST else initial)
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        try:
            services.competition_update(
                actor=request.user,
                competition=competition,
                data=form.data_for_service(),
                criteria=criteria_from(criteria),
                note=form.cleaned_data.get("note", ""),
            )
        except services.CompetitionError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The announcement has been saved."))
            return redirect(competition.get_absolute_url())
    return render(
        request, "competitions/competition_form.html", {"form": form, "criteria": criteria, "competition": competition}
    )


@require_POST
def competition_publish(request, slug):
    competition = _competition(request, slug)
    if (response := refusal(request, "competitions.manage_competition", competition)) is not None:
        return response
    try:
        services.competition_publish(actor=request.user, competition=competition)
    except services.CompetitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The announcement has been published."))
    return redirect(competition.get_absolute_url())


def competition_annul(request, slug):
    """The officer annuls the competition (art. 18a UDPP): the ground, the published reason, a confirmation."""
    competition = _competition(request, slug)
    if (response := refusal(request, "competitions.manage_competition", competition)) is not None:
        return response
    if competition.state in (CompetitionState.DRAFT, CompetitionState.RESULTS, CompetitionState.ANNULLED):
        messages.info(request, _("This competition cannot be annulled now."))
        return redirect(competition.get_absolute_url())
    form = cforms.AnnulmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.competition_annul(
                actor=request.user,
                competition=competition,
                ground=form.cleaned_data["ground"],
                reason=form.cleaned_data["reason"],
            )
        except services.CompetitionError as error:
            error.attach_to(form)
        else:
            messages.success(
                request, _("The competition has been annulled; the organisations with offers have been told.")
            )
            return redirect(competition.get_absolute_url())
    return render(
        request,
        "competitions/annul.html",
        {
            "competition": competition,
            "form": form,
            "counts": selectors.offer_state_counts(competition),
        },
        status=400 if form.errors else 200,
    )


def competition_offers(request, slug):
    competition = _competition(request, slug)
    if (response := refusal(request, "competitions.manage_competition", competition)) is not None:
        return response
    return render(
        request,
        "competitions/competition_offers.html",
        {
            "competition": competition,
            "offers": selectors.competition_offers(competition),
        },
    )


# --- Offers ---------------------------------------------------------------------------------------


def offer_start(request, slug):
    competition = _competition(request, slug)
    if (response := refusal(request)) is not None:
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


def _offer(request, pk, perm="competitions.view_offer") -> Offer:
    try:
        offer = selectors.offer_page(pk)
    except Offer.DoesNotExist:
        raise Http404 from None
    if not request.user.is_authenticated:
        return offer
    if not request.user.has_perm(perm, offer):
        raise PermissionDenied
    return offer


# The simplified offer of a small grant has no sections IV and VI (domain.md §B3).
SIMPLIFIED_STEPS = [(slug, label) for slug, label in STEPS if slug not in ("zasoby", "inne")]


def steps_of(offer):
    return SIMPLIFIED_STEPS if offer.is_small_grant else STEPS


def _steps(offer, current=None, problems=(), call=None):
    """The steps of the form for the stepper: all of them in a draft; while answering a call to complete,
    only the ones it opens."""
    with_problems = {p.step for p in problems}
    return [
        {
            "slug": slug,
            "label": label,
            "current": slug == current,
            "problem": slug in with_problems,
            "url": reverse("competitions:offer_step", kwargs={"pk": offer.pk, "step": slug}),
        }
        for slug, label in steps_of(offer)
        if call is None or slug in call.sections
    ]


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
            "steps": _steps(offer, problems=problems),
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
            "steps": _steps(offer, call=call),
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


def _kinds(offer):
    return [(f"action:{a.position}", f"I.{a.position} {a.name}") for a in offer.actions.all()] + [
        ("administrative", _("II. Administrative costs"))
    ]


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
    competition = offer.competition
    slugs = [slug for slug, _label in steps_of(offer) if call is None or slug in call.sections]
    if step not in slugs:
        raise Http404
    context = {
        "offer": offer,
        "competition": competition,
        "step": step,
        "step_label": dict(STEPS)[step],
        "completing": call,
    }
    index = slugs.index(step)
    last_url = reverse("competitions:offer_complete", kwargs={"pk": offer.pk}) if call else offer.get_absolute_url()
    next_url = (
        reverse("competitions:offer_step", kwargs={"pk": offer.pk, "step": slugs[index + 1]})
        if index + 1 < len(slugs)
        else last_url
    )
    post = request.POST if request.method == "POST" else None
    saved = False
    if step == "dzialania":
        actions = ActionFormSet(
            post,
            prefix="dzialania",
            initial=None
            if post
            else [
                {f: getattr(a, f) for f in ("name", "description", "target_group", "start", "end", "carried_out_by")}
                for a in offer.actions.all()
            ],
        )
        results = ResultFormSet(
            post,
            prefix="rezultaty",
            initial=None
            if post
            else [{f: getattr(r, f) for f in ("name", "target_value", "monitoring")} for r in offer.results.all()],
        )
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
        context.update(actions=actions, results=results)
    elif step == "koszty":
        years = competition.task_years[:3]
        kwargs = {"kinds": _kinds(offer), "years": years}
        initial = [
            {
                "kind": f"action:{line.action.position}" if line.action_id else "administrative",
                "name": line.name,
                "unit": line.unit,
                "unit_cost": line.unit_cost,
                "units": line.units,
                "year": line.year,
            }
            for line in sorted(offer.cost_lines.all(), key=lambda line: (line.category, line.position))
        ]
        lines = CostLineFormSet(post, prefix="koszty", initial=None if post else initial, form_kwargs=kwargs)
        saved_lines = sorted(offer.cost_lines.all(), key=lambda line: (line.category, line.position))
        for row, line in zip(lines.forms, saved_lines if post is None else []):
            row.line_total = line.total
        if post is not None and lines.is_valid():
            try:
                services.offer_set_cost_lines(
                    actor=request.user, offer=offer, lines=[r for f in lines.forms if (r := f.row())]
                )
            except services.CompetitionError as error:
                lines._non_form_errors = lines.error_class([str(error)])
            else:
                saved = True
        context.update(lines=lines, years=years, multi_year=len(years) > 1)
    else:
        form_class = STEP_FORMS[step]
        extra = {"joint": bool(offer.partners.all())} if step == "zrodla" else {}
        form = form_class(post, instance=offer, **extra)
        if post is not None and form.is_valid():
            try:
                services.offer_save_step(actor=request.user, offer=offer, step=step, data=form.data_for_service())
            except services.CompetitionError as error:
                error.attach_to(form)
            else:
                saved = True
        context["form"] = form
    if saved:
        offer = selectors.offer_page(offer.pk)
        context["offer"] = offer
        # The sums are the server's: shown next to the fields right after saving (the draft is kept).
        problems = [p for p in canonical.offer_problems(offer) if p.step == step and step in ("koszty", "zrodla")]
        if not problems:
            messages.success(request, _("Saved."))
            return redirect(request.POST.get("next") == "stay" and request.path or next_url)
        if "form" in context:
            for problem in problems:
                context["form"].add_error(
                    problem.field if problem.field in context["form"].fields else None, problem.message
                )
        else:
            context["step_problems"] = problems
        context["saved_with_problems"] = True
    offer = context["offer"]
    lines = list(offer.cost_lines.all())
    context.update(
        steps=_steps(offer, current=step, call=call),
        next_url=next_url,
        totals=canonical.cost_totals(lines),
        index=index + 1,
        count=len(slugs),
        partners=list(offer.partners.all()),
    )
    return render(request, f"competitions/steps/{step}.html", context)


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
            "steps": _steps(offer),
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
    offer = _offer(request, pk, "competitions.submit_offer")
    if (response := refusal(request, "competitions.submit_offer", offer)) is not None:
        return response
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


# --- Increment 2: formal check, commission, scoring, ranking, results -------------------------------

import csv  # noqa: E402
import io  # noqa: E402
from datetime import timedelta  # noqa: E402

from ngo_platform.competitions import forms as cforms  # noqa: E402
from ngo_platform.competitions.models import CompetitionState as CS  # noqa: E402
from ngo_platform.competitions.models import OfferState  # noqa: E402
from ngo_platform.competitions.money import format_money  # noqa: E402

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _manage(request, slug):
    competition = _competition(request, slug)
    if (response := refusal(request, "competitions.manage_competition", competition)) is not None:
        return competition, response
    return competition, None


def formal_overview(request, slug):
    """The officer's formal check: the checklist of the announcement and every offer's state."""
    competition, response = _manage(request, slug)
    if response is not None:
        return response
    items = list(competition.formal_items.all())
    form = cforms.ChecklistForm(request.POST or None, initial={"items": "\n".join(i.text for i in items)})
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
    offers = selectors.formal_check_offers(competition) if competition.state != CS.PUBLISHED else []
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
            "may_edit_checklist": competition.state in (CS.PUBLISHED, CS.FORMAL_CHECK)
            and not any(o.marked for o in offers),
        },
    )


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
    marks_form = cforms.FormalMarksForm(
        request.POST if action == "marks" else None, items=items, marks=marks, prefix="m"
    )
    default_deadline = timezone.localtime() + timedelta(days=7)
    call_form = cforms.CompletionCallForm(
        request.POST if action == "call" else None,
        prefix="c",
        offer=offer,
        initial={"deadline": default_deadline.replace(hour=23, minute=59, second=59, microsecond=0)},
    )
    decision_form = cforms.FormalDecisionForm(request.POST if action == "decide" else None, prefix="d")
    handlers = {
        "marks": (
            marks_form,
            lambda f: services.formal_mark(actor=request.user, offer=offer, marks=f.marks()),
            _("The marks have been saved."),
        ),
        "call": (
            call_form,
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
            decision_form,
            lambda f: services.formal_decide(
                actor=request.user,
                offer=offer,
                correct=f.cleaned_data["result"] == "correct",
                reason=f.cleaned_data["reason"],
            ),
            _("The result of the formal check has been recorded."),
        ),
    }
    if action in handlers:
        form, run, done = handlers[action]
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
            "marks_form": marks_form,
            "call_form": call_form,
            "decision_form": decision_form,
            "now": timezone.now(),
            # The offer's checks as it reads now (after a completion, what the applicant changed is checked again).
            "checks": [p for p in canonical.offer_problems(offer) if p.step != "partnerzy"] if calls else [],
            "open": competition.state == CS.FORMAL_CHECK
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
    form = cforms.ReasonForm(request.POST if request.method == "POST" and may_send else None, prefix="n")
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
            "steps": _steps(offer, call=call) if call else [],
            "added": {a.name for a in offer.attachments.all() if call and a.pk not in call.attachments_before},
        },
        status=status,
    )


def commission_manage(request, slug):
    """The officer appoints the commission and starts the evaluation."""
    competition, response = _manage(request, slug)
    if response is not None:
        return response
    form = cforms.AppointForm(
        request.POST if request.method == "POST" and request.POST.get("action") == "appoint" else None
    )
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
            "may_appoint": competition.state in (CS.PUBLISHED, CS.FORMAL_CHECK, CS.EVALUATION),
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
        form = cforms.DeclarationForm(request.POST or None, initial={"digest": canonical.sha256_hex(text)})
        signable = competition.state in (CS.FORMAL_CHECK, CS.EVALUATION)
        if request.method == "POST" and signable and form.is_valid():
            try:
                services.declaration_sign(
                    actor=request.user, competition=competition, digest=form.cleaned_data["digest"]
                )
            except services.CompetitionError as error:
                # The page shows the declaration as it reads now, with its checksum to sign next time.
                data = request.POST.copy()
                data["digest"] = canonical.sha256_hex(text)
                form = cforms.DeclarationForm(data)
                form.is_valid()
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The declaration has been signed."))
                return redirect("competitions:commission_work", slug=competition.slug)
        context.update(form=form, text=text, signable=signable)
    else:
        context["worklist"] = (
            selectors.member_worklist(member) if competition.state in (CS.EVALUATION, CS.DECIDED, CS.RESULTS) else []
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
    form = cforms.ScoreForm(request.POST if action == "score" else None, criteria=criteria, scores=scores, prefix="s")
    recuse_form = cforms.ReasonForm(request.POST if action == "recuse" else None, prefix="r")
    recuse_form.fields["reason"].label = _("Why you step aside from this offer")
    open_ = competition.state == CS.EVALUATION
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


def ranking(request, slug):
    """The officer's ranking: averages, ties, cards; proposed amounts; the decision; the publication."""
    competition, response = _manage(request, slug)
    if response is not None:
        return response
    if competition.state not in (CS.EVALUATION, CS.DECIDED, CS.RESULTS):
        raise Http404
    result = selectors.ranking(competition)
    action = request.POST.get("action") if request.method == "POST" else None
    open_ = competition.state == CS.EVALUATION
    amounts = cforms.AmountsForm(request.POST if action == "amounts" else None, rows=result.rows, prefix="a")
    decision = cforms.DecisionForm(request.POST if action == "decide" else None, prefix="d")
    amount_errors: dict = {}
    if action == "amounts" and open_ and amounts.is_valid():
        try:
            warnings = services.amounts_propose(actor=request.user, competition=competition, amounts=amounts.amounts())
        except services.AmountErrors as error:
            amount_errors = error.errors
            for offer_id, message in error.errors.items():
                amounts.add_error(f"amount_{offer_id}", message)
            if not error.errors:
                amounts.add_error(None, str(error))
        else:
            messages.success(request, _("The proposed amounts have been saved."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("competitions:ranking", slug=competition.slug)
    if action == "decide" and open_ and decision.is_valid():
        try:
            services.competition_decide(
                actor=request.user, competition=competition, reference=decision.cleaned_data["reference"]
            )
        except services.CompetitionError as error:
            decision.add_error("reference" if error.field else None, str(error))
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("competitions:ranking", slug=competition.slug)
    if action == "publish":
        try:
            services.results_publish(actor=request.user, competition=competition)
        except services.CompetitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The results have been published."))
            return redirect(competition.get_absolute_url())
        return redirect("competitions:ranking", slug=competition.slug)
    rows = [(row, amounts[f"amount_{row.offer_id}"]) for row in result.rows]
    return render(
        request,
        "competitions/ranking.html",
        {
            "competition": competition,
            "ranking": result,
            "rows": rows,
            "amounts": amounts,
            "decision": decision,
            "open": open_,
            "amount_errors": amount_errors,
        },
    )


RESULT_COLUMNS = [
    "miejsce",
    "ex_aequo",
    "oferent",
    "partnerzy",
    "tytul_zadania",
    "srednia_punktow",
    "kwota_wnioskowana_zl",
    "kwota_dotacji_zl",
    "dotacja_przyznana",
]


def _result_rows(results):
    for r in results:
        yield [
            r["rank"],
            "tak" if r["tied"] else "nie",
            r["organisation"],
            "; ".join(r["partners"]),
            r["title"],
            f"{r['points']:.2f}",
            format_money(r["requested"], currency=False).replace("\u00a0", ""),
            format_money(r["amount"], currency=False).replace("\u00a0", ""),
            "tak" if r["funded"] else "nie",
        ]


def _published(request, slug):
    competition = _competition(request, slug)
    if competition.state != CS.RESULTS:
        raise Http404
    return competition


def results_csv(request, slug):
    """The published results as CSV (UTF-8 with BOM, comma separated; amounts in złoty with a decimal comma)."""
    competition = _published(request, slug)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(RESULT_COLUMNS)
    writer.writerows(_result_rows(selectors.public_results(competition)))
    return file_response(buffer.getvalue().encode("utf-8"), f"wyniki-{competition.slug}.csv", "text/csv; charset=utf-8")


def results_xlsx(request, slug):
    """The published results as XLSX: points and amounts as numbers (złoty with two places)."""
    from decimal import Decimal

    from openpyxl import Workbook

    competition = _published(request, slug)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("wyniki")
    sheet.append(RESULT_COLUMNS)
    for r in selectors.public_results(competition):
        sheet.append(
            [
                r["rank"],
                "tak" if r["tied"] else "nie",
                r["organisation"],
                "; ".join(r["partners"]),
                r["title"],
                r["points"],
                Decimal(r["requested"]) / 100,
                Decimal(r["amount"]) / 100,
                "tak" if r["funded"] else "nie",
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return file_response(output.getvalue(), f"wyniki-{competition.slug}.xlsx", XLSX_TYPE)


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


# --- Increment 3: small grants (art. 19a UDPP) ------------------------------------------------------


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
