"""Public lists: the consultations with their filters, and their calendar (iCalendar). The RSS and Atom feeds are in
`consultations.feeds`."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from ngo_platform.consultations import ical, selectors
from ngo_platform.consultations.forms import ListFilterForm
from ngo_platform.consultations.models import Meeting
from ngo_platform.consultations.views.common import PAGE_SIZE, viewed_consultation
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.territory.models import TerritorialUnit, UnitLevel


def consultation_list(request):
    authorities = list(selectors.authorities_with_consultations().select_related("unit"))
    powiats = list(TerritorialUnit.objects.filter(level=UnitLevel.POWIAT).order_by("name"))
    spheres = list(current_spheres())
    form = ListFilterForm(request.GET, authorities=authorities, powiats=powiats, spheres=spheres)
    filters = form.filters()
    page = Paginator(selectors.public_consultations(filters), PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(
        request,
        "consultations/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
        },
    )


def calendar(request, pk=None):
    if pk is not None:
        consultations = [viewed_consultation(pk, request)]
    else:
        filters = ListFilterForm(request.GET).filters()
        consultations = list(selectors.public_consultations(filters)[:500])
    meetings = list(Meeting.objects.filter(consultation__in=[c.pk for c in consultations]).order_by("starts_at"))
    body = ical.calendar(consultations, meetings, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="konsultacje.ics"'
    return response
