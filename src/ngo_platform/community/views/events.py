"""Event pages: the list and the month (both without JavaScript), the calendar feed, an event with its
registration, writing and editing one, the steps of its course, and the organiser's list of who comes."""

import calendar as calendar_lib
import datetime
import hashlib
import time

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.community import ical, selectors, services
from ngo_platform.community.forms import EventFilterForm, EventForm
from ngo_platform.community.models import Event
from ngo_platform.community.workflows import EVENT, EventError
from ngo_platform.core.confirmation import ask_before
from ngo_platform.core.markdown import render_markdown
from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.core.workflow import perform
from ngo_platform.territory.models import TerritorialUnit, UnitLevel

PAGE_SIZE = 20


def _filter_form(request, *, with_choices: bool) -> EventFilterForm:
    if not with_choices:
        return EventFilterForm(request.GET)
    return EventFilterForm(
        request.GET,
        authorities=list(selectors.authorities_with_events()),
        powiats=list(TerritorialUnit.objects.filter(level=UnitLevel.POWIAT).order_by("name")),
    )


def _query(request, *drop) -> str:
    query = request.GET.copy()
    for name in ("strona", *drop):
        query.pop(name, None)
    return query.urlencode()


@cache_anonymous_page(selectors.EVENTS_VERSION, clock_seconds=300)
def event_list(request):
    form = _filter_form(request, with_choices=True)
    filters = form.filters()
    page = Paginator(selectors.public_events(filters), PAGE_SIZE).get_page(request.GET.get("strona"))
    return render(
        request,
        "community/event_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": _query(request),
            "may_write": request.user.is_authenticated and request.user.has_perm("community.write_events"),
        },
    )


