from django.urls import path

from ngo_platform.workgroups.views import groups, versions

app_name = "workgroups"
urlpatterns = [
    path("", groups.group_list, name="list"),
    path("nowy/<slug:authority>/", groups.group_create, name="create"),
    path("zaproszenie/<str:token>/", groups.invitation_accept, name="invitation_accept"),
    path("<int:pk>/", groups.group_detail, name="detail"),
    path("<int:pk>/edytuj/", groups.group_edit, name="edit"),
    path("<int:pk>/zaproszenia/", groups.invitations, name="invitations"),
    path("<int:pk>/spotkania/nowe/", groups.meeting_add, name="meeting_add"),
    path("<int:pk>/dokumenty/nowy/", groups.document_create, name="document_create"),
    path("czlonkowie/<int:pk>/usun/", groups.member_remove, name="member_remove"),
    path("spotkania/<int:pk>/protokol/", groups.minutes_download, name="minutes"),
    path("spotkania/<int:pk>/protokol/dodaj/", groups.minutes_attach, name="minutes_attach"),
    path("dokumenty/<int:pk>/", versions.document_detail, name="document"),
    path("dokumenty/<int:pk>/nowa-wersja/", versions.version_upload, name="version_upload"),
    path("dokumenty/<int:pk>/porownanie/", versions.compare, name="compare"),
    path("wersje/<int:pk>/", versions.version_detail, name="version"),
    path("wersje/<int:pk>/kopia/", versions.version_copy, name="version_copy"),
    path("wersje/<int:pk>/krok/", versions.version_step, name="version_step"),
    path("wersje/<int:pk>/uwaga/", versions.comment_create, name="comment"),
    path("wersje/<int:pk>/plik/", versions.version_source, name="version_source"),
    path("wersje/<int:pk>/konsultacja/", versions.send_to_consultation, name="send_to_consultation"),
    path("jednostki/<int:pk>/", versions.unit_edit, name="unit_edit"),
]
