from django.shortcuts import get_object_or_404, render

from ngo_platform.territory import selectors


def authority_list(request):
    return render(request, "territory/authority_list.html", {"directory": selectors.authorities_by_powiat()})


def authority_detail(request, slug):
    authority = get_object_or_404(selectors.authority_queryset(), slug=slug)
    return render(request, "territory/authority_detail.html", selectors.authority_page(authority=authority))
