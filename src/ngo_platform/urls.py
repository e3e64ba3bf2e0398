from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from ngo_platform.core import sitemaps
from ngo_platform.organisations import views as organisation_views

# The error pages in the site's layout (core/errors.py).
handler400 = "ngo_platform.core.errors.bad_request"
handler403 = "ngo_platform.core.errors.permission_denied"
handler404 = "ngo_platform.core.errors.page_not_found"
handler500 = "ngo_platform.core.errors.server_error"

urlpatterns = [
    path("", include("ngo_platform.core.urls")),
    path("samorzady/", include("ngo_platform.territory.urls")),
    path("organizacje/import/", include("ngo_platform.organisations.import_urls")),
    path("organizacje/", include("ngo_platform.organisations.urls")),
    path("konsultacje/", include("ngo_platform.consultations.urls")),
    path("wybory/", include("ngo_platform.elections.urls")),
    path("konkursy/", include("ngo_platform.competitions.urls")),
    path("umowy/", include("ngo_platform.agreements.urls")),
    path("", include("ngo_platform.community.urls")),  # /aktualnosci/ and /wydarzenia/
    path("forum/", include("ngo_platform.forum.urls")),
    path("zespoly/", include("ngo_platform.workgroups.urls")),
    path("biblioteka/", include("ngo_platform.library.urls")),
    path("partnerstwa/", include("ngo_platform.partnerships.urls")),
    path("konto/obserwowane/", include("ngo_platform.notifications.urls")),
    path("konto/", include("ngo_platform.accounts.urls")),
    path("konto/", include("allauth.urls")),
    # CSRF-exempt: it sets only the language cookie; public pages are cached without tokens (decision 0007).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Organisations' logos (`logo.url`), from the filesystem or the bucket (ngo_platform.core.storage).
    path(f"{settings.MEDIA_URL.strip('/')}/logos/<path:name>", organisation_views.logo, name="organisation_logo"),
    path("admin/", admin.site.urls),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("favicon.ico", sitemaps.favicon, name="favicon"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

if settings.NGO_BENCH_ENDPOINTS:
    from django.http import HttpResponse

    def bench_bare(request):
        """The ceiling of the benchmarks: the same server and middleware, no database, no template."""
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns.append(path("bench/bare/", bench_bare))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
