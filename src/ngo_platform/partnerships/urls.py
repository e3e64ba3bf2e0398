from django.urls import path

from ngo_platform.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("nowe/", views.announcement_create, name="create"),
    path("<int:pk>/", views.announcement_detail, name="detail"),
    path("<int:pk>/edytuj/", views.announcement_edit, name="edit"),
    path("<int:pk>/krok/<slug:step>/", views.announcement_step, name="step"),
    path("<int:pk>/napisz/", views.conversation_start, name="contact"),
    path("<int:pk>/napisz/<slug:slug>/", views.conversation_invite, name="invite"),
    path("dla/<slug:slug>/", views.organisation_suggestions, name="for_organisation"),
    path("rozmowy/", views.conversation_list, name="conversations"),
    path("rozmowy/<int:pk>/", views.conversation_detail, name="conversation"),
    path("rozmowy/<int:pk>/zalacznik/<int:message>/", views.message_attachment, name="attachment"),
    path("rozmowy/<int:pk>/zglos/<int:message>/", views.message_report, name="report"),
    path("rozmowy/<int:pk>/partnerstwo/", views.partnership_propose, name="propose"),
    path("partnerstwo/<int:pk>/krok/<slug:step>/", views.partnership_step, name="partnership_step"),
    path("partnerstwo/<int:pk>/oferta/", views.joint_offer, name="joint_offer"),
    path("zgloszenia/", views.reports, name="reports"),
    path("wyszukiwania/", views.searches, name="searches"),
    path("wyszukiwania/zapisz/", views.search_save, name="search_save"),
    path("wyszukiwania/<int:pk>/usun/", views.search_delete, name="search_delete"),
]
