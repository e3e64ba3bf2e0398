from django.urls import path

from ngo_platform.elections import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("nowe/", views.election_create, name="create"),
    path("rady/nowa/", views.council_create, name="council_create"),
    path("rady/<slug:slug>/", views.council_detail, name="council"),
    path("zgoda/<str:token>/", views.consent, name="consent"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/ustawienia/", views.election_edit, name="edit"),
    path("<slug:slug>/zglos/", views.nominate, name="nominate"),
    path("<slug:slug>/glosuj/", views.vote, name="vote"),
    path("<slug:slug>/pokwitowanie/", views.receipt_check, name="receipt"),
    path("<slug:slug>/glosy/", views.ballots, name="ballots"),
    path("<slug:slug>/protest/", views.protest, name="protest"),
    path("<slug:slug>/protokol.pdf", views.protocol, name="protocol"),
    path("<slug:slug>/komisja/", views.committee, name="committee"),
    path("<slug:slug>/komisja/etap/", views.transition, name="transition"),
    path("<slug:slug>/komisja/sklad/", views.committee_members, name="committee_members"),
    path("<slug:slug>/komisja/kandydat/<int:pk>/", views.candidate_decide, name="candidate_decide"),
    path("<slug:slug>/komisja/losowanie/", views.tie_break, name="tie_break"),
    path("<slug:slug>/komisja/protest/<int:pk>/", views.protest_decide, name="protest_decide"),
]
