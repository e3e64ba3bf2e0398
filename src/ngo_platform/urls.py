from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ngo_platform.core.urls")),
    path("samorzady/", include("ngo_platform.territory.urls")),
    path("organizacje/", include("ngo_platform.organisations.urls")),
    path("konto/", include("ngo_platform.accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