def _month(request) -> datetime.date:
    try:
        year, month = (int(part) for part in request.GET.get("miesiac", "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


# A day of the month page shows at most this many of its events, then a link to all of that day's events (a busy
# month of hundreds of events stays a readable page that renders in bounded time: docs/benchmarks.md).
DAY_EVENTS = 4


def _day_cell(day, entries) -> tuple:
    """(day, the entries shown, how many of its events are left for the day's list)."""
    events = [entry for entry in entries if not entry[0]]
    shown = events[:DAY_EVENTS] + [entry for entry in entries if entry[0]]
    return day, shown, len(events) - min(len(events), DAY_EVENTS)


@cache_anonymous_page(selectors.EVENTS_VERSION, clock_seconds=300)
def event_month(request):
    """A month as weeks of days, each with its events and the other modules' dates; a plain page, no script."""
    first = _month(request)
    if not 1900 < first.year < 2200:
        raise Http404
    weeks = calendar_lib.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = timezone.make_aware(datetime.datetime.combine(weeks[0][0], datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(weeks[-1][-1] + datetime.timedelta(days=1), datetime.time()))
    form = _filter_form(request, with_choices=True)
    days = {day: [] for week in weeks for day in week}
    for event in selectors.month_events(start, end, form.filters()):
        day = max(timezone.localtime(event.starts_at).date(), weeks[0][0])
        last = timezone.localtime(event.ends_at - datetime.timedelta(microseconds=1)).date()
        while day <= min(last, weeks[-1][-1]):
            days[day].append((False, event))
            day += datetime.timedelta(days=1)
    for entry in selectors.other_modules_between(start, end):
        days[timezone.localtime(entry.starts_at).date()].append((True, entry))  # (another module's, the entry)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "community/event_month.html",
        {
            "form": form,
            "first": first,
            "weeks": [[_day_cell(day, days[day]) for day in week] for week in weeks],
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "query": _query(request, "miesiac"),
        },
    )


# Calendar clients poll the feed; building a year of thousands of events takes seconds (docs/benchmarks.md), so the
# feed of a filter is kept this long, under the events' data version (a change of an event shows at once; the other
# modules' dates within this time).
FEED_SECONDS = 900


def event_calendar(request, pk=None):
    base_url = request.build_absolute_uri("/").rstrip("/")
    if pk is not None:
        body = ical.calendar([_viewed(request, pk)], [], base_url=base_url, name=str(_("Event")))
    else:
        raw = f"{selectors.EVENTS_VERSION.current()}|{int(time.time()) // FEED_SECONDS}|{request.get_full_path()}"
        key = f"community:events-ics:{hashlib.sha256(raw.encode()).hexdigest()}"
        body = cache.get(key)
        if body is None:
            now = timezone.now()
            start, end = now - selectors.CALENDAR_PAST, now + selectors.CALENDAR_AHEAD
            filters = _filter_form(request, with_choices=False).filters()
            events = list(selectors.events_between(start, end, filters))
            entries = selectors.other_modules_between(start, end)
            body = ical.calendar(events, entries, base_url=base_url, name=str(_("Events")))
            cache.set(key, body, FEED_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wydarzenia.ics"'
    return response


def _viewed(request, pk) -> Event:
    try:
        event = selectors.event_page(pk)
    except Event.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("community.view_event", event):
        raise Http404
    return event


def event_detail(request, pk):
    event = _viewed(request, pk)
    may_change = request.user.has_perm("community.change_event", event)
    return render(
        request,
        "community/event_detail.html",
        {
            "event": event,
            "description": render_markdown(event.description),
            "may_change": may_change,
            "steps": EVENT.available(event, request.user) if may_change else [],
            "registration": selectors.registration_of(request.user, event),
            "may_register": request.user.has_perm("community.register_for_event", event),
            "free": max((event.capacity or 0) - event.registered, 0),
        },
    )


def _parties(user):
    return [party for party in selectors.writing_parties(user) if party.organisation or party.authority]


def event_create(request):
    if (response := refusal(request, "community.write_events")) is not None:
        return response
    parties = _parties(request.user)
    if not parties:
        raise PermissionDenied
    form = EventForm(request.POST or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        event = services.event_create(actor=request.user, party=form.cleaned_data["party"], data=form.cleaned_data)
        messages.success(request, _("The event has been saved as a draft. Check it, then publish it."))
        return redirect(event)
    return render(request, "community/event_edit.html", {"form": form})


def _changed(request, pk) -> Event:
    event = get_object_or_404(Event.objects.select_related("organisation", "authority"), pk=pk)
    if not request.user.has_perm("community.change_event", event):
        raise PermissionDenied
    return event


def event_edit(request, pk):
    if (response := refusal(request)) is not None:
        return response
    event = _changed(request, pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(actor=request.user, event=event, data=form.cleaned_data)
        except EventError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect(event)
    return render(request, "community/event_edit.html", {"form": form, "event": event})


@require_POST
def event_step(request, pk, step):
    if (response := refusal(request)) is not None:
        return response
    event = _changed(request, pk)
    try:
        transition = EVENT[step]
    except KeyError:
        raise Http404 from None
    if transition.confirm:
        page = ask_before(
            request,
            EVENT,
            transition.name,
            event,
            title=_("Confirm: %(action)s") % {"action": transition.label},
            consequences=[_("Everyone registered and waiting is told by e-mail.")],
            button=transition.label,
            cancel_url=event.get_absolute_url(),
        )
        if page is not None:
            return page
    try:
        perform(EVENT, event, transition.name, actor=request.user)
    except EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": transition.label})
    return redirect(event)


@require_POST
def event_register(request, pk):
    if (response := refusal(request)) is not None:
        return response
    event = _viewed(request, pk)
    try:
        registration = services.registration_create(actor=request.user, event=event)
    except EventError as error:
        messages.error(request, str(error))
    else:
        if registration.state == "registered":
            messages.success(request, _("You are registered. If you cannot come, cancel here."))
        else:
            messages.success(
                request, _("All places are taken: you are on the waiting list. We will e-mail you if a place is freed.")
            )
    return redirect(event)


@require_POST
def event_unregister(request, pk):
    if (response := refusal(request)) is not None:
        return response
    event = _viewed(request, pk)
    registration = selectors.registration_of(request.user, event)
    if registration is not None:
        services.registration_cancel(actor=request.user, registration=registration)
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(event)


def event_registrations(request, pk):
    if (response := refusal(request)) is not None:
        return response
    event = _changed(request, pk)
    return render(
        request,
        "community/event_registrations.html",
        {"event": event, "registrations": list(selectors.registrations(event))},
    )
