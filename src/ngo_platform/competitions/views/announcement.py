"""The announcement of an open competition: the public list, its feed and calendar, the page; preparing,
correcting, publishing and annulling it; the offers it has received."""

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ngo_platform.competitions import ical, selectors, services
from ngo_platform.competitions.forms import (
    AnnulmentForm,
    CompetitionForm,
    CriteriaFormSet,
    ListFilterForm,
    criteria_from,
)
from ngo_platform.competitions.models import CompetitionState
from ngo_platform.competitions.views.common import PAGE_SIZE, _authorities_of, _competition
from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.territory.models import Authority, Sphere


def _list_form(request):
    authorities = (
        Authority.objects.filter(competitions__state__in=[s for s in CompetitionState.values if s != "draft"])
        .distinct()
        .order_by("name")
    )
    spheres = Sphere.objects.filter(competitions__isnull=False).distinct().order_by("position")
    return ListFilterForm(request.GET or None, authorities=authorities, spheres=spheres)


@cache_anonymous_page(selectors.LIST)
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
    form = AnnulmentForm(request.POST or None)
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
