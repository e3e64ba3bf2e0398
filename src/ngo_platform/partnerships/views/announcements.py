"""The partnership pages: the public list with search and filters, an announcement (with the partners suggested to
its author), writing and editing one, the steps of its course, and the suggestions for an organisation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.core.workflow import perform
from ngo_platform.organisations.models import Organisation
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.partnerships import selectors, services, suggestions
from ngo_platform.partnerships.forms import AnnouncementForm, FilterForm, MessageForm
from ngo_platform.partnerships.models import Announcement, SavedSearch
from ngo_platform.partnerships.workflows import ANNOUNCEMENT, PartnershipError
from ngo_platform.territory.models import TerritorialUnit, UnitLevel

PAGE_SIZE = 20


def _filter_choices(spheres=None) -> dict:
    """The list's filters offer the spheres in use; a saved search may name any sphere (`current_spheres`)."""
    return {
        "spheres": list(spheres if spheres is not None else selectors.spheres_in_use()),
        "powiats": list(TerritorialUnit.objects.filter(level=UnitLevel.POWIAT).order_by("name")),
    }


@cache_anonymous_page(selectors.ANNOUNCEMENTS_VERSION)
def announcement_list(request):
    form = FilterForm(request.GET, **_filter_choices())
    filters = form.filters()
    page = Paginator(selectors.public_announcements(filters), PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    may_write = request.user.is_authenticated and request.user.has_perm("partnerships.write_announcement")
    return render(
        request,
        "partnerships/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "may_write": may_write,
            "saved_query": selectors.query_of(filters) if not filters.archived else "",
        },
    )


def _viewed(request, pk) -> Announcement:
    try:
        announcement = selectors.announcement_page(pk)
    except Announcement.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("partnerships.view_announcement", announcement):
        raise Http404  # a draft does not exist for those who may not see it
    return announcement


def announcement_detail(request, pk):
    announcement = _viewed(request, pk)
    may_change = request.user.has_perm("partnerships.change_announcement", announcement)
    context = {
        "announcement": announcement,
        "may_change": may_change,
        "steps": ANNOUNCEMENT.available(announcement, request.user) if may_change else [],
    }
    if request.user.has_perm("partnerships.see_suggestions", announcement):
        subject = suggestions.of_announcement(announcement)
        context["organisations"], context["announcements"] = suggestions.suggest(subject)
    if request.user.is_authenticated:
        context["conversations"] = list(selectors.conversations_of_announcement(request.user, announcement))
    if request.user.has_perm("partnerships.contact_author", announcement):
        organisations = selectors.contacting_organisations(request.user, announcement)
        context["contact_form"] = MessageForm(organisations=organisations)
    return render(request, "partnerships/detail.html", context)


def announcement_create(request):
    if (response := refusal(request, "partnerships.write_announcement")) is not None:
        return response
    parties = selectors.announcing_parties(request.user)
    if not parties:
        raise PermissionDenied
    form = AnnouncementForm(request.POST or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        announcement = services.announcement_create(
            actor=request.user, party=form.cleaned_data["party"], data=form.cleaned_data
        )
        messages.success(request, _("The announcement has been saved as a draft. Check it, then publish it."))
        return redirect(announcement)
    return render(request, "partnerships/edit.html", {"form": form})


def announcement_edit(request, pk):
    if (response := refusal(request)) is not None:
        return response
    announcement = get_object_or_404(Announcement.objects.select_related("organisation", "authority"), pk=pk)
    if not request.user.has_perm("partnerships.change_announcement", announcement):
        raise PermissionDenied
    form = AnnouncementForm(request.POST or None, instance=announcement)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_update(
                actor=request.user, announcement=announcement, data=form.cleaned_data
            )
        except PartnershipError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The announcement has been saved."))
            return redirect(announcement)
    return render(request, "partnerships/edit.html", {"form": form, "announcement": announcement})


@require_POST
def announcement_step(request, pk, step):
    if (response := refusal(request)) is not None:
        return response
    announcement = get_object_or_404(Announcement.objects.select_related("organisation", "authority"), pk=pk)
    if not request.user.has_perm("partnerships.change_announcement", announcement):
        raise PermissionDenied
    try:
        transition = ANNOUNCEMENT[step]
    except KeyError:
        raise Http404 from None
    try:
        perform(ANNOUNCEMENT, announcement, transition.name, actor=request.user)
    except PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": transition.label})
    return redirect(announcement)


def organisation_suggestions(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("seat").prefetch_related("spheres", "areas"), slug=slug
    )
    if (response := refusal(request, "partnerships.see_organisation_suggestions", organisation)) is not None:
        return response
    found, announcements = suggestions.suggest(suggestions.of_organisation(organisation))
    return render(
        request,
        "partnerships/for_organisation.html",
        {"organisation": organisation, "announcements": announcements, "organisations": found},
    )


@require_POST
def search_save(request):
    """Save the list's current search (its filters posted as the list's query string) and follow it."""
    if (response := refusal(request)) is not None:
        return response
    form = FilterForm(QueryDict(request.POST.get("query", "")[:1000]), **_filter_choices(current_spheres()))
    try:
        services.saved_search_create(actor=request.user, filters=form.filters(), description=form.describe())
    except PartnershipError as error:
        messages.error(request, str(error))
        return redirect("partnerships:list")
    messages.success(request, _("The search is saved: new announcements that match it will be e-mailed to you."))
    return redirect("partnerships:searches")


def searches(request):
    if (response := refusal(request)) is not None:
        return response
    return render(request, "partnerships/searches.html", {"searches": selectors.saved_searches_of(request.user)})


@require_POST
def search_delete(request, pk):
    if (response := refusal(request)) is not None:
        return response
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    services.saved_search_delete(actor=request.user, saved=saved)
    messages.success(request, _("The search and its alerts are removed."))
    return redirect("partnerships:searches")
