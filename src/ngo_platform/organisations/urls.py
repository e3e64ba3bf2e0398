from django.urls import path

from ngo_platform.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("eksport.<str:fmt>", views.directory_export, name="export"),
    path("eksport/<str:key>/", views.export_status, name="export_status"),
    path("eksport/<str:key>/organizacje.xlsx", views.export_file, name="export_file"),
    path("zarejestruj/", views.register, name="register"),
    path("wniosek/<int:pk>/", views.request_status, name="request_status"),
    path("weryfikacja/", views.verification_list, name="verification_list"),
    path("weryfikacja/<int:pk>/", views.verification_detail, name="verification_detail"),
    path("weryfikacja/<int:pk>/dowod/", views.verification_evidence, name="verification_evidence"),
    path("zaproszenie/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/reprezentuj/", views.claim, name="claim"),
    path("<slug:slug>/czlonkowie/", views.members, name="members"),
    path("<slug:slug>/edytuj/", views.edit, name="edit"),
]
