from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

from ngo_platform.organisations import exports, selectors
from ngo_platform.organisations.forms import DirectoryFilterForm
from ngo_platform.organisations.models import Organisation

PAGE_SIZE = 20


class CountedPaginator(Paginator):
    """A paginator told its total (cached by the selector) instead of counting again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def directory(request):
    form = DirectoryFilterForm(request.GET)
    filters = form.filters()
    organisations = selectors.directory_queryset(filters)
    summary = selectors.directory_summary(filters)
    paginator = CountedPaginator(organisations, PAGE_SIZE, count=summary["count"])
    page = paginator.get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    facets = selectors.directory_facets(filters, summary)
    for facet in facets:
        for option in facet.options:
            option.url = _toggle(request.GET, facet.name, option.value, option.selected)
    return render(
        request,
        "organisations/directory.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "facets": facets,
            "query": query.urlencode(),
        },
    )


def _toggle(params, name: str, value: str, selected: bool) -> str:
    """The directory URL with one facet value chosen (or, if it was chosen, removed); back to page 1."""
    query = params.copy()
    query.pop("strona", None)
    if selected:
        query.pop(name, None)
    else:
        query[name] = value
    if name == "powiat":
        query.pop("gmina", None)
    return f"?{query.urlencode()}" if query else "?"


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def directory_export(request, fmt):
    if fmt not in EXPORT_TYPES:
        raise Http404
    filters = DirectoryFilterForm(request.GET).filters()
    organisations = selectors.directory_queryset(filters)
    if fmt == "xlsx":
        response = HttpResponse(exports.as_xlsx(organisations), content_type=EXPORT_TYPES[fmt])
    else:
        stream = exports.as_csv(organisations) if fmt == "csv" else exports.as_json(organisations)
        response = StreamingHttpResponse(stream, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="organizacje.{fmt}"'
    return response


def detail(request, slug):
    try:
        organisation = selectors.organisation_profile(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None
    return render(request, "organisations/detail.html", {"organisation": organisation})
