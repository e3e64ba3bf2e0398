"""The import of organisations from CSV/XLSX files, for platform admins (mounted at /organizacje/import/)."""

from django.urls import path

from ngo_platform.organisations import import_views

app_name = "organisations_import"
urlpatterns = [
    path("", import_views.import_upload, name="upload"),
    path("<int:pk>/", import_views.import_status, name="status"),
    path("do-uzupelnienia/", import_views.to_complete, name="to_complete"),
    path("<int:pk>/odrzucone.csv", import_views.import_refused, name="refused"),
]
